using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Tests.Reliability;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Bad input refused before it costs anything, through the real server over a socket: over-long strings, unknown enum
/// values and too many derived keys are INVALID_ARGUMENT naming the field the caller sent, and none of them moves
/// the chain (the node's nonce and the contract's logs stay as they were).
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class RequestLimitsTests(ConsortiumFixture fixture)
{
    private const int OneMiB = 1 << 20;
    private static readonly string DcsaBill = File.ReadAllText("TestData/dcsa/ebl-3.0-copper-cathodes.json");

    [Fact]
    public async Task A_financing_reference_of_one_MiB_is_refused_naming_it_and_nothing_goes_on_chain()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        var before = await ChainStateAsync(node);
        var request = new PledgeRequest
        {
            RequestId = Guid.NewGuid().ToString(), FinancingReference = new string('R', OneMiB),
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)), Keys = { RandomKey() },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Titles.PledgeAsync(request, node.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        // Named among the violations (the request carries no consent either, which is named too).
        Assert.Contains("financing_reference", Callers.Fields(refused));
        Assert.Equal(before, await ChainStateAsync(node));
    }

    [Fact]
    public async Task An_invoice_of_one_MiB_is_refused_naming_its_json_and_is_never_anchored()
    {
        await using var node = await RunningNode.StartAsync(
            fixture, "trader", extraSettings: new Dictionary<string, string?> { ["Anchoring:MaxDelayMilliseconds"] = "10" });
        var before = await ChainStateAsync(node);
        using var sample = SampleTrade.Fresh();
        var invoice = File.ReadAllText(sample.SalesInvoice);
        // Still the same invoice to a JSON parser: the padding is whitespace.
        var padded = invoice.Insert(invoice.IndexOf('{') + 1, new string(' ', OneMiB));
        var request = new AnchorDocumentsRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Documents =
                { new TradeDocument { Type = TradeDocumentType.CommercialInvoice, Format = DocumentFormat.OffshoreLedger, Json = padded } },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Documents.AnchorDocumentsAsync(request, node.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["documents[0].json"], Callers.Fields(refused));
        Assert.Equal(before, await ChainStateAsync(node));
    }

    [Fact]
    public async Task A_check_with_an_unknown_consistency_is_refused_not_answered_from_the_index()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor");

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            node.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { 1 }, Consistency = (Consistency)9 }, node.Read)
                .ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["consistency"], Callers.Fields(refused));
    }

    public static TheoryData<int, int, string> BadEnums => new()
    {
        { 9, (int)DocumentFormat.DcsaEbl3, "bill_of_lading.type" },
        { (int)TradeDocumentType.Unspecified, (int)DocumentFormat.DcsaEbl3, "bill_of_lading.type" },
        { (int)TradeDocumentType.BillOfLading, 7, "bill_of_lading.format" },
        { (int)TradeDocumentType.BillOfLading, (int)DocumentFormat.Unspecified, "bill_of_lading.format" },
        { (int)TradeDocumentType.CommercialInvoice, (int)DocumentFormat.DcsaEbl3, "bill_of_lading.format" },
    };

    [Theory]
    [MemberData(nameof(BadEnums))]
    public async Task A_bad_document_type_or_format_is_named_on_that_field_and_nothing_goes_on_chain(int type, int format, string field)
    {
        await using var node = await RunningNode.StartAsync(fixture, "trader");
        var before = await ChainStateAsync(node);
        var request = new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = node.Address,
            BillOfLading = new TradeDocument { Type = (TradeDocumentType)type, Format = (DocumentFormat)format, Json = DcsaBill },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Titles.RegisterTitleAsync(request, node.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(field, Callers.Fields(refused));
        Assert.DoesNotContain("bill_of_lading.json", Callers.Fields(refused));
        Assert.Equal(before, await ChainStateAsync(node));
    }

    [Fact]
    public async Task A_check_counts_the_keys_its_documents_derive_toward_the_cap()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor");
        var bill = new TradeDocument { Type = TradeDocumentType.BillOfLading, Format = DocumentFormat.DcsaEbl3, Json = DcsaBill };
        // Each copy derives its B/L key and one per container (two): 200 copies, 600 keys, in 200 documents.
        var request = new CheckCollateralRequest { Documents = { Enumerable.Repeat(bill, 200) } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Titles.CheckCollateralAsync(request, node.Read).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["documents"], Callers.Fields(refused));
    }

    [Fact]
    public async Task A_bad_container_in_a_DCSA_bill_is_named_by_its_DCSA_path()
    {
        await using var node = await RunningNode.StartAsync(fixture, "trader");
        // A wrong check digit (…565 is right) on the first utilized transport equipment.
        var json = DcsaBill.Replace(
            "\"equipment\": { \"equipmentReference\": \"MSKU1234565\"", "\"equipment\": { \"equipmentReference\": \"MSKU1234566\"",
            StringComparison.Ordinal);
        Assert.NotEqual(DcsaBill, json);
        var request = new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = node.Address,
            BillOfLading = new TradeDocument { Type = TradeDocumentType.BillOfLading, Format = DocumentFormat.DcsaEbl3, Json = json },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Titles.RegisterTitleAsync(request, node.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("bill_of_lading.json.utilizedTransportEquipments[0].equipment.equipmentReference", Callers.Fields(refused));
    }

    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    /// <summary>What a refused request must not move: the node's account nonce and the contract's logs.</summary>
    private async Task<(ulong Nonce, int Logs)> ChainStateAsync(RunningNode node) =>
        (await ChainTruth.NonceAsync(fixture, node.Address), (await ChainTruth.EventsAsync(fixture)).Count);
}

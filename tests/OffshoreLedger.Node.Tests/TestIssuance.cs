using System.Security.Cryptography;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Tests;

/// <summary>The consortium's carrier node, started once per chain and shared by the tests that need titles issued.</summary>
public sealed class SharedCarrierNode(RunningNode node) : IAsyncDisposable
{
    public RunningNode Node { get; } = node;

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}

/// <summary>
/// Issue 14: a title is issued by the carrier member bound to the B/L's carrier code, on a lot its port of loading
/// attested. Tests written when any trader could register a title now have it issued that way: the lot is attested
/// by the development port (bound to <see cref="PortOfLoading"/>) and the title is issued through the carrier's own
/// node (bound to <see cref="CarrierCode"/>), to the same holder, with the same values.
/// </summary>
public static class TestIssuance
{
    /// <summary>A carrier code governance bound to the development carrier (see DevConsortium.StandardMembers).</summary>
    public const string CarrierCode = "MAEU";

    /// <summary>A UN/LOCODE governance bound to the development port.</summary>
    public const string PortOfLoading = "SGSIN";

    /// <summary>What a test lot is attested at when the test did not attest it itself: room for any test's titles.</summary>
    public const ulong AmpleQuantity = 1UL << 40;

    public static async Task<RunningNode> CarrierAsync(ConsortiumFixture fixture) =>
        (await fixture.SharedAsync(async f => new SharedCarrierNode(await RunningNode.StartAsync(f, "carrier")))).Node;

    /// <summary>Attests <paramref name="lotKey"/> as the development port, straight on chain, unless a port attested it already.</summary>
    public static async Task AttestAsync(ConsortiumFixture fixture, byte[] lotKey, string unit = "TNE", ulong quantity = AmpleQuantity)
    {
        var port = fixture.Consortium.LedgerAs(fixture.Consortium.Member("port"));
        if ((await port.QueryAsync<LotOfFunction, LotOutput>(new() { LotKey = lotKey })).Attested) return;
        var head = await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        await port.SendAsync(new AttestLoadingFunction
        {
            LotKey = lotKey, Locode = LedgerCode.ToBytes(PortOfLoading), Quantity = quantity, Unit = UnitCode.ToBytes(unit),
            LoadedAt = (ulong)head.Timestamp.Value - 60, DocumentHash = RandomNumberGenerator.GetBytes(32),
        });
    }

    /// <summary>
    /// Issues <paramref name="request"/> through the carrier's node: precomputed values get the carrier code and an
    /// attested lot; a bill of lading must name a bound carrier and an attested lot itself. Waits until each of
    /// <paramref name="syncNodes"/> indexed the chain head.
    /// </summary>
    public static async Task<RegisterTitleResponse> RegisterAsync(
        ConsortiumFixture fixture, RegisterTitleRequest request, params RunningNode[] syncNodes)
    {
        if (request.BillOfLading is { Format: DocumentFormat.DcsaEbl3 } bill)
        {
            // The B/L's lot (its port of loading and HS heading, keyed under the consortium secret) must be attested.
            // A B/L the importer cannot read is the node's to refuse: nothing to attest then.
            var lot = LotOf(fixture, bill.Json);
            if (lot is { } named) await AttestAsync(fixture, named.Key, named.Unit);
        }
        else if (request.BillOfLading is null && request.CarrierCode.Length == 0)
        {
            if (request.LotKey.Length == 32 && request.Quantity > 0 && request.Unit.Length > 0) await AttestAsync(
                fixture, request.LotKey.ToByteArray(), request.Unit);
            request.CarrierCode = CarrierCode;
        }
        if (request.RequestId.Length == 0) request.RequestId = Guid.NewGuid().ToString();
        var carrier = await CarrierAsync(fixture);
        var response = await carrier.Titles.RegisterTitleAsync(request, carrier.Write);
        foreach (var node in syncNodes) await node.SyncedToHeadAsync(fixture);
        return response;
    }

    /// <summary>Attests the lot a DCSA B/L names (its port of loading, vessel, voyage and HS heading), as the development port.</summary>
    public static async Task AttestLotOfAsync(ConsortiumFixture fixture, string billJson)
    {
        var lot = LotOf(fixture, billJson) ?? throw new ArgumentException("The B/L names no shipment lot.", nameof(billJson));
        await AttestAsync(fixture, lot.Key, lot.Unit);
    }

    private static (byte[] Key, string Unit)? LotOf(ConsortiumFixture fixture, string json)
    {
        try
        {
            var document = Client.Dcsa.DcsaTransportDocumentImporter.Import(json);
            var keys = new Client.Keys.CollateralKeyDeriver(Client.Keys.ConsortiumSecret.FromHex(fixture.ConsortiumSecret))
                .KeysFor(document);
            var lot = keys.FirstOrDefault(k => k.Kind == Client.Keys.CollateralKeyKind.ShipmentLot);
            var unit = document.ConsignmentItems.Select(i => i.Quantity.Unit).FirstOrDefault();
            return lot is null || unit is null ? null : (lot.Value.ToArray(), unit);
        }
        catch (Exception ex)
            when (ex is System.Text.Json.JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}

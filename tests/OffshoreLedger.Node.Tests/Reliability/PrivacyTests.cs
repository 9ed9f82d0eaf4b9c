using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using Xunit.Abstractions;
using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>The privacy scan reads every block from genesis: it has a chain of its own, holding its scenario alone.</summary>
[CollectionDefinition(Name)]
public sealed class PrivacyCollection : ICollectionFixture<ConsortiumFixture>
{
    public const string Name = "privacy";
}

/// <summary>
/// After a whole offshore resale through the nodes — the port attests the loading, the carrier issues the B/L's title and
/// anchors the invoices and settlements, bank A checks and finances the title and the sales invoice, bank B's pledge
/// of the invoice is blocked, bank A releases and bank B finances — nothing the chain publishes holds any plaintext
/// identifier of the trade: no B/L, container, seal, booking, invoice or attestation number, no LEI or registration
/// id, no UETR, no IMO or voyage number, no party name, no financing reference. The scanner is shown to find
/// identifiers planted on the same chain, in a transaction's input and in a log.
/// </summary>
[Collection(PrivacyCollection.Name)]
public sealed class PrivacyTests(ConsortiumFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_whole_trade_no_transaction_input_or_log_on_the_chain_holds_a_plaintext_identifier()
    {
        await using var portNode = await RunningNode.StartAsync(fixture, "port");
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        await using var bankANode = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankBNode = await RunningNode.StartAsync(fixture, "bank B");
        using var port = Client(portNode);
        using var trader = Client(traderNode);
        using var bankA = Client(bankANode);
        using var bankB = Client(bankBNode);
        using var trade = SampleTrade.Fresh();
        var billJson = File.ReadAllText(trade.BillOfLading);
        var bill = DcsaTransportDocumentImporter.Import(billJson);
        var attestation = DocumentJson.Deserialize<LoadingAttestation>(File.ReadAllText(trade.Attestation));
        var purchaseInvoice = DocumentJson.Deserialize<CommercialInvoice>(File.ReadAllText(trade.PurchaseInvoice));
        var salesInvoice = DocumentJson.Deserialize<CommercialInvoice>(File.ReadAllText(trade.SalesInvoice));
        var settlements = new[] { trade.PurchaseSettlement, trade.SaleSettlement }.Select(
            f => DocumentJson.Deserialize<SettlementRecord>(File.ReadAllText(f))).ToList();
        var references = new[] { "BKA-TF-" + Guid.NewGuid().ToString("N")[..10], "BKB-RF-" + Guid.NewGuid().ToString("N")[..10],
            "BKB-LC-" + Guid.NewGuid().ToString("N")[..10] };

        // The trade, through the nodes.
        await port.PublishLoadingAttestationAsync(
            new PublishLoadingAttestationRequest { Attestation = TradeDocuments.ToMessage(attestation) });
        await traderNode.SyncedToHeadAsync(fixture);
        var title = await TestIssuance.RegisterAsync(
            fixture, new RegisterTitleRequest { Holder = traderNode.Address, BillOfLading = TradeDocuments.FromDcsa(billJson) },
            traderNode);
        var anchored =
            new AnchorDocumentsRequest { Documents = { TradeDocuments.ToMessage(purchaseInvoice),
            TradeDocuments.ToMessage(salesInvoice) } };
        anchored.Documents.AddRange(settlements.Select(TradeDocuments.ToMessage));
        await trader.AnchorDocumentsAsync(anchored);
        await bankANode.SyncedToHeadAsync(fixture);
        var keys = new CollateralKeyDeriver(ConsortiumSecret.FromHex(fixture.ConsortiumSecret));
        Assert.True((await bankA.CheckDocumentsLocallyAsync([salesInvoice], keys)).Clear);
        Assert.True(
            (await bankA.CheckCollateralAsync(
                new CheckCollateralRequest { TitleIds = { title.TitleId }, Documents = { TradeDocuments.ToMessage(salesInvoice) } }))
                    .Clear);
        var invoiceKeys = keys.KeysFor(salesInvoice).Where(k => k.Kind != CollateralKeyKind.ShipmentLot).Select(TradeDocuments.KeyBytes)
            .ToList();
        var invoiceKeyBytes = invoiceKeys.Select(k => k.ToByteArray()).ToList();
        var first = await bankA.PledgeAsync(
            await Pledge(references[0], title.TitleId, TradeDocuments.ToMessage(salesInvoice))
            .ConsentedAsync(fixture, bankANode, invoiceKeyBytes));
        await bankBNode.SyncedToHeadAsync(fixture);
        var rival = await Pledge(references[1], null, TradeDocuments.ToMessage(salesInvoice))
            .ConsentedAsync(fixture, bankBNode, invoiceKeyBytes, traderNode.Address);
        await Assert.ThrowsAsync<TitleAlreadyPledgedException>(() => bankB.PledgeAsync(rival));
        await bankA.ReleaseAsync(new ReleaseRequest { PledgeId = first.PledgeId, TitleIds = { title.TitleId }, Keys = { invoiceKeys } });
        await bankBNode.SyncedToHeadAsync(fixture);
        await bankB.PledgeAsync(await Pledge(references[2], title.TitleId, null).ConsentedAsync(fixture, bankBNode));

        // Two identifiers planted where the scan must find them: one (lower-cased) in an ABI-padded string of a
        // transaction's input, one as the unit of a title, which the contract logs.
        var plantedInInput = "PLNT" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var plantedInLog = "Q" + string.Concat(Enumerable.Range(0, 7).Select(_ => (char)('A' + Random.Shared.Next(26))));
        await PlantInInputAsync(plantedInInput.ToLowerInvariant());
        var planted = LedgerRequests.Title(traderNode.Address);
        planted.Unit = plantedInLog;
        planted.LotKey = Google.Protobuf.ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        planted.CarrierCode = "";
        await TestIssuance.RegisterAsync(fixture, planted);

        var identifiers = Identifiers(bill, attestation, [purchaseInvoice, salesInvoice], settlements)
            .Concat(DcsaOnly(billJson)).Concat(references).Distinct().ToList();
        var findings = await new PlaintextScanner(fixture.Chain.Web3For(0)).ScanAsync([.. identifiers, plantedInInput, plantedInLog]);
        output.WriteLine(
            $"scanned {findings.Blocks} blocks, {findings.Transactions} transactions, {findings.Logs} logs for {identifiers.Count} " +
            $"identifiers: {string.Join(", ", identifiers)}");

        Assert.DoesNotContain(findings.Hits, h => identifiers.Contains(h.Identifier));
        Assert.Contains(findings.Hits, h => h.Identifier == plantedInInput && h.Where.StartsWith("input", StringComparison.Ordinal));
        Assert.Contains(findings.Hits, h => h.Identifier == plantedInLog && h.Where.StartsWith("log", StringComparison.Ordinal));
    }

    private static LedgerClient Client(RunningNode node) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.WriteKey });

    private static PledgeRequest Pledge(string reference, ulong? titleId, TradeDocument? document)
    {
        var request = new PledgeRequest { FinancingReference = reference,
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)) };
        if (titleId is { } id) request.TitleIds.Add(id);
        if (document is not null) request.Documents.Add(document);
        return request;
    }

    /// <summary>Every identifying value of the trade's documents: references, numbers, codes and names.</summary>
    private static IEnumerable<string> Identifiers(
        BillOfLading bill, LoadingAttestation attestation, CommercialInvoice[] invoices, IEnumerable<SettlementRecord> settlements)
    {
        IEnumerable<string?> PartyOf(Party? party) => party is null ? [] : [party.Name, party.Lei, party.RegistrationId];
        IEnumerable<string?> all =
        [
            bill.TransportDocumentReference, bill.VesselImoNumber, bill.VesselName, bill.VoyageNumber,
            .. PartyOf(bill.Shipper), .. PartyOf(bill.Consignee), .. PartyOf(bill.NotifyParty),
            .. bill.Containers.SelectMany(c => c.SealNumbers.Prepend(c.ContainerNumber)),
            attestation.AttestationReference, attestation.Lot.VesselImoNumber, attestation.Lot.VoyageNumber, attestation.AttestingMember,
            .. invoices.SelectMany(i => PartyOf(i.Seller).Concat(PartyOf(i.Buyer)).Append(i.InvoiceNumber).Append(i.BillOfLadingReference)),
            .. settlements.SelectMany(s => PartyOf(s.Debtor).Concat(PartyOf(s.Creditor)).Append(s.Uetr).Concat(s.InvoiceReferences)),
        ];
        // Shorter values (country and unit codes) are not identifiers, and would match by chance in binary data.
        return all.OfType<string>().Where(v => v.Length >= 5).Distinct();
    }

    /// <summary>References the DCSA B/L carries that the SDK's model leaves out; the node still receives them.</summary>
    private static IEnumerable<string> DcsaOnly(string billJson)
    {
        string[] names = ["shippingInstructionsReference", "carrierBookingReference", "shippingMarks"];
        IEnumerable<JsonNode?> Walk(JsonNode? node) => node switch
        {
            JsonObject o => o.SelectMany(p => names.Contains(p.Key) ? [p.Value] : Walk(p.Value)),
            JsonArray a => a.SelectMany(Walk),
            _ => [],
        };
        return Walk(JsonNode.Parse(billJson))
            .SelectMany(v => v is JsonArray a ? a.Select(x => x?.GetValue<string>()) : [v?.GetValue<string>()])
            .OfType<string>();
    }

    /// <summary>Sends a transaction whose input carries <paramref name="value"/> as an ABI-encoded string.</summary>
    private async Task PlantInInputAsync(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var word = (int n) => n.ToString("x").PadLeft(64, '0');
        var data = "0x00000000" + word(32) + word(bytes.Length) + Convert.ToHexStringLower(bytes).PadRight(64, '0');
        var web3 = fixture.Chain.Web3For(0);
        var from = fixture.Chain.Accounts[0].Address;
        var hash = await web3.TransactionManager.SendTransactionAsync(
            new TransactionInput(data, from, from, new HexBigInteger(100_000), new HexBigInteger(0)));
        await ChainTruth.UntilAsync(async () => await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash) is not null,
            TimeSpan.FromSeconds(30), () => $"The planted transaction {hash} was not mined.");
    }
}

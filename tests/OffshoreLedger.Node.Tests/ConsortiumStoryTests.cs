using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The whole offshore-resale story across five nodes in separate processes sharing one chain: a trader, a port,
/// two banks and an auditor, with a bank node killed and restarted mid-story; every node serves TLS, as off loopback.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ConsortiumStoryTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static LedgerClient Client(NodeProcess node) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = NodeProcess.WriteKey,
            CertificateAuthorityFile = node.CertificateAuthorityFile });

    private static PledgeRequest Pledge(string reference, IEnumerable<ulong> titles, IEnumerable<ByteString> keys) => new()
    {
        FinancingReference = reference, ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(120)),
        TitleIds = { titles }, Keys = { keys },
    };

    [Fact]
    public async Task Offshore_resale_across_six_node_processes_blocks_double_financing_and_survives_a_node_crash()
    {
        var folder = fixture.NewTemporaryDirectory("offshore-story-");
        string Dir(string name) => Path.Combine(folder, name.Replace(' ', '-'));
        await using var traderNode = await NodeProcess.StartAsync(fixture, "trader", Dir("trader"), StartTimeout, tls: true);
        await using var portNode = await NodeProcess.StartAsync(fixture, "port", Dir("port"), StartTimeout, tls: true);
        var bankANode = await NodeProcess.StartAsync(fixture, "bank A", Dir("bank A"), StartTimeout, tls: true);
        await using var bankBNode = await NodeProcess.StartAsync(fixture, "bank B", Dir("bank B"), StartTimeout, tls: true);
        await using var carrierNode = await NodeProcess.StartAsync(fixture, "carrier", Dir("carrier"), StartTimeout, tls: true);
        using var carrier = Client(carrierNode);
        using var trader = Client(traderNode);
        using var port = Client(portNode);
        using var bankB = Client(bankBNode);
        var bankA = Client(bankANode);
        try
        {
            var bankAAddress = (await bankA.GetNodeInfoAsync()).Address;
            var traderAddress = (await trader.GetNodeInfoAsync()).Address;
            var bill = TestBills.FreshCopperBill();
            var invoiceKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

            // 1. The port attests loading of the lot the B/L names (issue 14: only the port of loading creates a lot).
            var document = OffshoreLedger.Client.Dcsa.DcsaTransportDocumentImporter.Import(bill);
            var lotKey = new OffshoreLedger.Client.Keys.CollateralKeyDeriver(
                OffshoreLedger.Client.Keys.ConsortiumSecret.FromHex(fixture.ConsortiumSecret))
                .KeysFor(document).Single(k => k.Kind == OffshoreLedger.Client.Keys.CollateralKeyKind.ShipmentLot);
            var attested = await port.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
            {
                LotKey = ByteString.CopyFrom(lotKey.Value), PortOfLoading = TestIssuance.PortOfLoading,
                Quantity = (ulong)document.ConsignmentItems.Sum(i => i.Quantity.Value), Unit = document.ConsignmentItems[0].Quantity.Unit,
                LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-3)),
                DocumentHash = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
            });
            Assert.False(attested.RevealedOverIssue);

            // 2. The carrier bound to the B/L's carrier code issues the title to the trader, who anchors the B/L and its invoices.
            var title = await carrier.RegisterTitleAsync(
                new RegisterTitleRequest { Holder = traderAddress, BillOfLading = TradeDocuments.FromDcsa(bill) });
            var anchored = await trader.AnchorDocumentsAsync(new AnchorDocumentsRequest
            {
                Documents = { TradeDocuments.FromDcsa(bill) },
                DocumentHashes = { invoiceKey, ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
            });
            await WaitForBlockAsync(trader, anchored.Receipt.BlockNumber);
            var standing = (await trader.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title.TitleId } })).Titles.Single();
            Assert.Equal(ByteString.CopyFrom(lotKey.Value), standing.Lot.LotKey);

            // 3. Bank A checks (clear) and pledges the title and the invoice; bank B sees it pledged, by whom, until when.
            await WaitForBlockAsync(bankA, title.Receipt.BlockNumber);
            var clean = await bankA.CheckCollateralAsync(
                new CheckCollateralRequest { TitleIds = { title.TitleId }, Keys = { invoiceKey } });
            Assert.True(clean.Clear);
            var pledge = await bankA.PledgeAsync(
                await Pledge("BANK-A-LOAN-1", [title.TitleId], [invoiceKey]).ConsentedAsync(fixture, bankAAddress));
            await WaitForBlockAsync(bankB, pledge.Receipt.BlockNumber);
            var seen = await bankB.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title.TitleId } });
            Assert.False(seen.Clear);
            Assert.Equal(bankAAddress, seen.Titles.Single().Lock.Pledgee, ignoreCase: true);

            // The bank A node crashes mid-story.
            await bankANode.KillAsync();
            await bankANode.DisposeAsync();
            bankA.Dispose();

            // 4. Every second financing of the same cargo is refused.
            var bankBAddress = (await bankB.GetNodeInfoAsync()).Address;
            var sameTitleRequest = await Pledge("BANK-B-LOAN-1", [title.TitleId], []).ConsentedAsync(fixture, bankBAddress);
            var sameTitle = await Assert.ThrowsAsync<TitleAlreadyPledgedException>(() => bankB.PledgeAsync(sameTitleRequest));
            Assert.Equal(pledge.PledgeId, sameTitle.PledgeId);
            var invoiceAloneRequest = await Pledge("BANK-B-LOAN-2", [], [invoiceKey]).ConsentedAsync(fixture, bankBAddress);
            var invoiceAlone = await Assert.ThrowsAsync<TitleAlreadyPledgedException>(() => bankB.PledgeAsync(invoiceAloneRequest));
            Assert.Equal(bankAAddress, invoiceAlone.Pledgee, ignoreCase: true);
            var containersOnly = title.Keys.Where(k => k.Kind == CollateralKeyKind.Container).Select(k => k.Value).ToList();
            // A new B/L over the same containers, on a lot of its own the port attested: the keys collide.
            var otherLot = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));
            await port.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
            {
                LotKey = otherLot, PortOfLoading = TestIssuance.PortOfLoading, Quantity = 10, Unit = standing.Lot.Unit,
                LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)),
                DocumentHash = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
            });
            await Assert.ThrowsAsync<KeyAlreadyLiveException>(() => carrier.RegisterTitleAsync(new RegisterTitleRequest
            {
                Holder = traderAddress, LotKey = otherLot, CarrierCode = TestIssuance.CarrierCode, Quantity = 1, Unit = standing.Lot.Unit,
                Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)), containersOnly[0] },
            }));
            var overIssue = await Assert.ThrowsAsync<LotOverIssuedException>(() => carrier.RegisterTitleAsync(new RegisterTitleRequest
            {
                Holder = traderAddress, LotKey = standing.Lot.LotKey, CarrierCode = TestIssuance.CarrierCode, Quantity = 1,
                Unit = standing.Lot.Unit,
                Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
            }));
            Assert.Equal(ErrorReason.LotQuantityExceeded.Name(), overIssue.Reason);

            // The bank A node restarts on its data, catches up, and the story continues.
            bankANode = await NodeProcess.StartAsync(fixture, "bank A", Dir("bank A"), StartTimeout, tls: true);
            bankA = Client(bankANode);
            await WaitForBlockAsync(bankA, (await bankB.GetNodeInfoAsync()).Synced.BlockNumber);

            // 5. The settlement is recorded; bank A releases; bank B can now finance.
            var settlement = await trader.AnchorDocumentsAsync(
                new AnchorDocumentsRequest { DocumentHashes = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) } });
            Assert.Equal(WriteState.Confirmed, settlement.Receipt.State);
            var released = await bankA.ReleaseAsync(
                new ReleaseRequest { PledgeId = pledge.PledgeId, TitleIds = { title.TitleId }, Keys = { invoiceKey } });
            await WaitForBlockAsync(bankB, released.Receipt.BlockNumber);
            var refinanced = await bankB.PledgeAsync(
                await Pledge("BANK-B-LOAN-3", [title.TitleId], [invoiceKey]).ConsentedAsync(fixture, bankBAddress));
            Assert.NotEqual(pledge.PledgeId, refinanced.PledgeId);

            // 6. An auditor's node started fresh now reaches the same state from the chain alone.
            await using var auditorNode = await NodeProcess.StartAsync(fixture, "auditor", Dir("auditor"), StartTimeout, tls: true);
            using var auditor = Client(auditorNode);
            var question = new CheckCollateralRequest { TitleIds = { title.TitleId }, Keys = { invoiceKey } };
            question.Keys.AddRange(title.Keys.Select(k => k.Value));
            await WaitForBlockAsync(auditor, refinanced.Receipt.BlockNumber);
            await WaitForBlockAsync(bankA, refinanced.Receipt.BlockNumber);
            var byAuditor = await auditor.CheckCollateralAsync(question);
            var byBankA = await bankA.CheckCollateralAsync(question);
            Assert.Equal(byBankA.Titles, byAuditor.Titles);
            Assert.Equal(byBankA.Keys, byAuditor.Keys);
            Assert.Equal((await bankB.GetNodeInfoAsync()).Address, byAuditor.Titles.Single().Lock.Pledgee, ignoreCase: true);
            // The title's history holds bank B's blocked attempt on the title (its attempt on the invoice alone concerns
            // the invoice key, which is no key of the title).
            var history = await auditor.GetTitleHistoryAsync(title.TitleId);
            Assert.Equal(
                [TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged, TitleEvent.KindOneofCase.PledgeBlocked,
                 TitleEvent.KindOneofCase.Released, TitleEvent.KindOneofCase.Pledged],
                history.Events.Select(e => e.KindCase));
            // The auditor checks the trader's B/L against the chain with the proof the trader hands over.
            var proof = await trader.GetDocumentProofAsync(anchored.DocumentHashes[0].ToByteArray());
            var verified = await auditor.VerifyDocumentAsync(
                new VerifyDocumentRequest { DocumentHash = anchored.DocumentHashes[0], Proof = proof.Proof,
                MerkleRoot = proof.MerkleRoot });
            Assert.True(verified.Anchored);
            Assert.Equal(traderAddress, verified.Submitter, ignoreCase: true);
        }
        finally
        {
            bankA.Dispose();
            await bankANode.DisposeAsync();
        }
    }

    /// <summary>Waits until the node's index has applied <paramref name="block"/> (bounded poll of its NodeInfo).</summary>
    private static Task WaitForBlockAsync(LedgerClient node, ulong block) =>
        Poll.UntilAsync(async () => (await node.GetNodeInfoAsync()).Synced.BlockNumber >= block, TimeSpan.FromSeconds(60),
            () => $"The node did not reach block {block} within 60 s.");
}

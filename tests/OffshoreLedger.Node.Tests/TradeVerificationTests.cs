using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Verification;
using CheckOutcome = OffshoreLedger.Api.V1.CheckOutcome;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// Three-flow trade verification through bank A's node, with the SDK, over a real socket: the sample trade passes
/// every check, and each check flips to FAIL, naming its reason, when one document (or the ledger) contradicts it.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class TradeVerificationTests(ConsortiumFixture fixture)
{
    /// <summary>
    /// Issue 14, the Qingdao pattern: the port attests one cargo of 40 bundles; four titles of 10 are issued on its lot
    /// (nothing over-issued), the first under the B/L's own keys. Every bank that verifies the trade with the B/L (which
    /// states all 40) is told FAIL: the title is not what its B/L says.
    /// </summary>
    [Fact]
    public async Task The_Qingdao_pattern_four_titles_for_one_attested_cargo_fails_verification_at_every_bank()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        using var files = SampleTrade.Fresh();
        var json = File.ReadAllText(files.BillOfLading);
        var bill = OffshoreLedger.Client.Dcsa.DcsaTransportDocumentImporter.Import(json);
        var keys = new OffshoreLedger.Client.Keys.CollateralKeyDeriver(
            OffshoreLedger.Client.Keys.ConsortiumSecret.FromHex(fixture.ConsortiumSecret)).KeysFor(bill);
        var lot = keys.Single(k => k.Kind == OffshoreLedger.Client.Keys.CollateralKeyKind.ShipmentLot);
        var unit = bill.ConsignmentItems[0].Quantity.Unit;
        var cargo = (ulong)bill.ConsignmentItems.Sum(i => i.Quantity.Value);
        await TestIssuance.AttestAsync(fixture, lot.Value.ToArray(), unit, cargo);
        var billKeys = keys.Where(k => k.Kind != OffshoreLedger.Client.Keys.CollateralKeyKind.ShipmentLot)
            .Select(k => ByteString.CopyFrom(k.Value)).ToList();
        for (var i = 0; i < 4; i++)
        {
            var share = new RegisterTitleRequest { Holder = world.Trader.Address, LotKey = ByteString.CopyFrom(lot.Value),
                Quantity = cargo / 4, Unit = unit };
            share.Keys.AddRange(i == 0 ? billKeys : [ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]);
            await TestIssuance.RegisterAsync(fixture, share, world.BankA, world.BankB);
        }
        var request = world.Trade.Request();
        request.BillOfLading = new TradeDocumentRef { Document = TradeDocuments.FromDcsa(json) };

        foreach (var bank in new[] { world.BankA, world.BankB })
        {
            using var client = new LedgerClient(new LedgerClientOptions { Address = new Uri(bank.Url), ApiKey = bank.ReadKey });
            var verdict = await client.VerifyTradeAsync(request);

            Assert.Equal(CheckOutcome.Fail, verdict.Verdict);
            var title = verdict.Checks.Single(c => c.Name == TradeCheckNames.TitleLive);
            Assert.Equal(CheckOutcome.Fail, title.Outcome);
            Assert.Contains($"is for {cargo / 4} {unit}, the B/L states {cargo} {unit}", title.Reason);
            var carrier = fixture.Consortium.Member("carrier");
            // Named as governance recorded the carrier, with its full address in the evidence's member field.
            Assert.Contains(
                title.Evidence,
                e => e.Description.Contains(
                    $"issued by {carrier.OrganisationName} ({carrier.Address[..6]}…{carrier.Address[^4..]})",
                    StringComparison.OrdinalIgnoreCase)
                && e.Member.Equals(carrier.Address, StringComparison.OrdinalIgnoreCase));
            var loading = verdict.Checks.Single(c => c.Name == TradeCheckNames.LoadingAttested);
            Assert.Equal(CheckOutcome.Fail, loading.Outcome);
        }
    }

    /// <summary>
    /// Issue 14 replaces the "lot never attested" contradiction: a title can no longer name a lot no port attested, so
    /// verification never meets one; the carrier's own node is refused before anything reaches the chain's state.
    /// </summary>
    [Fact]
    public async Task A_title_on_a_lot_no_port_attested_is_refused_so_verification_never_meets_one()
    {
        var trader = fixture.Consortium.Member("trader");
        var carrier = await TestIssuance.CarrierAsync(fixture);
        using var files = SampleTrade.Fresh();

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => carrier.Titles.RegisterTitleAsync(
            new RegisterTitleRequest { RequestId = Guid.NewGuid().ToString(), Holder = trader.Address,
                BillOfLading = TradeDocuments.FromDcsa(File.ReadAllText(files.BillOfLading)) },
            carrier.Write).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(
            ErrorReason.LotNotAttested.Name(),
            Grpc.Core.RpcExceptionExtensions.GetRpcStatus(refused)!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task The_sample_trade_passes_every_check_with_evidence_from_the_chain()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);

        var verdict = await world.VerifyAsync(world.Trade.Request());

        Assert.True(verdict.Verdict == CheckOutcome.Pass, TradeVerificationWorld.Describe(verdict));
        Assert.Equal(TradeCheckNames.All, verdict.Checks.Select(c => c.Name));
        Assert.Equal(world.Trade.TitleId, verdict.TitleId);
        var anchored = verdict.Checks.Single(c => c.Name == TradeCheckNames.DocumentsAnchored);
        Assert.Equal(6, anchored.Evidence.Count);
        Assert.All(anchored.Evidence, e => Assert.Equal(32, e.TransactionHash.Length));
        Assert.Contains(anchored.Evidence, e => e.Member.Equals(world.Trader.Address, StringComparison.OrdinalIgnoreCase));
        // Issue 14: besides the lot's attestation, the check names the title's registration and its issuer.
        var attested = verdict.Checks.Single(c => c.Name == TradeCheckNames.LoadingAttested)
            .Evidence.Single(e => e.Description.StartsWith("loading of", StringComparison.Ordinal));
        Assert.Equal(world.Port.Address, attested.Member, ignoreCase: true);
        Assert.True(attested.BlockNumber > 0);
    }

    public static TheoryData<string, string, string> Contradictions => new()
    {
        { TradeCheckNames.DocumentsAnchored, "sales invoice without its proof", "is not anchored" },
        { TradeCheckNames.TitleLive, "B/L with a container swapped", "are in no title" },
        { TradeCheckNames.TitleLive, "title pledged to bank B", "is pledged to" },
        { TradeCheckNames.LoadingAttested, "attestation document altered", "is not the one the port put on chain" },
        { TradeCheckNames.GoodsAndQuantity, "sales invoice for 150 t", "apart, tolerance" },
        { TradeCheckNames.GoodsAndQuantity, "sales invoice for other goods", "which the B/L does not carry" },
        { TradeCheckNames.SettlementsMatch, "sale settlement short by USD 1,000", "the invoice is for" },
        { TradeCheckNames.SettlementsMatch, "sale settlement paid by someone else", "not the invoice's buyer" },
        { TradeCheckNames.UetrUnique, "purchase settlement given twice", "appears 2 times" },
        { TradeCheckNames.DateOrder, "purchase settlement valued before the B/L", "before the B/L date" },
        { TradeCheckNames.ResaleMargin, "sales invoice inflated by 50%", "above the bounds" },
        { TradeCheckNames.PartiesKnown, "buyer nobody knows", "neither a consortium member nor a known counterparty" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public async Task A_check_fails_with_its_reason_when_the_trade_contradicts_it(string check, string contradiction, string reason)
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        var baseline = await world.VerifyAsync(world.Trade.Request());
        Assert.Equal(CheckOutcome.Pass, baseline.Checks.Single(c => c.Name == check).Outcome);

        var verdict = await world.VerifyAsync(world.Contradict(contradiction));

        var result = verdict.Checks.Single(c => c.Name == check);
        Assert.True(result.Outcome == CheckOutcome.Fail, $"{contradiction}: {TradeVerificationWorld.Describe(verdict)}");
        Assert.Contains(reason, result.Reason);
        Assert.Equal(CheckOutcome.Fail, verdict.Verdict);
    }

    [Fact]
    public async Task Missing_settlements_and_hash_only_documents_warn_instead_of_passing()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        var request = world.Trade.Request();
        request.Settlements.Clear();
        var hashOnly = new TradeDocumentRef { DocumentHash = PreparedTrade.Hash(request.PurchaseInvoice) };
        (hashOnly.Proof, hashOnly.MerkleRoot) = (request.PurchaseInvoice.Proof, request.PurchaseInvoice.MerkleRoot);
        request.PurchaseInvoice = hashOnly;

        var verdict = await world.VerifyAsync(request);

        Assert.True(verdict.Verdict == CheckOutcome.Warn, TradeVerificationWorld.Describe(verdict));
        Assert.Equal(CheckOutcome.Pass, verdict.Checks.Single(c => c.Name == TradeCheckNames.DocumentsAnchored).Outcome);
        Assert.Contains("no settlement record given", verdict.Checks.Single(c => c.Name == TradeCheckNames.SettlementsMatch).Reason);
        Assert.Equal(CheckOutcome.Warn, verdict.Checks.Single(c => c.Name == TradeCheckNames.ResaleMargin).Outcome);
    }

    /// <summary>
    /// Issue 14: given only the B/L's hash and keys, the node cannot tell whether the title books what the B/L states, so
    /// title_live warns instead of passing (a bank must not read PASS for a comparison never made).
    /// </summary>
    [Fact]
    public async Task A_bill_given_by_hash_and_keys_warns_that_its_title_was_not_compared_with_it()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        var request = world.Trade.Request();
        var bill = OffshoreLedger.Client.Dcsa.DcsaTransportDocumentImporter.Import(File.ReadAllText(world.Trade.Files.BillOfLading));
        var keys = new OffshoreLedger.Client.Keys.CollateralKeyDeriver(
            OffshoreLedger.Client.Keys.ConsortiumSecret.FromHex(fixture.ConsortiumSecret)).KeysFor(bill)
            .Where(k => k.Kind != OffshoreLedger.Client.Keys.CollateralKeyKind.ShipmentLot).Select(k => ByteString.CopyFrom(k.Value));
        var hashOnly = new TradeDocumentRef { DocumentHash = PreparedTrade.Hash(request.BillOfLading), Proof = request.BillOfLading.Proof,
            MerkleRoot = request.BillOfLading.MerkleRoot };
        hashOnly.Keys.AddRange(keys);
        request.BillOfLading = hashOnly;

        var verdict = await world.VerifyAsync(request);

        var title = verdict.Checks.Single(c => c.Name == TradeCheckNames.TitleLive);
        Assert.True(title.Outcome == CheckOutcome.Warn, TradeVerificationWorld.Describe(verdict));
        Assert.Contains($"title {world.Trade.TitleId}'s lots, quantities and issuer were not compared with it", title.Reason);
        Assert.Equal(CheckOutcome.Pass, verdict.Checks.Single(c => c.Name == TradeCheckNames.LoadingAttested).Outcome);
    }

    [Fact]
    public async Task Malformed_requests_name_the_field_at_fault()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        var request = world.Trade.Request();
        request.SalesInvoice = new TradeDocumentRef { Document = request.BillOfLading.Document };
        request.Settlements[0].DocumentHash = ByteString.CopyFrom(new byte[7]);
        request.Bank = "not an address";

        var error = await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => world.VerifyAsync(request));

        var fields = error.Violations.Select(v => v.Field).ToList();
        Assert.Contains("sales_invoice.document.type", fields);
        Assert.Contains("settlements[0]", fields);
        Assert.Contains("bank", fields);
        var missing = await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => world.VerifyAsync(new VerifyTradeRequest()));
        Assert.Contains("bill_of_lading", missing.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task The_cli_prints_the_verdict_and_exits_6_on_fail()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        var home = Directory.CreateTempSubdirectory("offshore-cli-home-").FullName;
        try
        {
            var bank = CliParticipant.For(world.BankA, home, world.BankA.ReadKey);
            var files = world.Trade.Files;
            string[] trade =
            [
                "bank", "verify-trade", "--purchase-invoice", files.PurchaseInvoice, "--sales-invoice", files.SalesInvoice, "--bl",
                files.BillOfLading,
                "--attestation", files.Attestation, "--settlement", files.PurchaseSettlement, files.SaleSettlement, "--proof-file",
                .. world.Trade.ProofFiles,
            ];

            var passed = await bank.RunAsync([.. trade, "--json"]);
            Assert.True(passed.ExitCode == 0, passed.ToString());
            Assert.Equal("pass", passed.Json.GetProperty("verdict").GetString());
            Assert.Equal(9, passed.Json.GetProperty("checks").GetArrayLength());

            var unproven = await bank.RunAsync([.. trade.TakeWhile(a => a != "--proof-file")]);
            Assert.True(unproven.ExitCode == 6, unproven.ToString());
            Assert.StartsWith("FAIL", unproven.Stdout);
            Assert.Contains("documents_anchored", unproven.Stdout);

            var wrongKind = await bank.RunAsync(
                "bank", "verify-trade", "--bl", files.BillOfLading, "--sales-invoice", files.SaleSettlement);
            Assert.True(wrongKind.ExitCode == 2, wrongKind.ToString());
            Assert.Contains("not a commercial invoice", wrongKind.Stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}

/// <summary>
/// A trader, a port and two banks with one sample trade done the README's way (port attests, trader registers the B/L
/// and anchors every document), plus a second title that no port attested and bank B financed. Shared by the
/// verification tests, which only read.
/// </summary>
public sealed class TradeVerificationWorld : IAsyncDisposable
{
    private readonly RunningNode[] _nodes;
    private readonly LedgerClient _bankA;

    private TradeVerificationWorld(
        RunningNode trader, RunningNode port, RunningNode bankA, RunningNode bankB, PreparedTrade trade, PreparedTrade pledgedElsewhere)
    {
        (Trader, Port, BankA, BankB, Trade, PledgedElsewhere) = (trader, port, bankA, bankB, trade, pledgedElsewhere);
        _nodes = [trader, port, bankA, bankB];
        _bankA = new LedgerClient(new LedgerClientOptions { Address = new Uri(bankA.Url), ApiKey = bankA.ReadKey });
    }

    public RunningNode Trader { get; }
    public RunningNode Port { get; }
    public RunningNode BankA { get; }
    public RunningNode BankB { get; }
    public PreparedTrade Trade { get; }
    public PreparedTrade PledgedElsewhere { get; }

    public static async Task<TradeVerificationWorld> StartAsync(ConsortiumFixture fixture)
    {
        var trader = await RunningNode.StartAsync(fixture, "trader");
        var port = await RunningNode.StartAsync(fixture, "port");
        var bankA = await RunningNode.StartAsync(fixture, "bank A");
        var bankB = await RunningNode.StartAsync(fixture, "bank B");
        using var traderClient = Client(trader);
        var trade = await PreparedTrade.CreateAsync(SampleTrade.Fresh(), traderClient, Client(port), fixture, trader, attest: true);
        var elsewhere = await PreparedTrade.CreateAsync(SampleTrade.Fresh(), traderClient, null, fixture, trader, attest: false);
        using var bankBClient = Client(bankB);
        await bankB.SyncedToHeadAsync(fixture);
        await bankBClient.PledgeAsync(await new PledgeRequest
        {
            FinancingReference = "BKB-TEST", ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            TitleIds = { elsewhere.TitleId },
        }.ConsentedAsync(fixture, bankB));
        await bankA.SyncedToHeadAsync(fixture);
        return new TradeVerificationWorld(trader, port, bankA, bankB, trade, elsewhere);
    }

    public Task<VerifyTradeResponse> VerifyAsync(VerifyTradeRequest request) => _bankA.VerifyTradeAsync(request);

    /// <summary>The trade with one contradiction (see <see cref="TradeVerificationTests.Contradictions"/>).</summary>
    public VerifyTradeRequest Contradict(string contradiction)
    {
        var request = Trade.Request();
        switch (contradiction)
        {
            case "sales invoice without its proof":
                request.SalesInvoice.Proof = null;
                request.SalesInvoice.MerkleRoot = ByteString.Empty;
                break;
            case "B/L with a container swapped":
                request.BillOfLading = Ref(
                    TradeDocuments.FromDcsa(
                        File.ReadAllText(Trade.Files.BillOfLading)
                        .Replace(Trade.Files.Containers[0], SampleTrade.NewContainer(), StringComparison.Ordinal)));
                break;
            case "title pledged to bank B":
                request = PledgedElsewhere.Request();
                request.LoadingAttestation = null;
                break;
            case "attestation document altered":
                request.LoadingAttestation = Edit(request.LoadingAttestation, d => d["loadedAt"] = "2026-11-03T02:40:00Z");
                break;
            case "sales invoice for 150 t":
                request.SalesInvoice = Edit(request.SalesInvoice, d => d["lines"]![0]!["quantity"]!["value"] = 150);
                break;
            case "sales invoice for other goods":
                request.SalesInvoice = Edit(request.SalesInvoice, d => d["lines"]![0]!["hsCode"] = "740200");
                break;
            case "sale settlement short by USD 1,000":
                request.Settlements[1] = Edit(request.Settlements[1], d => d["amountMinor"] = d["amountMinor"]!.GetValue<long>() - 100_000);
                break;
            case "sale settlement paid by someone else":
                request.Settlements[1] = Edit(
                    request.Settlements[1],
                    d => d["debtor"] = new JsonObject { ["name"] = "Rheinkupfer Holding AG", ["lei"] = "5493001KJTIIGC8Y1R12" });
                break;
            case "purchase settlement given twice":
                request.Settlements.Add(request.Settlements[0].Clone());
                break;
            case "purchase settlement valued before the B/L":
                request.Settlements[0] = Edit(request.Settlements[0], d => d["valueDate"] = "2026-11-01");
                break;
            case "sales invoice inflated by 50%":
                request.SalesInvoice = Edit(request.SalesInvoice, d =>
                {
                    var total = d["totalAmountMinor"]!.GetValue<long>() * 3 / 2;
                    (d["totalAmountMinor"], d["lines"]![0]!["amountMinor"]) = (total, total);
                });
                break;
            case "buyer nobody knows":
                request.SalesInvoice = Edit(
                    request.SalesInvoice,
                    d => d["buyer"] = new JsonObject { ["name"] = "Unknown Metals Ltd", ["lei"] = "5493001KJTIIGC8Y1R12" });
                break;
            default:
                throw new ArgumentException($"No contradiction '{contradiction}'.", nameof(contradiction));
        }
        return request;
    }

    public static string Describe(VerifyTradeResponse verdict) =>
        $"{verdict.Verdict}: " + string.Join("; ", verdict.Checks.Select(c => $"{c.Name} {c.Outcome} ({c.Reason})"));

    public async ValueTask DisposeAsync()
    {
        _bankA.Dispose();
        foreach (var node in _nodes) await node.DisposeAsync();
        Trade.Dispose();
        PledgedElsewhere.Dispose();
    }

    private static LedgerClient Client(RunningNode node) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.WriteKey });

    private static TradeDocumentRef Ref(TradeDocument document) => new() { Document = document };

    /// <summary>An SDK-JSON document of the request, edited; the edit drops the proof (the edited document was never anchored).</summary>
    private static TradeDocumentRef Edit(TradeDocumentRef reference, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(reference.Document.Json)!.AsObject();
        edit(json);
        var document = reference.Document.Clone();
        document.Json = json.ToJsonString();
        return Ref(document);
    }
}

/// <summary>
/// A sample trade on the ledger: its files, its title and the trader's proofs of every document, as a bank receives them.
/// Disposing it deletes its files.
/// </summary>
public sealed class PreparedTrade : IDisposable
{
    private readonly Dictionary<ByteString, GetDocumentProofResponse> _proofs;

    private PreparedTrade(
        SampleTrade files, ulong titleId, Dictionary<ByteString, GetDocumentProofResponse> proofs, IReadOnlyList<string> proofFiles)
    {
        (Files, TitleId, _proofs, ProofFiles) = (files, titleId, proofs, proofFiles);
    }

    public SampleTrade Files { get; }
    public ulong TitleId { get; }
    public IReadOnlyList<string> ProofFiles { get; }

    public void Dispose() => Files.Dispose();

    /// <summary>Puts <paramref name="files"/> on the ledger; the trade owns them, and they are deleted if it fails.</summary>
    public static async Task<PreparedTrade> CreateAsync(
        SampleTrade files, LedgerClient trader, LedgerClient? port, ConsortiumFixture fixture, RunningNode traderNode, bool attest,
        Func<Task<ulong>>? issue = null)
    {
        try
        {
            return await PrepareAsync(files, trader, port, fixture, traderNode, attest, issue);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    private static async Task<PreparedTrade> PrepareAsync(
        SampleTrade files, LedgerClient trader, LedgerClient? port, ConsortiumFixture fixture, RunningNode traderNode, bool attest,
        Func<Task<ulong>>? issue)
    {
        if (attest)
        {
            using (port) await port!.PublishLoadingAttestationAsync(
                new PublishLoadingAttestationRequest { Attestation = Sdk(files.Attestation) });
            await traderNode.SyncedToHeadAsync(fixture);
        }
        // Issue 14: the carrier bound to the B/L's carrier code issues the title to the trader; without the port's
        // attestation the test attests the lot itself (the title must name an attested lot). A test that issues the
        // title its own way (say, on several lots) passes <paramref name="issue"/>, which returns the title's id.
        var titleId = issue is null
            ? (await TestIssuance.RegisterAsync(
                fixture, new RegisterTitleRequest { Holder = traderNode.Address,
                    BillOfLading = TradeDocuments.FromDcsa(File.ReadAllText(files.BillOfLading)) }, traderNode)).TitleId
            : await issue();
        if (issue is not null) await traderNode.SyncedToHeadAsync(fixture);
        var anchor = new AnchorDocumentsRequest();
        anchor.Documents.AddRange(
            new[] { files.PurchaseInvoice, files.SalesInvoice, files.PurchaseSettlement, files.SaleSettlement }.Select(Sdk));
        anchor.Documents.Add(TradeDocuments.FromDcsa(File.ReadAllText(files.BillOfLading)));
        var anchored = await trader.AnchorDocumentsAsync(anchor);
        await traderNode.SyncedToHeadAsync(fixture);
        var proofs = new Dictionary<ByteString, GetDocumentProofResponse>();
        var proofFiles = new List<string>();
        foreach (var hash in anchored.DocumentHashes)
        {
            var proof = await trader.GetDocumentProofAsync(hash.ToByteArray());
            proofs[hash] = proof;
            var file = Path.Combine(files.Folder, $"proof-{proofFiles.Count}.json");
            File.WriteAllText(file, Cli.Input.ProofFile.ToJson(proof.DocumentHash, proof.MerkleRoot, proof.Proof).ToJsonString());
            proofFiles.Add(file);
        }
        return new PreparedTrade(files, titleId, proofs, proofFiles);
    }

    /// <summary>The full trade, every document with the proof the trader handed over (the attestation is on chain by itself).</summary>
    public VerifyTradeRequest Request()
    {
        var request = new VerifyTradeRequest
        {
            PurchaseInvoice = Proven(Sdk(Files.PurchaseInvoice)),
            SalesInvoice = Proven(Sdk(Files.SalesInvoice)),
            BillOfLading = Proven(TradeDocuments.FromDcsa(File.ReadAllText(Files.BillOfLading))),
            LoadingAttestation = new TradeDocumentRef { Document = Sdk(Files.Attestation) },
        };
        request.Settlements.Add(Proven(Sdk(Files.PurchaseSettlement)));
        request.Settlements.Add(Proven(Sdk(Files.SaleSettlement)));
        return request;
    }

    /// <summary>A document's hash, as every node computes it.</summary>
    public static ByteString Hash(TradeDocumentRef reference) =>
        ByteString.CopyFrom(Client.Canonical.DocumentHasher.Hash(Document(reference.Document)).Value);

    private TradeDocumentRef Proven(TradeDocument document)
    {
        var proof = _proofs[Hash(new TradeDocumentRef { Document = document })];
        return new TradeDocumentRef { Document = document, Proof = proof.Proof, MerkleRoot = proof.MerkleRoot };
    }

    private static Client.Documents.ITradeDocument Document(TradeDocument message) => message.Format == DocumentFormat.DcsaEbl3
        ? Client.Dcsa.DcsaTransportDocumentImporter.Import(message.Json)
        : message.Type switch
        {
            TradeDocumentType.CommercialInvoice =>
                Client.Canonical.DocumentJson.Deserialize<Client.Documents.CommercialInvoice>(message.Json),
            TradeDocumentType.SettlementRecord =>
                Client.Canonical.DocumentJson.Deserialize<Client.Documents.SettlementRecord>(message.Json),
            _ => Client.Canonical.DocumentJson.Deserialize<Client.Documents.LoadingAttestation>(message.Json),
        };

    private static TradeDocument Sdk(string path) => TradeDocuments.ToMessage(Cli.Input.DocumentFile.Load(path, null).Document);
}

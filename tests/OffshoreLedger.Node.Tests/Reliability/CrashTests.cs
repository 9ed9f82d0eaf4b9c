using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using Xunit.Abstractions;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The outbox's promise under real crashes: a trader node and a bank node, each its own process, are killed with
/// SIGKILL at a random point of a burst of mixed writes (registrations, transfers, surrenders, document anchors,
/// pledges), ten times, and restarted on their data each time while callers retry what went unanswered. Afterwards
/// every write is on chain exactly once, every answer given before a kill is the outcome a retry reports, and each
/// node's index equals a rebuild from the chain.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class CrashTests(ConsortiumFixture fixture, ITestOutputHelper output)
{
    private const int Kills = 10, RegistrationsPerRound = 4, TransfersPerRound = 2, SurrendersPerRound = 1, PledgesPerRound = 2,
    HashesPerAnchor = 3;
    /// <summary>The trader's transactions each round adds (the anchor is one batch) — the range the kill point is drawn from.</summary>
    private const int TraderTransactionsPerRound = RegistrationsPerRound + TransfersPerRound + SurrendersPerRound + 1;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60), Bounded = TimeSpan.FromSeconds(60);
    private static readonly Metadata WriteKey = new() { { ApiKeys.Header, ConsortiumFixture.WriteKey } };

    /// <summary>The clients of the two nodes, whichever harness runs them.</summary>
    private sealed record Nodes(
        TitleService.TitleServiceClient Trader, DocumentService.DocumentServiceClient TraderDocuments,
        TitleService.TitleServiceClient Bank);

    /// <summary>One write a caller makes (and retries, same id and content, until it has an answer).</summary>
    private sealed record MixedWrite(string RequestId, Func<Nodes, DateTime, Task<IMessage>> Send);

    [Fact]
    public async Task Every_write_of_mixed_bursts_killed_ten_times_lands_exactly_once_and_the_indexes_equal_a_rebuild()
    {
        var seed = TestSeed.Next(output);
        var random = new Random(seed);
        // Issue 14: the crashing writer is the carrier's node (only the bound carrier issues titles); it holds the titles
        // it issues and endorses them on to the trader. The names below keep the roles the test gives them.
        var trader = fixture.Consortium.Member("carrier");
        var bank = fixture.Consortium.Member("bank A");
        var carrier = fixture.Consortium.Member("trader");
        var folder = fixture.NewTemporaryDirectory("offshore-crash-");
        string traderData = Path.Combine(folder, "trader"), bankData = Path.Combine(folder, "bank");
        var traderNonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        var bankNonce = await ChainTruth.NonceAsync(fixture, bank.Address);

        // The titles the rounds transfer, surrender and pledge, registered before any kill.
        var pool = new Queue<ulong>();
        await LedgerRequests.ReadyAsync(fixture);
        await using (var setup = await RunningNode.StartAsync(fixture, "carrier", traderData))
        {
            var registered = await Task.WhenAll(Enumerable.Range(0, Kills * (TransfersPerRound + SurrendersPerRound + PledgesPerRound))
                .Select(_ => setup.Titles.RegisterTitleAsync(LedgerRequests.Title(trader.Address), setup.Write).ResponseAsync));
            foreach (var r in registered) pool.Enqueue(r.TitleId);
        }
        var poolSize = pool.Count;

        var registrations = new List<RegisterTitleRequest>();
        var transfers = new List<TransferTitleRequest>();
        var surrenders = new List<SurrenderTitleRequest>();
        var anchors = new List<AnchorDocumentsRequest>();
        var pledges = new List<PledgeRequest>();
        var writes = new List<MixedWrite>();
        var answers = new Dictionary<string, IMessage>();
        NodeProcess? traderNode = null, bankNode = null;
        try
        {
            for (var round = 0; round < Kills; round++)
            {
                var fresh = await NewRoundAsync(
                    pool, trader.Address, carrier.Address, bank.Address, registrations, transfers, surrenders, anchors, pledges);
                writes.AddRange(fresh);
                (traderNode, bankNode) = await StartBothAsync(traderData, bankData);
                var nodes = new Nodes(traderNode.Titles, traderNode.Documents, bankNode.Titles);

                // This round's writes and the retries of every earlier one still unanswered, all at once; the kill
                // comes when the chain shows a random number of this round's trader transactions (0: at once).
                var roundNonce = await ChainTruth.NonceAsync(fixture, trader.Address);
                var killAt = roundNonce + (ulong)random.Next(TraderTransactionsPerRound);
                var calls = writes.Where(w => !answers.ContainsKey(w.RequestId))
                    .Select(w => (Write: w, Call: AnswerOrCutOffAsync(w, nodes))).ToList();
                await ChainTruth.UntilAsync(async () => await ChainTruth.NonceAsync(fixture, trader.Address) >= killAt, Bounded,
                    () => $"The trader's nonce did not reach {killAt} within {Bounded} (round {round}, seed {seed}).");
                await Task.WhenAll(traderNode.KillAsync(), bankNode.KillAsync());
                foreach (var (write, call) in calls)
                {
                    if (await call is { } answer) answers[write.RequestId] = answer;
                }
                output.WriteLine(
                    $"round {round}: killed at trader nonce {killAt} (+{killAt - roundNonce}); {answers.Count} of {writes.Count} answered");
                await traderNode.DisposeAsync();
                await bankNode.DisposeAsync();
                (traderNode, bankNode) = (null, null);
            }
        }
        finally
        {
            if (traderNode is not null) await traderNode.DisposeAsync();
            if (bankNode is not null) await bankNode.DisposeAsync();
        }

        // Restart once more (in-process, to hold the indexes against the chain) and retry everything.
        await using var traderFinal = await RunningNode.StartAsync(fixture, "carrier", traderData);
        await using var bankFinal = await RunningNode.StartAsync(fixture, "bank A", bankData);
        var final = new Nodes(traderFinal.Titles, traderFinal.Documents, bankFinal.Titles);
        var outcomes = new Dictionary<string, IMessage>();
        foreach (var (write, outcome) in writes.Zip(await Task.WhenAll(writes.Select(w => w.Send(final, DateTime.UtcNow + Bounded)))))
        {
            outcomes[write.RequestId] = outcome;
        }
        await ChainTruth.SettledAsync(fixture, traderFinal, Bounded);
        await ChainTruth.SettledAsync(fixture, bankFinal, Bounded);

        // Every write confirmed; an answer given before a kill is the outcome its retry reports.
        Assert.All(outcomes.Values, o => Assert.Equal(WriteState.Confirmed, ReceiptOf(o).State));
        Assert.All(answers, a => Assert.Equal(Describe(a.Value), Describe(outcomes[a.Key])));

        // On chain, exactly once each: the registration's key in the title its caller was told, the transfer, the
        // surrender, the pledge (the id its caller was told), each anchored batch root.
        var events = await ChainTruth.EventsAsync(fixture);
        var all = events.Select(e => e.Event).ToList();
        foreach (var r in registrations)
        {
            var carrying = Assert.Single(all.OfType<TitleRegisteredEvent>(), e => e.Keys.Any(k => Hex.Of(k) == LedgerRequests.KeyOf(r)));
            Assert.Equal(((RegisterTitleResponse)outcomes[r.RequestId]).TitleId, carrying.TitleId);
        }
        Assert.All(transfers, t => Assert.Single(all.OfType<TitleTransferredEvent>(), e => e.TitleId == t.TitleId));
        Assert.All(surrenders, s => Assert.Single(all.OfType<TitleSurrenderedEvent>(), e => e.TitleId == s.TitleId));
        foreach (var p in pledges)
        {
            var pledged = Assert.Single(all.OfType<PledgedEvent>(), e => e.TitleIds.SequenceEqual(p.TitleIds));
            Assert.Equal(((PledgeResponse)outcomes[p.RequestId]).PledgeId, pledged.PledgeId);
        }
        Assert.DoesNotContain(all.OfType<PledgeBlockedEvent>(), b => b.TitleIds.Any(pledges.SelectMany(p => p.TitleIds).Contains));
        var roots = anchors.Select(a => Hex.Of(((AnchorDocumentsResponse)outcomes[a.RequestId]).MerkleRoot.ToByteArray())).Distinct()
            .ToList();
        Assert.All(roots, root => Assert.Single(all.OfType<AnchoredEvent>(), e => Hex.Of(e.Root) == root));
        foreach (var hash in anchors.SelectMany(a => a.DocumentHashes))
        {
            var verified = await traderFinal.Documents.VerifyDocumentAsync(
                new VerifyDocumentRequest { DocumentHash = hash }, traderFinal.Read);
            Assert.True(verified.Anchored);
        }
        // One transaction per write, none twice: the signers' nonces moved by exactly that much.
        Assert.Equal(
            traderNonce + (ulong)(poolSize + registrations.Count + transfers.Count + surrenders.Count + roots.Count),
            await ChainTruth.NonceAsync(fixture, trader.Address));
        Assert.Equal(bankNonce + (ulong)pledges.Count, await ChainTruth.NonceAsync(fixture, bank.Address));

        // Each node's index is what a node rebuilding from the chain alone would hold.
        var rebuilt = ChainTruth.Rebuild(events);
        Assert.Equal(rebuilt, ChainTruth.IndexOf(traderFinal));
        Assert.Equal(rebuilt, ChainTruth.IndexOf(bankFinal));
    }

    private async Task<(NodeProcess Trader, NodeProcess Bank)> StartBothAsync(string traderData, string bankData)
    {
        var traderStart = NodeProcess.StartAsync(fixture, "carrier", traderData, StartTimeout);
        var bankStart = NodeProcess.StartAsync(fixture, "bank A", bankData, StartTimeout);
        try
        {
            return (await traderStart, await bankStart);
        }
        catch
        {
            // Whichever did start must not outlive the test.
            if (traderStart.IsCompletedSuccessfully) await traderStart.Result.DisposeAsync();
            if (bankStart.IsCompletedSuccessfully) await bankStart.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>One round's new writes: registrations, transfers to the carrier, a surrender, an anchor and the bank's pledges.</summary>
    private async Task<List<MixedWrite>> NewRoundAsync(
        Queue<ulong> pool, string trader, string carrier, string bank, List<RegisterTitleRequest> registrations,
        List<TransferTitleRequest> transfers,
        List<SurrenderTitleRequest> surrenders, List<AnchorDocumentsRequest> anchors, List<PledgeRequest> pledges)
    {
        var round = new List<MixedWrite>();
        for (var i = 0; i < RegistrationsPerRound; i++)
        {
            var r = LedgerRequests.Title(trader);
            registrations.Add(r);
            round.Add(new(r.RequestId, async (n, d) => await n.Trader.RegisterTitleAsync(r, WriteKey, d)));
        }
        for (var i = 0; i < TransfersPerRound; i++)
        {
            var t = new TransferTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = pool.Dequeue(), NewHolder = carrier };
            transfers.Add(t);
            round.Add(new(t.RequestId, async (n, d) => await n.Trader.TransferTitleAsync(t, WriteKey, d)));
        }
        for (var i = 0; i < SurrendersPerRound; i++)
        {
            var s = new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = pool.Dequeue() };
            surrenders.Add(s);
            round.Add(new(s.RequestId, async (n, d) => await n.Trader.SurrenderTitleAsync(s, WriteKey, d)));
        }
        var a = new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString() };
        a.DocumentHashes.AddRange(
            Enumerable.Range(0, HashesPerAnchor).Select(_ => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32))));
        anchors.Add(a);
        round.Add(new(a.RequestId, async (n, d) => await n.TraderDocuments.AnchorDocumentsAsync(a, WriteKey, d)));
        for (var i = 0; i < PledgesPerRound; i++)
        {
            var p = await LedgerRequests.Pledge(pool.Dequeue()).ConsentedAsync(fixture, bank, borrower: trader);
            pledges.Add(p);
            round.Add(new(p.RequestId, async (n, d) => await n.Bank.PledgeAsync(p, WriteKey, d)));
        }
        return round;
    }

    /// <summary>The node's answer, or null when the kill cut the call off (the caller cannot tell whether it was accepted).</summary>
    private static async Task<IMessage?> AnswerOrCutOffAsync(MixedWrite write, Nodes nodes)
    {
        try
        {
            return await write.Send(nodes, DateTime.UtcNow + Bounded);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
        {
            return null;
        }
    }

    private static WriteReceipt ReceiptOf(IMessage answer) => answer switch
    {
        RegisterTitleResponse r => r.Receipt,
        TransferTitleResponse t => t.Receipt,
        SurrenderTitleResponse s => s.Receipt,
        AnchorDocumentsResponse a => a.Receipt,
        PledgeResponse p => p.Receipt,
        _ => throw new ArgumentException($"Not a write's answer: {answer.Descriptor.Name}"),
    };

    /// <summary>What a caller was told: the transaction, and the title, pledge or batch root it made.</summary>
    private static string Describe(IMessage answer)
    {
        var receipt = ReceiptOf(answer);
        var made = answer switch
        {
            RegisterTitleResponse r => $"title {r.TitleId}",
            PledgeResponse p => $"pledge {p.PledgeId}",
            AnchorDocumentsResponse a => $"root {Hex.Of(a.MerkleRoot.ToByteArray())}",
            _ => "",
        };
        return $"{receipt.State} {Hex.Of(receipt.TransactionHash.ToByteArray())} {made}";
    }
}

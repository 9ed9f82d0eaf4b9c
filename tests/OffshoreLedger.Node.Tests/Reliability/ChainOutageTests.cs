using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>A consortium on a chain that keeps its state in a file, so a test can stop it and start it again where it stood.</summary>
public sealed class StoppableChainFixture : ConsortiumFixture
{
    private readonly string _folder;

    public StoppableChainFixture() : this(Directory.CreateTempSubdirectory("offshore-outage-chain-").FullName) { }

    private StoppableChainFixture(string folder)
        : base(new AnvilOptions { WorkDirectory = folder, StatePath = Path.Combine(folder, "state.json") }) => _folder = folder;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TemporaryDirectory.Delete(_folder);
    }
}

/// <summary>Stopping the chain disturbs every node on it: the outage test has a chain of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ChainOutageCollection : ICollectionFixture<StoppableChainFixture>
{
    public const string Name = "chain outage";
}

/// <summary>
/// The chain goes away in the middle of a burst of writes and comes back later on the same port with the same state,
/// as a restarted chain node would: its blocks, but not its pool, so the writes that were sent and not yet mined are
/// forgotten by the chain. Meanwhile the nodes keep answering reads from their indexes, and say those answers are
/// stale; writes are accepted into the outbox and wait; once the chain is back every write lands exactly once, the
/// forgotten ones broadcast again with the very bytes first sent.
/// </summary>
[Collection(ChainOutageCollection.Name)]
public sealed class ChainOutageTests(StoppableChainFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private const int BurstSize = 20, MinedBeforeOutage = 5, QueuedDuringOutage = 6;

    [Fact]
    public async Task While_the_chain_is_down_reads_answer_stale_from_the_index_and_writes_queue_then_land_exactly_once()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "carrier"); // issue 14: the bound carrier's node issues titles
        await LedgerRequests.ReadyAsync(fixture);
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var healthChannel = GrpcChannel.ForAddress(trader.Url);
        var health = new Health.HealthClient(healthChannel);
        var traderStore = trader.Services.GetRequiredService<OutboxStore>();
        var traderNonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        var bankNonce = await ChainTruth.NonceAsync(fixture, bank.Address);

        // Before: one title pledged to bank A, one free, answered fresh.
        // The two titles the reads ask about book a lot of their own, so the burst's titles (on the shared lot) leave
        // their answers unchanged.
        var ownLot = Google.Protobuf.ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await TestIssuance.AttestAsync(fixture, ownLot.ToByteArray());
        RegisterTitleRequest OnOwnLot() { var r = LedgerRequests.Title(trader.Address); r.LotKey = ownLot; return r; }
        var pledgedTitle = (await trader.Titles.RegisterTitleAsync(OnOwnLot(), trader.Write)).TitleId;
        var freeTitle = (await trader.Titles.RegisterTitleAsync(OnOwnLot(), trader.Write)).TitleId;
        await bank.SyncedToHeadAsync(fixture);
        var pledge = await bank.Titles.PledgeAsync(await LedgerRequests.Pledge(pledgedTitle).ConsentedAsync(fixture, bank), bank.Write);
        // The trader's consent to the pledge bank A will queue during the outage, signed while the chain still answers.
        var freePledge = await LedgerRequests.Pledge(freeTitle).ConsentedAsync(fixture, bank);
        await ChainTruth.SettledAsync(fixture, trader, Bounded);
        var question = new CheckCollateralRequest { TitleIds = { pledgedTitle, freeTitle } };
        var before = await FreshAnswerAsync(trader, question, stale: false);

        // Mid-load: a burst of registrations is on its way when the chain stops. The chain holds the burst in its pool
        // (mining paused), mines the first few, and stops having lost the rest from its pool, as a chain node that
        // restarts from its saved state does: those writes were sent, and the chain will not know them.
        var client = fixture.Chain.Web3For(0).Client;
        await client.SendRequestAsync<object>("evm_setAutomine", null, false);
        var burst = Enumerable.Range(0, BurstSize).Select(_ => LedgerRequests.Title(trader.Address)).ToList();
        var burstCalls = burst.Select(
            r => trader.Titles.RegisterTitleAsync(r, trader.Write, deadline: DateTime.UtcNow + 2 * Bounded).ResponseAsync).ToList();
        var burstNonce = traderNonce + 2;
        await ChainTruth.UntilAsync(
            async () => await ChainTruth.PendingNonceAsync(fixture, trader.Address) >= burstNonce + BurstSize, Bounded,
            () => $"The burst did not all reach the chain's pool within {Bounded}.");
        var forgotten = traderStore.PendingOutbox().Where(e => e.Nonce >= burstNonce + MinedBeforeOutage).Select(e => e.TransactionHash!)
            .ToList();
        Assert.Equal(BurstSize - MinedBeforeOutage, forgotten.Count);
        foreach (var hash in forgotten) await client.SendRequestAsync<object>("anvil_dropTransaction", null, hash);
        await client.SendRequestAsync<object>("evm_mine");
        Assert.Equal(burstNonce + MinedBeforeOutage, await ChainTruth.NonceAsync(fixture, trader.Address));
        await fixture.Chain.StopAsync();
        var answeredBeforeOutage = burstCalls.Count(c => c.IsCompleted);

        // During the outage: reads answer from the index, as before, flagged stale.
        var during = await FreshAnswerAsync(trader, question, stale: true);
        Assert.Equal(before.Titles, during.Titles);
        Assert.False(during.Clear);
        Assert.Equal(bank.Address, during.Titles[0].Lock.Pledgee, ignoreCase: true);
        Assert.Null(during.Titles[1].Lock);
        Assert.True(during.AsOf.BlockNumber >= before.AsOf.BlockNumber);
        var history = await trader.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = pledgedTitle }, trader.Read);
        Assert.True(history.AsOf.Stale);
        Assert.Equal([TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged], history.Events.Select(e => e.KindCase));
        var info = await trader.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), trader.Read);
        Assert.False(info.ChainReachable);
        Assert.True(info.Synced.Stale);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        // A read that must come from the chain head says plainly that the chain is away.
        var atHead = await Assert.ThrowsAsync<RpcException>(() =>
            trader.Titles.CheckCollateralAsync(
                new CheckCollateralRequest { TitleIds = { freeTitle }, Consistency = Consistency.ChainHead }, trader.Read).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, atHead.StatusCode);
        Assert.Equal(ErrorReason.ChainUnavailable.Name(), atHead.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);

        // Writes during the outage are accepted into the outbox and wait there; one caller gives up at its deadline.
        var queued = Enumerable.Range(0, QueuedDuringOutage).Select(_ => LedgerRequests.Title(trader.Address)).ToList();
        var queuedCalls = queued.Select(
            r => trader.Titles.RegisterTitleAsync(r, trader.Write, deadline: DateTime.UtcNow + 2 * Bounded).ResponseAsync).ToList();
        var freePledgeCall = bank.Titles.PledgeAsync(freePledge, bank.Write, deadline: DateTime.UtcNow + 2 * Bounded).ResponseAsync;
        var impatient = LedgerRequests.Title(trader.Address);
        var gaveUp = await Assert.ThrowsAsync<RpcException>(() =>
            trader.Titles.RegisterTitleAsync(impatient, trader.Write, deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, gaveUp.StatusCode);
        await ChainTruth.UntilAsync(
            () => Task.FromResult(queued.Append(impatient).All(r => traderStore.FindOutbox(r.RequestId) is not null)), Bounded,
            () => "The writes made during the outage were not all recorded in the outbox.");
        Assert.All(queuedCalls, c => Assert.False(c.IsCompleted));
        Assert.False(freePledgeCall.IsCompleted);
        Assert.True(answeredBeforeOutage < BurstSize, "The chain stopped only after the whole burst was answered: not mid-load.");
        Assert.True(traderStore.PendingOutbox().Count >= QueuedDuringOutage + 1);

        // The chain comes back where it stopped (mining each transaction again): everything queued lands, and the
        // answers are fresh again.
        await fixture.Chain.StartAgainAsync();
        var burstOutcomes = await Task.WhenAll(burstCalls);
        var queuedOutcomes = await Task.WhenAll(queuedCalls);
        var freePledged = await freePledgeCall;
        var retried = await trader.Titles.RegisterTitleAsync(impatient, trader.Write, deadline: DateTime.UtcNow + Bounded);
        await ChainTruth.SettledAsync(fixture, trader, Bounded);
        await ChainTruth.SettledAsync(fixture, bank, Bounded);
        var after = await FreshAnswerAsync(trader, question, stale: false);

        List<RegisterTitleRequest> registrations = [.. burst, .. queued, impatient];
        RegisterTitleResponse[] outcomes = [.. burstOutcomes, .. queuedOutcomes, retried];
        Assert.All(outcomes, o => Assert.Equal(WriteState.Confirmed, o.Receipt.State));
        Assert.Equal(WriteState.Confirmed, freePledged.Receipt.State);
        Assert.All(after.Titles, t => Assert.Equal(bank.Address, t.Lock.Pledgee, ignoreCase: true));
        Assert.Equal([pledge.PledgeId, freePledged.PledgeId], after.Titles.Select(t => t.Lock.PledgeId));

        // Nothing lost, nothing twice: each registration's key is in exactly one title, the one its caller was told;
        // one transaction per write; both indexes equal a rebuild from the chain.
        var events = await ChainTruth.EventsAsync(fixture);
        var registered = events.Select(e => e.Event).OfType<TitleRegisteredEvent>().ToList();
        foreach (var (request, outcome) in registrations.Zip(outcomes))
        {
            var carrying = Assert.Single(registered, e => e.Keys.Any(k => Hex.Of(k) == LedgerRequests.KeyOf(request)));
            Assert.Equal(outcome.TitleId, carrying.TitleId);
        }
        Assert.Single(events.Select(e => e.Event).OfType<PledgedEvent>(), p => p.TitleIds.Contains(freeTitle));
        // The forgotten writes landed as first signed and sent: the same transactions, not replacements under their nonces.
        var web3 = fixture.Chain.Web3For(0);
        foreach (var hash in forgotten)
        {
            var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash);
            Assert.True(receipt?.Status?.Value == 1, $"The forgotten transaction {hash} was not mined as sent.");
        }
        Assert.Equal(traderNonce + 2 + (ulong)registrations.Count, await ChainTruth.NonceAsync(fixture, trader.Address));
        Assert.Equal(bankNonce + 2, await ChainTruth.NonceAsync(fixture, bank.Address));
        var rebuilt = ChainTruth.Rebuild(events);
        Assert.Equal(rebuilt, ChainTruth.IndexOf(trader));
        Assert.Equal(rebuilt, ChainTruth.IndexOf(bank));
    }

    /// <summary>Asks until the answer's stamp says <paramref name="stale"/> (bounded): the node notices within a poll or two.</summary>
    private static async Task<CheckCollateralResponse> FreshAnswerAsync(RunningNode node, CheckCollateralRequest question, bool stale)
    {
        CheckCollateralResponse? answer = null;
        await ChainTruth.UntilAsync(async () =>
        {
            answer = await node.Titles.CheckCollateralAsync(question, node.Read);
            return answer.AsOf.Stale == stale;
        }, Bounded, () => $"The answer's stamp did not turn stale={stale} within {Bounded}: {answer?.AsOf}");
        if (!stale) Assert.NotNull(answer!.AsOf.SyncedAt);
        return answer!;
    }
}

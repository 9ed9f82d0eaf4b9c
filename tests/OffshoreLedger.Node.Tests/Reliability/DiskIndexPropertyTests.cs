using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The property behind the read model on disk (issue 16): whatever the steps it was synced in, however often the node
/// restarted in between and whatever it rolled back (by undo records, or by a rebuild where a step kept none), the index
/// equals the projection of the chain's logs up to its cursor, and each title's and key's history is exactly the events
/// that concern it. The logs are the shared chain's real ones; the store is a real RocksDB on disk.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class DiskIndexPropertyTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("offshore-disk-index-");

    public void Dispose() => _temporary.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_index_on_disk_equals_the_projection_of_the_logs_across_restarts_and_rollbacks(int seed)
    {
        var blocks = await ChainHistoryAsync();
        var random = new Random(seed);
        var store = new LedgerStore(_temporary.Path);
        var index = Reopened(store);
        var applied = new List<SyncCursor>();
        var rollbacks = 0;
        // The furthest block applied so far: a rollback comes only from there (see below).
        var frontier = 0;
        try
        {
            for (var next = 0; next < blocks.Count;)
            {
                var step = blocks.Skip(next).Take(random.Next(1, 6)).ToList();
                var cursor = new SyncCursor(step[^1].Key, step[^1].Value[0].BlockHash);
                index.Apply(
                    [.. step.SelectMany(b => b.Value)], step.ToDictionary(b => b.Key, b => b.Value[0].BlockHash), cursor,
                    undoable: random.Next(8) > 0);
                applied.Add(cursor);
                next += step.Count;
                frontier = Math.Max(frontier, next);
                if (random.Next(5) == 0)
                {
                    // A restart: the store closed and opened again, the index built on it anew.
                    store.Dispose();
                    store = new LedgerStore(_temporary.Path);
                    index = Reopened(store);
                    Assert.Equal(cursor, index.Synced);
                }
                // A rollback may reach any depth, but only once the index is back at the furthest block it had reached: a
                // fork at any earlier step, taken at any step, made the run a random walk that slides back about half its
                // way at every sixth step, whose length grows exponentially with the chain (10^5 steps at 200 blocks of
                // logs, almost all replaying the first few), while the same forks, taken at the frontier, spread over the
                // whole history and keep the run about quadratic in its length.
                if (applied.Count > 1 && next >= frontier && random.Next(6) == 0)
                {
                    // A reorg's fork point somewhere behind: the index goes back to it (or the end of a step before it).
                    var fork = applied[random.Next(applied.Count - 1)];
                    var reached = index.RollBackTo(fork);
                    rollbacks++;
                    Assert.True(
                        reached is null || reached.BlockNumber <= fork.BlockNumber, $"rolled back to {reached} past the fork {fork}");
                    Assert.Equal(Projected(blocks, reached), Lines(index));
                    applied.RemoveAll(c => c.BlockNumber > (reached?.BlockNumber ?? 0));
                    next = blocks.FindIndex(b => b.Key > (reached?.BlockNumber ?? 0));
                    if (next < 0) next = blocks.Count;
                }
            }
            Assert.Equal(Projected(blocks, applied[^1]), Lines(index));
            AssertHistories(index, blocks);
            Assert.True(rollbacks > 0 || blocks.Count < 4, "the seed drove no rollback");
        }
        finally
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task A_key_pledged_on_its_own_and_then_registered_in_the_same_step_has_its_pledges_in_the_title_history()
    {
        var blocks = await ChainHistoryAsync();
        var invoiceTitle = LedgerEvents.Decode(blocks.SelectMany(b => b.Value)).Select(e => e.Event).OfType<TitleRegisteredEvent>()
            .Last().TitleId;
        using var store = new LedgerStore(_temporary.Path);
        var index = Reopened(store);

        // One step from the deployment to the head: the pledge of the invoice alone, the blocked attempt and the registration
        // that takes the invoice into a title are all projected and indexed within one batch.
        var last = blocks[^1];
        index.Apply([.. blocks.SelectMany(b => b.Value)], blocks.ToDictionary(b => b.Key, b => b.Value[0].BlockHash),
            new SyncCursor(last.Key, last.Value[0].BlockHash));

        var history = index.History(LedgerRecord.Title(invoiceTitle)).Select(e => e.Event.GetType()).ToList();
        Assert.Contains(typeof(PledgedEvent), history);
        Assert.Contains(typeof(PledgeBlockedEvent), history);
        Assert.Equal(typeof(TitleRegisteredEvent), history[^1]);
        AssertHistories(index, blocks);
    }

    [Fact]
    public async Task A_store_synced_before_the_read_model_is_rebuilt_from_its_logs_once_at_start()
    {
        var blocks = await ChainHistoryAsync();
        var last = blocks[^1];
        using (var older = new LedgerStore(_temporary.Path))
        {
            // What a node before the read model left: the logs and the cursor, nothing else.
            older.AppendRange(
                [.. blocks.SelectMany(b => b.Value)], blocks.ToDictionary(b => b.Key, b => b.Value[0].BlockHash),
                new SyncCursor(last.Key, last.Value[0].BlockHash));
        }

        using var store = new LedgerStore(_temporary.Path);
        var index = Reopened(store);

        Assert.Equal(Projected(blocks, index.Synced), Lines(index));
        AssertHistories(index, blocks);
    }

    private static LedgerIndex Reopened(LedgerStore store)
    {
        var index = new LedgerIndex(store);
        index.Open();
        return index;
    }

    private static IReadOnlyList<string> Lines(LedgerIndex index) => index.Read((ledger, _) => ledger.Snapshot().ToLines());

    private static IReadOnlyList<string> Projected(IEnumerable<KeyValuePair<ulong, List<ChainLog>>> blocks, SyncCursor? upTo) =>
        ChainTruth.Rebuild(LedgerEvents.Decode(blocks.Where(b => b.Key <= (upTo?.BlockNumber ?? 0)).SelectMany(b => b.Value)));

    /// <summary>Each title's history and each key's own events are those a scan of every event finds (the reference).</summary>
    private static void AssertHistories(LedgerIndex index, IEnumerable<KeyValuePair<ulong, List<ChainLog>>> blocks)
    {
        var events = LedgerEvents.Decode(blocks.Where(b => b.Key <= index.Synced!.BlockNumber).SelectMany(b => b.Value));
        var ledger = new LedgerProjection();
        ledger.ApplyAll(events);
        var titles = events.Select(e => e.Event).OfType<TitleRegisteredEvent>().Select(e => e.TitleId).ToList();
        var keys = events.Select(e => e.Event).OfType<PledgeBlockedEvent>().SelectMany(e => e.Keys).Select(Hex.Of).Distinct().ToList();
        Assert.NotEmpty(titles);
        Assert.NotEmpty(keys);
        // The sizes the gauges report are kept as counts, not scanned: they equal what a scan finds.
        Assert.Equal(
            (ledger.Snapshot().Titles.Count, ledger.KnownKeys().Count(), ledger.Snapshot().PledgeCount),
            index.Read((indexed, _) => ((int)indexed.Size.Titles, (int)indexed.Size.Keys, indexed.Size.Pledges)));
        foreach (var title in titles)
        {
            Assert.Equal(Places(events.Where(e => ConcernsTitle(e, title, ledger))), Places(index.History(LedgerRecord.Title(title))));
        }
        foreach (var key in keys)
        {
            Assert.Equal(Places(events.Where(e => NamesKey(e, key))), Places(index.History(LedgerRecord.Key(Hex.Bytes(key)))));
        }
    }

    private static List<(ulong, ulong)> Places(IEnumerable<LedgerEvent> events) =>
        [.. events.Select(e => ((ulong)e.BlockNumber, (ulong)e.LogIndex))];

    /// <summary>The reference: the scan the node ran per request before the per-record index.</summary>
    private static bool ConcernsTitle(LedgerEvent logged, ulong titleId, LedgerProjection ledger) => logged.Event switch
    {
        TitleRegisteredEvent e => e.TitleId == titleId,
        TitleTransferredEvent e => e.TitleId == titleId,
        TitleSurrenderedEvent e => e.TitleId == titleId,
        PledgedEvent e => e.TitleIds.Contains(titleId) || e.Keys.Any(k => ledger.TitleOfKey(Hex.Of(k)) == titleId),
        PledgeBlockedEvent e => e.TitleIds.Contains(titleId) || e.Keys.Any(k => ledger.TitleOfKey(Hex.Of(k)) == titleId),
        ReleasedEvent e => e.TitleIds.Contains(titleId) || e.Keys.Any(k => ledger.TitleOfKey(Hex.Of(k)) == titleId),
        _ => false,
    };

    private static bool NamesKey(LedgerEvent logged, string key) => logged.Event switch
    {
        TitleRegisteredEvent e => e.Keys.Any(k => Hex.Of(k) == key),
        PledgedEvent e => e.Keys.Any(k => Hex.Of(k) == key),
        PledgeBlockedEvent e => e.Keys.Any(k => Hex.Of(k) == key),
        ReleasedEvent e => e.Keys.Any(k => Hex.Of(k) == key),
        KeyLockSupersededEvent e => Hex.Of(e.Key) == key,
        ExpiredLockReleasedEvent e => e.TitleId == 0 && Hex.Of(e.Key) == key,
        _ => false,
    };

    /// <summary>
    /// The shared chain's logs by block, after this test has added what a history needs at least: a title, a pledge of
    /// it, an invoice pledged on its own, and a blocked attempt on that invoice.
    /// </summary>
    private async Task<List<KeyValuePair<ulong, List<ChainLog>>>> ChainHistoryAsync()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var invoice = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));
        var title = await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address,
            LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
            Quantity = 3, Unit = "TNE", Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
        }, trader);
        await bankA.SyncedToHeadAsync(fixture);
        await bankA.Titles.PledgeAsync(await TestPledges.Of([title.TitleId]).ConsentedAsync(fixture, bankA), bankA.Write);
        await bankA.Titles.PledgeAsync(await TestPledges.Of([], invoice).ConsentedAsync(fixture, bankA), bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);
        await Assert.ThrowsAsync<RpcException>(
            async () => await bankB.Titles.PledgeAsync(await TestPledges.Of([], invoice).ConsentedAsync(fixture, bankB), bankB.Write));
        // The carrier then issues a title holding the invoice: the invoice's own pledge and the blocked attempt on it are in
        // that title's history, whether the registration is applied in the step of the pledge or in a later one.
        await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address,
            LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)), Quantity = 1, Unit = "TNE", Keys = { invoice },
        }, trader);

        var logs = await LedgerEvents.ReadAllLogsAsync(
            fixture.Consortium.LedgerAs(fixture.Consortium.Admins[0]), fixture.Consortium.DeploymentBlock);
        return [.. logs.Select(ChainLog.From).GroupBy(l => l.BlockNumber).OrderBy(g => g.Key)
            .Select(g => KeyValuePair.Create(g.Key, g.OrderBy(l => l.LogIndex).ToList()))];
    }

}

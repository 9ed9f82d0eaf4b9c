using System.Buffers.Binary;
using System.Security.Cryptography;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The index's catch-up subscription, driven across the boundary between stored history and live events while blocks
/// keep being applied beside it (synthetic logs in a real store, no chain): every event after the watcher's start exactly
/// once and in chain order, however the handover interleaves with the applies.
/// </summary>
public sealed class CatchUpWatchTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("offshore-watch-");
    private readonly LedgerStore _store;

    public CatchUpWatchTests() => _store = new LedgerStore(_temporary.Path);

    public void Dispose()
    {
        _store.Dispose();
        _temporary.Dispose();
    }

    private LedgerIndex NewIndex() => new(_store);

    /// <summary>An <c>Anchored</c> log as the chain would return it: a fresh root, one leaf.</summary>
    internal static ChainLog AnchoredLog(ulong block, int log)
    {
        var data = new byte[64];
        data[31] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(56), block);
        var submitter = new byte[32];
        Hex.Bytes("0x5fbdb2315678afecb367f032d93f642f64180aa3").CopyTo(submitter, 12);
        return new ChainLog(
            "0x5fbdb2315678afecb367f032d93f642f64180aa3", block, $"0x{block:x64}", (uint)log, $"0x{block * 10 + (ulong)log:x64}",
            [Hex.Bytes(LedgerEvents.SignatureOf<AnchoredEvent>()), RandomNumberGenerator.GetBytes(32), submitter], data, block);
    }

    private static void ApplyBlock(LedgerIndex index, ulong block, int logs) => ApplyBlocks(index, block, block, logs);

    /// <summary>Blocks <paramref name="first"/> to <paramref name="last"/> in one step, as a catch-up applies a window.</summary>
    private static void ApplyBlocks(LedgerIndex index, ulong first, ulong last, int logsPerBlock) =>
        index.Apply(
            [.. Enumerable.Range((int)first, (int)(last - first + 1))
                .SelectMany(block => Enumerable.Range(0, logsPerBlock).Select(log => AnchoredLog((ulong)block, log)))],
            new Dictionary<ulong, string>(), new SyncCursor(last, $"0x{last:x64}"));

    [Theory]
    [InlineData(0UL)]
    [InlineData(700UL)]
    [InlineData(1_999UL)]
    public async Task A_watcher_from_a_block_gets_every_later_event_once_and_in_order_while_blocks_keep_coming(ulong fromBlock)
    {
        var index = NewIndex();
        // History of 2,000 blocks of 3 events, applied 100 blocks a step: several pages before the handover.
        for (ulong block = 1; block <= 2_000; block += 100) ApplyBlocks(index, block, block + 99, 3);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var received = new List<(ulong, long)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in index.WatchAsync((fromBlock, long.MaxValue), capacity: 10_000, stop.Token))
            {
                received.Add(((ulong)e.BlockNumber, (long)e.LogIndex));
                if (e.BlockNumber == 3_000 && e.LogIndex == 2) break;
            }
        });
        // Live blocks applied while the watcher pages through history and joins the feed.
        for (ulong block = 2_001; block <= 3_000; block++)
        {
            ApplyBlock(index, block, 3);
            if (block % 50 == 0) await Task.Yield();
        }
        await watching.WaitAsync(stop.Token);

        var expected = Enumerable.Range((int)fromBlock + 1, 3_000 - (int)fromBlock)
            .SelectMany(b => Enumerable.Range(0, 3).Select(l => ((ulong)b, (long)l))).ToList();
        Assert.Equal(expected.Count, received.Count);
        Assert.Equal(expected, received);
    }

    [Fact]
    public async Task A_watcher_joining_at_the_newest_event_gets_only_what_is_applied_after()
    {
        var index = NewIndex();
        for (ulong block = 1; block <= 10; block++) ApplyBlock(index, block, 2);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var feed = index.WatchAsync((10, long.MaxValue), capacity: 100, stop.Token).GetAsyncEnumerator(stop.Token);

        var next = feed.MoveNextAsync().AsTask();
        ApplyBlock(index, 11, 1);
        Assert.True(await next.WaitAsync(stop.Token));
        Assert.Equal((11UL, 0L), ((ulong)feed.Current.BlockNumber, (long)feed.Current.LogIndex));
    }

    [Fact]
    public async Task A_live_watcher_that_cannot_keep_up_is_told_not_skipped()
    {
        var index = NewIndex();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var feed = index.WatchAsync((0, long.MaxValue), capacity: 5, stop.Token).GetAsyncEnumerator(stop.Token);
        var first = feed.MoveNextAsync().AsTask();
        ApplyBlock(index, 1, 1);
        Assert.True(await first.WaitAsync(stop.Token));
        // Now joined live, it reads nothing while 20 more arrive.
        for (ulong block = 2; block <= 21; block++) ApplyBlock(index, block, 1);

        var read = 1;
        await Assert.ThrowsAsync<WatcherTooSlowException>(async () =>
        {
            while (await feed.MoveNextAsync()) read++;
        });
        Assert.InRange(read, 2, 7);
    }
}

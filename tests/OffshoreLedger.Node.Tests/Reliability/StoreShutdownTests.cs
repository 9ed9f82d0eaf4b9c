using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// A node stopping while it is busy: the store is closed while reads, scans and writes are still coming in (a gRPC read,
/// a gauge, a sync step). Calls after the close get <see cref="ObjectDisposedException"/>, calls in flight finish first,
/// and nothing a write returned from is lost. Before the store had a gate, this crashed the test host: a call into
/// RocksDB after it was closed is a segmentation fault, not an exception (a real RocksDB on disk; no chain needed).
/// </summary>
public sealed class StoreShutdownTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _temporary = new("offshore-store-shutdown-");

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task A_store_closed_under_reads_and_writes_turns_later_calls_away_and_keeps_every_write_it_returned_from()
    {
        var store = new LedgerStore(_temporary.Path);
        var vault = new DocumentVault(store);
        var written = new ConcurrentBag<byte[]>();
        var enoughWritten = new TaskCompletionSource();
        var unexpected = new ConcurrentBag<Exception>();

        async Task Until(Action call)
        {
            await Task.Yield();
            try
            {
                while (true) call();
            }
            catch (ObjectDisposedException)
            {
                // Turned away: the store is closed.
            }
            catch (Exception e)
            {
                unexpected.Add(e);
            }
        }

        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(() => Until(() =>
        {
            var document = Encoding.UTF8.GetBytes($"{{\"writer\":{writer},\"n\":{Guid.NewGuid()}}}");
            var hash = SHA256.HashData(document);
            vault.PutDocuments([(hash, document)]);
            vault.SaveBatch(hash, 1, [(hash, "00")]);
            written.Add(hash);
            if (written.Count >= 300) enoughWritten.TrySetResult();
        })));
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(() => Until(() =>
        {
            // Point reads, a whole-family scan (an iterator held across many calls) and the sync cursor.
            if (written.TryPeek(out var hash)) Assert.NotNull(vault.Document(hash));
            _ = vault.BatchRoots().Count;
            _ = store.Logs().Count();
            _ = store.Cursor;
        })));
        var calls = writers.Concat(readers).ToList();

        await enoughWritten.Task.WaitAsync(Patience);
        store.Dispose();
        await Task.WhenAll(calls).WaitAsync(Patience);

        Assert.Empty(unexpected);
        Assert.Equal(0, store.CallsInFlight);
        Assert.Throws<ObjectDisposedException>(() => vault.Document(written.First()));
        using var reopened = new LedgerStore(_temporary.Path);
        var again = new DocumentVault(reopened);
        Assert.All(written, hash => Assert.NotNull(again.Document(hash)));
        Assert.Equal(written.Count, again.BatchRoots().Count);
    }

    [Fact]
    public async Task Closing_waits_for_an_iterator_still_reading_then_releases_the_database()
    {
        var store = new LedgerStore(_temporary.Path);
        var vault = new DocumentVault(store);
        var roots = Enumerable.Range(0, 10).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        foreach (var root in roots) vault.SaveBatch(root, 1, []);
        var batches = store.Family("batches");
        var iterator = store.NewIterator(batches);
        iterator.SeekToFirst();

        var closing = Task.Run(store.Dispose);
        // Closed to new calls (Dispose has begun) while the iterator is still out.
        Assert.True(SpinWait.SpinUntil(() => TurnedAway(store), Patience), "the store never closed to new calls");

        var read = new List<byte[]>();
        for (; iterator.Valid(); iterator.Next()) read.Add(iterator.Key());
        Assert.Equal(roots.Order(ByteOrder.Instance).Select(Convert.ToHexString), read.Select(Convert.ToHexString));
        Assert.False(closing.IsCompleted, "the store closed under an iterator still reading");

        iterator.Dispose();
        await closing.WaitAsync(Patience);
        // The database is closed and its lock released: the same directory opens again.
        using var reopened = new LedgerStore(_temporary.Path);
        Assert.Equal(roots.Count, new DocumentVault(reopened).BatchRoots().Count);
    }

    private static bool TurnedAway(LedgerStore store)
    {
        try
        {
            _ = store.Cursor;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}

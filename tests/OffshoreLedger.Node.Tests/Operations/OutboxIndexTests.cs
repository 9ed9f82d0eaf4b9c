using System.Buffers.Binary;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>
/// The outbox's pending and dead-letter indexes on a real RocksDB store: the sender's scan starts past the entries that
/// finished long ago, yet never misses one that became pending again below that point (a retried dead letter); dead
/// letters are counted from their own index, also in a store written before that index existed.
/// </summary>
public sealed class OutboxIndexTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("offshore-outbox-index-");

    public void Dispose() => _temporary.Dispose();

    private static OutboxEntry Entry(int i) => new()
        { RequestId = $"write-{i}", Operation = "Pledge", CallData = "0x01", AcceptedAt = DateTimeOffset.UtcNow };

    [Fact]
    public void The_pending_scan_sees_exactly_the_pending_entries_including_a_dead_letter_retried_below_the_finished_ones()
    {
        using var storeDatabase = new LedgerStore(_temporary.Path);
        var store = new OutboxStore(storeDatabase);
        var entries = store.AddOutbox([.. Enumerable.Range(0, 500).Select(Entry)]);
        var dead = entries[10] with { DeadLetteredAt = DateTimeOffset.UtcNow, Attempts = 8 };
        store.UpdateOutbox(
            [dead, .. entries.Take(400).Where(e => e.Sequence != dead.Sequence).Select(e => e with { State = OutboxState.Confirmed })]);
        Assert.Equal(entries.Skip(400).Select(e => e.Sequence), store.PendingOutbox().Select(e => e.Sequence));

        // Everything finishes: the next scan finds nothing, and the floor moves past every sequence handed out.
        store.UpdateOutbox([.. entries.Skip(400).Select(e => e with { State = OutboxState.Refused })]);
        Assert.Empty(store.PendingOutbox());

        // The dead letter, far below, is retried: pending again, and the scan must see it; a new write too.
        store.UpdateOutbox(dead with { DeadLetteredAt = null, Attempts = 0 });
        var added = store.AddOutbox(Entry(1_000));
        Assert.Equal([dead.Sequence, added.Sequence], store.PendingOutbox().Select(e => e.Sequence));
    }

    [Fact]
    public void Dead_letters_are_counted_from_their_index_through_retry_and_finish_and_across_a_reopen()
    {
        using (var database = new LedgerStore(_temporary.Path))
        {
            var store = new OutboxStore(database);
            var entries = store.AddOutbox([.. Enumerable.Range(0, 5).Select(Entry)]);
            store.UpdateOutbox([.. entries.Take(3).Select(e => e with { DeadLetteredAt = DateTimeOffset.UtcNow })]);
            Assert.Equal(3, store.DeadLetteredCount());
            store.UpdateOutbox(entries[0] with { DeadLetteredAt = null });
            // A dead letter later found mined counts no more, though it keeps its dead-letter time for the record.
            store.UpdateOutbox(entries[1] with { DeadLetteredAt = DateTimeOffset.UtcNow, State = OutboxState.Confirmed });
            Assert.Equal(1, store.DeadLetteredCount());
        }
        using var reopenedDatabase = new LedgerStore(_temporary.Path);
        var reopened = new OutboxStore(reopenedDatabase);
        Assert.Equal(1, reopened.DeadLetteredCount());
    }

    [Fact]
    public void A_store_written_before_the_dead_letter_index_gets_it_built_from_its_outbox_on_open()
    {
        var options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true);
        var families = new ColumnFamilies();
        foreach (var name in new[] { "meta", "outbox" }) families.Add(name, new ColumnFamilyOptions());
        using (var old = RocksDb.Open(options, _temporary.Path, families))
        {
            var dead = Entry(1) with { Sequence = 1, DeadLetteredAt = DateTimeOffset.UtcNow, State = OutboxState.Signed };
            var done = Entry(2) with { Sequence = 2, DeadLetteredAt = DateTimeOffset.UtcNow, State = OutboxState.Confirmed };
            foreach (var entry in new[] { dead, done })
            {
                var key = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(key, entry.Sequence);
                old.Put(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entry), old.GetColumnFamily("outbox"));
            }
        }

        using var database = new LedgerStore(_temporary.Path);
        var store = new OutboxStore(database);

        Assert.Equal(1, store.DeadLetteredCount());
    }
}

using System.Buffers.Binary;
using System.Text;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Outbox;

/// <summary>
/// The outbox in the node's store (<see cref="LedgerStore"/>, one RocksDB): <c>outbox</c> (sequence → write entry),
/// <c>outbox-ids</c> (request id → sequence), <c>outbox-pending</c> (sequences not yet finished), <c>outbox-dead</c>
/// (sequences dead-lettered and not finished) and the last sequence handed out, in <c>meta</c>. Each change that must be
/// atomic is one write batch.
/// </summary>
public sealed class OutboxStore
{
    private const string Outbox = "outbox", OutboxIds = "outbox-ids", OutboxPending = "outbox-pending", OutboxDead = "outbox-dead";

    private static readonly byte[] OutboxSequenceKey = "outbox-sequence"u8.ToArray();
    private readonly LedgerStore _store;
    private readonly Lock _outboxLock = new();

    /// <summary>
    /// No sequence below it is pending (guarded by <see cref="_outboxLock"/>). Finished entries leave tombstones in
    /// <c>outbox-pending</c> that an iterator from the first key would step over one by one, thousands of them after a
    /// busy hour, on every pass of the sender: the scan seeks here instead.
    /// </summary>
    private ulong _pendingFloor;

    public OutboxStore(LedgerStore store)
    {
        _store = store;
        // A store from before the dead-letter index: built once from the outbox.
        if (store.AddedByUpgrade(OutboxDead)) IndexDeadLettered();
    }

    /// <summary>The entry recorded under a request id, if any.</summary>
    public OutboxEntry? FindOutbox(string requestId)
    {
        var sequence = _store.Get(Encoding.UTF8.GetBytes(requestId), _store.Family(OutboxIds));
        return sequence is null ? null : ReadOutbox(sequence);
    }

    /// <summary>Records a new write intent durably and returns it with its sequence number.</summary>
    public OutboxEntry AddOutbox(OutboxEntry entry) => AddOutbox([entry])[0];

    /// <summary>
    /// Records new write intents durably in one synced batch (group commit) and returns them with their sequence numbers.
    /// </summary>
    public IReadOnlyList<OutboxEntry> AddOutbox(IReadOnlyList<OutboxEntry> entries)
    {
        using var pass = _store.Use();
        lock (_outboxLock)
        {
            var current = _store.Get(OutboxSequenceKey, _store.MetaFamily);
            var sequence = current is null ? 0 : BinaryPrimitives.ReadUInt64BigEndian(current);
            var stored = new List<OutboxEntry>(entries.Count);
            using var batch = new WriteBatch();
            foreach (var entry in entries)
            {
                var added = entry with { Sequence = ++sequence };
                batch.Put(
                    LedgerStore.BigEndian(sequence), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(added), _store.Family(Outbox));
                batch.Put(Encoding.UTF8.GetBytes(entry.RequestId), LedgerStore.BigEndian(sequence), _store.Family(OutboxIds));
                batch.Put(LedgerStore.BigEndian(sequence), Array.Empty<byte>(), _store.Family(OutboxPending));
                stored.Add(added);
            }
            batch.Put(OutboxSequenceKey, LedgerStore.BigEndian(sequence), _store.MetaFamily);
            _store.WriteSynced(batch);
            return stored;
        }
    }

    /// <summary>Replaces an entry, keeping the pending index in step, atomically.</summary>
    public void UpdateOutbox(OutboxEntry entry) => UpdateOutbox([entry]);

    /// <summary>
    /// Replaces entries, keeping the pending and dead-letter indexes in step, in one batch (group commit): synced, unless
    /// <paramref name="durable"/> is false for a state the chain itself keeps (mined, confirmed), which a crash may undo
    /// and the sender then reads back from the chain: everything before the signed bytes are sent is always synced.
    /// </summary>
    public void UpdateOutbox(IReadOnlyCollection<OutboxEntry> entries, bool durable = true)
    {
        if (entries.Count == 0) return;
        using var pass = _store.Use();
        using var batch = new WriteBatch();
        var lowestPending = ulong.MaxValue;
        foreach (var entry in entries)
        {
            var sequence = LedgerStore.BigEndian(entry.Sequence);
            batch.Put(sequence, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entry), _store.Family(Outbox));
            if (entry.IsPending)
            {
                batch.Put(sequence, Array.Empty<byte>(), _store.Family(OutboxPending));
                lowestPending = Math.Min(lowestPending, entry.Sequence);
            }
            else batch.Delete(sequence, _store.Family(OutboxPending));
            // Only an entry that is or was dead-lettered touches that index: it stays free of tombstones too.
            if (IsDeadLettered(entry)) batch.Put(sequence, Array.Empty<byte>(), _store.Family(OutboxDead));
            else if (_store.Get(sequence, _store.Family(OutboxDead)) is not null) batch.Delete(sequence, _store.Family(OutboxDead));
        }
        lock (_outboxLock)
        {
            _store.Write(batch, durable);
            // A write retried from the dead letters is pending again below the floor.
            if (lowestPending < _pendingFloor) _pendingFloor = lowestPending;
        }
    }

    /// <summary>Entries dead-lettered and not yet retried: counted from their own index, not by reading the whole outbox.</summary>
    public int DeadLetteredCount()
    {
        var count = 0;
        using var iterator = _store.NewIterator(_store.Family(OutboxDead));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) count++;
        return count;
    }

    /// <summary>Entries not yet confirmed or refused, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> PendingOutbox()
    {
        var pending = new List<OutboxEntry>();
        lock (_outboxLock)
        {
            using var iterator = _store.NewIterator(_store.Family(OutboxPending));
            for (iterator.Seek(LedgerStore.BigEndian(_pendingFloor)); iterator.Valid(); iterator.Next()) pending.Add(
                ReadOutbox(iterator.Key()));
            // Nothing below the first pending one is pending; with none, nothing up to the last sequence handed out.
            _pendingFloor = pending.Count > 0 ? pending[0].Sequence : LastOutboxSequence() + 1;
        }
        return pending;
    }

    private ulong LastOutboxSequence() => _store.Get(OutboxSequenceKey, _store.MetaFamily) is { } value
        ? BinaryPrimitives.ReadUInt64BigEndian(value) : 0;

    /// <summary>Every entry, newest first, that <paramref name="include"/> keeps, up to <paramref name="limit"/>.</summary>
    public IReadOnlyList<OutboxEntry> OutboxEntries(Func<OutboxEntry, bool> include, int limit)
    {
        var entries = new List<OutboxEntry>();
        using var iterator = _store.NewIterator(_store.Family(Outbox));
        for (iterator.SeekToLast(); iterator.Valid() && entries.Count < limit; iterator.Prev())
        {
            var entry = System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(iterator.Value())!;
            if (include(entry)) entries.Add(entry);
        }
        return entries;
    }

    /// <summary>Entries mined in a block after <paramref name="blockNumber"/>: what a reorg back to it may have dropped.</summary>
    public IReadOnlyList<OutboxEntry> OutboxMinedAfter(ulong blockNumber)
    {
        var mined = new List<OutboxEntry>();
        using var iterator = _store.NewIterator(_store.Family(Outbox));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var entry = System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(iterator.Value())!;
            if (entry.BlockNumber > blockNumber && entry.SignedTransaction is not null) mined.Add(entry);
        }
        return mined;
    }

    private OutboxEntry ReadOutbox(byte[] sequence) =>
        System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(_store.Get(sequence, _store.Family(Outbox)))!;

    private void IndexDeadLettered()
    {
        using var batch = new WriteBatch();
        using var iterator = _store.NewIterator(_store.Family(Outbox));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var entry = System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(iterator.Value())!;
            if (IsDeadLettered(entry)) batch.Put(iterator.Key(), Array.Empty<byte>(), _store.Family(OutboxDead));
        }
        _store.WriteSynced(batch);
    }

    private static bool IsDeadLettered(OutboxEntry entry) => entry.DeadLetteredAt is not null && !entry.IsFinished;
}

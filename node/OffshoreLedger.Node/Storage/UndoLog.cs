using System.Buffers.Binary;
using System.Text;
using RocksDbSharp;

namespace OffshoreLedger.Node.Storage;

/// <summary>
/// What each recent sync step replaced in the read model, so a reorg rolls the model back by the same steps instead of
/// rebuilding it: one record per step, keyed by the step's last block, written in the step's own batch. Records of steps
/// more than <see cref="RetainedBlocks"/> behind the cursor are dropped (a reorg deeper than that rebuilds).
/// </summary>
public sealed class UndoLog(LedgerStore store)
{
    /// <summary>How far back from the cursor a reorg can be undone step by step.</summary>
    public const ulong RetainedBlocks = 1024;

    /// <summary>The family name <see cref="Record.Replaced"/> uses for the store's <c>meta</c> family (the tables' counts).</summary>
    public const string MetaFamily = "/meta";

    private readonly ColumnFamilyHandle _family = store.ReadModelFamily("undo");

    /// <summary>One step's record: the cursor before it, and every key it wrote with the value it had (none: absent).</summary>
    public sealed class Record(SyncCursor? before)
    {
        private readonly List<(string Family, byte[] Key, byte[]? Before)> _entries = [];

        public SyncCursor? Before { get; } = before;

        public IReadOnlyList<(string Family, byte[] Key, byte[]? Before)> Entries => _entries;

        public void Replaced(string family, byte[] key, byte[]? before) => _entries.Add((family, key, before));

        public byte[] Encode()
        {
            // Sized once (a catch-up step's record runs to megabytes): no growing and copying the buffer as it fills.
            var size = 64;
            foreach (var (family, key, value) in _entries) size += family.Length + key.Length + (value?.Length ?? 0) + 16;
            using var stream = new MemoryStream(size);
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            writer.Write(Before is not null);
            if (Before is not null)
            {
                writer.Write(Before.BlockNumber);
                writer.Write(Before.BlockHash);
            }
            writer.Write(_entries.Count);
            foreach (var (family, key, value) in _entries)
            {
                writer.Write(family);
                writer.Write(key.Length);
                writer.Write(key);
                writer.Write(value?.Length ?? -1);
                if (value is not null) writer.Write(value);
            }
            writer.Flush();
            return stream.ToArray();
        }

        public static Record Decode(byte[] bytes)
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            var record = new Record(reader.ReadBoolean() ? new SyncCursor(reader.ReadUInt64(), reader.ReadString()) : null);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var family = reader.ReadString();
                var key = reader.ReadBytes(reader.ReadInt32());
                var length = reader.ReadInt32();
                record.Replaced(family, key, length < 0 ? null : reader.ReadBytes(length));
            }
            return record;
        }
    }

    /// <summary>Adds the record of the step ending at <paramref name="end"/>, and drops those too old to keep.</summary>
    public void Add(WriteBatch batch, ulong end, Record record)
    {
        batch.Put(LedgerStore.BigEndian(end), record.Encode(), _family);
        _oldestKept = Math.Min(_oldestKept, end);
        DropBefore(batch, end > RetainedBlocks ? end - RetainedBlocks : 0);
    }

    /// <summary>
    /// No record ends before this block: a lower bound (0 at start), raised by each drop and lowered by each record added.
    /// A drop with nothing below it returns at once, and one with something seeks past the records dropped before, whose
    /// deletions RocksDB still has to step over until it compacts them (an iterator and a seek from the first key every step
    /// stood out in a trace of a catch-up).
    /// </summary>
    private ulong _oldestKept;

    /// <summary>Drops every record of a step ending before <paramref name="block"/>.</summary>
    private void DropBefore(WriteBatch batch, ulong block)
    {
        if (block <= _oldestKept) return;
        using var iterator = store.NewIterator(_family);
        for (iterator.Seek(LedgerStore.BigEndian(_oldestKept));
             iterator.Valid() && BinaryPrimitives.ReadUInt64BigEndian(iterator.Key()) < block;
             iterator.Next())
        {
            batch.Delete(iterator.Key(), _family);
        }
        // Were the batch not written, the records below stay: still true ones, until a rebuild clears them.
        _oldestKept = block;
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the undoing of every step after <paramref name="fork"/>, newest first, starting
    /// from <paramref name="cursor"/>; returns the cursor it leads back to (at or before the fork), or false when a step's
    /// record is missing (older than kept, or written without one): then only a rebuild restores the model.
    /// </summary>
    public bool TryUndo(WriteBatch batch, ulong fork, SyncCursor? cursor, out SyncCursor? reached)
    {
        reached = cursor;
        while (reached is not null && reached.BlockNumber > fork)
        {
            var key = LedgerStore.BigEndian(reached.BlockNumber);
            if (store.Get(key, _family) is not { } stored) return false;
            var record = Record.Decode(stored);
            foreach (var (family, entryKey, before) in record.Entries)
            {
                var handle = family == MetaFamily ? store.MetaFamily : store.ReadModelFamily(family);
                if (before is null) batch.Delete(entryKey, handle);
                else batch.Put(entryKey, before, handle);
            }
            batch.Delete(key, _family);
            reached = record.Before;
        }
        return true;
    }
}

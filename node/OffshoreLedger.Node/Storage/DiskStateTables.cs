using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using RocksDbSharp;

namespace OffshoreLedger.Node.Storage;

/// <summary>
/// The projection's tables in the store, one column family each: reads go to RocksDB (through its block cache) or to the
/// changes of the step under way; a step's changes reach the disk only in <see cref="Flush"/>'s batch, the one that also
/// moves the sync cursor, with what they replaced for <see cref="UndoLog"/>. Single writer: the index, under its lock.
/// </summary>
public sealed class DiskStateTables(LedgerStore store) : IStateTables
{
    private readonly List<IChangedTable> _tables = [];

    public IStateTable<TKey, TValue> Open<TKey, TValue>(string name) where TKey : notnull
    {
        var table = new DiskTable<TKey, TValue>(store, name, KeyCodec<TKey>(), ValueCodec<TValue>());
        _tables.Add(table);
        return table;
    }

    /// <summary>
    /// Adds every change since the last flush to <paramref name="batch"/>, and what each replaced to <paramref name="undo"/>.
    /// </summary>
    public void Flush(WriteBatch batch, UndoLog.Record? undo)
    {
        foreach (var table in _tables) table.Flush(batch, undo);
    }

    /// <summary>Forgets the changes of a step that failed, and rereads the counts (after a rollback wrote the store).</summary>
    public void Discard()
    {
        foreach (var table in _tables) table.Discard();
    }

    private interface IChangedTable
    {
        void Flush(WriteBatch batch, UndoLog.Record? undo);

        void Discard();
    }

    private sealed record Codec<T>(Func<T, byte[]> Encode, Func<byte[], T> Decode);

    private static Codec<TKey> KeyCodec<TKey>() => (Codec<TKey>)(object)(typeof(TKey) switch
    {
        var t when t == typeof(ulong) => new Codec<ulong>(LedgerStore.BigEndian, v => BinaryPrimitives.ReadUInt64BigEndian(v)),
        var t when t == typeof(uint) =>
            new Codec<uint>(
            v => { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; },
            v => BinaryPrimitives.ReadUInt32BigEndian(v)),
        var t when t == typeof(string) => new Codec<string>(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString),
        var t when t == typeof(Bytes32) => new Codec<Bytes32>(v => v.ToBytes(), v => Bytes32.Of(v)),
        var t => throw new NotSupportedException($"No key encoding for {t.Name}."),
    });

    private Codec<TValue> ValueCodec<TValue>() => (Codec<TValue>)(object)(typeof(TValue) switch
    {
        var t when t == typeof(ulong) => new Codec<ulong>(LedgerStore.BigEndian, v => BinaryPrimitives.ReadUInt64BigEndian(v)),
        var t when t == typeof(bool) => new Codec<bool>(v => [v ? (byte)1 : (byte)0], v => v[0] == 1),
        var t when t == typeof(string) => new Codec<string>(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString),
        // An event is kept where it is in the chain; its log is in the store's `events` family, written in the same batch.
        var t when t == typeof(LedgerEvent) => new Codec<LedgerEvent>(
            e => LedgerStore.EventKey((ulong)e.BlockNumber, (uint)e.LogIndex),
            v => LedgerEvents.Decode(store.LogAt(BinaryPrimitives.ReadUInt64BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(v.AsSpan(8)))
                ?? throw new InvalidOperationException("The read model names a log the store does not hold."))!),
        _ => new Codec<TValue>(v => JsonSerializer.SerializeToUtf8Bytes(v), v => JsonSerializer.Deserialize<TValue>(v)!),
    });

    private sealed class DiskTable<TKey, TValue> : IStateTable<TKey, TValue>, IChangedTable where TKey : notnull
    {
        private readonly LedgerStore _store;
        private readonly ColumnFamilyHandle _family;
        private readonly string _familyName;
        private readonly Codec<TKey> _keys;
        private readonly Codec<TValue> _values;
        private readonly byte[] _countKey;
        private readonly Dictionary<TKey, Change> _changes = [];
        private readonly Dictionary<TKey, byte[]?> _read = [];
        private long _count;

        /// <summary>True from the step's first change to its flush or discard: reads are remembered meanwhile.</summary>
        private bool _stepping;

        public DiskTable(LedgerStore store, string name, Codec<TKey> keys, Codec<TValue> values)
        {
            (_store, _keys, _values, _familyName) = (store, keys, values, name);
            _family = store.ReadModelFamily(name);
            _countKey = Encoding.UTF8.GetBytes("count/" + name);
            _count = StoredCount();
        }

        /// <summary>A key changed by the step under way: its new value (none: removed) and its bytes before the step.</summary>
        private sealed class Change(byte[]? before)
        {
            public byte[]? Before { get; } = before;

            public bool Removed { get; set; } = true;

            public TValue? Value { get; set; }
        }

        public long Count => _count;

        public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
        {
            if (_changes.TryGetValue(key, out var change))
            {
                value = change.Value;
                return !change.Removed;
            }
            var stored = Stored(key);
            value = stored is null ? default : _values.Decode(stored);
            return stored is not null;
        }

        /// <summary>
        /// The key's stored bytes; within a step, read once (a value read, then changed, is not read again; cleared at
        /// the step's end, as a reader outside a step must see what the last step wrote).
        /// </summary>
        private byte[]? Stored(TKey key)
        {
            if (_read.TryGetValue(key, out var bytes)) return bytes;
            bytes = _store.Get(_keys.Encode(key), _family);
            if (_stepping) _read[key] = bytes;
            return bytes;
        }

        public void Set(TKey key, TValue value)
        {
            var change = ChangeOf(key);
            if (change.Removed) _count++;
            change.Removed = false;
            change.Value = value;
        }

        public void Remove(TKey key)
        {
            var change = ChangeOf(key);
            if (!change.Removed) _count--;
            change.Removed = true;
            change.Value = default;
        }

        private Change ChangeOf(TKey key)
        {
            if (_changes.TryGetValue(key, out var change)) return change;
            _stepping = true;
            var before = Stored(key);
            // Only Set and Remove make a change, and each sets its value: the bytes before are kept, not decoded.
            change = new Change(before) { Removed = before is null };
            _changes[key] = change;
            return change;
        }

        public IEnumerable<KeyValuePair<TKey, TValue>> All()
        {
            if (_changes.Count == 0) return Stored();
            // Within a step (a rare full scan): the stored entries as changed, in key order.
            var merged = new SortedDictionary<byte[], KeyValuePair<TKey, TValue>>(ByteOrder.Instance);
            foreach (var entry in Stored()) merged[_keys.Encode(entry.Key)] = entry;
            foreach (var (key, change) in _changes)
            {
                if (change.Removed) merged.Remove(_keys.Encode(key));
                else merged[_keys.Encode(key)] = new(key, change.Value!);
            }
            return merged.Values;
        }

        private IEnumerable<KeyValuePair<TKey, TValue>> Stored()
        {
            using var iterator = _store.NewIterator(_family);
            for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
            {
                yield return new(_keys.Decode(iterator.Key()), _values.Decode(iterator.Value()));
            }
        }

        public void Flush(WriteBatch batch, UndoLog.Record? undo)
        {
            if (_changes.Count == 0) return;
            foreach (var (key, change) in _changes)
            {
                var bytes = _keys.Encode(key);
                if (change.Removed) batch.Delete(bytes, _family);
                else batch.Put(bytes, _values.Encode(change.Value!), _family);
                undo?.Replaced(_familyName, bytes, change.Before);
            }
            undo?.Replaced(UndoLog.MetaFamily, _countKey, _store.GetMeta(_countKey));
            batch.Put(_countKey, LedgerStore.BigEndian((ulong)_count), _store.MetaFamily);
            _changes.Clear();
            EndStep();
        }

        public void Discard()
        {
            _changes.Clear();
            EndStep();
            _count = StoredCount();
        }

        private void EndStep()
        {
            _read.Clear();
            _stepping = false;
            // A catch-up step changes hundreds of thousands of keys: their dictionaries' capacity is not kept for good.
            if (_read.EnsureCapacity(0) > RetainedCapacity) _read.TrimExcess(RetainedCapacity);
            if (_changes.EnsureCapacity(0) > RetainedCapacity) _changes.TrimExcess(RetainedCapacity);
        }

        private const int RetainedCapacity = 4_096;

        private long StoredCount() => _store.GetMeta(_countKey) is { } stored ? (long)BinaryPrimitives.ReadUInt64BigEndian(stored) : 0;
    }
}

/// <summary>Orders keys as RocksDB does: bytewise.</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}

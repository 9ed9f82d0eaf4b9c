using System.Buffers.Binary;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Index;

/// <summary>
/// The per-record event index: for each record (<see cref="LedgerRecord"/>), where in the chain its events are, as keys
/// of one column family (kind, id, block, log index), so a title's or a key's history is one seek, whatever the ledger's
/// size. Written in the sync step's batch; the entries of the step under way are kept until it is flushed.
/// </summary>
internal sealed class RecordIndex(LedgerStore store)
{
    public const string FamilyName = "records";

    private readonly ColumnFamilyHandle _family = store.ReadModelFamily(FamilyName);
    private readonly List<byte[]> _pending = [];

    public void Add(LedgerRecord record, ulong block, uint logIndex)
    {
        var prefix = record.Prefix();
        var key = new byte[prefix.Length + 12];
        prefix.CopyTo(key, 0);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(prefix.Length), block);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(prefix.Length + 8), logIndex);
        _pending.Add(key);
    }

    /// <summary>Where the record's events are, oldest first (those of the step under way too).</summary>
    public IReadOnlyList<(ulong Block, uint LogIndex)> Places(LedgerRecord record)
    {
        var prefix = record.Prefix();
        var places = new List<(ulong, uint)>();
        using (var iterator = store.NewIterator(_family))
        {
            for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
            {
                var key = iterator.Key();
                if (key.Length != prefix.Length + 12 || !key.AsSpan().StartsWith(prefix)) break;
                places.Add(PlaceOf(key, prefix.Length));
            }
        }
        foreach (var key in _pending)
        {
            if (key.Length == prefix.Length + 12 && key.AsSpan().StartsWith(prefix)) places.Add(PlaceOf(key, prefix.Length));
        }
        return places;
    }

    public void Flush(WriteBatch batch, UndoLog.Record? undo)
    {
        foreach (var key in _pending)
        {
            batch.Put(key, Array.Empty<byte>(), _family);
            undo?.Replaced(FamilyName, key, null);
        }
        Discard();
    }

    public void Discard()
    {
        _pending.Clear();
        // A catch-up step indexes hundreds of thousands of entries: the list's capacity is not kept for good.
        if (_pending.Capacity > 4_096) _pending.Capacity = 4_096;
    }

    private static (ulong, uint) PlaceOf(byte[] key, int at) =>
        (BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(at)), BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(at + 8)));
}

using System.Buffers.Binary;
using System.Text;
using OffshoreLedger.Contracts.Replay;
using RocksDbSharp;

namespace OffshoreLedger.Node.Storage;

/// <summary>The last block the index applied: its number and hash.</summary>
public sealed record SyncCursor(ulong BlockNumber, string BlockHash);

/// <summary>
/// The node's RocksDB store. Column families and key encodings live here only:
/// <c>meta</c> (cursor, outbox sequence, chain id), <c>blocks</c> (number → hash of every applied block that matters for
/// reorg detection), <c>events</c> (block, log index → the raw log, compact: <see cref="ChainLogCodec"/>), <c>outbox</c> (sequence →
/// write entry) and
/// <c>outbox-ids</c> (request id → sequence), <c>outbox-pending</c> (sequences not yet finished), <c>outbox-dead</c>
/// (sequences dead-lettered and not finished), <c>documents</c> (hash → the owner's canonical document bytes),
/// <c>proofs</c> (document hash → Merkle root and inclusion proof) and <c>batches</c> (root → leaf count); and the read
/// model's families, named <c>index-…</c> (<see cref="ReadModelFamily"/>): one per table of the projection
/// (<see cref="DiskStateTables"/>), <c>index-records</c> (the per-record event index) and <c>index-undo</c> (<see cref="UndoLog"/>),
/// with their row counts in <c>meta</c>. Each change that must be atomic is one synced write batch.
/// </summary>
public sealed class LedgerStore : IDisposable
{
    private const string Meta = "meta", Blocks = "blocks", Events = "events", Outbox = "outbox", OutboxIds = "outbox-ids";
    private const string Documents = "documents", Proofs = "proofs", Batches = "batches", OutboxPending = "outbox-pending",
    OutboxDead = "outbox-dead";
    private static readonly byte[] CursorKey = "cursor"u8.ToArray();
    private static readonly byte[] OutboxSequenceKey = "outbox-sequence"u8.ToArray();
    private static readonly byte[] ChainIdKey = "chain-id"u8.ToArray();

    private const ulong EventsWriteBufferBytes = 16 * 1024 * 1024;

    /// <summary>A read-model family's memtable: small, as two dozen of them are written in step.</summary>
    private const ulong ReadModelWriteBufferBytes = 4 * 1024 * 1024;

    private readonly RocksDb _db;
    private readonly string _directory;
    private readonly WriteOptions _synced = new WriteOptions().SetSync(true);

    /// <summary>Written to the log but not flushed to disk before returning: the next synced write (or the OS) makes it durable.</summary>
    private readonly WriteOptions _logged = new();
    private readonly Lock _outboxLock = new();

    /// <summary>
    /// No sequence below it is pending (guarded by <see cref="_outboxLock"/>). Finished entries leave tombstones in
    /// <c>outbox-pending</c> that an iterator from the first key would step over one by one, thousands of them after a
    /// busy hour, on every pass of the sender: the scan seeks here instead.
    /// </summary>
    private ulong _pendingFloor;

    public LedgerStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        // All memtables together, whatever the number of families: the read model's two dozen must not each grow its own.
        var options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true).SetDbWriteBufferSize(AllMemtablesBytes);
        var existing = File.Exists(Path.Combine(directory, "CURRENT")) ? RocksDb.ListColumnFamilies(options, directory).ToHashSet() : [];
        var families = new ColumnFamilies();
        foreach (var name in new[] { Meta, Blocks, Events, Outbox, OutboxIds, OutboxPending, OutboxDead, Documents, Proofs, Batches }.Union(
            existing))
        {
            if (name == "default") continue;
            // The chain's logs stream through `events` as the node syncs; RocksDB's default memtable (64 MB, and a second
            // while one flushes) would keep up to 128 MB of them resident. The read model's families are written in
            // step with them and read at random: small memtables too, and one shared block cache with Bloom filters.
            families.Add(
                name, name == Events ? ReadModelFamilyOptions(EventsWriteBufferBytes) : IsReadModel(name)
                ? ReadModelFamilyOptions() : new ColumnFamilyOptions());
        }
        _db = RocksDb.Open(options, directory, families);
        // A store from before the dead-letter index: built once from the outbox.
        if (existing.Count > 0 && !existing.Contains(OutboxDead)) IndexDeadLettered();
    }

    /// <summary>The most all memtables together hold before RocksDB flushes the largest.</summary>
    private const ulong AllMemtablesBytes = 32 * 1024 * 1024;

    /// <summary>Blocks of the read model's families kept in memory, shared by all of them.</summary>
    private const ulong BlockCacheBytes = 32 * 1024 * 1024;

    private readonly Cache _blockCache = Cache.CreateLru(BlockCacheBytes);

    /// <summary>The read model's column families are named with this prefix (<see cref="ReadModelFamily"/>).</summary>
    private const string ReadModelPrefix = "index-";

    private static bool IsReadModel(string family) => family.StartsWith(ReadModelPrefix, StringComparison.Ordinal);

    private ColumnFamilyOptions ReadModelFamilyOptions(ulong writeBufferBytes = ReadModelWriteBufferBytes) => new ColumnFamilyOptions()
        .SetWriteBufferSize(writeBufferBytes)
        .SetMaxWriteBufferNumber(2)
        .SetBlockBasedTableFactory(new BlockBasedTableOptions()
            .SetBlockCache(_blockCache)
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetCacheIndexAndFilterBlocks(true));

    /// <summary>The read model's column family <paramref name="name"/>, created the first time it is asked for.</summary>
    internal ColumnFamilyHandle ReadModelFamily(string name)
    {
        var family = ReadModelPrefix + name;
        lock (_familyLock)
        {
            return _db.TryGetColumnFamily(family, out var handle) ? handle : _db.CreateColumnFamily(ReadModelFamilyOptions(), family);
        }
    }

    private readonly Lock _familyLock = new();

    /// <summary>Every read-model family there is, for clearing the read model before it is rebuilt.</summary>
    internal IReadOnlyList<ColumnFamilyHandle> ReadModelFamilies()
    {
        lock (_familyLock)
        {
            return [.. RocksDb.ListColumnFamilies(new DbOptions(), _directory).Where(IsReadModel).Select(n => _db.GetColumnFamily(n))];
        }
    }

    internal byte[]? Get(byte[] key, ColumnFamilyHandle family) => _db.Get(key, family);

    internal Iterator NewIterator(ColumnFamilyHandle family) => _db.NewIterator(family);

    internal byte[]? GetMeta(byte[] key) => _db.Get(key, Family(Meta));

    internal ColumnFamilyHandle MetaFamily => Family(Meta);

    /// <summary>Writes a batch and waits for the disk: the read model's steps.</summary>
    internal void WriteSynced(WriteBatch batch) => _db.Write(batch, _synced);

    private void IndexDeadLettered()
    {
        using var batch = new WriteBatch();
        using var iterator = _db.NewIterator(Family(Outbox));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var entry = System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(iterator.Value())!;
            if (IsDeadLettered(entry)) batch.Put(iterator.Key(), Array.Empty<byte>(), Family(OutboxDead));
        }
        _db.Write(batch, _synced);
    }

    private static bool IsDeadLettered(OutboxEntry entry) => entry.DeadLetteredAt is not null && !entry.IsFinished;

    private ColumnFamilyHandle Family(string name) => _db.GetColumnFamily(name);

    // ---- sync ---------------------------------------------------------------------------------

    public SyncCursor? Cursor
    {
        get
        {
            var value = _db.Get(CursorKey, Family(Meta));
            return value is null
                ? null : new SyncCursor(BinaryPrimitives.ReadUInt64BigEndian(value), Encoding.ASCII.GetString(value, 8, value.Length - 8));
        }
    }

    /// <summary>
    /// Stores a range of blocks' logs (each in <see cref="ChainLogCodec"/>'s compact form), the hashes of the blocks that
    /// carry them, and the new cursor, atomically.
    /// </summary>
    public void AppendRange(IReadOnlyList<ChainLog> logs, IReadOnlyDictionary<ulong, string> blockHashes, SyncCursor cursor)
    {
        using var batch = new WriteBatch();
        AddRange(batch, logs, blockHashes, cursor);
        _db.Write(batch, _synced);
    }

    /// <summary>Adds <see cref="AppendRange"/>'s writes to a batch the caller writes (with the read model's).</summary>
    internal void AddRange(
        WriteBatch batch, IReadOnlyList<ChainLog> logs, IReadOnlyDictionary<ulong, string> blockHashes, SyncCursor cursor)
    {
        foreach (var log in logs) batch.Put(EventKey(log.BlockNumber, log.LogIndex), ChainLogCodec.Encode(log), Family(Events));
        foreach (var (number, hash) in blockHashes) batch.Put(BigEndian(number), Encoding.ASCII.GetBytes(hash), Family(Blocks));
        batch.Put(CursorKey, CursorValue(cursor), Family(Meta));
    }

    /// <summary>Stored block hashes from the newest down, for finding a fork point.</summary>
    public IEnumerable<(ulong Number, string Hash)> BlocksDescending()
    {
        using var iterator = _db.NewIterator(Family(Blocks));
        for (iterator.SeekToLast(); iterator.Valid(); iterator.Prev())
        {
            yield return (BinaryPrimitives.ReadUInt64BigEndian(iterator.Key()), Encoding.ASCII.GetString(iterator.Value()));
        }
    }

    /// <summary>Forgets every block and event after <paramref name="cursor"/> (a reorg's fork point), atomically.</summary>
    public void RollbackTo(SyncCursor? cursor)
    {
        using var batch = new WriteBatch();
        AddRollback(batch, cursor);
        _db.Write(batch, _synced);
    }

    /// <summary>Adds <see cref="RollbackTo"/>'s writes to a batch the caller writes (with the read model's).</summary>
    internal void AddRollback(WriteBatch batch, SyncCursor? cursor)
    {
        var keep = cursor?.BlockNumber ?? 0;
        using (var blocks = _db.NewIterator(Family(Blocks)))
        {
            for (blocks.Seek(BigEndian(keep + 1)); blocks.Valid(); blocks.Next()) batch.Delete(blocks.Key(), Family(Blocks));
        }
        using (var events = _db.NewIterator(Family(Events)))
        {
            for (events.Seek(EventKey(keep + 1, 0)); events.Valid(); events.Next()) batch.Delete(events.Key(), Family(Events));
        }
        if (cursor is null) batch.Delete(CursorKey, Family(Meta));
        else batch.Put(CursorKey, CursorValue(cursor), Family(Meta));
    }

    /// <summary>The stored log at a place in the chain (block, log index), or null.</summary>
    public ChainLog? LogAt(ulong block, uint logIndex) =>
        _db.Get(EventKey(block, logIndex), Family(Events)) is { } value ? DecodeLog(value) : null;

    /// <summary>Stored logs from a place in the chain (block, log index) on, in chain order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ChainLog> LogsFrom(ulong block, uint logIndex, int limit)
    {
        var logs = new List<ChainLog>();
        using var iterator = _db.NewIterator(Family(Events));
        iterator.Seek(EventKey(block, logIndex));
        for (; iterator.Valid() && logs.Count < limit; iterator.Next()) logs.Add(DecodeLog(iterator.Value()));
        return logs;
    }

    private static ChainLog DecodeLog(byte[] value) => ChainLogCodec.IsEncoded(value)
        ? ChainLogCodec.Decode(value)
        : ChainLog.From(Newtonsoft.Json.JsonConvert.DeserializeObject<Nethereum.RPC.Eth.DTOs.FilterLog>(Encoding.UTF8.GetString(value))!);

    /// <summary>Every stored log in chain order (a store synced by an older node holds them as JSON: read as well).</summary>
    public IEnumerable<ChainLog> Logs()
    {
        using var iterator = _db.NewIterator(Family(Events));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) yield return DecodeLog(iterator.Value());
    }

    // ---- outbox -------------------------------------------------------------------------------

    /// <summary>The entry recorded under a request id, if any.</summary>
    public OutboxEntry? FindOutbox(string requestId)
    {
        var sequence = _db.Get(Encoding.UTF8.GetBytes(requestId), Family(OutboxIds));
        return sequence is null ? null : ReadOutbox(sequence);
    }

    /// <summary>Records a new write intent durably and returns it with its sequence number.</summary>
    public OutboxEntry AddOutbox(OutboxEntry entry) => AddOutbox([entry])[0];

    /// <summary>
    /// Records new write intents durably in one synced batch (group commit) and returns them with their sequence numbers.
    /// </summary>
    public IReadOnlyList<OutboxEntry> AddOutbox(IReadOnlyList<OutboxEntry> entries)
    {
        lock (_outboxLock)
        {
            var current = _db.Get(OutboxSequenceKey, Family(Meta));
            var sequence = current is null ? 0 : BinaryPrimitives.ReadUInt64BigEndian(current);
            var stored = new List<OutboxEntry>(entries.Count);
            using var batch = new WriteBatch();
            foreach (var entry in entries)
            {
                var added = entry with { Sequence = ++sequence };
                batch.Put(BigEndian(sequence), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(added), Family(Outbox));
                batch.Put(Encoding.UTF8.GetBytes(entry.RequestId), BigEndian(sequence), Family(OutboxIds));
                batch.Put(BigEndian(sequence), Array.Empty<byte>(), Family(OutboxPending));
                stored.Add(added);
            }
            batch.Put(OutboxSequenceKey, BigEndian(sequence), Family(Meta));
            _db.Write(batch, _synced);
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
        using var batch = new WriteBatch();
        var lowestPending = ulong.MaxValue;
        foreach (var entry in entries)
        {
            var sequence = BigEndian(entry.Sequence);
            batch.Put(sequence, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entry), Family(Outbox));
            if (entry.IsPending)
            {
                batch.Put(sequence, Array.Empty<byte>(), Family(OutboxPending));
                lowestPending = Math.Min(lowestPending, entry.Sequence);
            }
            else batch.Delete(sequence, Family(OutboxPending));
            // Only an entry that is or was dead-lettered touches that index: it stays free of tombstones too.
            if (IsDeadLettered(entry)) batch.Put(sequence, Array.Empty<byte>(), Family(OutboxDead));
            else if (_db.Get(sequence, Family(OutboxDead)) is not null) batch.Delete(sequence, Family(OutboxDead));
        }
        lock (_outboxLock)
        {
            _db.Write(batch, durable ? _synced : _logged);
            // A write retried from the dead letters is pending again below the floor.
            if (lowestPending < _pendingFloor) _pendingFloor = lowestPending;
        }
    }

    /// <summary>Entries dead-lettered and not yet retried: counted from their own index, not by reading the whole outbox.</summary>
    public int DeadLetteredCount()
    {
        var count = 0;
        using var iterator = _db.NewIterator(Family(OutboxDead));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) count++;
        return count;
    }

    /// <summary>The chain id this store's writes were signed for, once known: lets a node start while its chain is down.</summary>
    public ulong? ChainId
    {
        get => _db.Get(ChainIdKey, Family(Meta)) is { } value ? BinaryPrimitives.ReadUInt64BigEndian(value) : null;
        set
        {
            if (value is { } id) _db.Put(ChainIdKey, BigEndian(id), Family(Meta), _synced);
        }
    }

    /// <summary>Entries not yet confirmed or refused, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> PendingOutbox()
    {
        var pending = new List<OutboxEntry>();
        lock (_outboxLock)
        {
            using var iterator = _db.NewIterator(Family(OutboxPending));
            for (iterator.Seek(BigEndian(_pendingFloor)); iterator.Valid(); iterator.Next()) pending.Add(ReadOutbox(iterator.Key()));
            // Nothing below the first pending one is pending; with none, nothing up to the last sequence handed out.
            _pendingFloor = pending.Count > 0 ? pending[0].Sequence : LastOutboxSequence() + 1;
        }
        return pending;
    }

    private ulong LastOutboxSequence() => _db.Get(OutboxSequenceKey, Family(Meta)) is { } value
        ? BinaryPrimitives.ReadUInt64BigEndian(value) : 0;

    /// <summary>Every entry, newest first, that <paramref name="include"/> keeps, up to <paramref name="limit"/>.</summary>
    public IReadOnlyList<OutboxEntry> OutboxEntries(Func<OutboxEntry, bool> include, int limit)
    {
        var entries = new List<OutboxEntry>();
        using var iterator = _db.NewIterator(Family(Outbox));
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
        using var iterator = _db.NewIterator(Family(Outbox));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var entry = System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(iterator.Value())!;
            if (entry.BlockNumber > blockNumber && entry.SignedTransaction is not null) mined.Add(entry);
        }
        return mined;
    }

    // ---- documents and anchor batches -----------------------------------------------------------

    /// <summary>Keeps the owner's documents (canonical bytes by hash); they never leave the node.</summary>
    public void PutDocuments(IEnumerable<(byte[] Hash, byte[] CanonicalJson)> documents)
    {
        using var batch = new WriteBatch();
        foreach (var (hash, json) in documents) batch.Put(hash, json, Family(Documents));
        _db.Write(batch, _synced);
    }

    public byte[]? Document(byte[] hash) => _db.Get(hash, Family(Documents));

    /// <summary>Records a batch before its root is sent: its leaf count and every document's proof, atomically.</summary>
    public void SaveBatch(byte[] root, long leafCount, IEnumerable<(byte[] DocumentHash, string ProofHex)> proofs)
    {
        using var batch = new WriteBatch();
        foreach (var (hash, proof) in proofs) batch.Put(hash, (byte[])[.. root, .. Encoding.ASCII.GetBytes(proof)], Family(Proofs));
        batch.Put(root, BigEndian((ulong)leafCount), Family(Batches));
        _db.Write(batch, _synced);
    }

    /// <summary>The root and inclusion proof (hex form) of a document this node batched.</summary>
    public (byte[] Root, string ProofHex)? Proof(byte[] documentHash)
    {
        var value = _db.Get(documentHash, Family(Proofs));
        return value is null ? null : (value[..32], Encoding.ASCII.GetString(value, 32, value.Length - 32));
    }

    /// <summary>Every batch this node built, by root, with its leaf count.</summary>
    public IReadOnlyList<(byte[] Root, long LeafCount)> BatchRoots()
    {
        var roots = new List<(byte[], long)>();
        using var iterator = _db.NewIterator(Family(Batches));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            roots.Add((iterator.Key(), (long)BinaryPrimitives.ReadUInt64BigEndian(iterator.Value())));
        }
        return roots;
    }

    private OutboxEntry ReadOutbox(byte[] sequence) =>
        System.Text.Json.JsonSerializer.Deserialize<OutboxEntry>(_db.Get(sequence, Family(Outbox)))!;

    public void Dispose()
    {
        _db.Dispose();
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A place in the chain as the <c>events</c> family keys it: block, then log index, big-endian.</summary>
    internal static byte[] EventKey(ulong block, uint logIndex)
    {
        var key = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(key, block);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(8), logIndex);
        return key;
    }

    private static byte[] CursorValue(SyncCursor cursor) =>
        [.. BigEndian(cursor.BlockNumber), .. Encoding.ASCII.GetBytes(cursor.BlockHash)];
}

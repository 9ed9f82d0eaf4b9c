using System.Buffers.Binary;
using System.Text;
using OffshoreLedger.Ledger.Replay;
using RocksDbSharp;

namespace OffshoreLedger.Node.Storage;

/// <summary>
/// The node's one RocksDB, and in it the sync log: <c>meta</c> (cursor, chain id, read-model version and row counts),
/// <c>blocks</c> (number → hash of every applied block that matters for reorg detection) and <c>events</c> (block, log
/// index → the raw log, compact: <see cref="ChainLogCodec"/>); and the read model's families, named <c>index-…</c>
/// (<see cref="ReadModelFamily"/>): one per table of the projection (<see cref="DiskStateTables"/>), <c>index-records</c>
/// (the per-record event index) and <c>index-undo</c> (<see cref="UndoLog"/>). The outbox (<c>Outbox.OutboxStore</c>) and
/// the document vault (<c>Documents.DocumentVault</c>) keep their families in the same database. Each change that must
/// be atomic is one write batch.
/// </summary>
public sealed class LedgerStore : IDisposable
{
    private const string Meta = "meta", Blocks = "blocks", Events = "events";
    private static readonly byte[] CursorKey = "cursor"u8.ToArray();
    private static readonly byte[] ChainIdKey = "chain-id"u8.ToArray();

    private const ulong EventsWriteBufferBytes = 16 * 1024 * 1024;

    /// <summary>A read-model family's memtable: small, as two dozen of them are written in step.</summary>
    private const ulong ReadModelWriteBufferBytes = 4 * 1024 * 1024;

    private readonly RocksDb _db;
    private readonly string _directory;
    private readonly WriteOptions _synced = new WriteOptions().SetSync(true);

    /// <summary>Written to the log but not flushed to disk before returning: the next synced write (or the OS) makes it durable.</summary>
    private readonly WriteOptions _logged = new();


    public LedgerStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        // All memtables together, whatever the number of families: the read model's two dozen must not each grow its own.
        var options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true).SetDbWriteBufferSize(AllMemtablesBytes);
        var existing = File.Exists(Path.Combine(directory, "CURRENT")) ? RocksDb.ListColumnFamilies(options, directory).ToHashSet() : [];
        var families = new ColumnFamilies();
        foreach (var name in new[] { Meta, Blocks, Events }.Union(existing))
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
        _existing = existing;
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
            // Index and filter blocks stay with their table, outside the cache (~1.3 bytes a key): in the cache, random key
            // reads at 100,000 titles evicted them for data blocks, and every single-key check reloaded whole filters.
            .SetCacheIndexAndFilterBlocks(false));

    /// <summary>The read model's column family <paramref name="name"/>, created the first time it is asked for.</summary>
    internal ColumnFamilyHandle ReadModelFamily(string name)
    {
        var family = ReadModelPrefix + name;
        using var pass = _gate.Enter();
        lock (_familyLock)
        {
            return _db.TryGetColumnFamily(family, out var handle) ? handle : _db.CreateColumnFamily(ReadModelFamilyOptions(), family);
        }
    }

    private readonly Lock _familyLock = new();

    /// <summary>Every read-model family there is, for clearing the read model before it is rebuilt.</summary>
    internal IReadOnlyList<ColumnFamilyHandle> ReadModelFamilies()
    {
        using var pass = _gate.Enter();
        lock (_familyLock)
        {
            return [.. RocksDb.ListColumnFamilies(new DbOptions(), _directory).Where(IsReadModel).Select(n => _db.GetColumnFamily(n))];
        }
    }

    internal byte[]? Get(byte[] key, ColumnFamilyHandle family)
    {
        using var pass = _gate.Enter();
        return _db.Get(key, family);
    }

    /// <summary>An iterator over a family; it holds the store open until disposed.</summary>
    internal StoreIterator NewIterator(ColumnFamilyHandle family)
    {
        var pass = _gate.Enter();
        try
        {
            return new StoreIterator(_db.NewIterator(family), pass);
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Holds the store open for a call that uses its family handles between its own reads and writes: filling a write
    /// batch. Single reads, writes and iterators hold it themselves.
    /// </summary>
    internal StoreGate.Pass Use() => _gate.Enter();

    internal byte[]? GetMeta(byte[] key) => Get(key, Family(Meta));

    internal ColumnFamilyHandle MetaFamily => Family(Meta);

    /// <summary>
    /// Writes every family's memtable to disk and waits: after a long catch-up they hold tens of MB that reads no longer need
    /// in memory (the block cache serves them), and RocksDB would keep them until more writes filled them up.
    /// </summary>
    internal void FlushMemtables()
    {
        var options = new FlushOptions().SetWaitForFlush(true);
        using var pass = _gate.Enter();
        lock (_familyLock)
        {
            foreach (var name in RocksDb.ListColumnFamilies(new DbOptions(), _directory))
            {
                var family = _db.GetColumnFamily(name);
                Native.Instance.rocksdb_flush_cf(_db.Handle, options.Handle, family.Handle);
            }
        }
    }

    /// <summary>Writes a batch and waits for the disk: the read model's steps.</summary>
    internal void WriteSynced(WriteBatch batch) => Write(batch, durable: true);

    /// <summary>
    /// The family <paramref name="name"/>, created the first time it is asked for: the outbox (<c>Outbox.OutboxStore</c>)
    /// and the document vault (<c>Documents.DocumentVault</c>) keep theirs in this one RocksDB.
    /// </summary>
    internal ColumnFamilyHandle Family(string name)
    {
        using var pass = _gate.Enter();
        lock (_familyLock)
        {
            return _db.TryGetColumnFamily(name, out var handle) ? handle : _db.CreateColumnFamily(new ColumnFamilyOptions(), name);
        }
    }

    /// <summary>True for a family this store did not have before it was opened, in a store that existed: an upgrade.</summary>
    internal bool AddedByUpgrade(string family) => _existing.Count > 0 && !_existing.Contains(family);

    private readonly HashSet<string> _existing;

    /// <summary>
    /// Writes a batch: synced, or (not <paramref name="durable"/>) to the log without waiting for the disk, for a state the
    /// chain keeps anyway.
    /// </summary>
    internal void Write(WriteBatch batch, bool durable)
    {
        using var pass = _gate.Enter();
        _db.Write(batch, durable ? _synced : _logged);
    }

    // ---- sync ---------------------------------------------------------------------------------

    public SyncCursor? Cursor
    {
        get
        {
            var value = Get(CursorKey, Family(Meta));
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
        using var pass = _gate.Enter();
        using var batch = new WriteBatch();
        AddRange(batch, logs, blockHashes, cursor);
        WriteSynced(batch);
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
        using var iterator = NewIterator(Family(Blocks));
        for (iterator.SeekToLast(); iterator.Valid(); iterator.Prev())
        {
            yield return (BinaryPrimitives.ReadUInt64BigEndian(iterator.Key()), Encoding.ASCII.GetString(iterator.Value()));
        }
    }

    /// <summary>Forgets every block and event after <paramref name="cursor"/> (a reorg's fork point), atomically.</summary>
    public void RollbackTo(SyncCursor? cursor)
    {
        using var pass = _gate.Enter();
        using var batch = new WriteBatch();
        AddRollback(batch, cursor);
        WriteSynced(batch);
    }

    /// <summary>Adds <see cref="RollbackTo"/>'s writes to a batch the caller writes (with the read model's).</summary>
    internal void AddRollback(WriteBatch batch, SyncCursor? cursor)
    {
        var keep = cursor?.BlockNumber ?? 0;
        using (var blocks = NewIterator(Family(Blocks)))
        {
            for (blocks.Seek(BigEndian(keep + 1)); blocks.Valid(); blocks.Next()) batch.Delete(blocks.Key(), Family(Blocks));
        }
        using (var events = NewIterator(Family(Events)))
        {
            for (events.Seek(EventKey(keep + 1, 0)); events.Valid(); events.Next()) batch.Delete(events.Key(), Family(Events));
        }
        if (cursor is null) batch.Delete(CursorKey, Family(Meta));
        else batch.Put(CursorKey, CursorValue(cursor), Family(Meta));
    }

    /// <summary>The stored log at a place in the chain (block, log index), or null.</summary>
    public ChainLog? LogAt(ulong block, uint logIndex) =>
        Get(EventKey(block, logIndex), Family(Events)) is { } value ? DecodeLog(value) : null;

    /// <summary>Stored logs from a place in the chain (block, log index) on, in chain order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ChainLog> LogsFrom(ulong block, uint logIndex, int limit)
    {
        var logs = new List<ChainLog>();
        using var iterator = NewIterator(Family(Events));
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
        using var iterator = NewIterator(Family(Events));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) yield return DecodeLog(iterator.Value());
    }

    // ---- meta ---------------------------------------------------------------------------------

    /// <summary>The chain id this store's writes were signed for, once known: lets a node start while its chain is down.</summary>
    public ulong? ChainId
    {
        get => Get(ChainIdKey, Family(Meta)) is { } value ? BinaryPrimitives.ReadUInt64BigEndian(value) : null;
        set
        {
            if (value is not { } id) return;
            using var pass = _gate.Enter();
            _db.Put(ChainIdKey, BigEndian(id), Family(Meta), _synced);
        }
    }

    private readonly StoreGate _gate = new();

    /// <summary>The longest <see cref="Dispose"/> waits for calls in flight (a sync step's batch, a long scan) to finish.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Calls in the database now (for tests of <see cref="Dispose"/> under load).</summary>
    internal int CallsInFlight => _gate.InFlight;

    /// <summary>
    /// Turns new calls away (<see cref="ObjectDisposedException"/>), waits for those in flight, then closes RocksDB. If
    /// some call is still in after <see cref="DrainTimeout"/>, the database is left open: a leaked handle until the
    /// process ends is better than closing it under a call, which crashes the process.
    /// </summary>
    public void Dispose()
    {
        if (_gate.Close(DrainTimeout)) _db.Dispose();
    }

    internal static byte[] BigEndian(ulong value)
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

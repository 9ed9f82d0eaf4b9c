using System.Buffers.Binary;
using System.Threading.Channels;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Index;

/// <summary>
/// The node's read model, on disk: the ledger projected from the contract's logs (a pure function of them) in RocksDB
/// column families, a per-record event index (<see cref="LedgerRecord"/>) and the block it reflects, all moved by one
/// synced write batch per sync step, together with the logs and the sync cursor. A restarted node serves at once from
/// what it has; a reorg is rolled back by the steps' own undo records (<see cref="UndoLog"/>). Reads never touch the chain.
/// </summary>
public sealed class LedgerIndex
{
    /// <summary>Bumped when what the read model holds changes: a store of another version is rebuilt from its logs once.</summary>
    private const ulong ReadModelVersion = 2;

    private static readonly byte[] VersionKey = "read-model-version"u8.ToArray();

    /// <summary>Logs applied per batch while the read model is rebuilt from the stored logs.</summary>
    private const int RebuildChunk = 5_000;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly List<(ulong Block, TaskCompletionSource Reached)> _waiters = [];
    private readonly List<Channel<LedgerEvent>> _watchers = [];
    private readonly LedgerStore _store;
    private readonly DiskStateTables _tables;
    private readonly LedgerProjection _projection;
    private readonly RecordIndex _records;
    private readonly UndoLog _undo;
    private SyncCursor? _synced;

    public LedgerIndex(LedgerStore store)
    {
        _store = store;
        _tables = new DiskStateTables(store);
        _projection = new LedgerProjection(_tables);
        _records = new RecordIndex(store);
        _undo = new UndoLog(store);
        _synced = store.Cursor;
    }

    /// <summary>The newest block applied, or null before the first sync.</summary>
    public SyncCursor? Synced
    {
        get
        {
            _lock.EnterReadLock();
            try { return _synced; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>
    /// Readies the read model before the node serves: a store written before it held one (or by a node whose read model
    /// differs) is rebuilt once from its stored logs. Otherwise nothing to do: the model is where the cursor is.
    /// </summary>
    public void Open()
    {
        var version = _store.GetMeta(VersionKey) is { } stored ? BinaryPrimitives.ReadUInt64BigEndian(stored) : (ulong?)null;
        if (version == ReadModelVersion) return;
        using var pass = _store.Use();
        _lock.EnterWriteLock();
        try
        {
            if (_store.Cursor is not null) Rebuild();
            using var batch = new WriteBatch();
            batch.Put(VersionKey, LedgerStore.BigEndian(ReadModelVersion), _store.MetaFamily);
            _store.WriteSynced(batch);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Runs a query against a consistent view of the ledger and the block it reflects.</summary>
    public T Read<T>(Func<LedgerProjection, SyncCursor?, T> query)
    {
        _lock.EnterReadLock();
        try { return query(_projection, _synced); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Runs a query against a consistent view of the ledger, its per-record event index and the block it reflects.</summary>
    public T Read<T>(Func<LedgerProjection, RecordHistory, SyncCursor?, T> query)
    {
        _lock.EnterReadLock();
        try { return query(_projection, new RecordHistory(this), _synced); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>A record's events, oldest first: a title's, a key's, a transaction's… (<see cref="LedgerRecord"/>).</summary>
    public IReadOnlyList<LedgerEvent> History(LedgerRecord record) => Read((_, history, _) => history.Of(record));

    /// <summary>The events one transaction emitted, in log order; empty if the index holds none of them.</summary>
    public IReadOnlyList<LedgerEvent> EventsOf(string transactionHash) => History(LedgerRecord.Transaction(transactionHash));

    /// <summary>
    /// The events of records, read under the index's lock (only inside <see cref="Read{T}(Func{LedgerProjection, RecordHistory,
    /// SyncCursor?, T})"/>).
    /// </summary>
    public sealed class RecordHistory
    {
        private readonly LedgerIndex _index;

        internal RecordHistory(LedgerIndex index) => _index = index;

        /// <summary>The events of one or more records, oldest first, each once.</summary>
        public IReadOnlyList<LedgerEvent> Of(params LedgerRecord[] records) =>
            [.. records.SelectMany(_index._records.Places).Distinct().Order().Select(_index.EventAt).OfType<LedgerEvent>()];

        /// <summary>The record's newest event, or null.</summary>
        public LedgerEvent? Newest(LedgerRecord record) => _index._records.Places(record) is { Count: > 0 } places
            ? _index.EventAt(places[^1]) : null;
    }

    private LedgerEvent? EventAt((ulong Block, uint LogIndex) place) =>
        _stepEvents.TryGetValue(place, out var stepEvent) ? stepEvent
        : _store.LogAt(place.Block, place.LogIndex) is { } log ? LedgerEvents.Decode(log) : null;

    /// <summary>The events of the step being applied (their logs reach the store with the step's batch), by place.</summary>
    private readonly Dictionary<(ulong Block, uint LogIndex), LedgerEvent> _stepEvents = [];

    /// <summary>
    /// Applies a sync step: stores its logs and the blocks' hashes, projects its events and indexes them, and moves the
    /// cursor, in one synced batch. With <paramref name="undoable"/> (a step near the head, where reorgs happen) what the
    /// step replaced is kept for <see cref="RollBackTo"/>; a step far behind the head keeps none.
    /// </summary>
    public void Apply(
        IReadOnlyList<ChainLog> logs, IReadOnlyDictionary<ulong, string> blockHashes, SyncCursor synced, bool undoable = true) =>
        Apply(logs, LedgerEvents.Decode(logs), blockHashes, synced, undoable);

    /// <summary>Applies a sync step whose logs are decoded already (<paramref name="events"/>: those of <paramref name="logs"/>).</summary>
    public void Apply(
        IReadOnlyList<ChainLog> logs, IReadOnlyList<LedgerEvent> events, IReadOnlyDictionary<ulong, string> blockHashes, SyncCursor synced,
        bool undoable = true)
    {
        using var pass = _store.Use();
        _lock.EnterWriteLock();
        try
        {
            using var batch = new WriteBatch();
            var undo = undoable ? new UndoLog.Record(_synced) : null;
            Project(events, batch, undo);
            _store.AddRange(batch, logs, blockHashes, synced);
            if (undo is not null) _undo.Add(batch, synced.BlockNumber, undo);
            try
            {
                _store.WriteSynced(batch);
            }
            catch
            {
                // Nothing of the step reached the disk: the tables' counts go back to what the disk holds.
                _tables.Discard();
                throw;
            }
            _synced = synced;
        }
        finally { _lock.ExitWriteLock(); }
        Publish(events, synced);
    }

    /// <summary>Projects and indexes events into <paramref name="batch"/>; on failure nothing of them stays.</summary>
    private void Project(IReadOnlyList<LedgerEvent> events, WriteBatch batch, UndoLog.Record? undo)
    {
        _stepEvents.Clear();
        try
        {
            foreach (var e in events)
            {
                _projection.Apply(e);
                _stepEvents[((ulong)e.BlockNumber, (uint)e.LogIndex)] = e;
                Index(e);
            }
            _tables.Flush(batch, undo);
            _records.Flush(batch, undo);
        }
        catch
        {
            _tables.Discard();
            _records.Discard();
            throw;
        }
        finally
        {
            _stepEvents.Clear();
            if (_stepEvents.EnsureCapacity(0) > 4_096) _stepEvents.TrimExcess(4_096);
        }
    }

    private void Index(LedgerEvent e)
    {
        var (block, logIndex) = ((ulong)e.BlockNumber, (uint)e.LogIndex);
        foreach (var record in LedgerRecord.Of(e, key => _projection.TitleOfKey(Hex.Of(key)))) _records.Add(record, block, logIndex);
        if (e.Event is not TitleRegisteredEvent registered) return;
        // A key pledged on its own before its title was registered: those pledges are in the title's history too.
        foreach (var key in registered.Keys.Where(_projection.WasLockedOnItsOwn))
        {
            foreach (var place in _records.Places(LedgerRecord.Key(key)))
            {
                if (place != (block, logIndex) && EventAt(place)?.Event is PledgedEvent or PledgeBlockedEvent or ReleasedEvent)
                {
                    _records.Add(LedgerRecord.Title(registered.TitleId), place.Block, place.LogIndex);
                }
            }
        }
    }

    /// <summary>
    /// Rolls the read model, the stored logs and the cursor back to <paramref name="fork"/> (a reorg's fork point) or
    /// before it, to the end of a step: by the steps' undo records where they reach, else by rebuilding from the logs.
    /// Returns the block it went back to.
    /// </summary>
    public SyncCursor? RollBackTo(SyncCursor? fork)
    {
        using var pass = _store.Use();
        _lock.EnterWriteLock();
        try
        {
            using var batch = new WriteBatch();
            if (_undo.TryUndo(batch, fork?.BlockNumber ?? 0, _synced, out var reached))
            {
                _store.AddRollback(batch, reached);
                _store.WriteSynced(batch);
                _tables.Discard();
            }
            else
            {
                reached = fork;
                _store.RollbackTo(fork);
                Rebuild();
            }
            _synced = reached;
            return reached;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Clears the read model and projects every stored log again, a chunk per batch (under the write lock).</summary>
    private void Rebuild()
    {
        foreach (var family in _store.ReadModelFamilies())
        {
            using var clear = new WriteBatch();
            using var iterator = _store.NewIterator(family);
            for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) clear.Delete(iterator.Key(), family);
            _store.WriteSynced(clear);
        }
        using (var counts = new WriteBatch())
        {
            using var iterator = _store.NewIterator(_store.MetaFamily);
            for (iterator.Seek("count/"u8.ToArray()); iterator.Valid() && iterator.Key().AsSpan().StartsWith("count/"u8); iterator.Next())
            {
                counts.Delete(iterator.Key(), _store.MetaFamily);
            }
            _store.WriteSynced(counts);
        }
        _tables.Discard();
        foreach (var chunk in _store.Logs().Chunk(RebuildChunk))
        {
            using var batch = new WriteBatch();
            Project(LedgerEvents.Decode(chunk), batch, undo: null);
            _store.WriteSynced(batch);
        }
    }

    /// <summary>Completes once the index has applied block <paramref name="blockNumber"/>.</summary>
    public Task WaitForBlockAsync(ulong blockNumber, CancellationToken cancellationToken)
    {
        lock (_waiters)
        {
            if (Synced?.BlockNumber >= blockNumber) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((blockNumber, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Events a watcher is sent per look at the index while it catches up.</summary>
    private const int WatchPageSize = 256;

    /// <summary>
    /// A catch-up subscription: every event after <paramref name="after"/> (block, log index), in chain order, once. It
    /// first pages through the events the index holds; when a page reaches the newest, it joins the live feed under the
    /// index's lock, so no event applied meanwhile is missed, and any it already read is not sent twice. Nothing is
    /// buffered for it while it pages through history; live, it holds at most <paramref name="capacity"/> events not yet
    /// read, and a reader further behind than that ends with <see cref="WatcherTooSlowException"/>, never with events
    /// silently missing. Completing the token ends the subscription.
    /// </summary>
    public async IAsyncEnumerable<LedgerEvent> WatchAsync(
        (ulong Block, long Log) after, int capacity,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after;
        ChannelReader<LedgerEvent>? live = null;
        while (live is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = last;
            var page = NextPage(ref read, capacity, cancellationToken, out live);
            foreach (var e in page) yield return e;
            last = read;
        }
        await foreach (var e in live.ReadAllAsync(cancellationToken))
        {
            // Applied before it joined the feed and already read from the index.
            if (KeyOf(e).CompareTo(last) <= 0) continue;
            yield return e;
            last = KeyOf(e);
        }
    }

    private static (ulong Block, long Log) KeyOf(LedgerEvent e) => ((ulong)e.BlockNumber, (long)e.LogIndex);

    /// <summary>
    /// The next events after <paramref name="after"/>, read from the stored logs; when they reach the newest the index
    /// holds, the live feed the caller continues with, registered before the lock is let go (a step applies under the
    /// write lock). <paramref name="after"/> moves past every log read, decodable or not.
    /// </summary>
    private List<LedgerEvent> NextPage(
        ref (ulong Block, long Log) after, int capacity, CancellationToken cancellationToken, out ChannelReader<LedgerEvent>? live)
    {
        _lock.EnterReadLock();
        try
        {
            var (block, logIndex) = after.Log < 0 ? (after.Block, 0u) : after.Log >= uint.MaxValue
                ? (after.Block + 1, 0u) : (after.Block, (uint)after.Log + 1);
            var logs = _store.LogsFrom(block, logIndex, WatchPageSize);
            if (logs.Count > 0) after = (logs[^1].BlockNumber, logs[^1].LogIndex);
            live = logs.Count < WatchPageSize ? Join(capacity, cancellationToken) : null;
            return [.. LedgerEvents.Decode(logs)];
        }
        finally { _lock.ExitReadLock(); }
    }

    private ChannelReader<LedgerEvent> Join(int capacity, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LedgerEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        lock (_watchers) _watchers.Add(channel);
        cancellationToken.Register(() =>
        {
            lock (_watchers) _watchers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private void Publish(IReadOnlyList<LedgerEvent> events, SyncCursor synced)
    {
        lock (_watchers)
        {
            _watchers.RemoveAll(watcher =>
            {
                foreach (var e in events)
                {
                    if (watcher.Writer.TryWrite(e)) continue;
                    watcher.Writer.TryComplete(new WatcherTooSlowException());
                    return true;
                }
                return false;
            });
        }
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Block <= synced.BlockNumber).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}

/// <summary>A watcher fell further behind the index than its buffer holds and was dropped from the live feed.</summary>
public sealed class WatcherTooSlowException() : Exception("The watcher fell too far behind the index.");

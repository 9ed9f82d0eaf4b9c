using System.Threading.Channels;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Index;

/// <summary>
/// The node's read model: the ledger projected from the contract's logs (a pure function of them), the block
/// it reflects, and the events themselves for history and watchers. Reads never touch the chain.
/// </summary>
public sealed class LedgerIndex
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly List<(ulong Block, TaskCompletionSource Reached)> _waiters = [];
    private readonly List<Channel<LedgerEvent>> _watchers = [];
    private LedgerProjection _projection = new();
    private List<LedgerEvent> _events = [];
    private Dictionary<string, List<LedgerEvent>> _byTransaction = new(StringComparer.OrdinalIgnoreCase);
    private SyncCursor? _synced;
    private readonly Dictionary<string, string> _shared = [];

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

    /// <summary>Runs a query against a consistent view of the ledger and the block it reflects.</summary>
    public T Read<T>(Func<LedgerProjection, SyncCursor?, T> query)
    {
        _lock.EnterReadLock();
        try { return query(_projection, _synced); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Runs a query against a consistent view of the ledger, its events (oldest first) and the block it reflects.</summary>
    public T Read<T>(Func<LedgerProjection, IReadOnlyList<LedgerEvent>, SyncCursor?, T> query)
    {
        _lock.EnterReadLock();
        try { return query(_projection, _events, _synced); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Events matching <paramref name="filter"/>, oldest first.</summary>
    public IReadOnlyList<LedgerEvent> Events(Func<LedgerEvent, LedgerProjection, bool> filter) =>
        Read((projection, _) => _events.Where(e => filter(e, projection)).ToList());

    /// <summary>The events one transaction emitted, in log order; empty if the index holds none of them.</summary>
    public IReadOnlyList<LedgerEvent> EventsOf(string transactionHash) =>
        Read((_, _) => _byTransaction.TryGetValue(transactionHash, out var events) ? events.ToList() : []);

    /// <summary>Applies newly synced events and moves the stamp.</summary>
    public void Apply(IReadOnlyList<LedgerEvent> events, SyncCursor synced)
    {
        events = Compact(events);
        _lock.EnterWriteLock();
        try
        {
            _projection.ApplyAll(events);
            _events.AddRange(events);
            AddByTransaction(_byTransaction, events);
            _synced = synced;
        }
        finally { _lock.ExitWriteLock(); }
        Publish(events, synced);
    }

    /// <summary>Rebuilds from scratch, e.g. from the store at start-up or after a reorg's rollback.</summary>
    public void Reset(IReadOnlyList<LedgerEvent> events, SyncCursor? synced)
    {
        events = Compact(events);
        var projection = new LedgerProjection();
        projection.ApplyAll(events);
        var byTransaction = new Dictionary<string, List<LedgerEvent>>(StringComparer.OrdinalIgnoreCase);
        AddByTransaction(byTransaction, events);
        _lock.EnterWriteLock();
        try
        {
            _projection = projection;
            _events = [.. events];
            _byTransaction = byTransaction;
            _synced = synced;
        }
        finally { _lock.ExitWriteLock(); }
        if (synced is not null) Publish([], synced);
    }

    /// <summary>
    /// The events as kept for history: every event is held for good, so strings that recur are shared rather than
    /// repeated (a block's hash across its events; the few member addresses across every registration).
    /// </summary>
    private List<LedgerEvent> Compact(IReadOnlyList<LedgerEvent> events)
    {
        var compact = new List<LedgerEvent>(events.Count);
        lock (_shared)
        {
            foreach (var e in events)
            {
                if (e.Event is TitleRegisteredEvent registered)
                {
                    registered.Holder = Shared(registered.Holder);
                    registered.Issuer = Shared(registered.Issuer);
                }
                compact.Add(e with { BlockHash = Shared(e.BlockHash) });
            }
            // Block hashes recur only within a window; addresses for good.
            if (_shared.Count > 10_000) _shared.Clear();
        }
        return compact;
    }

    private string Shared(string value)
    {
        if (_shared.TryGetValue(value, out var shared)) return shared;
        _shared[value] = value;
        return value;
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
        (ulong Block, long Log) after, int capacity, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after;
        ChannelReader<LedgerEvent>? live = null;
        while (live is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = NextPage(last, capacity, cancellationToken, out live);
            foreach (var e in page)
            {
                yield return e;
                last = KeyOf(e);
            }
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
    /// The next events after <paramref name="after"/>; when they reach the newest the index holds, the live feed the
    /// caller continues with, registered before the lock is let go (an Apply appends under the write lock).
    /// </summary>
    private List<LedgerEvent> NextPage((ulong Block, long Log) after, int capacity, CancellationToken cancellationToken, out ChannelReader<LedgerEvent>? live)
    {
        _lock.EnterReadLock();
        try
        {
            // Events are in chain order: the first after the key by binary search.
            int low = 0, high = _events.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (KeyOf(_events[middle]).CompareTo(after) <= 0) low = middle + 1;
                else high = middle;
            }
            var page = _events.GetRange(low, Math.Min(WatchPageSize, _events.Count - low));
            live = low + page.Count == _events.Count ? Join(capacity, cancellationToken) : null;
            return page;
        }
        finally { _lock.ExitReadLock(); }
    }

    private ChannelReader<LedgerEvent> Join(int capacity, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LedgerEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        lock (_watchers) _watchers.Add(channel);
        cancellationToken.Register(() =>
        {
            lock (_watchers) _watchers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private static void AddByTransaction(Dictionary<string, List<LedgerEvent>> byTransaction, IEnumerable<LedgerEvent> events)
    {
        foreach (var e in events)
        {
            if (!byTransaction.TryGetValue(e.TransactionHash, out var list)) byTransaction[e.TransactionHash] = list = [];
            list.Add(e);
        }
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

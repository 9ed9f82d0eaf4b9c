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
    private SyncCursor? _synced;

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

    /// <summary>Applies newly synced events and moves the stamp.</summary>
    public void Apply(IReadOnlyList<LedgerEvent> events, SyncCursor synced)
    {
        _lock.EnterWriteLock();
        try
        {
            _projection.ApplyAll(events);
            _events.AddRange(events);
            _synced = synced;
        }
        finally { _lock.ExitWriteLock(); }
        Publish(events, synced);
    }

    /// <summary>Rebuilds from scratch, e.g. from the store at start-up or after a reorg's rollback.</summary>
    public void Reset(IReadOnlyList<LedgerEvent> events, SyncCursor? synced)
    {
        var projection = new LedgerProjection();
        projection.ApplyAll(events);
        _lock.EnterWriteLock();
        try
        {
            _projection = projection;
            _events = [.. events];
            _synced = synced;
        }
        finally { _lock.ExitWriteLock(); }
        if (synced is not null) Publish([], synced);
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

    /// <summary>A live feed of events applied from now on; dispose the reader's subscription by completing the token.</summary>
    public ChannelReader<LedgerEvent> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LedgerEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
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
            foreach (var watcher in _watchers)
            {
                foreach (var e in events) watcher.Writer.TryWrite(e);
            }
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

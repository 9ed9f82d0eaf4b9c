namespace OffshoreLedger.Node.Storage;

/// <summary>
/// Keeps RocksDB open while calls are in it. Each call holds a pass (<see cref="Enter"/>) for as long as it uses the
/// database or its handles: a read, a write, an iterator, a write batch being filled. <see cref="Close"/> turns new calls
/// away with <see cref="ObjectDisposedException"/> and waits for those in flight: a call into a closed RocksDB is a
/// segmentation fault that takes the whole process down, not an exception.
/// </summary>
internal sealed class StoreGate
{
    private int _inFlight;
    private int _closed;

    /// <summary>A pass for one call; dispose it when the call is done with the database.</summary>
    public Pass Enter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _closed) == 1)
        {
            Interlocked.Decrement(ref _inFlight);
            throw new ObjectDisposedException(nameof(LedgerStore), "The node's store is closed: the node is stopping.");
        }
        return new Pass(this);
    }

    /// <summary>Turns new calls away and waits for those in flight; false if some were still in after <paramref name="timeout"/>.</summary>
    public bool Close(TimeSpan timeout)
    {
        // A full fence: a call that entered before this exchange is counted below; one that enters after it sees it closed.
        Interlocked.Exchange(ref _closed, 1);
        return SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, timeout);
    }

    /// <summary>Calls in the database now (for tests).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public readonly struct Pass(StoreGate gate) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref gate._inFlight);
    }
}

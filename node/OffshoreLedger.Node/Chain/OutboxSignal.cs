namespace OffshoreLedger.Node.Chain;

/// <summary>Wakes a background loop early (new work, or a block worth syncing) instead of waiting out its poll.</summary>
public sealed class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* already awake */ }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>The outbox sender's wake-up.</summary>
public sealed class OutboxSignal
{
    /// <summary>The signal itself; <see cref="Wake"/> and <see cref="WaitAsync"/> say the same without the stutter.</summary>
    public WakeSignal Signal { get; } = new();

    public void Wake() => Signal.Wake();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => Signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>The chain follower's wake-up.</summary>
public sealed class SyncSignal
{
    /// <summary>The signal itself; <see cref="Wake"/> and <see cref="WaitAsync"/> say the same without the stutter.</summary>
    public WakeSignal Signal { get; } = new();

    public void Wake() => Signal.Wake();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => Signal.WaitAsync(timeout, cancellationToken);
}

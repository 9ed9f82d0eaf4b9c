using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Sync;

/// <summary>The chain follower's wake-up.</summary>
public sealed class SyncSignal
{
    private readonly WakeSignal _signal = new();

    public void Wake() => _signal.Wake();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

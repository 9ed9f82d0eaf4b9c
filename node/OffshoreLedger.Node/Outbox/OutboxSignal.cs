using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Outbox;

/// <summary>The outbox sender's wake-up.</summary>
public sealed class OutboxSignal
{
    private readonly WakeSignal _signal = new();

    public void Wake() => _signal.Wake();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

using System.Runtime.InteropServices;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a cancellation, so the chain is disposed and anvil stopped
/// cleanly instead of the runtime tearing the process down. A second signal is not held back, so a stuck
/// shutdown can still be interrupted; anvil is then stopped by its process-exit hook.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _requested.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = !_requested.IsCancellationRequested;
        _requested.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _requested.Dispose();
    }
}

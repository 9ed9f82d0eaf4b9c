namespace OffshoreLedger.Node.Tests;

/// <summary>
/// One devnet (six node processes and a chain) for the tests that use it: starting one costs more than any of them. Stopped
/// with Ctrl-C, and its data deleted, when they are done; the test of stopping it and running it again on its data
/// (<see cref="DevnetCommandTests"/>) does so through <see cref="RestartAsync"/>, and the devnet runs on for the others.
/// </summary>
public sealed class RunningDevnet : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new("offshore-devnet-");
    private DevnetRun? _run;

    /// <summary>The devnet's data folder (<c>--data</c>): devnet.json, each node's folder, the chain's state.</summary>
    public string Data => _data.Path;

    /// <summary>The devnet's command as it runs now (what it printed since its last start).</summary>
    public DevnetRun Run => _run ?? throw new InvalidOperationException("The devnet is not running.");

    public async Task InitializeAsync() => _run = await DevnetRun.StartAsync(Data);

    /// <summary>
    /// Ctrl-C, then the README's command again on the same data, as a person stops the devnet and runs it the next day.
    /// Returns the stopped run's exit code and the processes of it still alive once it had exited (none when it stopped
    /// cleanly). The devnet runs again afterwards whatever happened, for the tests after this one.
    /// </summary>
    public async Task<(int ExitCode, List<int> LeftRunning)> RestartAsync()
    {
        var stopped = Run;
        _run = null;
        try
        {
            var exitCode = await stopped.InterruptAsync();
            return (exitCode, DevnetRun.ChildProcessesUsing(Data));
        }
        finally
        {
            await stopped.DisposeAsync();
            _run = await DevnetRun.StartAsync(Data);
        }
    }

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            try
            {
                await _run.InterruptAsync();
            }
            finally
            {
                await _run.DisposeAsync();
            }
        }
        _data.Dispose();
    }
}

/// <summary>The tests that share <see cref="RunningDevnet"/>: one after another, on one devnet.</summary>
[CollectionDefinition(Name)]
public sealed class RunningDevnetCollection : ICollectionFixture<RunningDevnet>
{
    public const string Name = "running devnet";
}

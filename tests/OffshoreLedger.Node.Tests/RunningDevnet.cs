namespace OffshoreLedger.Node.Tests;

/// <summary>
/// One devnet (six node processes and a chain) for the tests that only use it as it runs: starting one costs more than any
/// of them. Stopped with Ctrl-C, and its data deleted, when they are done; the tests of starting, stopping and restarting
/// the devnet itself (<see cref="DevnetCommandTests"/>) run one of their own.
/// </summary>
public sealed class RunningDevnet : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new("offshore-devnet-");
    private DevnetRun? _run;

    /// <summary>The devnet's data folder (<c>--data</c>): devnet.json, each node's folder, the chain's state.</summary>
    public string Data => _data.Path;

    public async Task InitializeAsync() => _run = await DevnetRun.StartAsync(Data);

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

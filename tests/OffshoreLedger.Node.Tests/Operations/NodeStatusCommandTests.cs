using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Cli;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary><c>offshore node status</c>: a view refreshed until cancelled (Ctrl-C), and one snapshot with --json.</summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class NodeStatusCommandTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("offshore-status-home-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_home);

    [Fact]
    public async Task Status_refreshes_until_cancelled_and_json_prints_one_snapshot()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        await node.SyncedToHeadAsync(fixture);
        var management = node.Services.GetRequiredService<ManagementServer>().Url!;
        var environment = new Dictionary<string, string?> { ["HOME"] = _home, ["NO_COLOR"] = "1", ["OFFSHORE_MANAGEMENT"] = management };

        using var live = new StringWriter();
        var output = TextWriter.Synchronized(live);
        using var stop = new CancellationTokenSource();
        var running = CliApp.RunAsync(["node", "status", "--interval", "0.1"], output, TextWriter.Null, environment, stop.Token);
        string Text()
        {
            // The synchronised writer locks on itself while it writes.
            lock (output) return live.ToString();
        }
        await Poll.UntilAsync(() => Task.FromResult(Frames(Text())), n => n >= 3, TimeSpan.FromSeconds(60));
        stop.Cancel();
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(30));
        var json = await CliResultOf(["node", "status", "--json"], environment);
        var unreachable = await CliResultOf(["node", "status", "--json", "--management", "http://127.0.0.1:1"], environment);

        Assert.True(Frames(Text()) >= 3, Text());
        Assert.Contains("outbox", Text());
        Assert.Contains("recent refusals", Text());
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.True(json.Json.GetProperty("sync").GetProperty("chainHead").GetUInt64() > 0, json.ToString());
        Assert.Equal(ExitCodes.NodeUnreachable, unreachable.ExitCode);
    }

    private static int Frames(string text) => text.Split("node status at").Length - 1;

    private static async Task<CliResult> CliResultOf(string[] args, Dictionary<string, string?> environment)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}

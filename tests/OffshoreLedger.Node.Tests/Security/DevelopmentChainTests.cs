namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Issue 12, point 5: a missing chain setting never silently becomes a throw-away development chain, and
/// <c>--help</c> explains instead of starting one.
/// </summary>
public sealed class DevelopmentChainTests
{
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Without_Chain_RpcUrl_and_without_dev_the_node_exits_non_zero_naming_the_setting()
    {
        using var data = new TemporaryDirectory("offshore-nochain-");

        var run = await NodeProgram.RunAsync(["--Urls=http://127.0.0.1:0", $"--Storage:DataDirectory={data.Path}"], Allowed);

        Assert.True(run.ExitCode is not (0 or -1), run.ToString());
        Assert.Contains("Chain:RpcUrl", run.Stderr);
        Assert.Contains("--dev", run.Stderr);
        Assert.DoesNotContain("development chain", run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_dev_and_no_Chain_RpcUrl_the_node_starts_on_its_own_development_chain()
    {
        using var data = new TemporaryDirectory("offshore-dev-");
        var (app, devnet) = await Hosting.LedgerNodeApp.BuildAsync([Hosting.NodeCommandLine.DevFlag], DevSettings(data.Path));
        await using (devnet)
        {
            await using (app)
            {
                await app.StartAsync();
                using var client = new Client.Connection.LedgerClient(
                    new Client.Connection.LedgerClientOptions { Address = new Uri(app.Urls.Single()), ApiKey = devnet!.ReadApiKey });

                var info = await client.GetNodeInfoAsync();

                Assert.Equal(devnet.Consortium.ContractAddress, info.ContractAddress, ignoreCase: true);
                Assert.Equal(devnet.Self.Address, info.Address, ignoreCase: true);
                await app.StopAsync();
            }
        }

        Assert.True(Directory.Exists(Path.Combine(data.Path, "store")), "a configured data directory outlives the node");
    }

    [Fact]
    public async Task With_dev_and_no_data_directory_the_node_deletes_the_temporary_one_it_made_when_it_stops()
    {
        var (app, devnet) = await Hosting.LedgerNodeApp.BuildAsync([Hosting.NodeCommandLine.DevFlag], DevSettings(dataDirectory: null));
        var dataDirectory = devnet!.DataDirectory;
        await using (devnet)
        {
            await using (app)
            {
                await app.StartAsync();
                Assert.True(Directory.Exists(Path.Combine(dataDirectory, "store")));
                await app.StopAsync();
            }
        }

        Assert.False(Directory.Exists(dataDirectory), $"{dataDirectory} is left behind");
    }

    private static Dictionary<string, string?> DevSettings(string? dataDirectory) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Node:Management:Url"] = "http://127.0.0.1:0",
        ["Storage:DataDirectory"] = dataDirectory,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_commands_and_main_settings_and_exits_0(string flag)
    {
        var run = await NodeProgram.RunAsync([flag], Allowed);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var expected in new[] { "devnet", "consortium-init", "healthcheck", "--dev", "Chain:RpcUrl", "Node:AllowPlaintext",
            "Node:Tls:CertificateFile", "Node:Tls:ClientCaFile", "Identity:KeystoreFile", "Auth:ApiKeys" })
        {
            Assert.Contains(expected, run.Stdout);
        }
    }
}

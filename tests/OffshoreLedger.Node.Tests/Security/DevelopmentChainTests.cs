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
        var data = Directory.CreateTempSubdirectory("offshore-nochain-").FullName;

        var run = await NodeProgram.RunAsync(["--Urls=http://127.0.0.1:0", $"--Storage:DataDirectory={data}"], Allowed);

        Assert.True(run.ExitCode is not (0 or -1), run.ToString());
        Assert.Contains("Chain:RpcUrl", run.Stderr);
        Assert.Contains("--dev", run.Stderr);
        Assert.DoesNotContain("development chain", run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_dev_and_no_Chain_RpcUrl_the_node_starts_on_its_own_development_chain()
    {
        var data = Directory.CreateTempSubdirectory("offshore-dev-").FullName;
        var (app, devnet) = await Hosting.LedgerNodeApp.BuildAsync([Hosting.NodeCommandLine.DevFlag], new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Node:Management:Url"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
        });
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
    }

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

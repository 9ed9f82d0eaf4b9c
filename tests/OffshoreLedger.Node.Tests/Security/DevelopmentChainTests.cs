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

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_commands_and_main_settings_and_exits_0(string flag)
    {
        var run = await NodeProgram.RunAsync([flag], Allowed);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var expected in new[] { "devnet", "consortium-init", "healthcheck", "--dev", "Chain:RpcUrl", "Node:AllowPlaintext", "Node:Tls:CertificateFile", "Node:Tls:ClientCaFile", "Identity:KeystoreFile", "Auth:ApiKeys" })
        {
            Assert.Contains(expected, run.Stdout);
        }
    }
}

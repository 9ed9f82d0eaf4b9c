using System.Text.Json;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Issue 12, point 6: every secret file the project writes is readable by its owner only, API keys go to files and
/// never to a console or a log, and <c>devnet.json</c> names secret files instead of holding secrets.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(RunningDevnetCollection.Name)]
public sealed class SecretFileTests(RunningDevnet devnet)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Files that hold nothing secret: certificates (public by design), and descriptions that name secret files.</summary>
    private static bool IsPublic(string file) =>
        Path.GetFileName(file) is "devnet.json" or "consortium.json" or "node.json"
        || (file.EndsWith(".pem", StringComparison.Ordinal) && !file.EndsWith("-key.pem", StringComparison.Ordinal));

    [Fact]
    public async Task Consortium_init_writes_secrets_owner_only_and_prints_no_api_key()
    {
        using var scratch = new TemporaryDirectory("offshore-init-secrets-");
        var work = scratch.Path;
        await using var chain = await AnvilChain.StartAsync(new AnvilOptions { WorkDirectory = Path.Combine(work, "chain") });
        var consortium = Path.Combine(work, "consortium");

        var run = await NodeProgram.RunAsync(
            ["consortium-init", "--rpc", chain.RpcUrl, "--accounts", Path.Combine(work, "chain", "anvil-accounts.json"), "--out",
                consortium], TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 0, run.ToString());
        var keyFiles = Directory.GetFiles(consortium, "api-keys.txt", SearchOption.AllDirectories);
        Assert.Equal(OffshoreLedger.Node.Devnet.LocalConsortium.NodeMembers.Length, keyFiles.Length);
        foreach (var key in keyFiles.SelectMany(File.ReadAllLines).Select(l => l.Split(' ')[^1]).Where(k => k.Length > 0))
        {
            Assert.DoesNotContain(key, run.Stdout);
            Assert.DoesNotContain(key, run.Stderr);
        }
        AssertSecretsOwnerOnly(consortium);
        foreach (var folder in Directory.GetDirectories(consortium).Where(f => File.Exists(Path.Combine(f, "api-keys.txt"))))
        {
            // Every node's folder holds its TLS certificate and key, and its node.json serves TLS with them.
            var tls = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "node.json"))).RootElement.GetProperty("Node")
                .GetProperty("Tls");
            Assert.True(File.Exists(tls.GetProperty("CertificateFile").GetString()), folder);
            Assert.True(File.Exists(tls.GetProperty("KeyFile").GetString()), folder);
        }
    }

    [Fact]
    public async Task Devnet_writes_secrets_owner_only_names_them_in_devnet_json_and_serves_tls_trusted_through_cli_json()
    {
        var data = devnet.Data;
        var descriptor = File.ReadAllText(Path.Combine(data, "devnet.json"));
        var secrets = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
            .Where(f => !IsPublic(f) && !InFolder(f, data, "chain")
                && !f.Contains($"{Path.DirectorySeparatorChar}store{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) is "passphrase" or "consortium-secret" or "api-keys.txt")
            .SelectMany(f => File.ReadAllLines(f).Select(l => l.Split(' ')[^1].Trim()))
            .Where(s => s.Length >= 16)
            .ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, s => Assert.DoesNotContain(s, descriptor));
        AssertSecretsOwnerOnly(
            data, skip: f => InFolder(f, data, "chain")
            || f.Contains($"{Path.DirectorySeparatorChar}store{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var cli = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "bank-a", "cli.json"))).RootElement;
        var url = new Uri(cli.GetProperty("node").GetString()!);
        Assert.Equal("https", url.Scheme);
        using var trusting = new LedgerClient(
            new LedgerClientOptions { Address = url, ApiKey = cli.GetProperty("apiKey").GetString(),
            CertificateAuthorityFile = cli.GetProperty("caFile").GetString() });
        using var untrusting = new LedgerClient(
            new LedgerClientOptions { Address = url, ApiKey = cli.GetProperty("apiKey").GetString(), MaxAttempts = 1 });
        Assert.True((await trusting.GetNodeInfoAsync()).ActiveMember);
        await Assert.ThrowsAsync<NodeUnavailableException>(() => untrusting.GetNodeInfoAsync());
    }

    private static bool InFolder(string file, string root, string folder) =>
        Path.GetRelativePath(root, file).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void AssertSecretsOwnerOnly(string root, Func<string, bool>? skip = null)
    {
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !IsPublic(f) && !(skip?.Invoke(f) ?? false))
            .ToList();
        Assert.NotEmpty(files);
        Assert.All(
            files, f => Assert.True(File.GetUnixFileMode(f) == OwnerOnly, $"{Path.GetRelativePath(root, f)} is {File.GetUnixFileMode(f)}"));
    }
}

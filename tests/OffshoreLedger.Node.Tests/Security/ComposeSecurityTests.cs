using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Issue 12, points 4 and 6, in docker-compose.yml and the Dockerfile (no Docker engine here: the files are parsed):
/// every node serves TLS, its health check follows its configuration, it mounts only its own secrets, and the
/// chain's RPC (which can impersonate any account) is published on the host's loopback only.
/// </summary>
public sealed class ComposeSecurityTests
{
    private static readonly string[] NodeServices = ["bank-a", "bank-b", "port", "trader", "auditor"];

    private static YamlMappingNode Services()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Deployment", "docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["services"];
    }

    private static IReadOnlyList<string> Strings(YamlNode node) =>
        [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!)];

    [Fact]
    public void The_chain_rpc_is_published_on_the_host_loopback_only()
    {
        var ports = Strings(Services()["chain"]["ports"]);

        Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_node_mounts_only_its_own_folder_of_secrets_read_only()
    {
        var services = Services();
        var volumes = NodeServices.ToDictionary(n => n, n => Strings(services[n]["volumes"]));

        foreach (var (name, mounts) in volumes)
        {
            var secrets = mounts.Where(m => m.Split(':')[1].StartsWith("/consortium", StringComparison.Ordinal)).ToList();
            var mount = Assert.Single(secrets);
            var parts = mount.Split(':');
            Assert.Equal($"/consortium/{name}", parts[1]);
            Assert.Equal("ro", parts[2]);
            // No other node mounts the same volume.
            Assert.DoesNotContain(volumes.Where(v => v.Key != name).SelectMany(v => v.Value), m => m.Split(':')[0] == parts[0]);
        }
        Assert.All(
            Strings(services["init"]["volumes"]),
            m => Assert.False(m.EndsWith(":ro", StringComparison.Ordinal) && m.Contains("/consortium", StringComparison.Ordinal), m));
    }

    [Fact]
    public void Every_node_serves_tls_and_its_health_check_follows_the_configured_scheme()
    {
        var services = Services();
        var dockerfile = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Deployment", "Dockerfile"));

        foreach (var name in NodeServices)
        {
            var environment = (YamlMappingNode)services[name]["environment"];
            Assert.StartsWith("https://", ((YamlScalarNode)environment["Urls"]).Value, StringComparison.Ordinal);
            // No URL: the probe reads the node's own configuration (scheme, port, certificate).
            Assert.Equal(["CMD", "dotnet", "OffshoreLedger.Node.dll", "healthcheck"], Strings(services[name]["healthcheck"]["test"]));
        }
        Assert.Contains(
            dockerfile,
            l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.EndsWith("\"healthcheck\"]", StringComparison.Ordinal));
        Assert.DoesNotContain(dockerfile, l => l.Contains("http://", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'));
    }
}

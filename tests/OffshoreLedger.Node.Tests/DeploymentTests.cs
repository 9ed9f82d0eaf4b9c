using System.Diagnostics;
using System.Reflection;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Storage;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// There is no Docker engine here, so docker-compose.yml is checked against what the node actually reads, and the
/// path it describes (consortium-init, a node configured by its node.json file, the health probe) is run for real
/// without containers.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly string[] NodeServices = ["bank-a", "bank-b", "port", "trader", "auditor", "carrier"];

    private static YamlMappingNode Compose()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Deployment", "docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    private static IReadOnlyList<string> Sequence(YamlNode node) =>
        [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"])
            .Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    [Fact]
    public void Compose_has_the_chain_the_init_step_and_one_node_per_participant()
    {
        // Services behind a profile (observability) are optional and start only when asked for.
        var services = ((YamlMappingNode)Compose()["services"]).Children
            .Where(s => !((YamlMappingNode)s.Value).Children.ContainsKey("profiles")).Select(s => ((YamlScalarNode)s.Key).Value)
                .ToHashSet();

        Assert.Equal(["auditor", "bank-a", "bank-b", "carrier", "chain", "init", "port", "trader"], services.Order());
        Assert.Equal(LocalConsortium.NodeMembers.Select(m => m.Replace(' ', '-').ToLowerInvariant()).Order(), NodeServices.Order());
    }

    [Fact]
    public void Every_node_setting_in_compose_binds_to_an_option_the_node_reads()
    {
        var sections = new[] { typeof(ChainOptions), typeof(StorageOptions), typeof(IdentityOptions), typeof(AuthOptions),
            typeof(Transport.TransportOptions) }
            .ToDictionary(t => (string)t.GetField("Section")!.GetValue(null)!, t => t);
        // A nested section (Node:Management) binds to its own options class.
        sections["Node__Management"] = typeof(Telemetry.ManagementOptions);
        var hostPorts = new HashSet<string>();
        foreach (var name in NodeServices)
        {
            var service = Service(name);
            var environment = Environment(service);
            foreach (var (key, _) in environment.Where(e => e.Key.Contains("__", StringComparison.Ordinal)))
            {
                var parts = key.Split("__");
                if (parts.Length == 3 && sections.ContainsKey($"{parts[0]}__{parts[1]}")) parts = [$"{parts[0]}__{parts[1]}", parts[2]];
                Assert.True(sections.TryGetValue(parts[0], out var options), $"{name}: {key} names no options section");
                Assert.NotNull(options!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance));
            }
            Assert.Equal($"/consortium/{name}/node.json", environment[LedgerNodeApp.ConfigFileVariable]);
            Assert.Equal("http://chain:8545", environment["Chain__RpcUrl"]);
            var containerPort = new Uri(environment["Urls"]).Port.ToString();
            var mapping = Sequence(service["ports"]).Single().Split(':');
            Assert.Equal(containerPort, mapping[1]);
            Assert.True(hostPorts.Add(mapping[0]), $"host port {mapping[0]} used twice");
            var health = Sequence(service["healthcheck"]["test"]);
            Assert.Equal(["CMD", "dotnet", "OffshoreLedger.Node.dll", "healthcheck"], health);
            Assert.Contains(Sequence(service["volumes"]), v => v == $"{name}-secrets:/consortium/{name}:ro");
        }
    }

    [Fact]
    public void Init_reads_the_accounts_the_chain_writes_and_dockerfile_runs_the_node_as_non_root()
    {
        var chain = Sequence(Service("chain")["command"]);
        var init = Sequence(Service("init")["command"]);
        var accountsFile = chain[chain.ToList().IndexOf("--config-out") + 1];
        var dockerfile = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Deployment", "Dockerfile"));

        Assert.Equal(
            ["consortium-init", "--rpc", $"http://chain:{chain[chain.ToList().IndexOf("--port") + 1]}", "--accounts", accountsFile, "--out",
            "/consortium"], init);
        Assert.Contains(
            Sequence(Service("init")["volumes"]),
            v => v.StartsWith("chain:" + Path.GetDirectoryName(accountsFile), StringComparison.Ordinal));
        Assert.Equal(2, dockerfile.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(dockerfile, l => l.StartsWith("USER $APP_UID", StringComparison.Ordinal));
        Assert.Contains(
            dockerfile,
            l => l.Contains($"\"{typeof(LedgerNodeApp).Assembly.GetName().Name}.dll\"", StringComparison.Ordinal)
            && l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_compose_path_runs_without_containers_init_then_a_node_from_its_node_json_then_the_health_probe()
    {
        using var scratch = new TemporaryDirectory("offshore-compose-");
        var work = scratch.Path;
        await using var chain = await AnvilChain.StartAsync(new AnvilOptions { WorkDirectory = Path.Combine(work, "chain") });
        var accounts = Path.Combine(work, "chain", "anvil-accounts.json");
        var consortium = Path.Combine(work, "consortium");

        Assert.Equal(0, await RunNodeAsync(["consortium-init", "--rpc", chain.RpcUrl, "--accounts", accounts, "--out", consortium], []));
        Assert.Equal(0, await RunNodeAsync(["consortium-init", "--rpc", chain.RpcUrl, "--accounts", accounts, "--out", consortium], []));
        // As in compose, TLS on every interface (the probe and the client dial loopback); port 0, the one bound is reported.
        var environment = new Dictionary<string, string>
        {
            [LedgerNodeApp.ConfigFileVariable] = Path.Combine(consortium, "trader", "node.json"),
            ["Chain__RpcUrl"] = chain.RpcUrl,
            ["Storage__DataDirectory"] = Path.Combine(work, "trader-data"),
            ["Urls"] = "https://0.0.0.0:0",
        };
        await using var node = await NodeProcess.StartAsync([], TimeSpan.FromSeconds(120), environment: environment);
        var port = new Uri(node.Url).Port;
        // Compose names the node's port in the configuration the probe reads too: give the probe the port the node bound.
        environment["Urls"] = $"https://0.0.0.0:{port}";
        // The health check as compose runs it: no URL, the node's own configuration.
        var health = await Poll.UntilAsync(() => RunNodeAsync(["healthcheck"], environment), h => h == 0, TimeSpan.FromSeconds(60));
        Assert.Equal(0, health);
        var apiKeys = Devnet.DevnetApiKeys.Load(Path.Combine(consortium, "trader", "api-keys.txt"));
        using var client = new Client.Connection.LedgerClient(new Client.Connection.LedgerClientOptions
        {
            Address = new Uri($"https://localhost:{port}"), ApiKey = apiKeys.Read,
            CertificateAuthorityFile = Path.Combine(consortium, "trader", "ca.pem"),
        });
        Assert.True((await client.GetNodeInfoAsync()).ActiveMember);
    }

    private static Process StartNode(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> RunNodeAsync(string[] args, Dictionary<string, string> environment)
    {
        using var process = StartNode(args, environment);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return process.ExitCode;
    }
}

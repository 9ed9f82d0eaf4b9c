using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Benchmarks;

/// <summary>A node started in-process for a benchmark, with a channel and the API keys to call it.</summary>
public sealed record BenchmarkNode(WebApplication App, string Url, string Address, Metadata Write, Metadata Read, GrpcChannel Channel)
{
    public LedgerIndex Index => App.Services.GetRequiredService<LedgerIndex>();
}

/// <summary>
/// Nodes on a development chain, in this process. Either the first one starts the chain itself (as
/// <c>dotnet run --project node/OffshoreLedger.Node -- --dev</c> does) and further members join it with identities of their
/// own, or members join a chain and consortium the benchmark started (<see cref="Join"/>). Disposing stops every node, and
/// anvil when it started it, and removes their data.
/// </summary>
public sealed class DevnetNodes : IAsyncDisposable
{
    private readonly List<BenchmarkNode> _nodes = [];
    private readonly List<string> _directories = [];
    private DevnetBootstrap? _devnet;
    private AnvilChain? _chain;
    private DevConsortium? _consortium;
    private string? _consortiumSecret;

    private DevnetNodes()
    {
    }

    public DevnetBootstrap Devnet => _devnet!;

    /// <summary>
    /// Members' nodes on <paramref name="chain"/> and <paramref name="consortium"/>, keyed with
    /// <paramref name="consortiumSecret"/>; the chain stays the caller's.
    /// </summary>
    public static DevnetNodes Join(AnvilChain chain, DevConsortium consortium, string consortiumSecret) =>
        new() { _chain = chain, _consortium = consortium, _consortiumSecret = consortiumSecret };

    public BenchmarkNode First => _nodes[0];

    /// <summary>Starts anvil, the consortium and the first node, serving as <paramref name="member"/>.</summary>
    public static async Task<DevnetNodes> StartAsync(
        string member, IDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var nodes = new DevnetNodes();
        try
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Node:Management:Url"] = "http://127.0.0.1:0",
                ["Devnet:Member"] = member,
                ["Chain:PollIntervalMilliseconds"] = "50",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in BenchmarkLimits.Lifted) configuration[key] = value;
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
            var (app, devnet) = await LedgerNodeApp.BuildAsync([NodeCommandLine.DevFlag], configuration, cancellationToken);
            nodes._devnet = devnet
                ?? throw new InvalidOperationException(
                "Chain:RpcUrl is configured (environment?); the benchmark needs its own development chain.");
            (nodes._chain, nodes._consortium) = (devnet.Chain, devnet.Consortium);
            nodes._consortiumSecret = File.ReadAllText(NodeIdentity.In(devnet.DataDirectory).ConsortiumSecretFile);
            nodes._directories.Add(devnet.DataDirectory);
            await app.StartAsync(cancellationToken);
            nodes._nodes.Add(Node(app, devnet.Self.Address, devnet.WriteApiKey, devnet.ReadApiKey));
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts another member's node on the same chain and consortium secret.</summary>
    public async Task<BenchmarkNode> StartMemberAsync(
        string memberName, IDictionary<string, string?>? extra, CancellationToken cancellationToken)
    {
        var (chain, consortium) = (_chain!, _consortium!);
        var member = consortium.Member(memberName);
        var directory = Directory.CreateTempSubdirectory("offshore-bench-node-").FullName;
        _directories.Add(directory);
        var identity = NodeIdentity.Write(directory, chain.Accounts[member.Account].PrivateKey, _consortiumSecret!);

        var (writeKey, readKey) = (Secret(), Secret());
        var settings =
            (identity.Settings(chain.RpcUrl, consortium.ContractAddress, consortium.DeploymentBlock, directory,
            [new("bench-write", writeKey, Scopes.Write), new("bench-read", readKey, Scopes.Read)]) with { PollIntervalMilliseconds = 50 })
                .ToConfiguration();
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in BenchmarkLimits.Lifted) settings[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var (app, _) = await InProcessNode.StartAsync(settings, cancellationToken);
        var node = Node(app, member.Address, writeKey, readKey);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Waits until <paramref name="node"/>'s index has applied the chain's current head.</summary>
    public async Task SyncedToHeadAsync(BenchmarkNode node, CancellationToken cancellationToken)
    {
        var head = (ulong)(await _chain!.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        await node.Index.WaitForBlockAsync(head, timeout.Token);
    }

    /// <summary>One h2c channel for many concurrent callers: HTTP/2 multiplexes them, opening more connections past 100 streams.</summary>
    public static GrpcChannel Channel(string url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    });

    public async ValueTask DisposeAsync()
    {
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            _nodes[i].Channel.Dispose();
            await InProcessNode.StopAsync(_nodes[i].App);
        }
        _nodes.Clear();
        if (_devnet is not null) await _devnet.DisposeAsync();
        _devnet = null;
        foreach (var directory in _directories) TemporaryDirectory.Delete(directory);
        _directories.Clear();
    }

    private static BenchmarkNode Node(WebApplication app, string address, string writeKey, string readKey)
    {
        var url = InProcessNode.UrlOf(app);
        return new BenchmarkNode(app, url, address,
            new Metadata { { ApiKeys.Header, writeKey } }, new Metadata { { ApiKeys.Header, readKey } }, Channel(url));
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Node.Tests;

/// <summary>One real chain with the development consortium, shared by the node tests; nodes are started per test.</summary>
/// <remarks>
/// A test that needs a chain started differently (a reorg-able one, one that stops and starts again) derives a fixture of its own.
/// </remarks>
public class ConsortiumFixture : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Lazy<Task<IAsyncDisposable>>> _shared = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _temporaryDirectories = [];
    private readonly AnvilOptions _chainOptions;
    private AnvilChain? _chain;
    private DevConsortium? _consortium;

    public ConsortiumFixture() : this(new AnvilOptions()) { }

    protected ConsortiumFixture(AnvilOptions chainOptions)
    {
        _chainOptions = chainOptions;
        _authorityFile = new(() => _authority.Value.WriteCertificate(NewTemporaryDirectory("offshore-test-ca-")));
    }

    public AnvilChain Chain => _chain!;
    public DevConsortium Consortium => _consortium!;

    /// <summary>The consortium's shared key secret (hex): every node of one consortium derives the same keys.</summary>
    public string ConsortiumSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        _chain = await AnvilChain.StartAsync(_chainOptions);
        _consortium = await DevConsortium.DeployAsync(_chain);
    }

    private readonly Lazy<Security.TestCertificateAuthority> _authority = new(
        () => new Security.TestCertificateAuthority("Test consortium CA"));
    private readonly Lazy<string> _authorityFile;

    /// <summary>The CA that issues test nodes' TLS certificates (PEM), for clients to trust.</summary>
    public string CertificateAuthorityFile => _authorityFile.Value;

    public virtual async Task DisposeAsync()
    {
        if (_authority.IsValueCreated) _authority.Value.Dispose();
        foreach (var shared in _shared.Values.Where(s => s.IsValueCreated && s.Value.IsCompletedSuccessfully))
        {
            await shared.Value.Result.DisposeAsync();
        }
        if (_chain is not null) await _chain.DisposeAsync();
        foreach (var directory in _temporaryDirectories) TemporaryDirectory.Delete(directory);
    }

    /// <summary>
    /// A new temporary folder, deleted when the fixture is disposed (not before: a test may stop a node and start another on
    /// its store).
    /// </summary>
    public string NewTemporaryDirectory(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        _temporaryDirectories.Add(directory);
        return directory;
    }

    /// <summary>
    /// A resource several tests share, such as running nodes with a prepared trade: made once, on first use, and
    /// disposed with the chain.
    /// </summary>
    public async Task<T> SharedAsync<T>(Func<ConsortiumFixture, Task<T>> create) where T : class, IAsyncDisposable =>
        (T)await _shared.GetOrAdd(typeof(T), _ => new Lazy<Task<IAsyncDisposable>>(async () => await create(this))).Value;

    /// <summary>
    /// Per-caller limits high enough that no test is refused for its pace: every test calls from one address, and some
    /// (bad input, contention, crashes) fire thousands of calls. The tests of the limits themselves set their own.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LiftedLimits = new Dictionary<string, string>
    {
        ["Limits:CallsPerSecond"] = "1000000", ["Limits:Burst"] = "1000000", ["Limits:MaxConcurrentCalls"] = "10000",
    };

    /// <summary>The API keys every test node accepts, with write, read and admin scope.</summary>
    public const string WriteKey = "test-write-key", ReadKey = "test-read-key", AdminKey = "test-admin-key";

    /// <summary>
    /// Prepares a node's identity folder for development account <paramref name="account"/> in
    /// <paramref name="dataDirectory"/> (kept if it exists, so a node restarts on it) and returns its settings; with
    /// <paramref name="tls"/>, it serves TLS on loopback with a certificate from <see cref="CertificateAuthorityFile"/>'s CA.
    /// </summary>
    public NodeSettings PrepareNode(int account, string dataDirectory, bool tls = false)
    {
        var identity = NodeIdentity.In(dataDirectory);
        var settings = identity.Settings(Chain.RpcUrl, Consortium.ContractAddress, Consortium.DeploymentBlock, dataDirectory,
            [new("write", WriteKey, Scopes.Write), new("read", ReadKey, Scopes.Read), new("admin", AdminKey, Scopes.Admin)]) with
        {
            PollIntervalMilliseconds = 50,
            Counterparties = SampleCounterparties.For(Consortium.Member("trader").Address),
        };
        if (!File.Exists(identity.KeystoreFile))
        {
            NodeIdentity.Write(
                dataDirectory, Chain.Accounts[account].PrivateKey, ConsortiumSecret, passphrase: $"test passphrase account {account}");
        }
        if (!tls) return settings;
        var certificateFile = Path.Combine(dataDirectory, "tls", "node.pem");
        var keyFile = Path.Combine(dataDirectory, "tls", "node-key.pem");
        if (!File.Exists(certificateFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(certificateFile)!);
            var (issued, key) = _authority.Value.WriteServerCertificate(Path.GetDirectoryName(certificateFile)!, $"node-{account}");
            File.Move(issued, certificateFile);
            File.Move(key, keyFile);
        }
        return settings with { Url = "https://127.0.0.1:0", TlsCertificateFile = certificateFile, TlsKeyFile = keyFile };
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<ConsortiumFixture>
{
    public const string Name = "node";
}

/// <summary>
/// The fault and operations tests (crashes, restarts, catch-up, readiness) on a chain of their own: a second lane beside
/// <see cref="NodeCollection"/>, whose tests otherwise ran one after another with these, on one chain they lengthened.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NodeFaultsCollection : ICollectionFixture<ConsortiumFixture>
{
    public const string Name = "node-faults";
}

/// <summary>
/// A real node for one member: its own data directory, keystore and API keys, served by Kestrel on a free
/// loopback port, reached through the generated gRPC clients over a real socket.
/// </summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private RunningNode(
        WebApplication app, string url, string dataDirectory, string writeKey, string readKey, string address,
        string? certificateAuthorityFile)
    {
        CertificateAuthorityFile = certificateAuthorityFile;
        _app = app;
        Url = url;
        DataDirectory = dataDirectory;
        WriteKey = writeKey;
        ReadKey = readKey;
        Address = address;
        // Tests that serve TLS pin their certificate on a channel of their own; this convenience channel does not check it.
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler =
                new HttpClientHandler { ServerCertificateCustomValidationCallback =
                HttpClientHandler.DangerousAcceptAnyServerCertificateValidator },
        });
        Titles = new TitleService.TitleServiceClient(_channel);
        Node = new NodeService.NodeServiceClient(_channel);
        Documents = new DocumentService.DocumentServiceClient(_channel);
        Attestations = new AttestationService.AttestationServiceClient(_channel);
    }

    public string Url { get; }

    /// <summary>The CA to trust when the node serves TLS; null for plaintext.</summary>
    public string? CertificateAuthorityFile { get; }
    public string DataDirectory { get; }
    public string WriteKey { get; }
    public string ReadKey { get; }
    public string Address { get; }
    public TitleService.TitleServiceClient Titles { get; }
    public NodeService.NodeServiceClient Node { get; }
    public DocumentService.DocumentServiceClient Documents { get; }
    public AttestationService.AttestationServiceClient Attestations { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The channel the clients above share, for services without a client here.</summary>
    public GrpcChannel Channel => _channel;

    public Metadata Write => new() { { ApiKeys.Header, WriteKey } };
    public Metadata Read => new() { { ApiKeys.Header, ReadKey } };
    public Metadata Admin => new() { { ApiKeys.Header, ConsortiumFixture.AdminKey } };

    /// <summary>
    /// Starts a node for <paramref name="memberName"/>; pass <paramref name="dataDirectory"/> to restart on an existing store.
    /// Without one, the node gets a temporary folder that the fixture deletes when it is disposed.
    /// </summary>
    public static Task<RunningNode> StartAsync(
        ConsortiumFixture fixture, string memberName, string? dataDirectory = null, IDictionary<string, string?>? extraSettings = null,
        bool tls = false) =>
        StartForAccountAsync(fixture, fixture.Consortium.Member(memberName).Account, dataDirectory, extraSettings, tls);

    /// <summary>Starts a node signing as development account <paramref name="account"/>, member or not.</summary>
    public static async Task<RunningNode> StartForAccountAsync(
        ConsortiumFixture fixture, int account, string? dataDirectory = null, IDictionary<string, string?>? extraSettings = null,
        bool tls = false)
    {
        var signer = fixture.Chain.Accounts[account];
        dataDirectory ??= fixture.NewTemporaryDirectory("offshore-node-test-");
        var settings = fixture.PrepareNode(account, dataDirectory, tls).ToConfiguration();
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in ConsortiumFixture.LiftedLimits) settings[key] = value;
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var (app, url) = await InProcessNode.StartAsync(settings);
        return new RunningNode(
            app, url, dataDirectory, ConsortiumFixture.WriteKey, ConsortiumFixture.ReadKey, signer.Address,
            tls ? fixture.CertificateAuthorityFile : null);
    }

    /// <summary>Waits (without fixed sleeps) until the node's index has reached the chain's current head.</summary>
    public async Task SyncedToHeadAsync(ConsortiumFixture fixture)
    {
        var head = (ulong)(await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Services.GetRequiredService<Index.LedgerIndex>().WaitForBlockAsync(head, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await InProcessNode.StopAsync(_app);
    }
}

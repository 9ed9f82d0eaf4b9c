using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Issue 12, point 4, the client side: the SDK and the CLI never send an API key in clear text to another machine
/// unless told to, and trust a CA file for TLS. No test sends anything off this machine: a non-loopback address is
/// this machine's own, and a refused call must not open a connection at all.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ClientTransportTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("offshore-client-tls-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_home);

    [Fact]
    public async Task Sdk_refuses_an_api_key_over_plaintext_to_a_non_loopback_host_before_any_connection()
    {
        var handler = new RecordingHandler();

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var client = new LedgerClient(new LedgerClientOptions
            {
                Address = new Uri("http://10.0.0.1:50051"), ApiKey = "a-write-key", HttpHandler = handler, MaxAttempts = 1,
                Deadline = TimeSpan.FromSeconds(5),
            });
            await client.GetNodeInfoAsync();
        });

        Assert.Contains("AllowApiKeyOverPlaintext", failure.Message);
        Assert.DoesNotContain("a-write-key", failure.Message);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task Sdk_sends_an_api_key_over_plaintext_to_loopback()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor");
        using var client = new LedgerClient(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.ReadKey });

        var info = await client.GetNodeInfoAsync();

        Assert.StartsWith("http://127.0.0.1:", node.Url, StringComparison.Ordinal);
        Assert.Equal(node.Address, info.Address, ignoreCase: true);
    }

    [Fact]
    public async Task Sdk_sends_an_api_key_over_plaintext_off_loopback_only_when_told_to()
    {
        var handler = new RecordingHandler();
        using var client = new LedgerClient(new LedgerClientOptions
        {
            Address = new Uri("http://10.0.0.1:50051"), ApiKey = "a-write-key", HttpHandler = handler, MaxAttempts = 1,
            AllowApiKeyOverPlaintext = true,
        });

        await Assert.ThrowsAnyAsync<LedgerException>(() => client.GetNodeInfoAsync());

        Assert.Equal(1, handler.Requests);
        Assert.Equal("a-write-key", handler.LastApiKey);
    }

    [Fact]
    public async Task Sdk_trusts_the_ca_file_it_is_given_and_only_it()
    {
        using var authority = new TestCertificateAuthority("Trader test CA");
        var (certificate, key) = authority.WriteServerCertificate(_home, "trader");
        await using var node = await StartTlsNodeAsync(certificate, key);
        using var trusting = new LedgerClient(
            new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.ReadKey,
            CertificateAuthorityFile = authority.WriteCertificate(_home) });
        using var untrusting = new LedgerClient(
            new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.ReadKey, MaxAttempts = 1 });

        var info = await trusting.GetNodeInfoAsync();
        await Assert.ThrowsAsync<NodeUnavailableException>(() => untrusting.GetNodeInfoAsync());

        Assert.Equal(node.Address, info.Address, ignoreCase: true);
    }

    [Fact]
    public async Task Cli_refuses_an_api_key_over_plaintext_to_a_non_loopback_host_naming_the_flag_and_connects_nowhere()
    {
        var address = NonLoopbackAddress();
        var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var url = address is null ? "http://10.0.0.1:50051" : $"http://{address}:{port}";

            var result = await RunCliAsync([], "node", "info", "--node", url, "--api-key", "a-write-key");

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("--allow-plaintext-api-key", result.Stderr);
            Assert.DoesNotContain("a-write-key", result.Stderr);
            Assert.False(listener.Pending(), "the CLI opened a connection");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Cli_reaches_a_tls_node_with_the_ca_file_named_in_its_config()
    {
        using var authority = new TestCertificateAuthority("Port test CA");
        var (certificate, key) = authority.WriteServerCertificate(_home, "port");
        await using var node = await StartTlsNodeAsync(certificate, key);
        var config = Path.Combine(_home, "cli.json");
        File.WriteAllText(
            config, JsonSerializer.Serialize(new { node = node.Url, apiKey = node.ReadKey, caFile = authority.WriteCertificate(_home) }));
        var withoutCa = Path.Combine(_home, "no-ca.json");
        File.WriteAllText(withoutCa, JsonSerializer.Serialize(new { node = node.Url, apiKey = node.ReadKey }));

        var trusted = await RunCliAsync([], "node", "info", "--config", config, "--json");
        var untrusted = await RunCliAsync([], "node", "info", "--config", withoutCa, "--json");

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.True(untrusted.ExitCode == 4, untrusted.ToString());
    }

    private Task<RunningNode> StartTlsNodeAsync(string certificate, string key) =>
        RunningNode.StartAsync(fixture, "trader", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "https://127.0.0.1:0",
            ["Node:Tls:CertificateFile"] = certificate,
            ["Node:Tls:KeyFile"] = key,
        });

    private async Task<CliResult> RunCliAsync(Dictionary<string, string?> environment, params string[] args)
    {
        environment["HOME"] = _home;
        environment["NO_COLOR"] = "1";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>One of this machine's own addresses that is not loopback (traffic to it stays on the machine), if it has one.</summary>
    private static IPAddress? NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>Stands in for the network: counts the requests that reach it and answers none.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        public string? LastApiKey { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            LastApiKey = request.Headers.TryGetValues("x-api-key", out var values) ? values.Single() : null;
            throw new HttpRequestException("no network in this test");
        }
    }
}

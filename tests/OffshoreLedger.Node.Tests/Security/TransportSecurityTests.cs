using Grpc.Core;
using Grpc.Health.V1;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Issue 12, point 4: no plaintext listener off loopback unless asked for by name, TLS from PEM files, and mTLS that
/// accepts only client certificates of the organisation's own CA. Every node listens on this machine only: a
/// wildcard address binds loopback too, and the clients dial 127.0.0.1.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class TransportSecurityTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("offshore-tls-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_folder);

    [Fact]
    public async Task A_plaintext_listener_on_a_non_loopback_address_stops_the_node_naming_Node_AllowPlaintext()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var node = await RunningNode.StartAsync(
                fixture, "auditor", extraSettings: new Dictionary<string, string?> { ["Urls"] = "http://0.0.0.0:0" });
        });

        Assert.Contains("Node:AllowPlaintext", failure.Message);
        Assert.Contains("http://0.0.0.0:0", failure.Message);
    }

    [Fact]
    public async Task A_plaintext_listener_off_loopback_starts_when_Node_AllowPlaintext_is_true()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "http://0.0.0.0:0",
            ["Node:AllowPlaintext"] = "true",
        });
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(new UriBuilder(node.Url) { Host = "127.0.0.1" }.Uri);

        var info = await new NodeService.NodeServiceClient(channel).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);

        Assert.Equal(node.Address, info.Address, ignoreCase: true);
    }

    [Fact]
    public async Task A_tls_node_answers_a_client_trusting_its_ca_and_is_refused_by_one_that_does_not()
    {
        using var authority = new TestCertificateAuthority("Bank A test CA");
        using var stranger = new TestCertificateAuthority("Someone else's CA");
        var (certificate, key) = authority.WriteServerCertificate(_folder, "bank-a");
        await using var node = await RunningNode.StartAsync(fixture, "bank A", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "https://0.0.0.0:0",
            ["Node:Tls:CertificateFile"] = certificate,
            ["Node:Tls:KeyFile"] = key,
        });
        var url = Loopback(node.Url);
        using var trusting = TlsChannels.Trusting(url, authority.Certificate);
        using var systemStore = TlsChannels.Trusting(url, authority: null);
        using var otherCa = TlsChannels.Trusting(url, stranger.Certificate);

        var info = await new NodeService.NodeServiceClient(trusting).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);
        var untrusted = await Assert.ThrowsAsync<RpcException>(
            () => new NodeService.NodeServiceClient(systemStore).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read).ResponseAsync);
        var wrongCa = await Assert.ThrowsAsync<RpcException>(
            () => new NodeService.NodeServiceClient(otherCa).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read).ResponseAsync);

        Assert.StartsWith("https://", node.Url, StringComparison.Ordinal);
        Assert.Equal(node.Address, info.Address, ignoreCase: true);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(HandshakeFailure(untrusted));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(HandshakeFailure(wrongCa));
    }

    [Fact]
    public async Task With_a_client_ca_a_certificate_from_another_ca_is_refused_at_the_handshake_and_one_from_the_org_ca_is_accepted()
    {
        using var authority = new TestCertificateAuthority("Bank B org CA");
        using var stranger = new TestCertificateAuthority("Rival's CA");
        var (certificate, key) = authority.WriteServerCertificate(_folder, "bank-b");
        await using var node = await RunningNode.StartAsync(fixture, "bank B", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "https://127.0.0.1:0",
            ["Node:Tls:CertificateFile"] = certificate,
            ["Node:Tls:KeyFile"] = key,
            ["Node:Tls:ClientCaFile"] = authority.WriteCertificate(_folder),
        });
        using var orgClient = authority.ClientCertificate("back-office");
        using var rivalClient = stranger.ClientCertificate("back-office");
        using var accepted = TlsChannels.Trusting(node.Url, authority.Certificate, orgClient);
        using var refused = TlsChannels.Trusting(node.Url, authority.Certificate, rivalClient);
        using var noCertificate = TlsChannels.Trusting(node.Url, authority.Certificate);
        // Serving once synced: a node just started on a long chain is still catching up, and says so (NotServing).
        await node.SyncedToHeadAsync(fixture);

        var health = await new Health.HealthClient(accepted).CheckAsync(new HealthCheckRequest());
        var rival = await Assert.ThrowsAsync<RpcException>(
            () => new Health.HealthClient(refused).CheckAsync(new HealthCheckRequest()).ResponseAsync);
        // Certificates are an alternative to API keys, not a requirement: a caller without one still reaches the node.
        var info = await new NodeService.NodeServiceClient(noCertificate).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        // Refused at the handshake: the connection ends (TLS 1.3 reports the alert on the first read) before any call.
        Assert.True(rival.StatusCode is StatusCode.Unavailable or StatusCode.Internal, rival.ToString());
        Assert.Equal(node.Address, info.Address, ignoreCase: true);
    }

    [Fact]
    public async Task An_https_listener_without_a_certificate_stops_the_node_naming_Node_Tls_CertificateFile()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var node = await RunningNode.StartAsync(
                fixture, "auditor", extraSettings: new Dictionary<string, string?> { ["Urls"] = "https://127.0.0.1:0" });
        });

        Assert.Contains("Node:Tls:CertificateFile", failure.Message);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_stops_the_node_naming_the_setting()
    {
        var missing = Path.Combine(_folder, "no-such-certificate.pem");

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var node = await RunningNode.StartAsync(fixture, "auditor", extraSettings: new Dictionary<string, string?>
            {
                ["Urls"] = "https://127.0.0.1:0",
                ["Node:Tls:CertificateFile"] = missing,
                ["Node:Tls:KeyFile"] = missing,
            });
        });

        Assert.IsType<Hosting.NodeStartupException>(failure);
        Assert.Contains("Node:Tls:CertificateFile", failure.Message);
        Assert.Contains(missing, failure.Message);
    }

    [Fact]
    public async Task The_health_probe_trusts_the_ca_it_is_given_and_no_other()
    {
        using var authority = new TestCertificateAuthority("Port test CA");
        using var stranger = new TestCertificateAuthority("Stranger CA");
        var (certificate, key) = authority.WriteServerCertificate(_folder, "port");
        await using var node = await RunningNode.StartAsync(fixture, "port", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "https://127.0.0.1:0",
            ["Node:Tls:CertificateFile"] = certificate,
            ["Node:Tls:KeyFile"] = key,
        });

        var trusted = await NodeProgram.RunAsync(
            ["healthcheck", node.Url, "--ca", authority.WriteCertificate(_folder)], TimeSpan.FromSeconds(60));
        var untrusted = await NodeProgram.RunAsync(
            ["healthcheck", node.Url, "--ca", stranger.WriteCertificate(_folder)], TimeSpan.FromSeconds(60));

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Contains("Serving", trusted.Stdout);
        Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
    }

    /// <summary>
    /// The TLS failure under a call's error (grpc-dotnet reports a failed handshake as INTERNAL, with the cause attached).
    /// </summary>
    private static Exception? HandshakeFailure(RpcException exception)
    {
        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException) return inner;
        }
        return null;
    }

    private static string Loopback(string url) => new UriBuilder(url) { Host = "127.0.0.1" }.Uri.ToString().TrimEnd('/');
}

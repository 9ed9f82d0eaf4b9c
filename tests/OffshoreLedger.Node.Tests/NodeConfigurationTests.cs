using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests;

/// <summary>How an operator configures the node: TLS through Kestrel, the keystore passphrase from the environment.</summary>
[Collection(NodeCollection.Name)]
public sealed class NodeConfigurationTests(ConsortiumFixture fixture)
{
    [Fact]
    public async Task Node_serves_grpc_over_tls_configured_through_kestrel()
    {
        var folder = fixture.NewTemporaryDirectory("offshore-tls-");
        using var certificate = SelfSigned();
        var pfx = Path.Combine(folder, "node.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));

        await using var bank = await RunningNode.StartAsync(fixture, "bank A", extraSettings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Tls:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Tls:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Tls:Certificate:Password"] = "pfx-password",
        });
        var handler = new HttpClientHandler
        {
            // Trust exactly this certificate, as a participant pinning its own node's certificate would.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var channel = GrpcChannel.ForAddress(bank.Url, new GrpcChannelOptions { HttpHandler = handler });

        var info = await new NodeService.NodeServiceClient(channel).GetNodeInfoAsync(new GetNodeInfoRequest(), bank.Read);

        Assert.StartsWith("https://", bank.Url, StringComparison.Ordinal);
        Assert.Equal(bank.Address, info.Address, ignoreCase: true);
    }

    [Fact]
    public async Task Keystore_passphrase_may_come_from_an_environment_variable()
    {
        var first = await RunningNode.StartAsync(fixture, "port");
        var dataDirectory = first.DataDirectory;
        await first.DisposeAsync();
        var passphrase = File.ReadAllText(Path.Combine(dataDirectory, "identity", "passphrase"));
        const string variable = "OFFSHORELEDGER_TEST_KEYSTORE_PASSPHRASE";
        Environment.SetEnvironmentVariable(variable, passphrase);
        try
        {
            await using var node = await RunningNode.StartAsync(fixture, "port", dataDirectory, new Dictionary<string, string?>
            {
                ["Identity:PassphraseFile"] = "",
                ["Identity:PassphraseEnvironmentVariable"] = variable,
            });

            var info = await node.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);

            Assert.Equal(node.Address, info.Address, ignoreCase: true);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_wrong_keystore_passphrase_stops_the_node_at_start()
    {
        var first = await RunningNode.StartAsync(fixture, "auditor");
        var dataDirectory = first.DataDirectory;
        await first.DisposeAsync();
        var wrong = Path.Combine(dataDirectory, "wrong-passphrase");
        File.WriteAllText(wrong, "not the passphrase");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunningNode.StartAsync(
                fixture, "auditor", dataDirectory, new Dictionary<string, string?> { ["Identity:PassphraseFile"] = wrong }));

        Assert.Contains("password", failure.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Api_keys_are_kept_as_sha256_hashes()
    {
        var hash = ApiKeys.Hash("abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

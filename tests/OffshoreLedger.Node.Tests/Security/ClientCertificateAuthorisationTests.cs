using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// mTLS as an alternative to API keys: a certificate the organisation's CA issued calls with the name and scopes its
/// subject is configured with; an unlisted subject, or a read-only one trying to write, is refused like an API key would
/// be; a certificate of another CA never gets past the handshake, whatever its subject says.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ClientCertificateAuthorisationTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("offshore-mtls-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_folder);

    private static AnchorDocumentsRequest Anchor() => new()
    {
        RequestId = Guid.NewGuid().ToString(), DocumentHashes = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    [Fact]
    public async Task A_client_certificate_of_the_organisation_calls_with_the_scopes_its_subject_is_given()
    {
        using var authority = new TestCertificateAuthority("Trader org CA");
        using var rival = new TestCertificateAuthority("Rival's CA");
        var (certificate, key) = authority.WriteServerCertificate(_folder, "trader");
        await using var node = await RunningNode.StartAsync(fixture, "trader", extraSettings: new Dictionary<string, string?>
        {
            ["Urls"] = "https://127.0.0.1:0",
            ["Node:Tls:CertificateFile"] = certificate,
            ["Node:Tls:KeyFile"] = key,
            ["Node:Tls:ClientCaFile"] = authority.WriteCertificate(_folder),
            ["Auth:ClientCertificates:0:Name"] = "back-office",
            ["Auth:ClientCertificates:0:Subject"] = "back-office",
            ["Auth:ClientCertificates:0:Scopes:0"] = "write",
            ["Auth:ClientCertificates:1:Name"] = "dashboard",
            ["Auth:ClientCertificates:1:Subject"] = "dashboard",
            ["Auth:ClientCertificates:1:Scopes:0"] = "read",
        });
        using var backOfficeCertificate = authority.ClientCertificate("back-office");
        using var dashboardCertificate = authority.ClientCertificate("dashboard");
        using var internCertificate = authority.ClientCertificate("intern");
        using var forgedCertificate = rival.ClientCertificate("back-office");
        using var backOffice = TlsChannels.Trusting(node.Url, authority.Certificate, backOfficeCertificate);
        using var dashboard = TlsChannels.Trusting(node.Url, authority.Certificate, dashboardCertificate);
        using var intern = TlsChannels.Trusting(node.Url, authority.Certificate, internCertificate);
        using var forged = TlsChannels.Trusting(node.Url, authority.Certificate, forgedCertificate);

        var anchored = await new DocumentService.DocumentServiceClient(backOffice).AnchorDocumentsAsync(Anchor());
        var read = await new NodeService.NodeServiceClient(dashboard).GetNodeInfoAsync(new GetNodeInfoRequest());
        var readOnlyWrite = await Assert.ThrowsAsync<RpcException>(
            () => new DocumentService.DocumentServiceClient(dashboard).AnchorDocumentsAsync(Anchor()).ResponseAsync);
        var unlisted = await Assert.ThrowsAsync<RpcException>(
            () => new NodeService.NodeServiceClient(intern).GetNodeInfoAsync(new GetNodeInfoRequest()).ResponseAsync);
        var foreign = await Assert.ThrowsAsync<RpcException>(
            () => new NodeService.NodeServiceClient(forged).GetNodeInfoAsync(new GetNodeInfoRequest()).ResponseAsync);

        Assert.Equal(WriteState.Confirmed, anchored.Receipt.State);
        var entry = node.Services.GetRequiredService<OutboxStore>()
            .FindOutbox("anchor:0x" + Convert.ToHexStringLower(anchored.MerkleRoot.ToByteArray()));
        Assert.Equal("back-office", entry?.SubmittedBy);
        Assert.Equal(node.Address, read.Address, ignoreCase: true);
        Assert.Equal(StatusCode.PermissionDenied, readOnlyWrite.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, unlisted.StatusCode);
        Assert.True(foreign.StatusCode is StatusCode.Unavailable or StatusCode.Internal, foreign.ToString());
    }

    [Fact]
    public async Task A_client_certificate_entry_without_a_subject_or_reusing_a_key_name_stops_the_node_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => RunningNode.StartAsync(fixture, "trader", extraSettings: new Dictionary<string, string?>
        {
            ["Auth:ClientCertificates:0:Name"] = "write",
            ["Auth:ClientCertificates:0:Scopes:0"] = "read",
        }));

        Assert.Contains("Auth:ClientCertificates:0:Name", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:ClientCertificates:0:Subject", error.Message, StringComparison.Ordinal);
    }
}

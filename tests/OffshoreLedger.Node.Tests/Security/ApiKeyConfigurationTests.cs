using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// API keys as an operator configures them: validated at start with the setting named, rotated without a restart, and named on every write.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ApiKeyConfigurationTests(ConsortiumFixture fixture)
{
    [Theory]
    [InlineData("Sha256", "NOT-A-HASH", "Auth:ApiKeys:2:Sha256")]
    [InlineData("Sha256", "duplicate", "Auth:ApiKeys:2:Sha256")]
    [InlineData("Name", "write", "Auth:ApiKeys:2:Name")]
    [InlineData("Scopes:0", "superuser", "Auth:ApiKeys:2:Scopes:0")]
    public async Task A_malformed_or_duplicate_api_key_stops_the_node_at_start_naming_the_setting(string field, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:2:Name"] = "third",
            ["Auth:ApiKeys:2:Sha256"] = ApiKeys.Hash("third-key"),
            ["Auth:ApiKeys:2:Scopes:0"] = Scopes.Read,
        };
        settings[$"Auth:ApiKeys:2:{field}"] = value == "duplicate" ? ApiKeys.Hash(ConsortiumFixture.WriteKey) : value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => RunningNode.StartAsync(fixture, "bank B", extraSettings: settings));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_keys_rotate_without_a_restart_and_a_bad_change_keeps_the_keys_in_force()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank B");
        var configuration = (IConfigurationRoot)node.Services.GetRequiredService<IConfiguration>();
        var rotated = new Metadata { { ApiKeys.Header, "rotated-read-key" } };
        await node.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);

        // The operator replaces the read key.
        configuration["Auth:ApiKeys:1:Sha256"] = ApiKeys.Hash("rotated-read-key");
        configuration.Reload();

        await node.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), rotated);
        var old = await Assert.ThrowsAsync<RpcException>(
            () => node.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, old.StatusCode);

        // A broken change (a duplicate hash) is refused whole: the rotated key keeps working.
        configuration["Auth:ApiKeys:1:Sha256"] = ApiKeys.Hash(ConsortiumFixture.WriteKey);
        configuration.Reload();

        await node.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), rotated);
    }

    [Fact]
    public async Task Every_write_records_the_name_of_the_key_that_caused_it()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var request = new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(),
            DocumentHashes = { Google.Protobuf.ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) } };
        var settings = fixture.PrepareNode(0, trader.DataDirectory);

        var anchored = await trader.Documents.AnchorDocumentsAsync(request, trader.Write);

        var entry = trader.Services.GetRequiredService<OutboxStore>()
            .FindOutbox("anchor:0x" + Convert.ToHexStringLower(anchored.MerkleRoot.ToByteArray()));
        Assert.NotNull(entry);
        Assert.Equal(settings.ApiKeys.Single(k => k.Key == ConsortiumFixture.WriteKey).Name, entry.SubmittedBy);
    }
}

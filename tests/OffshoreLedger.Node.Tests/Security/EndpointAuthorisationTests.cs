using System.Net;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// The attack on the perimeter, over a real socket with raw HTTP/2 paths: every spelling of a write or read path that
/// ASP.NET Core's router might still match (letter case, trailing or doubled slashes, percent-encoding) or not (an
/// unknown service) is refused without credentials, and a read key cannot write through any of them. Each probe also
/// checks that nothing was signed: the node's account nonce on the chain did not move and no write entered its outbox.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class EndpointAuthorisationTests(ConsortiumFixture fixture)
{
    /// <summary>Spellings of one RPC's path: the canonical one first.</summary>
    private static IEnumerable<string> Spellings(string package, string service, string method) =>
    [
        $"/{package}.{service}/{method}",
        $"/{package.ToUpperInvariant()}.{service}/{method}",
        $"/{package}.{service.ToUpperInvariant()}/{method}",
        $"/{package}.{service}/{method.ToLowerInvariant()}",
        $"/{package.ToUpperInvariant()}.{service.ToLowerInvariant()}/{method.ToUpperInvariant()}",
        $"/{package}.{service}/{method}/",
        $"//{package}.{service}/{method}",
        $"/{package}.{service}//{method}",
        $"/{package}.{service}/{method}//",
        $"/{package}.{service}/%{(int)method[0]:X2}{method[1..]}",
        $"/{package}.{service}%2F{method}",
        $"/{package}%2E{service}/{method}",
        $"/{package}.{service}/{method}%20",
        $"/{package}.{service}/{method}?x=1",
        $"/{package}.NoSuchService/{method}",
        $"/{package}.{service}/NoSuchMethod",
    ];

    private const string Package = "offshore_ledger.v1";

    private static PledgeRequest Pledge() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FinancingReference = "PROBE-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
        Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    private static AnchorDocumentsRequest Anchor() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        DocumentHashes = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    /// <summary>Calls, then checks that the call signed nothing and wrote nothing to the outbox.</summary>
    private async Task<RawGrpcAnswer> ProbeAsync(RunningNode node, RawGrpcClient client, string path, IMessage message, string? apiKey)
    {
        var before = await NonceAsync(node);
        var answer = await client.CallAsync(path, message, apiKey);
        Assert.True(await NonceAsync(node) == before, $"The node signed a transaction for {answer}");
        var requestId = message switch { PledgeRequest p => p.RequestId, AnchorDocumentsRequest a => a.RequestId, _ => null };
        if (requestId is not null) Assert.True(
            node.Services.GetRequiredService<OutboxStore>().FindOutbox(requestId) is null, $"A write entered the outbox for {answer}");
        Assert.True(node.Services.GetRequiredService<OutboxStore>().PendingOutbox().Count == 0, $"A write is pending after {answer}");
        return answer;
    }

    private async Task<ulong> NonceAsync(RunningNode node) =>
        (ulong)(await fixture.Chain.Web3For(0)
            .Eth.Transactions.GetTransactionCount.SendRequestAsync(node.Address, BlockParameter.CreatePending())).Value;

    [Fact]
    public async Task Write_paths_in_any_spelling_without_a_key_are_unauthenticated_and_sign_nothing()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var client = new RawGrpcClient(bank.Url);
        var answers = new List<RawGrpcAnswer>();

        foreach (var path in Spellings(Package, "TitleService", "Pledge")) answers.Add(
            await ProbeAsync(bank, client, path, Pledge(), apiKey: null));
        foreach (var path in Spellings(Package, "DocumentService", "AnchorDocuments")) answers.Add(
            await ProbeAsync(bank, client, path, Anchor(), apiKey: null));
        foreach (var path in Spellings(Package, "TitleService", "Pledge")) answers.Add(
            await ProbeAsync(bank, client, path, Pledge(), apiKey: "not-a-key"));

        var wrong = answers.Where(a => a.Grpc != StatusCode.Unauthenticated || a.Reason != ErrorReason.ApiKeyMissingOrUnknown.Name())
            .ToList();
        Assert.True(wrong.Count == 0, "Not refused as unauthenticated:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_read_key_cannot_write_through_any_spelling_of_a_write_path()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var client = new RawGrpcClient(bank.Url);
        var answers = new List<RawGrpcAnswer>();

        foreach (var path in Spellings(Package, "TitleService", "Pledge")) answers.Add(
            await ProbeAsync(bank, client, path, Pledge(), bank.ReadKey));
        foreach (var path in Spellings(Package, "DocumentService", "AnchorDocuments")) answers.Add(
            await ProbeAsync(bank, client, path, Anchor(), bank.ReadKey));
        foreach (var path in Spellings(Package, "TitleService", "SurrenderTitle"))
        {
            answers.Add(
                await ProbeAsync(
                    bank, client, path, new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = 1 }, bank.ReadKey));
        }

        // A path the router matches to the write is refused for want of scope; one it matches to nothing is not a method at all.
        var wrong = answers.Where(
            a => a.Grpc is not (StatusCode.PermissionDenied or StatusCode.Unimplemented) && a.Http != HttpStatusCode.NotFound).ToList();
        Assert.True(wrong.Count == 0, "A read key got further than a refusal:\n" + string.Join("\n", wrong));
        Assert.Contains(
            answers, a => a.Path.Contains("PLEDGE", StringComparison.Ordinal) && a.Grpc == StatusCode.PermissionDenied
            && a.Reason == ErrorReason.ScopeMissing.Name());
        Assert.Contains(answers, a => a.Path.EndsWith("Pledge/", StringComparison.Ordinal) && a.Grpc == StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task Read_paths_in_any_spelling_without_a_key_are_unauthenticated()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var client = new RawGrpcClient(bank.Url);
        var answers = new List<RawGrpcAnswer>();

        foreach (var path in Spellings(Package, "NodeService", "GetNodeInfo")) answers.Add(
            await ProbeAsync(bank, client, path, new GetNodeInfoRequest(), apiKey: null));
        foreach (var path in Spellings(Package, "TitleService", "WatchTitleEvents")) answers.Add(
            await ProbeAsync(bank, client, path, new WatchTitleEventsRequest(), apiKey: null));

        var wrong = answers.Where(a => a.Grpc != StatusCode.Unauthenticated).ToList();
        Assert.True(wrong.Count == 0, "Answered without credentials:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task The_probe_itself_writes_with_a_write_key_on_the_canonical_path()
    {
        // The probes above mean something only if the same raw call, with the right key, does reach the chain.
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var client = new RawGrpcClient(bank.Url);
        var before = await NonceAsync(bank);

        var answer = await client.CallAsync($"/{Package}.DocumentService/AnchorDocuments", Anchor(), bank.WriteKey);

        Assert.True(answer.Grpc == StatusCode.OK, answer.ToString());
        Assert.Equal(before + 1, await NonceAsync(bank));
    }

    [Fact]
    public async Task Health_and_reflection_stay_open_and_nothing_else_does()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        using var client = new RawGrpcClient(bank.Url);

        var health = await client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest());
        var nodeInfo = await client.CallAsync($"/{Package}.NodeService/GetNodeInfo", new GetNodeInfoRequest());
        var unknown = await client.CallAsync("/grpc.health.v1.Health/NoSuchMethod", new HealthCheckRequest());

        Assert.True(health.Grpc == StatusCode.OK, health.ToString());
        Assert.True(nodeInfo.Grpc == StatusCode.Unauthenticated, nodeInfo.ToString());
        Assert.True(unknown.Grpc == StatusCode.Unauthenticated, unknown.ToString());
    }
}

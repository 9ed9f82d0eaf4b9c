using System.Net;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>A node catching up on a long chain is alive but not ready; once within the allowed lag it is ready.</summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class ReadinessCatchUpTests(ConsortiumFixture fixture)
{
    private const int MinedBlocks = 1_000;

    [Fact]
    public async Task Readiness_is_false_while_the_node_catches_up_on_a_long_chain_and_true_after()
    {
        // A long chain: thousands of blocks after the deployment, read one block per step so the catch-up takes a while.
        // Mined in steps: one call for thousands of blocks can outlast the RPC client's timeout on a loaded machine.
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        for (var mined = 0; mined < MinedBlocks; mined += 250) await rpc.SendRequestAsync<object>("anvil_mine", null, "0xfa");
        var head = (ulong)(await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        await using var node = await RunningNode.StartAsync(fixture, "bank B", extraSettings: new Dictionary<string, string?>
        {
            ["Chain:LogWindowBlocks"] = "1", ["Node:Health:MaxLagBlocks"] = "5",
        });
        using var http = new HttpClient { BaseAddress = new Uri(node.Services.GetRequiredService<ManagementServer>().Url!) };
        var health = new Health.HealthClient(node.Channel);

        // Once the follower has heard the chain's head, the node knows how far behind it is.
        await Poll.UntilAsync(() => http.GetStringAsync("/status"),
            s => System.Text.Json.JsonDocument.Parse(s).RootElement.GetProperty("sync").GetProperty("chainHead").GetUInt64() > 0,
            TimeSpan.FromMinutes(1));
        var catchingUp = await http.GetAsync("/health/ready");
        var catchingUpBody = await catchingUp.Content.ReadAsStringAsync();
        var catchingUpGrpc = (await health.CheckAsync(new HealthCheckRequest { Service = "offshore_ledger.v1.TitleService" })).Status;
        var live = await http.GetAsync("/health/live");
        var ready = await Poll.UntilAsync(
            () => http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromMinutes(5));
        var synced = node.Services.GetRequiredService<Index.LedgerIndex>().Synced!.BlockNumber;
        var readyGrpc = (await health.CheckAsync(new HealthCheckRequest { Service = "offshore_ledger.v1.TitleService" })).Status;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, catchingUp.StatusCode);
        Assert.Contains("catching up", catchingUpBody, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, catchingUpGrpc);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(synced + 5 >= head, $"ready at block {synced}, chain head was {head}");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, readyGrpc);
    }
}

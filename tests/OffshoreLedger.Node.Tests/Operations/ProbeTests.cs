using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>Liveness, readiness and metrics where Kubernetes, compose and Prometheus look for them, and nowhere else.</summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class ProbeTests(ConsortiumFixture fixture)
{
    [Fact]
    public async Task Health_service_answers_for_each_ledger_service_by_name()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        await node.SyncedToHeadAsync(fixture);
        var health = new Health.HealthClient(node.Channel);

        foreach (var service in NodeTelemetryExtensions.LedgerServices)
        {
            var status = await Poll.UntilAsync(
                async () => (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status,
                s => s == HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(60));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
        }
        Assert.Contains(TitleService.Descriptor.FullName, NodeTelemetryExtensions.LedgerServices);
        var unknown = await Assert.ThrowsAsync<RpcException>(
            async () => await health.CheckAsync(new HealthCheckRequest { Service = "offshore_ledger.v1.NoSuchService" }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Management_listener_serves_probes_metrics_and_status_and_no_ledger_rpc()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        await node.SyncedToHeadAsync(fixture);
        var management = node.Services.GetRequiredService<ManagementServer>().Url!;
        using var http = new HttpClient { BaseAddress = new Uri(management) };

        var live = await http.GetAsync("/health/live");
        var ready = await Poll.UntilAsync(
            () => http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        var metrics = await http.GetStringAsync("/metrics");
        var status = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/status")).RootElement;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("offshore_ledger_outbox_entries", metrics);
        Assert.True(status.GetProperty("sync").GetProperty("chainHead").GetUInt64() > 0, status.ToString());
        Assert.True(status.GetProperty("ready").GetBoolean(), status.ToString());
        Assert.Equal(0, status.GetProperty("outbox").GetProperty("deadLettered").GetInt32());
        // The chain endpoint is named without its path or user-info, where a provider's API key would sit.
        Assert.Equal(
            ChainRpcTelemetry.Redact(fixture.Chain.RpcUrl), status.GetProperty("chainEndpoints")[0].GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task An_outsider_on_the_public_port_gets_no_metrics_and_the_management_port_serves_no_ledger_rpc()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        var management = node.Services.GetRequiredService<ManagementServer>().Url!;
        Assert.NotEqual(new Uri(node.Url).Port, new Uri(management).Port);

        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var scrape = await h2c.GetAsync(new Uri(new Uri(node.Url), "/metrics"));
        var body = await scrape.Content.ReadAsStringAsync();
        using var channel = GrpcChannel.ForAddress(management);
        var call = await Assert.ThrowsAsync<RpcException>(async () =>
            await new NodeService.NodeServiceClient(channel)
                .GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.NotEqual(HttpStatusCode.OK, scrape.StatusCode);
        Assert.DoesNotContain("offshore_ledger", body);
        Assert.NotEqual(StatusCode.OK, call.StatusCode);
    }
}

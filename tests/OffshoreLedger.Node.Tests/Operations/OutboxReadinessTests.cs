using Microsoft.Extensions.Diagnostics.HealthChecks;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Storage;
using OffshoreLedger.Node.Sync;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>A dead-lettered write makes the node not ready (a real RocksDB store; no chain needed).</summary>
public sealed class OutboxReadinessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offshore-outbox-readiness-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_directory);

    [Fact]
    public async Task A_dead_lettered_write_makes_the_node_not_ready_and_is_counted()
    {
        using var storeDatabase = new LedgerStore(_directory);
        var store = new OutboxStore(storeDatabase);
        var accepted = store.AddOutbox(
            new OutboxEntry { RequestId = "waiting", Operation = "Pledge", CallData = "0x01",
            AcceptedAt = DateTimeOffset.UtcNow.AddMinutes(-3) });
        var stuck = store.AddOutbox(
            new OutboxEntry { RequestId = "stuck", Operation = "Pledge", CallData = "0x02", AcceptedAt = DateTimeOffset.UtcNow });
        var before = await new OutboxReadinessCheck(new OutboxCensus(store, TimeProvider.System))
            .CheckHealthAsync(new HealthCheckContext());

        store.UpdateOutbox(
            stuck with { State = OutboxState.Signed, Attempts = 8, DeadLetteredAt = DateTimeOffset.UtcNow, LastFailure = "nonce too low" });
        var census = new OutboxCensus(store, TimeProvider.System);
        var after = await new OutboxReadinessCheck(census).CheckHealthAsync(new HealthCheckContext());
        var counts = census.Count();

        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Contains("1 writes dead-lettered", after.Description);
        Assert.Equal(1, counts.DeadLettered);
        Assert.Equal(1, counts.Accepted);
        Assert.Equal(0, counts.Signed);
        Assert.True(counts.OldestPendingAge >= TimeSpan.FromMinutes(3), counts.ToString());
        Assert.Equal("waiting", accepted.RequestId);
    }
}

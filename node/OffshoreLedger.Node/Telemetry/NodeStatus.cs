using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Limits;
using OffshoreLedger.Node.Sync;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// One snapshot of the node for its operator (<c>GET /status</c> on the management listener; <c>offshore node status</c>).
/// </summary>
public sealed record NodeStatus(
    DateTimeOffset At, bool Ready, string ReadyDetail, NodeStatusSync Sync, NodeStatusOutbox Outbox,
    IReadOnlyList<NodeStatusEndpoint> ChainEndpoints, IReadOnlyList<RefusedWrite> RecentRefusals, long RateLimited, int Watchers);

public sealed record NodeStatusSync(bool ChainReachable, ulong ChainHead, ulong SyncedBlock, ulong LagBlocks, double LagSeconds);

public sealed record NodeStatusOutbox(int Accepted, int Signed, int Sent, int DeadLettered, double OldestPendingSeconds);

/// <summary>A chain endpoint, named without any credentials its URL may carry.</summary>
public sealed record NodeStatusEndpoint(string Endpoint, bool Reachable);

public sealed class NodeStatusReport(
    NodeSyncState sync, OutboxCensus outbox, NodeMetrics metrics, WatcherSlots watchers, HealthCheckService health,
    IOptions<ChainOptions> chain, TimeProvider time)
{
    public async Task<NodeStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var s = sync.Read();
        var o = outbox.Count();
        var ready = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), cancellationToken);
        var detail = string.Join(
            "; ", ready.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}"));
        return new NodeStatus(
            time.GetUtcNow(), ready.Status == HealthStatus.Healthy, detail,
            new NodeStatusSync(s.ChainReachable, s.ChainHead, s.SyncedBlock, s.LagBlocks, Math.Round(s.LagTime.TotalSeconds, 3)),
            new NodeStatusOutbox(o.Accepted, o.Signed, o.Sent, o.DeadLettered, Math.Round(o.OldestPendingAge.TotalSeconds, 3)),
            [new NodeStatusEndpoint(ChainRpcTelemetry.Redact(chain.Value.Endpoints.FirstOrDefault() ?? ""), s.ChainReachable)],
            metrics.RecentRefusals, metrics.RateLimited, watchers.Open);
    }
}

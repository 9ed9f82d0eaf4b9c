using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Sync;

/// <summary>The tags that sort the node's health checks into probes.</summary>
public static class HealthTags
{
    /// <summary>The process is up and serving: a failing liveness probe means restart it.</summary>
    public const string Live = "live";

    /// <summary>The node can answer correctly now: a failing readiness probe means send no traffic yet.</summary>
    public const string Ready = "ready";
}

/// <summary>Healthy while the chain answers the follower; the gRPC health service reports it.</summary>
public sealed class ChainHealthCheck(ChainFollower follower) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(follower.ChainReachable
            ? HealthCheckResult.Healthy($"chain head {follower.ChainHead}")
            : HealthCheckResult.Unhealthy("the chain's JSON-RPC endpoint is not answering"));
}

/// <summary>Liveness: the process runs and answers. Nothing external decides it, so an outage of the chain restarts nothing.</summary>
public sealed class ProcessLivenessCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy("process up"));
}

/// <summary>
/// Readiness of reads: the chain answers and the index is within <see cref="ReadinessOptions.MaxLagBlocks"/> of its head (less
/// the confirmation depth). A node catching up on a long chain is alive but not ready.
/// </summary>
public sealed class IndexReadinessCheck(NodeSyncState sync, IOptions<ReadinessOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = sync.Read();
        var max = (ulong)options.Value.MaxLagBlocks;
        return Task.FromResult(
            !state.Started ? HealthCheckResult.Unhealthy("the chain has not answered yet")
            : !state.ChainReachable ? HealthCheckResult.Unhealthy("the chain's JSON-RPC endpoint is not answering")
            : state.LagBlocks > max
                ? HealthCheckResult.Unhealthy($"catching up: the index is {state.LagBlocks} blocks behind the chain (at most {max})")
            : HealthCheckResult.Healthy($"index at block {state.SyncedBlock}, {state.LagBlocks} behind the chain head {state.ChainHead}"));
    }
}

/// <summary>Readiness of writes: no write is dead-lettered (each waits for an operator's retry, and a caller waits on it).</summary>
public sealed class OutboxReadinessCheck(OutboxCensus outbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var counts = outbox.Count();
        return Task.FromResult(counts.DeadLettered == 0
            ? HealthCheckResult.Healthy($"{counts.Pending} writes pending")
            : HealthCheckResult.Unhealthy(
                $"{counts.DeadLettered} writes dead-lettered: list them with ListWrites and retry with RetryWrite"));
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OffshoreLedger.Node.Sync;

/// <summary>Healthy while the chain answers the follower; the gRPC health service reports it.</summary>
public sealed class ChainHealthCheck(ChainFollower follower) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(follower.ChainReachable
            ? HealthCheckResult.Healthy($"chain head {follower.ChainHead}")
            : HealthCheckResult.Unhealthy("the chain's JSON-RPC endpoint is not answering"));
}

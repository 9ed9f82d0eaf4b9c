using System.Threading.RateLimiting;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Errors;

namespace OffshoreLedger.Node.Limits;

/// <summary>
/// Per-caller rate and concurrency limits (ASP.NET Core rate limiting, partitioned by <see cref="CallerPartition.Of"/>), the
/// Kestrel limits, and the watcher slots, configured from <see cref="LimitsOptions"/> and validated on start. Health and
/// reflection stay unlimited, so a flooded node still answers its health check.
/// </summary>
public static partial class CallerLimits
{
    /// <summary>How long a caller over its concurrent calls is told to wait: calls are short, except watches.</summary>
    private static readonly TimeSpan ConcurrencyRetry = TimeSpan.FromMilliseconds(500);

    public static IServiceCollection AddCallerLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WatcherSlots>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<LimitsOptions>, ILoggerFactory, Telemetry.NodeMetrics>((options, limits, logs, metrics) =>
        {
            var l = limits.Value;
            var log = logs.CreateLogger(typeof(CallerLimits).FullName!);
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsOpen(context)
                    ? RateLimitPartition.GetNoLimiter("open")
                    : RateLimitPartition.GetTokenBucketLimiter(CallerPartition.Of(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = l.Burst, TokensPerPeriod = l.CallsPerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsOpen(context)
                    ? RateLimitPartition.GetNoLimiter("open")
                    : RateLimitPartition.GetConcurrencyLimiter(
                        CallerPartition.Of(context),
                        _ => new ConcurrencyLimiterOptions { PermitLimit = l.MaxConcurrentCalls, QueueLimit = 0 })));
            options.OnRejected = (rejected, _) =>
            {
                var caller = CallerPartition.Of(rejected.HttpContext);
                var byRate = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                var error = byRate
                    ? RpcErrors.LimitExceeded("calls_per_second",
                        $"This caller made more than {l.CallsPerSecond} calls a second (burst {l.Burst}); retry in " +
                            $"{retryAfter.TotalSeconds:0.###} s.", retryAfter)
                    : RpcErrors.LimitExceeded(
                        "concurrent_calls", $"This caller has {l.MaxConcurrentCalls} calls in progress, the most it may.",
                        ConcurrencyRetry);
                metrics.RateLimitRejected(byRate ? "calls_per_second" : "concurrent_calls");
                LogRefused(log, caller, error.Status.Detail);
                return new ValueTask(GrpcStatusResponse.WriteAsync(rejected.HttpContext, error));
            };
        });
        return services;
    }

    /// <summary>Applies the per-caller limits; after authorisation, so the caller is known by its credentials' name.</summary>
    public static IApplicationBuilder UseCallerLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>The services authorisation leaves open (health, reflection) are unlimited too; every other request counts.</summary>
    private static bool IsOpen(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName is { } service
            && RpcAccessTable.OpenServices.Contains(service);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Refused a call of {Caller}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string caller, string reason);

    /// <summary>Kestrel's limits from <see cref="LimitsOptions"/>: streams per connection and request header size.</summary>
    private sealed class KestrelLimits(IOptions<LimitsOptions> limits) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options)
        {
            options.Limits.Http2.MaxStreamsPerConnection = limits.Value.MaxStreamsPerConnection;
            options.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeadersBytes;
            // One header field can be no larger than all of them together.
            options.Limits.Http2.MaxRequestHeaderFieldSize = Math.Min(
                options.Limits.Http2.MaxRequestHeaderFieldSize, limits.Value.MaxRequestHeadersBytes);
        }
    }
}

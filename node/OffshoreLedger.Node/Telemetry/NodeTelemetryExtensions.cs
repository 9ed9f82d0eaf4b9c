using Grpc.AspNetCore.HealthChecks;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Sync;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>The node's operability: metrics, traces, JSON logs, probes and the management listener.</summary>
public static class NodeTelemetryExtensions
{
    /// <summary>The gRPC health service answers for each of these by name, with the node's readiness.</summary>
    public static readonly IReadOnlyList<string> LedgerServices =
    [
        TitleService.Descriptor.FullName, DocumentService.Descriptor.FullName, AttestationService.Descriptor.FullName,
        VerificationService.Descriptor.FullName, NodeService.Descriptor.FullName, OutboxService.Descriptor.FullName,
    ];

    public static WebApplicationBuilder AddNodeTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // One JSON object per line, with the scopes (trace id, RPC method, caller, request id) as fields.
        if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section).ValidateOnStart();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _),
                $"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute URL, e.g. http://otel-collector:4317.")
            .ValidateOnStart();
        services.AddOptions<ReadinessOptions>().BindConfiguration(ReadinessOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddMetrics();
        services.AddSingleton<NodeMetrics>()
            .AddSingleton<NodeSyncState>()
            .AddSingleton<OutboxCensus>()
            .AddSingleton<NodeGauges>()
            .AddSingleton<NodeStatusReport>()
            .AddSingleton<ManagementServer>()
            .AddHostedService(sp => sp.GetRequiredService<ManagementServer>());

        services.AddHealthChecks()
            .AddCheck<ProcessLivenessCheck>("process", tags: [HealthTags.Live])
            .AddCheck<IndexReadinessCheck>("index", tags: [HealthTags.Ready])
            .AddCheck<OutboxReadinessCheck>("outbox", tags: [HealthTags.Ready]);
        services.Configure<GrpcHealthChecksOptions>(o =>
        {
            // The unnamed service keeps its meaning (the chain answers), so existing container health checks keep theirs.
            o.Services.Map("", r => r.Name == "chain");
            foreach (var service in LedgerServices) o.Services.Map(service, r => r.Tags.Contains(HealthTags.Ready));
        });

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!telemetry.Enabled) return builder;
        services.AddSingleton(
            sp => new ChainRpcTelemetry(
                sp.GetRequiredService<NodeMetrics>(),
                sp.GetRequiredService<IOptions<ChainOptions>>().Value.Endpoints.FirstOrDefault() ?? ""));
        var otlp = string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint) ? null : new Uri(telemetry.OtlpEndpoint);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(
                r => r.AddService("offshore-ledger-node", serviceVersion: typeof(NodeMetrics).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(NodeMetrics.MeterName).AddPrometheusExporter();
                if (otlp is not null) m.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        if (telemetry.TracingOn)
        {
            services.AddSingleton<WriteTraces>();
            otel.WithTracing(t =>
            {
                t.AddSource(NodeTracing.SourceName);
                if (otlp is not null) t.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        }
        return builder;
    }

    /// <summary>Times and traces every call; first, so calls refused by authorisation or limits are counted too.</summary>
    public static WebApplication UseNodeTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Enabled) app.UseMiddleware<RpcTelemetry>();
        return app;
    }
}

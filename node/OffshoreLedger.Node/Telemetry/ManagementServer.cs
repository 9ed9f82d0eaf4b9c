using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Sync;
using OpenTelemetry.Metrics;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// The management listener: a small HTTP/1.1 server of its own beside the gRPC one, so nothing on the public port
/// serves metrics and no ledger RPC is reachable here. It answers
/// <c>GET /metrics</c> (Prometheus), <c>GET /health/live</c> and <c>GET /health/ready</c> (200 or 503, for Kubernetes and
/// compose probes) and <c>GET /status</c> (the operator's snapshot as JSON).
/// </summary>
public sealed partial class ManagementServer(
    IOptions<ManagementOptions> options, IServiceProvider services, HealthCheckService health, NodeStatusReport status, NodeGauges gauges,
    ILogger<ManagementServer> logger) : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private WebApplication? _app;

    /// <summary>The address the listener is bound to, once started (the port is resolved when configured as 0).</summary>
    public string? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = gauges; // Created with the server, so the gauges exist before the first scrape.
        var url = options.Value.Url;
        if (string.IsNullOrWhiteSpace(url)) return;
        // An empty builder: no configuration sources, so the node's Urls, Kestrel endpoints and certificates never apply here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http1));
        builder.WebHost.UseUrls(url);
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        if (services.GetService<MeterProvider>() is { } meters) app.MapPrometheusScrapingEndpoint("/metrics", meters, null, null);
        app.MapGet("/health/live", context => ProbeAsync(context, HealthTags.Live));
        app.MapGet("/health/ready", context => ProbeAsync(context, HealthTags.Ready));
        app.MapGet("/status", async context =>
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(
                context.Response.Body, await status.ReadAsync(context.RequestAborted), Json, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        _app = app;
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LogListening(logger, Url);
    }

    private async Task ProbeAsync(HttpContext context, string tag)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Healthy
            ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), detail = e.Value.Description }),
        }, Json, context.RequestAborted);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [LoggerMessage(
        EventId = 5001, Level = LogLevel.Information,
        Message = "Management listening on: {Url} (/metrics, /health/live, /health/ready, /status)")]
    private static partial void LogListening(ILogger logger, string url);
}

using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// The management listener (<c>Node:Management:*</c>): Prometheus scrape, liveness and readiness probes and the operator's
/// status, on an address of its own, never the public gRPC port. Loopback by default; it carries no ledger data and
/// no credentials, but expose it only to the monitoring network.
/// </summary>
public sealed class ManagementOptions
{
    public const string Section = "Node:Management";

    /// <summary>Where to listen (plain HTTP/1.1); empty turns the listener off. Port 0 takes a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:9464";
}

/// <summary>Metrics and traces (<c>Node:Telemetry:*</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Node:Telemetry";

    /// <summary>Collect metrics and trace spans. Off, the node records neither (the check benchmark's baseline).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// An OTLP collector (e.g. <c>http://otel-collector:4317</c>); metrics and traces are exported to it. Unset: no export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Record trace spans. Unset: only when <see cref="OtlpEndpoint"/> is set, as spans nobody exports are waste.</summary>
    public bool? Tracing { get; set; }

    public bool TracingOn => Enabled && (Tracing ?? !string.IsNullOrWhiteSpace(OtlpEndpoint));
}

/// <summary>When the node counts as ready to serve (<c>Node:Health:*</c>).</summary>
public sealed class ReadinessOptions
{
    public const string Section = "Node:Health";

    /// <summary>The index may trail the chain head (less the confirmation depth) by at most this many blocks.</summary>
    [Range(0, 1_000_000)]
    public int MaxLagBlocks { get; set; } = 5;
}

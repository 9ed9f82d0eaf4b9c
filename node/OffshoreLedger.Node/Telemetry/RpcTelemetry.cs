using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// First in the pipeline, so calls refused by authorisation or the limits count too: times each gRPC call, records it by
/// method and status code, opens its span and the logging scope every log line of the call carries (trace id, method
/// and, once authorised, the API key's name; never the key). An unmatched path is recorded as <c>unmatched</c>, so a
/// caller cannot grow the metric's label set.
/// </summary>
public sealed class RpcTelemetry(RequestDelegate next, NodeMetrics metrics, ILogger<RpcTelemetry> logger)
{
    /// <summary>Each method's label, made once: a call should not pay for formatting its own name.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Grpc.Core.IMethod, string> Labels = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method is { } m
            ? Labels.GetOrAdd(m, static m => $"{m.ServiceName}/{m.Name}")
            : "unmatched";
        using var activity = NodeTracing.Source.StartActivity(method, ActivityKind.Server);
        activity?.SetTag(NodeTracing.RpcMethod, method);
        var started = Stopwatch.GetTimestamp();
        using (logger.BeginScope(new RequestScope(context, method)))
        {
            try
            {
                await next(context);
            }
            finally
            {
                var status = StatusOf(context);
                metrics.RpcFinished(method, status, Stopwatch.GetElapsedTime(started));
                if (activity is not null)
                {
                    activity.SetTag(NodeTracing.GrpcStatus, NodeMetrics.Boxed(status));
                    if (context.User.Identity?.Name is { } caller) activity.SetTag(NodeTracing.Caller, caller);
                    if (status != 0) activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }

    /// <summary>The call's gRPC status: in the trailers, or in the headers of a trailers-only answer; 2 (UNKNOWN) if neither.</summary>
    private static int StatusOf(HttpContext context)
    {
        var value = context.Response.Headers["grpc-status"].ToString();
        if (value.Length == 0 && context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { } trailers)
        {
            value = trailers["grpc-status"].ToString();
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 2;
    }

    /// <summary>
    /// The fields of a call's log lines. Read when a line is written, so the caller's name appears once authorisation has
    /// named it. The request id of a write is added by the write itself.
    /// </summary>
    private sealed class RequestScope(HttpContext context, string method) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[] Fields() =>
        [
            new("TraceId", Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier),
            new("RpcMethod", method),
            new("Caller", context.User.Identity?.Name),
        ];

        public KeyValuePair<string, object?> this[int index] => Fields()[index];

        public int Count => 3;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Fields())
            .GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{method} as {context.User.Identity?.Name ?? "(unauthenticated)"}";
    }
}

using System.Diagnostics;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// Wraps every JSON-RPC call the node's Web3 client makes: its latency and outcome by endpoint and method, and, inside a
/// traced request, a client span. The endpoint is named by scheme, host and port only: a provider's API key in the URL's
/// path or user-info never reaches a label.
/// </summary>
public sealed class ChainRpcTelemetry(NodeMetrics metrics, string rpcUrl) : RequestInterceptor
{
    public string Endpoint { get; } = Redact(rpcUrl);

    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "unparsable";

    public override Task<object> InterceptSendRequestAsync<T>(
        Func<RpcRequest, string, Task<T>> interceptedSendRequestAsync, RpcRequest request, string? route = null) =>
        MeasureAsync(request.Method, async () => (object)(await interceptedSendRequestAsync(request, route!))!);

    public override Task InterceptSendRequestAsync(
        Func<RpcRequest, string, Task> interceptedSendRequestAsync, RpcRequest request, string? route = null) =>
        MeasureAsync(request.Method, async () => { await interceptedSendRequestAsync(request, route!); return null!; });

    public override Task<object> InterceptSendRequestAsync<T>(
        Func<string, string, object[], Task<T>> interceptedSendRequestAsync, string method, string? route = null,
        params object[] paramList) =>
        MeasureAsync(method, async () => (object)(await interceptedSendRequestAsync(method, route!, paramList))!);

    public override Task InterceptSendRequestAsync(
        Func<string, string, object[], Task> interceptedSendRequestAsync, string method, string? route = null, params object[] paramList) =>
        MeasureAsync(method, async () => { await interceptedSendRequestAsync(method, route!, paramList); return null!; });

    /// <summary>
    /// A client span for one JSON-RPC batch of the outbox, inside a traced write (see <see cref="WriteTraces"/>); else null.
    /// </summary>
    public static Activity? StartBatch(IReadOnlyList<RpcCall> calls)
    {
        if (Activity.Current is null) return null;
        var activity = NodeTracing.Source.StartActivity("jsonrpc.batch", ActivityKind.Client);
        activity?.SetTag("rpc.system", "jsonrpc");
        activity?.SetTag(NodeTracing.RpcMethod, string.Join(",", calls.Select(c => c.Method).Distinct()));
        activity?.SetTag(NodeTracing.BatchSize, calls.Count);
        return activity;
    }

    /// <summary>
    /// The outbox's JSON-RPC batches (<see cref="ChainRpc"/>): each call of a batch counted by its method and outcome (an
    /// error answered to that call alone is "error"), with the whole batch's latency, on the endpoint that served it.
    /// </summary>
    public void Batch(Uri endpoint, IReadOnlyList<RpcCall> calls, IReadOnlyList<RpcAnswer>? answers, Exception? failure, TimeSpan elapsed)
    {
        var label = Redact(endpoint.ToString());
        var batchOutcome = failure is null ? "ok" : ChainAvailability.IsUnreachable(failure) ? "unreachable" : "error";
        for (var i = 0; i < calls.Count; i++)
        {
            var outcome = answers is not null && answers[i].Error is not null ? "error" : batchOutcome;
            metrics.ChainCall(label, calls[i].Method, outcome, elapsed);
        }
    }

    private async Task<object> MeasureAsync(string method, Func<Task<object>> call)
    {
        // Only inside a traced request: the background loops' polling would otherwise start a trace of its own per call.
        using var activity = Activity.Current is null ? null : NodeTracing.Source.StartActivity(method, ActivityKind.Client);
        activity?.SetTag("rpc.system", "jsonrpc");
        activity?.SetTag(NodeTracing.RpcMethod, method);
        activity?.SetTag("server.address", Endpoint);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await call();
        }
        catch (Exception ex)
        {
            outcome = ChainAvailability.IsUnreachable(ex) ? "unreachable" : "error";
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
            throw;
        }
        finally
        {
            metrics.ChainCall(Endpoint, method, outcome, Stopwatch.GetElapsedTime(started));
        }
    }
}

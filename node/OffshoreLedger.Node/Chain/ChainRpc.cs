using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;

namespace OffshoreLedger.Node.Chain;

/// <summary>One JSON-RPC call of a batch.</summary>
public sealed record RpcCall(string Method, params object?[] Parameters);

/// <summary>One call's answer: its result, or the error the chain answered with (never both).</summary>
public sealed record RpcAnswer(JsonElement Result, RpcResponseException? Error)
{
    public bool IsNull => Error is null && Result.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public string String => Result.GetString()!;

    /// <summary>A JSON-RPC quantity (0x-hex) as a number.</summary>
    public static ulong Quantity(JsonElement hex) =>
        ulong.Parse(hex.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

/// <summary>
/// The outbox's JSON-RPC client: many calls in one HTTP request (a JSON-RPC batch), each answered on its own, over a
/// list of endpoints it fails over between when one does not answer at all. An error the chain answers with stays with
/// its call (as Nethereum's <see cref="RpcResponseException"/>, so revert data decodes the same way); only an endpoint
/// that cannot be reached throws, and then only once every endpoint has been tried.
/// </summary>
public sealed class ChainRpc : IDisposable
{
    /// <summary>Calls per HTTP request: a pool-sized batch would make one answer megabytes long.</summary>
    private const int MaxCallsPerRequest = 500;

    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _endpoints;
    private int _current;

    private readonly Telemetry.ChainRpcTelemetry? _telemetry;

    public ChainRpc(IReadOnlyList<string> endpoints, TimeSpan timeout, Telemetry.ChainRpcTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        if (endpoints.Count == 0) throw new ArgumentException("At least one chain endpoint is required.", nameof(endpoints));
        _endpoints = [.. endpoints.Select(e => new Uri(e))];
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = timeout })
            { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>The endpoint the last call was answered by.</summary>
    public Uri Current => _endpoints[Volatile.Read(ref _current)];

    public async Task<RpcAnswer> CallAsync(RpcCall call, CancellationToken cancellationToken) =>
        (await BatchAsync([call], cancellationToken))[0];

    /// <summary>The answers to <paramref name="calls"/>, in their order.</summary>
    public async Task<IReadOnlyList<RpcAnswer>> BatchAsync(IReadOnlyList<RpcCall> calls, CancellationToken cancellationToken)
    {
        var answers = new List<RpcAnswer>(calls.Count);
        for (var start = 0; start < calls.Count; start += MaxCallsPerRequest)
        {
            answers.AddRange(await FailoverAsync(calls.Skip(start).Take(MaxCallsPerRequest).ToList(), cancellationToken));
        }
        return answers;
    }

    private async Task<IReadOnlyList<RpcAnswer>> FailoverAsync(IReadOnlyList<RpcCall> calls, CancellationToken cancellationToken)
    {
        var first = Volatile.Read(ref _current);
        Exception? unreachable = null;
        using var activity = _telemetry is null ? null : Telemetry.ChainRpcTelemetry.StartBatch(calls);
        for (var attempt = 0; attempt < _endpoints.Count; attempt++)
        {
            var index = (first + attempt) % _endpoints.Count;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                var answers = await PostAsync(_endpoints[index], calls, cancellationToken);
                Volatile.Write(ref _current, index);
                activity?.SetTag("server.address", Telemetry.ChainRpcTelemetry.Redact(_endpoints[index].ToString()));
                _telemetry?.Batch(_endpoints[index], calls, answers, null, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return answers;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ChainAvailability.IsUnreachable(ex))
            {
                _telemetry?.Batch(_endpoints[index], calls, null, ex, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                unreachable = ex;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _telemetry?.Batch(_endpoints[index], calls, null, ex, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "error");
                throw;
            }
        }
        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "unreachable");
        throw unreachable!;
    }

    private async Task<IReadOnlyList<RpcAnswer>> PostAsync(Uri endpoint, IReadOnlyList<RpcCall> calls, CancellationToken cancellationToken)
    {
        var body = new JsonArray();
        for (var i = 0; i < calls.Count; i++)
        {
            body.Add(new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = i, ["method"] = calls[i].Method,
                ["params"] = JsonSerializer.SerializeToNode(calls[i].Parameters),
            });
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        JsonElement answer;
        try
        {
            using var response = await _http.PostAsJsonAsync(endpoint, body, timeout.Token);
            response.EnsureSuccessStatusCode();
            answer = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The chain endpoint {endpoint} did not answer within {Timeout.TotalSeconds:F0} s.", ex);
        }
        var answers = new RpcAnswer[calls.Count];
        // A server that refuses batches answers with one error object for the whole request.
        if (answer.ValueKind != JsonValueKind.Array) throw new RpcResponseException(ErrorOf(answer.GetProperty("error")));
        foreach (var item in answer.EnumerateArray())
        {
            var id = item.GetProperty("id").GetInt32();
            answers[id] = item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? new RpcAnswer(default, new RpcResponseException(ErrorOf(error)))
                : new RpcAnswer(item.TryGetProperty("result", out var result) ? result.Clone() : default, null);
        }
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] ??= new RpcAnswer(
                default, new RpcResponseException(new RpcError(-32603, $"no answer to {calls[i].Method} in the batch")));
        }
        return answers;
    }

    private static RpcError ErrorOf(JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -32603;
        var message = error.TryGetProperty("message", out var m) ? m.ToString() : "";
        JToken? data = error.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? JToken.Parse(d.GetRawText()) : null;
        return new RpcError(code, message, data);
    }

    public void Dispose() => _http.Dispose();
}

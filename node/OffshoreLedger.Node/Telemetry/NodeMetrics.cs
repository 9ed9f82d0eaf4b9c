using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// The instruments the node's code records into (one <see cref="Meter"/>, named <see cref="MeterName"/>, made by the host's
/// <see cref="IMeterFactory"/>): RPCs, writes, chain JSON-RPC calls, anchoring batches, rate-limit refusals. The state the
/// node can be asked about at any time (outbox, sync, index, watchers) is observed by <see cref="NodeGauges"/> instead.
/// Names become Prometheus families as <c>offshore_ledger_…</c>; deploy/observability/ queries them.
/// </summary>
public sealed class NodeMetrics
{
    public const string MeterName = "OffshoreLedger.Node";

    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _writesConfirmed;
    private readonly Counter<long> _writesRefused;
    private readonly Histogram<double> _chainRpcDuration;
    private readonly Histogram<long> _anchorBatchSize;
    private readonly Histogram<double> _anchorBatchDuration;
    private long _rateLimitedCalls, _rateLimitedConcurrency, _reorgs, _reorgBlocks, _lastReorgDepth;
    private readonly RecentRefusals _refusals = new(capacity: 20);

    public NodeMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _rpcDuration = Meter.CreateHistogram<double>("offshore_ledger.rpc.server.duration", "s",
            "gRPC calls by method and status code: the count is the number of calls.");
        _writesConfirmed = Meter.CreateCounter<long>(
            "offshore_ledger.writes.confirmed", description: "Writes the chain confirmed, by operation.");
        _writesRefused = Meter.CreateCounter<long>(
            "offshore_ledger.writes.refused",
            description: "Writes the ledger refused, by operation and reason (e.g. TITLE_ALREADY_PLEDGED).");
        _chainRpcDuration = Meter.CreateHistogram<double>("offshore_ledger.chain.rpc.duration", "s",
            "JSON-RPC calls to the chain by endpoint, method and outcome (ok, error, unreachable).");
        _anchorBatchSize = Meter.CreateHistogram<long>(
            "offshore_ledger.anchor.batch.size", "{document}", "Documents per anchored Merkle batch.");
        _anchorBatchDuration = Meter.CreateHistogram<double>(
            "offshore_ledger.anchor.batch.duration", "s", "From a batch's recording to its root confirmed on chain.");
        Meter.CreateObservableCounter("offshore_ledger.rate_limit.rejections", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _rateLimitedCalls), new KeyValuePair<string, object?>("limit", "calls_per_second")),
            new Measurement<long>(
                Interlocked.Read(ref _rateLimitedConcurrency), new KeyValuePair<string, object?>("limit", "concurrent_calls")),
        }, description: "Calls refused by the per-caller limits, by limit.");
        Meter.CreateObservableCounter(
            "offshore_ledger.sync.reorgs", () => Interlocked.Read(ref _reorgs),
            description: "Chain reorganisations the follower rolled back.");
        Meter.CreateObservableCounter("offshore_ledger.sync.reorg.rolled_back", () => Interlocked.Read(ref _reorgBlocks), "{block}",
            "Blocks rolled back by reorganisations, summed: with the count of reorgs, their mean depth.");
        Meter.CreateObservableGauge(
            "offshore_ledger.sync.reorg.last_depth", () => Interlocked.Read(ref _lastReorgDepth), "{block}",
            "Depth of the latest reorganisation.");
    }

    public Meter Meter { get; }

    /// <summary>The latest refused writes, newest first, for the operator's status view.</summary>
    public IReadOnlyList<RefusedWrite> RecentRefusals => _refusals.Snapshot();

    public long RateLimited => Interlocked.Read(ref _rateLimitedCalls) + Interlocked.Read(ref _rateLimitedConcurrency);

    public void RpcFinished(string method, int grpcStatus, TimeSpan elapsed) =>
        _rpcDuration.Record(elapsed.TotalSeconds, new("rpc_method", method), new("grpc_status", Boxed(grpcStatus)));

    /// <summary>gRPC status codes as tag values, boxed once rather than per call.</summary>
    private static readonly object[] StatusBoxes = [.. Enumerable.Range(0, 17).Select(code => (object)code)];

    public static object Boxed(int grpcStatus) => grpcStatus is >= 0 and < 17 ? StatusBoxes[grpcStatus] : grpcStatus;

    public void WriteConfirmed(string operation) => _writesConfirmed.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void WriteRefused(string operation, string reason, string requestId, string? transactionHash)
    {
        _writesRefused.Add(1, new("operation", operation), new("reason", reason));
        _refusals.Add(new RefusedWrite(DateTimeOffset.UtcNow, operation, reason, requestId, transactionHash));
    }

    public void ChainCall(string endpoint, string method, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "method", method }, { "outcome", outcome } };
        _chainRpcDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void AnchorBatch(int documents, TimeSpan elapsed)
    {
        _anchorBatchSize.Record(documents);
        _anchorBatchDuration.Record(elapsed.TotalSeconds);
    }

    public void RateLimitRejected(string limit)
    {
        if (limit == "concurrent_calls") Interlocked.Increment(ref _rateLimitedConcurrency);
        else Interlocked.Increment(ref _rateLimitedCalls);
    }

    public void Reorg(ulong depth)
    {
        Interlocked.Increment(ref _reorgs);
        Interlocked.Add(ref _reorgBlocks, (long)depth);
        Interlocked.Exchange(ref _lastReorgDepth, (long)depth);
    }
}

/// <summary>A write the ledger refused: when, which operation, why, and which request and transaction.</summary>
public sealed record RefusedWrite(DateTimeOffset At, string Operation, string Reason, string RequestId, string? TransactionHash);

/// <summary>A small ring of the latest refusals.</summary>
internal sealed class RecentRefusals(int capacity)
{
    private readonly Queue<RefusedWrite> _latest = new();

    public void Add(RefusedWrite refusal)
    {
        lock (_latest)
        {
            _latest.Enqueue(refusal);
            if (_latest.Count > capacity) _latest.Dequeue();
        }
    }

    public IReadOnlyList<RefusedWrite> Snapshot()
    {
        lock (_latest) return [.. _latest.Reverse()];
    }
}

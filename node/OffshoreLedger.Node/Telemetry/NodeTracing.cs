using System.Diagnostics;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// The node's trace spans: one per gRPC call, a child per outbox write (request id, transaction hash, outcome), the
/// outbox sender's steps for that write (<see cref="WriteTraces"/>), and a child per JSON-RPC call or batch made on the
/// request's behalf. Exported over OTLP only when configured.
/// </summary>
public static class NodeTracing
{
    public const string SourceName = "OffshoreLedger.Node";

    public static readonly ActivitySource Source = new(SourceName, typeof(NodeTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Span attributes, named after OpenTelemetry's semantic conventions where one exists.</summary>
    public const string RequestId = "offshore_ledger.request_id", Operation = "offshore_ledger.operation",
        TransactionHash = "offshore_ledger.tx_hash", BlockNumber = "offshore_ledger.block_number", Outcome = "offshore_ledger.outcome",
        Reason = "offshore_ledger.reason", RpcMethod = "rpc.method", RpcService = "rpc.service", GrpcStatus = "rpc.grpc.status_code",
        Caller = "offshore_ledger.caller", BatchSize = "offshore_ledger.batch_size", TracedWrites = "offshore_ledger.traced_writes";
}

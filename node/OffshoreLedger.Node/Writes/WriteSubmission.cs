using Google.Protobuf;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Writes;

/// <summary>
/// What every write RPC does after validating: submit to the outbox under the caller's request id, turn a
/// refusal into its status, and hand back the confirmed transaction's contract events. The API side of a write: the
/// outbox (<see cref="LedgerWriter"/>) knows nothing of gRPC.
/// </summary>
public sealed partial class WriteSubmission(
    LedgerWriter writer, LedgerIndex index, ILogger<WriteSubmission> logger, NodeMetrics? metrics = null, WriteTraces? traces = null)
{
    public async Task<(OutboxEntry Entry, IReadOnlyList<IEventDTO> Events)> SubmitAsync<TFunction>(
        string requestId, string operation, TFunction call, string submittedBy, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        // One span from the outbox's intake to the write's confirmation (or refusal), naming its transaction.
        using var activity = NodeTracing.Source.StartActivity($"outbox.write {operation}");
        activity?.SetTag(NodeTracing.RequestId, requestId);
        activity?.SetTag(NodeTracing.Operation, operation);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = requestId, ["Operation"] = operation });
        OutboxEntry entry;
        try
        {
            // The sender's steps for this write join its trace while the caller waits.
            using var tracked = traces?.Track(requestId, activity);
            entry = await writer.SubmitAsync(requestId, operation, call, submittedBy, cancellationToken);
        }
        catch (RequestIdReusedException)
        {
            throw RpcErrors.RequestIdReused(requestId);
        }
        activity?.SetTag(NodeTracing.TransactionHash, entry.TransactionHash);
        activity?.SetTag(NodeTracing.BlockNumber, entry.BlockNumber);
        if (entry.State == OutboxState.Refused)
        {
            var refused = RpcErrors.Refused(entry.RefusalName!, entry.RefusalArguments);
            Refused(activity, entry, operation, ReasonOf(refused));
            throw refused;
        }
        if (entry.DeadLetteredAt is not null)
        {
            activity?.SetTag(NodeTracing.Outcome, "dead_lettered");
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            LogWriteDeadLettered(logger, requestId, operation, entry.Attempts);
            throw RpcErrors.DeadLettered(entry.RequestId, entry.Attempts, entry.LastFailure ?? "");
        }
        // Confirmed means the index has applied the transaction's block: its events come from there, not from one more
        // round trip to the chain, which may have gone away since (the caller would get an error for a write that landed).
        IReadOnlyList<IEventDTO> events = [.. index.EventsOf(entry.TransactionHash!).Select(e => e.Event)];
        // A blocked pledge is mined (the contract records the attempt) but refused: the API answers TITLE_ALREADY_PLEDGED.
        if (events.OfType<PledgeBlockedEvent>().Any()) Refused(activity, entry, operation, ErrorReason.TitleAlreadyPledged.Name());
        else
        {
            activity?.SetTag(NodeTracing.Outcome, "confirmed");
            metrics?.WriteConfirmed(operation);
            LogWriteConfirmed(logger, requestId, operation, entry.TransactionHash, entry.BlockNumber ?? 0);
        }
        return (entry, events);
    }

    private void Refused(System.Diagnostics.Activity? activity, OutboxEntry entry, string operation, string reason)
    {
        activity?.SetTag(NodeTracing.Outcome, "refused");
        activity?.SetTag(NodeTracing.Reason, reason);
        metrics?.WriteRefused(operation, reason, entry.RequestId, entry.TransactionHash);
        LogWriteRefused(logger, entry.RequestId, operation, reason, entry.TransactionHash);
    }

    /// <summary>The ErrorInfo reason an <see cref="RpcErrors"/> status carries.</summary>
    private static string ReasonOf(Grpc.Core.RpcException error) =>
        Grpc.Core.RpcExceptionExtensions.GetRpcStatus(error)?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? error.StatusCode.ToString();

    [LoggerMessage(
        EventId = 2301, Level = LogLevel.Information,
        Message = "Write {RequestId} ({Operation}) confirmed: transaction {TransactionHash} in block {BlockNumber}")]
    private static partial void LogWriteConfirmed(
        ILogger logger, string requestId, string operation, string? transactionHash, ulong blockNumber);

    [LoggerMessage(
        EventId = 2302, Level = LogLevel.Information,
        Message = "Write {RequestId} ({Operation}) refused: {Reason} (transaction {TransactionHash})")]
    private static partial void LogWriteRefused(ILogger logger, string requestId, string operation, string reason, string? transactionHash);

    [LoggerMessage(
        EventId = 2303, Level = LogLevel.Warning,
        Message = "Write {RequestId} ({Operation}) dead-lettered after {Attempts} attempts; it waits for an operator's retry")]
    private static partial void LogWriteDeadLettered(ILogger logger, string requestId, string operation, int attempts);

    public static WriteReceipt Receipt(OutboxEntry entry) => new()
    {
        RequestId = entry.RequestId,
        State = entry.State switch
        {
            OutboxState.Confirmed => WriteState.Confirmed,
            OutboxState.Refused => WriteState.Refused,
            OutboxState.Sent or OutboxState.Signed => WriteState.Sent,
            _ => WriteState.Accepted,
        },
        TransactionHash = entry.TransactionHash is null ? ByteString.Empty : ByteString.CopyFrom(Hex.Bytes(entry.TransactionHash)),
        BlockNumber = entry.BlockNumber ?? 0,
    };
}

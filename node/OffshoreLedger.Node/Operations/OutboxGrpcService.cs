using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Operations;

/// <summary>The node's outbox for its operators: dead-lettered writes to inspect and put back in line.</summary>
public sealed class OutboxGrpcService(OutboxStore store, LedgerWriter writer) : OutboxService.OutboxServiceBase
{
    private const int MaxListed = 1_000;

    public override Task<ListWritesResponse> ListWrites(ListWritesRequest request, ServerCallContext context)
    {
        Func<OutboxEntry, bool> include = request.Filter switch
        {
            WriteFilter.DeadLettered => e => e.DeadLetteredAt is not null,
            WriteFilter.Pending => e => e.IsPending,
            _ => throw RpcErrors.InvalidArgument([("filter", "Give WRITE_FILTER_DEAD_LETTERED or WRITE_FILTER_PENDING.")]),
        };
        if (request.Limit > MaxListed) throw RpcErrors.InvalidArgument([("limit", $"At most {MaxListed}.")]);
        var limit = request.Limit == 0 ? MaxListed : (int)request.Limit;
        var response = new ListWritesResponse();
        response.Writes.AddRange(store.OutboxEntries(include, limit).Select(ToWrite));
        return Task.FromResult(response);
    }

    public override Task<RetryWriteResponse> RetryWrite(RetryWriteRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.RequestId)) throw RpcErrors.InvalidArgument([("request_id", "Name the write to retry.")]);
        var entry = writer.Retry(request.RequestId)
            ?? throw RpcErrors.NotFound(ErrorReason.WriteNotFound, $"No write with request_id '{request.RequestId}'.");
        return Task.FromResult(new RetryWriteResponse { Write = ToWrite(entry) });
    }

    private static OutboxWrite ToWrite(OutboxEntry entry)
    {
        // State and transaction as a caller's receipt shows them.
        var receipt = WriteSubmission.Receipt(entry);
        return new()
        {
            Sequence = entry.Sequence,
            RequestId = entry.RequestId,
            Operation = entry.Operation,
            State = receipt.State,
            DeadLettered = entry.DeadLetteredAt is not null,
            Attempts = (uint)entry.Attempts,
            LastFailure = entry.LastFailure ?? "",
            SubmittedBy = entry.SubmittedBy ?? "",
            AcceptedAt = Timestamp.FromDateTimeOffset(entry.AcceptedAt),
            TransactionHash = receipt.TransactionHash,
        };
    }
}

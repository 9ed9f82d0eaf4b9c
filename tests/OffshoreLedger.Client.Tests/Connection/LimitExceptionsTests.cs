using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Client.Tests.Connection;

public class LimitExceptionsTests
{
    [Fact]
    public void A_watch_ended_too_slow_surfaces_the_block_to_resume_from()
    {
        var ended = Refusal(
            StatusCode.ResourceExhausted, OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.WatcherTooSlow),
            new() { ["last_block_delivered"] = "1234", ["last_log_index_delivered"] = "7" }, null);

        var slow = Assert.IsType<WatcherTooSlowException>(LedgerException.From(ended));

        Assert.Equal((1234UL, 7L), (slow.LastBlockDelivered, slow.LastLogIndexDelivered!.Value));
    }

    [Fact]
    public void A_caller_over_its_rate_surfaces_when_to_retry()
    {
        var refused = Refusal(
            StatusCode.ResourceExhausted, OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.LimitExceeded),
            new() { ["limit"] = "calls_per_second" }, TimeSpan.FromMilliseconds(750));

        var limited = Assert.IsType<LedgerLimitExceededException>(LedgerException.From(refused));

        Assert.Equal(TimeSpan.FromMilliseconds(750), limited.RetryAfter);
        Assert.Equal("calls_per_second", limited.Metadata["limit"]);
    }

    /// <summary>A status as the node builds it: ErrorInfo with its reason and metadata, and RetryInfo when given.</summary>
    private static RpcException Refusal(StatusCode code, string reason, Dictionary<string, string> metadata, TimeSpan? retryAfter)
    {
        var info = new ErrorInfo { Reason = reason, Domain = "offshore-ledger.v1" };
        info.Metadata.Add(metadata);
        var status = new Google.Rpc.Status { Code = (int)code, Message = reason, Details = { Any.Pack(info) } };
        if (retryAfter is { } after) status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(after) }));
        return status.ToRpcException();
    }
}

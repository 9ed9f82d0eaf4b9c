using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Telemetry;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>
/// Issue 18, point 2: one trace per write, from the gRPC call through the outbox's background sender and its JSON-RPC
/// batches to the confirmation, with the transaction hash on the write's span. The node runs in this process, so an
/// activity listener sees every span it records.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class WriteTracingTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == NodeTracing.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    private static ByteString RandomHash() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_write_is_one_trace_from_the_grpc_call_through_the_outbox_sender_to_its_transaction()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        await using var port = await RunningNode.StartAsync(
            fixture, "port", extraSettings: new Dictionary<string, string?> { ["Node:Telemetry:Tracing"] = "true" });
        var requestId = "traced-" + Guid.NewGuid();

        var published = await port.Attestations.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
        {
            RequestId = requestId, LotKey = RandomHash(), PortOfLoading = TestIssuance.PortOfLoading, Quantity = 1000, Unit = "TNE",
            LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2)), DocumentHash = RandomHash(),
        }, port.Write);

        var write = Assert.Single(
            _stopped,
            s => s.OperationName.StartsWith("outbox.write", StringComparison.Ordinal)
            && (string?)s.GetTagItem(NodeTracing.RequestId) == requestId);
        var trace = write.TraceId;
        // The call's own span ends just after its response went out: wait for it (no fixed sleep).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_stopped.Any(s => s.SpanId == write.ParentSpanId)) await Task.Delay(10, deadline.Token);
        var spans = _stopped.ToList();
        var call = Assert.Single(spans, s => s.SpanId == write.ParentSpanId);
        Assert.Equal(ActivityKind.Server, call.Kind);
        Assert.Contains("PublishLoadingAttestation", call.OperationName, StringComparison.Ordinal);
        Assert.Equal(
            "0x" + Convert.ToHexStringLower(published.Receipt.TransactionHash.ToByteArray()),
            ((string?)write.GetTagItem(NodeTracing.TransactionHash))?.ToLowerInvariant());
        Assert.Equal("confirmed", write.GetTagItem(NodeTracing.Outcome));
        // The sender's steps ran in the background, yet belong to this write: in its trace, or linked to it when batched.
        bool Serves(Activity step) => step.TraceId == trace || step.Links.Any(l => l.Context.TraceId == trace);
        var sign = Assert.Single(spans, s => s.OperationName == "outbox.sign" && Serves(s));
        var send = Assert.Single(spans, s => s.OperationName == "outbox.send" && Serves(s));
        var broadcast = Assert.Single(spans, s => s.ParentSpanId == send.SpanId && s.OperationName == "jsonrpc.batch");
        Assert.Contains("eth_sendRawTransaction", (string?)broadcast.GetTagItem(NodeTracing.RpcMethod), StringComparison.Ordinal);
        Assert.Equal(ActivityKind.Client, broadcast.Kind);
        Assert.Contains(spans, s => s.ParentSpanId == sign.SpanId && s.OperationName == "jsonrpc.batch");
        Assert.True(send.StartTimeUtc >= write.StartTimeUtc && send.StartTimeUtc <= write.StartTimeUtc + write.Duration);
    }
}

using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Tests.Reliability;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Limits on every caller, through the real server over sockets: a caller over its call rate, its concurrent calls
/// or its watchers is refused RESOURCE_EXHAUSTED while another caller is still served; a watcher too slow to keep
/// up is ended with the last block it got, never left with a silent gap; Kestrel and per-method size limits hold.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class CallerLimitsTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_caller_over_its_call_rate_is_refused_with_RetryInfo_while_another_caller_is_served()
    {
        await using var node = await RunningNode.StartAsync(
            fixture, "auditor", extraSettings: Limits(("CallsPerSecond", "1"), ("Burst", "3")));
        using var flooder = Callers.From(node.Url, "127.0.0.1");
        using var other = Callers.From(node.Url, "127.0.0.2");
        var flooding = new NodeService.NodeServiceClient(flooder);

        RpcException? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            try { await flooding.GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read); }
            catch (RpcException ex) { refused = ex; }
        }
        var served = await new NodeService.NodeServiceClient(other).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Write);
        // Health stays open: a flooded node still answers its health check, whoever asks and however often (more
        // often than the caller's bucket could refill meanwhile).
        var healthClient = new Grpc.Health.V1.Health.HealthClient(flooder);
        var health = await healthClient.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        for (var i = 0; i < 5; i++) health = await healthClient.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var (reason, metadata) = Callers.Info(refused);
        Assert.Equal(ErrorReason.LimitExceeded.Name(), reason);
        Assert.Equal("calls_per_second", metadata["limit"]);
        Assert.NotEqual(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Unknown, health.Status);
        Assert.True(
            refused.GetRpcStatus()!.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan() > TimeSpan.Zero, "RetryInfo says when to try again");
        Assert.Equal(node.Address, served.Address, ignoreCase: true);
    }

    [Fact]
    public async Task A_caller_at_its_concurrent_calls_is_refused_while_another_caller_is_served()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor", extraSettings: Limits(("MaxConcurrentCalls", "1")));
        using var busy = Callers.From(node.Url, "127.0.0.1");
        using var other = Callers.From(node.Url, "127.0.0.2");
        // A watch is a call that lasts: it holds the caller's one slot.
        using var watch = new TitleService.TitleServiceClient(busy).WatchTitleEvents(new WatchTitleEventsRequest(), node.Read);
        await watch.ResponseHeadersAsync;

        RpcException? refused = null;
        await ChainTruth.UntilAsync(async () =>
        {
            try
            {
                await new NodeService.NodeServiceClient(busy).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);
                return false;
            }
            catch (RpcException ex)
            {
                refused = ex;
                return true;
            }
        }, Patience, () => "A second concurrent call of a caller limited to one was never refused.");
        var served = await new NodeService.NodeServiceClient(other).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Write);

        Assert.Equal(StatusCode.ResourceExhausted, refused!.StatusCode);
        Assert.Equal(
            (ErrorReason.LimitExceeded.Name(), "concurrent_calls"),
            (Callers.Info(refused).Reason, Callers.Info(refused).Metadata["limit"]));
        Assert.Equal(node.Address, served.Address, ignoreCase: true);
    }

    [Fact]
    public async Task A_caller_over_its_watchers_is_refused_while_another_caller_may_still_watch()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor", extraSettings: Limits(("MaxWatchersPerCaller", "1")));
        using var watcher = Callers.From(node.Url, "127.0.0.1");
        using var other = Callers.From(node.Url, "127.0.0.2");
        using var first = new TitleService.TitleServiceClient(watcher).WatchTitleEvents(new WatchTitleEventsRequest(), node.Read);
        // Admitted (the node answers a watch's headers once it is live), so the second is the one over the limit.
        await first.ResponseHeadersAsync;

        RpcException? refused = null;
        await ChainTruth.UntilAsync(async () =>
        {
            using var second = new TitleService.TitleServiceClient(watcher)
                .WatchTitleEvents(new WatchTitleEventsRequest(), node.Read, DateTime.UtcNow.AddSeconds(1));
            try
            {
                await second.ResponseStream.MoveNext(CancellationToken.None);
                return false;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
            {
                return false;
            }
            catch (RpcException ex)
            {
                refused = ex;
                return true;
            }
        }, Patience, () => "A second watcher of a caller limited to one was never refused.");
        using var others = new TitleService.TitleServiceClient(other)
            .WatchTitleEvents(new WatchTitleEventsRequest(), node.Write, DateTime.UtcNow.AddSeconds(1));
        // Events the node indexes meanwhile (it may still be catching up) are fine; the watch must last until its deadline.
        var othersEnd = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await others.ResponseStream.MoveNext(CancellationToken.None)) { }
        });

        Assert.Equal(StatusCode.ResourceExhausted, refused!.StatusCode);
        Assert.Equal(
            (ErrorReason.LimitExceeded.Name(), "watchers"), (Callers.Info(refused).Reason, Callers.Info(refused).Metadata["limit"]));
        // The other caller's watch was admitted: it ran until its own deadline.
        Assert.Equal(StatusCode.DeadlineExceeded, othersEnd.StatusCode);
    }

    [Fact]
    public async Task A_watcher_too_slow_to_keep_up_is_ended_with_the_last_block_it_got_and_resumes_from_there_without_a_gap()
    {
        // Issue 14: the carrier's node issues the titles, on a lot the port attested.
        await using var node = await RunningNode.StartAsync(fixture, "carrier", extraSettings: Limits(("WatcherBufferEvents", "4")));
        await Reliability.LedgerRequests.ReadyAsync(fixture);
        await node.SyncedToHeadAsync(fixture);
        var from = (ulong)(await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value + 1;
        // Not read while the titles are registered: its connection's flow-control window fills, then its buffer.
        using var slow = node.Titles.WatchTitleEvents(new WatchTitleEventsRequest { FromBlock = from }, node.Read);
        await slow.ResponseHeadersAsync;

        // Titles of 256 keys (about 9 kB an event), enough to outrun the stream's windows and buffers many times over.
        var registered = new List<ulong>();
        for (var i = 0; i < 80; i++)
        {
            var request = new RegisterTitleRequest
            {
                RequestId = Guid.NewGuid().ToString(), Holder = node.Address, LotKey = Reliability.LedgerRequests.SharedLot, Quantity = 1,
                Unit = "TNE",
                Keys = { Enumerable.Range(0, 256).Select(_ => RandomKey()) }, CarrierCode = TestIssuance.CarrierCode,
            };
            registered.Add((await node.Titles.RegisterTitleAsync(request, node.Write)).TitleId);
        }
        var received = new List<TitleEvent>();
        using var reading = new CancellationTokenSource(Patience);
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await slow.ResponseStream.MoveNext(reading.Token)) received.Add(slow.ResponseStream.Current.Event);
        });

        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        var (reason, metadata) = Callers.Info(ended);
        Assert.Equal(ErrorReason.WatcherTooSlow.Name(), reason);
        var lastBlock = ulong.Parse(metadata["last_block_delivered"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(received.Count == 0 ? 0 : received[^1].BlockNumber, lastBlock);
        Assert.True(
            received.Select(Registered).OfType<ulong>().Count() < registered.Count, "The slow watcher was ended before it got everything.");

        // Resuming from the last block delivered leaves no title out.
        using var resumed = node.Titles.WatchTitleEvents(new WatchTitleEventsRequest { FromBlock = Math.Max(lastBlock, from) }, node.Read);
        var seen = received.Select(Registered).OfType<ulong>().ToHashSet();
        using var catchingUp = new CancellationTokenSource(Patience);
        while (!registered.All(seen.Contains) && await resumed.ResponseStream.MoveNext(catchingUp.Token))
        {
            if (Registered(resumed.ResponseStream.Current.Event) is { } id) seen.Add(id);
        }
        Assert.DoesNotContain(registered, id => !seen.Contains(id));
    }

    [Fact]
    public async Task Kestrel_takes_its_stream_and_header_limits_from_the_Limits_section_and_refuses_larger_headers()
    {
        await using var node = await RunningNode.StartAsync(
            fixture, "auditor", extraSettings: Limits(("MaxStreamsPerConnection", "7"), ("MaxRequestHeadersBytes", "8192")));
        var kestrel = node.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        using var oversized = Callers.From(node.Url, "127.0.0.1");
        var headers = new Metadata { { "x-api-key", node.ReadKey }, { "x-padding", new string('p', 12_000) } };

        var refused = await Assert.ThrowsAsync<RpcException>(
            () => new NodeService.NodeServiceClient(oversized).GetNodeInfoAsync(new GetNodeInfoRequest(), headers).ResponseAsync);
        using var fresh = Callers.From(node.Url, "127.0.0.2");
        var served = await new NodeService.NodeServiceClient(fresh).GetNodeInfoAsync(new GetNodeInfoRequest(), node.Read);

        Assert.Equal(7, kestrel.Limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(8192, kestrel.Limits.MaxRequestHeadersTotalSize);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Equal(node.Address, served.Address, ignoreCase: true);
    }

    [Fact]
    public async Task A_request_over_its_methods_size_is_refused_before_it_is_parsed_while_a_larger_method_takes_the_same_size()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor");
        using var channel = Callers.From(node.Url, "127.0.0.1");
        var invoker = channel.CreateCallInvoker();
        // 200 kB of an unknown field: far more than a title id needs, far less than a batch of documents may be.
        var history = Padded(new GetTitleHistoryRequest { TitleId = 1 }, 200_000);
        var anchor = Padded(new AnchorDocumentsRequest { RequestId = "" }, 200_000);

        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => Raw(invoker, "TitleService", "GetTitleHistory", history, node.Read));
        var parsed = await Assert.ThrowsAsync<RpcException>(() => Raw(invoker, "DocumentService", "AnchorDocuments", anchor, node.Write));

        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        var (reason, metadata) = Callers.Info(tooLarge);
        Assert.Equal(ErrorReason.MessageTooLarge.Name(), reason);
        Assert.Equal("65536", metadata["max_bytes"]);
        Assert.Equal(StatusCode.InvalidArgument, parsed.StatusCode);
        Assert.Contains("request_id", Callers.Fields(parsed));
    }

    [Fact]
    public async Task Limits_that_make_no_sense_stop_the_node_at_start_naming_the_setting()
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var node = await RunningNode.StartAsync(fixture, "auditor", extraSettings: Limits(("CallsPerSecond", "0")));
        });

        var invalid = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("CallsPerSecond", invalid.Message, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string?> Limits(params (string Name, string Value)[] settings) =>
        settings.ToDictionary(s => "Limits:" + s.Name, s => (string?)s.Value);

    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static ulong? Registered(TitleEvent e) => e.KindCase == TitleEvent.KindOneofCase.Registered ? e.Registered.TitleId : null;

    /// <summary>The message followed by an unknown length-delimited field of <paramref name="padding"/> bytes.</summary>
    private static byte[] Padded(IMessage message, int padding)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        message.WriteTo(output);
        output.WriteTag(999, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(new byte[padding]));
        output.Flush();
        return stream.ToArray();
    }

    private static async Task Raw(CallInvoker invoker, string service, string method, byte[] body, Metadata headers)
    {
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        await invoker.AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, "offshore_ledger.v1." + service, method, bytes, bytes), null,
            new CallOptions(headers), body);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// Hosted chain endpoints cap a log query by blocks (or results) and answer a larger one with an error. A node behind
/// such an endpoint must still sync: it shrinks its window until the endpoint answers, and never asks for more again.
/// On the old follower (a window that only shrank on crowded answers) the node retried the same refused window for ever.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class CappedEndpointTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_node_behind_an_endpoint_that_caps_log_queries_syncs_the_whole_ledger_in_windows_under_the_cap()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using (var carrier = await RunningNode.StartAsync(fixture, "carrier"))
        {
            for (var i = 0; i < 6; i++) await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(carrier.Address), carrier.Write);
            await ChainTruth.SettledAsync(fixture, carrier, Bounded);
        }
        await using var proxy = await CappedLogsProxy.StartAsync(fixture.Chain.RpcUrl, maxBlocks: 5);

        await using var bank = await RunningNode.StartAsync(
            fixture, "bank A", extraSettings: new Dictionary<string, string?> { ["Chain:RpcUrl"] = proxy.Url });
        await ChainTruth.SettledAsync(fixture, bank, Bounded);

        Assert.Equal(ChainTruth.Rebuild(await ChainTruth.EventsAsync(fixture)), ChainTruth.IndexOf(bank));
        Assert.True(proxy.Refused > 0, "the endpoint never refused a window: the test proves nothing");
        Assert.All(proxy.Served, blocks => Assert.InRange(blocks, 1UL, 5UL));
    }

    /// <summary>
    /// A chain endpoint slower than the node's RPC timeout for a while (a busy provider, a chain holding a million titles
    /// answering a crowded window). The node must take a timed-out log read as a failed step and try again; on the old
    /// follower a timeout (a TaskCanceledException) passed for the node stopping, failed the sync service and stopped the
    /// whole node (found by the 1,000,000-title memory benchmark).
    /// </summary>
    [Fact]
    public async Task A_log_read_that_times_out_is_a_failed_step_retried_not_the_end_of_the_node()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using (var carrier = await RunningNode.StartAsync(fixture, "carrier"))
        {
            await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(carrier.Address), carrier.Write);
            await ChainTruth.SettledAsync(fixture, carrier, Bounded);
        }
        await using var proxy = await CappedLogsProxy.StartAsync(
            fixture.Chain.RpcUrl, maxBlocks: ulong.MaxValue, slowAnswers: 2, slowBy: TimeSpan.FromSeconds(3));

        await using var bank = await RunningNode.StartAsync(
            fixture, "bank A",
            extraSettings: new Dictionary<string, string?> { ["Chain:RpcUrl"] = proxy.Url, ["Outbox:RpcTimeoutSeconds"] = "1" });
        await ChainTruth.SettledAsync(fixture, bank, Bounded);

        Assert.Equal(ChainTruth.Rebuild(await ChainTruth.EventsAsync(fixture)), ChainTruth.IndexOf(bank));
        Assert.Equal(2, proxy.Slowed);
    }

    /// <summary>
    /// The same slow endpoint, on the write path: the first batch of signed transactions is answered only after the node's
    /// RPC timeout, and reaches the chain then, while the node has given up on it. The outbox must take the timeout as an
    /// outage, send the same bytes again, and land the write exactly once. (The outbox's own client reports a timeout as a
    /// <see cref="TimeoutException"/>, so this held before the sync's fix too: a guard for the write path, not its proof.)
    /// </summary>
    [Fact]
    public async Task A_transaction_send_that_times_out_is_an_outage_retried_and_the_write_lands_exactly_once()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using var proxy = await CappedLogsProxy.StartAsync(
            fixture.Chain.RpcUrl, maxBlocks: ulong.MaxValue, slowMethod: "eth_sendRawTransaction", slowAnswers: 1,
            slowBy: TimeSpan.FromSeconds(3));
        await using var carrier = await RunningNode.StartAsync(
            fixture, "carrier",
            extraSettings: new Dictionary<string, string?> { ["Chain:RpcUrl"] = proxy.Url, ["Outbox:RpcTimeoutSeconds"] = "1" });
        await ChainTruth.SettledAsync(fixture, carrier, Bounded);
        var nonce = await ChainTruth.NonceAsync(fixture, carrier.Address);

        var title = (await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(carrier.Address), carrier.Write)).TitleId;
        await ChainTruth.SettledAsync(fixture, carrier, Bounded);

        Assert.Equal(1, proxy.Slowed);
        Assert.Equal(nonce + 1, await ChainTruth.NonceAsync(fixture, carrier.Address));
        var history = await carrier.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, carrier.Read);
        Assert.Single(history.Events, e => e.Registered is not null);
        Assert.Equal(ChainTruth.Rebuild(await ChainTruth.EventsAsync(fixture)), ChainTruth.IndexOf(carrier));
    }

    /// <summary>
    /// Forwards JSON-RPC to the chain, but answers an eth_getLogs over more than <c>maxBlocks</c> blocks with an error, and
    /// the first <c>slowAnswers</c> requests (or batches) calling <c>slowMethod</c> only after <c>slowBy</c>.
    /// </summary>
    private sealed class CappedLogsProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _chain = new();
        private readonly List<ulong> _served = [];
        private int _refused;
        private int _slowed;

        private CappedLogsProxy(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";
        public int Refused => Volatile.Read(ref _refused);
        public int Slowed => Volatile.Read(ref _slowed);
        public IReadOnlyList<ulong> Served { get { lock (_served) return [.. _served]; } }

        public static async Task<CappedLogsProxy> StartAsync(
            string chainUrl, ulong maxBlocks, string slowMethod = "eth_getLogs", int slowAnswers = 0, TimeSpan slowBy = default)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var proxy = new CappedLogsProxy(app);
            app.MapPost("/", async context =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                using var json = JsonDocument.Parse(body);
                var calls = json.RootElement.ValueKind == JsonValueKind.Array
                    ? [.. json.RootElement.EnumerateArray()] : new[] { json.RootElement };
                if (calls.Any(c => c.GetProperty("method").GetString() == slowMethod))
                {
                    if (Interlocked.Increment(ref proxy._slowed) <= slowAnswers) await Task.Delay(slowBy);
                    else Interlocked.Decrement(ref proxy._slowed);
                }
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.GetProperty("method")
                    .GetString() == "eth_getLogs")
                {
                    var filter = json.RootElement.GetProperty("params")[0];
                    var blocks = Block(filter, "toBlock") - Block(filter, "fromBlock") + 1;
                    if (blocks > maxBlocks)
                    {
                        Interlocked.Increment(ref proxy._refused);
                        context.Response.ContentType = "application/json";
                        var id = json.RootElement.GetProperty("id").GetRawText();
                        var error = $"{{\"code\":-32005,\"message\":\"query exceeds max block range {maxBlocks}\"}}";
                        await context.Response.WriteAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{error}}}");
                        return;
                    }
                    lock (proxy._served) proxy._served.Add(blocks);
                }
                using var forwarded = await proxy._chain.PostAsync(chainUrl, new StringContent(body, Encoding.UTF8, "application/json"));
                context.Response.StatusCode = (int)forwarded.StatusCode;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(await forwarded.Content.ReadAsStringAsync());
            });
            await app.StartAsync();
            proxy.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
            return proxy;
        }

        private static ulong Block(JsonElement filter, string name) =>
            ulong.Parse(filter.GetProperty(name).GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _chain.Dispose();
        }
    }
}

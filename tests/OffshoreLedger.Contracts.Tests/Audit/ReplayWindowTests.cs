using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>How the replay sizes its eth_getLogs windows, against a fake JSON-RPC node whose limits a test sets.</summary>
public sealed class ReplayWindowTests
{
    private const string Contract = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    [Fact]
    public async Task A_node_that_caps_log_queries_is_read_in_windows_under_its_cap_and_nothing_is_missed()
    {
        var node = new CappedNode(head: 299, _ => 3, maxBlocksPerQuery: 10);
        using var reader = new EthLogReader(new Uri("http://fake.invalid/"), Contract, new HttpClient(node));

        var replay = await ChainReplay.RunAsync(reader, new ReplayOptions { InitialWindowBlocks = 64, TargetLogsPerWindow = 100 });

        Assert.Equal(900, replay.Logs);
        Assert.Equal(300, replay.Windows.Sum(w => (int)(w.ToBlock - w.FromBlock + 1)));
        Assert.All(replay.Windows, w => Assert.True(w.ToBlock - w.FromBlock + 1 <= 10, $"window {w.FromBlock}–{w.ToBlock}"));
        // Refused until under the cap (64 → 32 → 16 → 8), then never asked for more again.
        Assert.Equal(3, node.Refused);
        Assert.Equal(HistoryDigest.Of(node.AllLogs()), replay.Digest);
    }

    [Fact]
    public async Task Windows_hold_about_the_target_where_logs_are_dense_and_grow_fast_over_empty_blocks()
    {
        // 50 logs a block for the first 1,000 blocks, then 99,000 empty ones.
        var node = new CappedNode(head: 99_999, block => block < 1_000 ? 50 : 0, maxBlocksPerQuery: int.MaxValue);
        using var reader = new EthLogReader(new Uri("http://fake.invalid/"), Contract, new HttpClient(node));

        var replay = await ChainReplay.RunAsync(reader, new ReplayOptions { InitialWindowBlocks = 1, TargetLogsPerWindow = 500 });

        Assert.Equal(50_000, replay.Logs);
        var dense = replay.Windows.Where(w => w.ToBlock < 1_000).ToList();
        Assert.All(dense.Skip(3), w => Assert.Equal(500, w.Logs));
        // Past the dense blocks each window is four times the last: a handful of calls for 99,000 empty blocks.
        Assert.InRange(replay.Windows.Count - dense.Count, 1, 10);
        Assert.True(replay.Windows[^1].ToBlock - replay.Windows[^1].FromBlock > 10_000);
    }

    [Fact]
    public async Task Busy_blocks_after_a_sparse_stretch_are_each_read_alone_not_all_in_one_answer_and_nothing_is_missed()
    {
        // One log a block for 300 blocks (windows open up to ~100 blocks), then 20 blocks of 2,000 logs (~800 KB each).
        var node = new CappedNode(head: 319, block => block < 300 ? 1 : 2_000, maxBlocksPerQuery: int.MaxValue);
        using var reader = new EthLogReader(new Uri("http://fake.invalid/"), Contract, new HttpClient(node));

        var replay = await ChainReplay.RunAsync(
            reader, new ReplayOptions { InitialWindowBlocks = 1, TargetLogsPerWindow = 100, MaxAnswerBytes = 256 * 1024 });

        Assert.Equal(300 + (20 * 2_000), replay.Logs);
        Assert.Equal(HistoryDigest.Of(node.AllLogs()), replay.Digest);
        Assert.Contains(replay.Windows, w => w.ToBlock - w.FromBlock >= 50);
        Assert.All(
            replay.Windows.Where(w => w.ToBlock >= 300), w => Assert.True(w.FromBlock == w.ToBlock, $"window {w.FromBlock}–{w.ToBlock}"));
    }

    /// <summary>A node with a fixed history (<c>logsIn</c> logs in each block) that refuses log queries over too many blocks.</summary>
    private sealed class CappedNode(ulong head, Func<ulong, int> logsIn, int maxBlocksPerQuery) : HttpMessageHandler
    {
        public int Refused { get; private set; }

        public IEnumerable<ChainLog> AllLogs()
        {
            for (ulong block = 0; block <= head; block++)
            {
                for (var i = 0; i < logsIn(block); i++) yield return Log(block, i);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var json = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var call = json.RootElement;
            var id = call.GetProperty("id").GetInt64();
            var answer = call.GetProperty("method").GetString() switch
            {
                "eth_blockNumber" => Result(id, $"\"0x{head:x}\""),
                "eth_getLogs" => Logs(id, call.GetProperty("params")[0]),
                var other => throw new InvalidOperationException($"The replay should not call {other}."),
            };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }

        private string Logs(long id, JsonElement filter)
        {
            var from = ulong.Parse(filter.GetProperty("fromBlock").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var to = ulong.Parse(filter.GetProperty("toBlock").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (to - from + 1 > (ulong)maxBlocksPerQuery)
            {
                Refused++;
                return $$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":-32005,"message":"query exceeds """ +
                    $$$"""max block range {{{maxBlocksPerQuery}}}"}}""";
            }
            var logs = new List<string>();
            for (var block = from; block <= to; block++)
            {
                for (var i = 0; i < logsIn(block); i++)
                {
                    var log = Log(block, i);
                    logs.Add(
                        $$"""{"address":"{{Contract}}","topics":[{{string.Join(",", log.Topics.Select(t => $"\"{Hex.Of(t)}\""))}}""" +
                        $$"""],"data":"{{Hex.Of(log.Data)}}","blockHash":"{{log.BlockHash}}","blockNumber":"0x""" +
                        $$"""{{block:x}}","blockTimestamp":"0x""" +
                        $$"""{{log.BlockTimestamp:x}}","transactionHash":"{{log.TransactionHash}}","transactionIndex":"0x""" +
                        $$"""0","logIndex":"0x{{i:x}}","removed":false}""");
                }
            }
            return Result(id, "[" + string.Join(",", logs) + "]");
        }

        private static ChainLog Log(ulong block, int index) => new(
            Contract, block, $"0x{block:x64}", (uint)index, $"0x{block * 1_000 + (ulong)index:x64}",
            [Enumerable.Repeat((byte)0xAB, 32).ToArray()], BitConverter.GetBytes(block * 31 + (ulong)index), 1_800_000_000 + block);

        private static string Result(long id, string result) => $$"""{"jsonrpc":"2.0","id":{{id}},"result":{{result}}}""";
    }
}

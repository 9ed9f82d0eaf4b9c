using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>A consortium on a chain that mines a block every second, with room in each block for a thousand registrations.</summary>
public sealed class BlockTimeChainFixture() : ConsortiumFixture(new AnvilOptions { BlockTimeSeconds = 1, GasLimit = 1_000_000_000 });

[CollectionDefinition(Name)]
public sealed class BlockTimeCollection : ICollectionFixture<BlockTimeChainFixture>
{
    public const string Name = "block time";
}

/// <summary>
/// On a chain with block times the outbox must fill blocks, not send one write per block: a thousand writes submitted
/// at once all reach the chain's pool without waiting for a block, so the next block takes them all, and they are
/// confirmed behind a confirmation depth. (How many block intervals that takes on a quiet machine is a benchmark
/// figure, the writes benchmark's block-time row, not something a test on a shared machine can time.)
/// </summary>
[Collection(BlockTimeCollection.Name)]
public sealed class BlockTimeTests(BlockTimeChainFixture fixture)
{
    private const int Writes = 1_000;

    [Fact]
    public async Task A_thousand_writes_submitted_at_once_on_a_one_second_chain_all_go_into_the_next_block_and_are_confirmed()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using var trader = await RunningNode.StartAsync(
            fixture, "carrier", extraSettings: new Dictionary<string, string?> { ["Chain:ConfirmationDepth"] = "1" });
        var web3 = fixture.Chain.Web3For(0);
        var nonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        // A thousand calls in flight at once: more than one HTTP/2 connection's streams (Kestrel allows 100 on each).
        using var channel = GrpcChannel.ForAddress(
            trader.Url, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var titles = new TitleService.TitleServiceClient(channel);
        var requests = Enumerable.Range(0, Writes).Select(_ => LedgerRequests.Title(trader.Address)).ToList();

        // The chain holds its next block while the calls arrive (a thousand gRPC calls' intake takes the test's own CPU,
        // which on a shared 2-core machine can outlast any number of blocks), and mines it once they are all in its pool.
        ulong head;
        List<Task<RegisterTitleResponse>> calls;
        await web3.Client.SendRequestAsync<object>("evm_setIntervalMining", null, 0);
        try
        {
            calls = requests.Select(r => titles.RegisterTitleAsync(r, trader.Write, deadline: DateTime.UtcNow.AddMinutes(4)).ResponseAsync)
                .ToList();
            // Counted from txpool_status: a "pending" nonce would make anvil execute its whole pool for every question.
            await ChainTruth.UntilAsync(
                async () =>
                Convert.ToUInt64(
                    (string)(await web3.Client.SendRequestAsync<Newtonsoft.Json.Linq.JObject>("txpool_status"))["pending"]!, 16) >= Writes,
                TimeSpan.FromMinutes(3),
                () => "The writes did not all reach the chain's pool while it held its block.");
            head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            await web3.Client.SendRequestAsync<object>("evm_mine");
        }
        finally
        {
            await web3.Client.SendRequestAsync<object>("evm_setIntervalMining", null, 1);
        }
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, a => Assert.Equal(WriteState.Confirmed, a.Receipt.State));
        Assert.Equal(Writes, answers.Select(a => a.TitleId).Distinct().Count());
        var blocks = answers.Select(a => a.Receipt.BlockNumber).ToList();
        Assert.All(blocks, b => Assert.Equal(head + 1, b));
        Assert.Equal(nonce + Writes, await ChainTruth.NonceAsync(fixture, trader.Address));
        // Confirmed behind the depth: the index had applied each write's block, one block below the head at that time.
        var headAfter = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        Assert.True(headAfter >= blocks.Max() + 1);
    }
}

using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Devnet;
using OffshoreLedger.Node.Storage;

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
/// at once are all mined within three blocks, and confirmed behind a confirmation depth.
/// </summary>
[Collection(BlockTimeCollection.Name)]
public sealed class BlockTimeTests(BlockTimeChainFixture fixture)
{
    private const int Writes = 1_000;

    [Fact]
    public async Task A_thousand_writes_submitted_at_once_on_a_one_second_chain_are_all_mined_within_three_blocks_and_confirmed()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader", extraSettings: new Dictionary<string, string?> { ["Chain:ConfirmationDepth"] = "1" });
        var web3 = fixture.Chain.Web3For(0);
        var nonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        // A thousand calls in flight at once: more than one HTTP/2 connection's streams (Kestrel allows 100 on each).
        using var channel = GrpcChannel.ForAddress(trader.Url, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var titles = new TitleService.TitleServiceClient(channel);
        var requests = Enumerable.Range(0, Writes).Select(_ => LedgerRequests.Title(trader.Address)).ToList();

        var calls = requests.Select(r => titles.RegisterTitleAsync(r, trader.Write, deadline: DateTime.UtcNow.AddMinutes(3)).ResponseAsync).ToList();
        // Counted from the block at which the last of them is in the outbox: a thousand gRPC calls' intake takes the
        // test's own CPU, which on a shared 2-core machine can outlast a block.
        var store = trader.Services.GetRequiredService<LedgerStore>();
        await ChainTruth.UntilAsync(() => Task.FromResult(requests.All(r => store.FindOutbox(r.RequestId) is not null)), TimeSpan.FromMinutes(2),
            () => "The writes were not all accepted into the outbox.");
        var head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, a => Assert.Equal(WriteState.Confirmed, a.Receipt.State));
        Assert.Equal(Writes, answers.Select(a => a.TitleId).Distinct().Count());
        var blocks = answers.Select(a => a.Receipt.BlockNumber).ToList();
        // Blocks head+1 .. head+3 are the next three intervals after the last write was accepted.
        Assert.True(blocks.Max() <= head + 3, $"Mined in blocks {blocks.Min()}..{blocks.Max()}, head {head} when the last write was accepted.");
        Assert.Equal(nonce + Writes, await ChainTruth.NonceAsync(fixture, trader.Address));
        // Confirmed behind the depth: the index had applied each write's block, one block below the head at that time.
        var headAfter = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        Assert.True(headAfter >= blocks.Max() + 1);
    }
}

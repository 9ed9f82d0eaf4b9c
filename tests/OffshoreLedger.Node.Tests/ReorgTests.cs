using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// Reorgs rewrite the chain under the nodes, so these tests get a chain and consortium of their own (a second
/// instance of the fixture, in its own collection) and never disturb the shared one.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReorgCollection : ICollectionFixture<ConsortiumFixture>
{
    public const string Name = "reorg";
}

/// <summary>
/// After the chain replaces its last blocks, a node that has caught up holds exactly the index a node rebuilding
/// from the new chain would; its own writes that the reorg dropped are sent again and land exactly once.
/// </summary>
/// <remarks>
/// The fork is made with <c>evm_snapshot</c>/<c>evm_revert</c> and then new transactions: the fixture's anvil runs
/// with <c>--prune-history</c>, under which <c>anvil_reorg</c> and <c>anvil_rollback</c> answer "Required data unavailable".
/// </remarks>
[Collection(ReorgCollection.Name)]
public sealed class ReorgTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task After_a_reorg_the_index_equals_a_rebuild_and_dropped_own_writes_land_again_once(int depth)
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        // History both forks share: two titles, one of them pledged.
        var kept = (await trader.Titles.RegisterTitleAsync(Title(trader.Address), trader.Write)).TitleId;
        var free = (await trader.Titles.RegisterTitleAsync(Title(trader.Address), trader.Write)).TitleId;
        await bank.SyncedToHeadAsync(fixture);
        await bank.Titles.PledgeAsync(PledgeOf(kept), bank.Write);
        var forkPoint = await rpc.SendRequestAsync<string>("evm_snapshot");

        // The fork to be abandoned: `depth` blocks (one write each, automine), through the nodes.
        var abandoned = new List<RegisterTitleRequest>();
        for (var i = 0; i < depth; i++)
        {
            if (i == 1)
            {
                await bank.SyncedToHeadAsync(fixture);
                await bank.Titles.PledgeAsync(PledgeOf(free), bank.Write);
                continue;
            }
            var request = Title(trader.Address);
            await trader.Titles.RegisterTitleAsync(request, trader.Write);
            abandoned.Add(request);
        }
        var abandonedHead = await CaughtUpAsync(trader);
        await CaughtUpAsync(bank);
        Assert.All(abandoned, r => Assert.NotNull(IndexOf(trader).Read((ledger, _) => ledger.TitleOfKey(KeyOf(r)))));

        // The replacing fork: back to the fork point, then as many blocks of other writes, from other members.
        Assert.True(await rpc.SendRequestAsync<bool>("evm_revert", null, forkPoint));
        var otherBank = fixture.Consortium.LedgerAs(fixture.Consortium.Member("bank B"));
        var carrier = fixture.Consortium.LedgerAs(fixture.Consortium.Member("carrier"));
        var replacing = new List<RegisterTitleFunction>();
        for (var i = 0; i < depth; i++)
        {
            if (i == 0)
            {
                await otherBank.SendAsync(new PledgeFunction
                {
                    FinancingReference = RandomNumberGenerator.GetBytes(32),
                    Expiry = (ulong)DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds(),
                    TitleIds = [free],
                });
                continue;
            }
            var registration = new RegisterTitleFunction
            {
                LotKey = RandomNumberGenerator.GetBytes(32), Holder = trader.Address, Quantity = 7, Unit = Encoding.ASCII.GetBytes("TNE\0\0\0\0\0"),
                Keys = [RandomNumberGenerator.GetBytes(32)],
            };
            await carrier.SendAsync(registration);
            replacing.Add(registration);
        }
        var web3 = fixture.Chain.Web3For(0);
        var replaced = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new Nethereum.Hex.HexTypes.HexBigInteger(abandonedHead.Number));
        Assert.NotEqual(abandonedHead.Hash, replaced.BlockHash);

        // The nodes notice, roll back to the fork point, and send their own dropped writes again (same signed bytes).
        await SettledAsync(trader);
        await SettledAsync(bank);
        var events = await LedgerEvents.ReadAllAsync(fixture.Consortium.LedgerAs(fixture.Consortium.Admins[0]), fixture.Consortium.DeploymentBlock);
        var rebuilt = new LedgerProjection();
        rebuilt.ApplyAll(events);

        var expected = rebuilt.Snapshot().ToLines();
        Assert.Equal(expected, IndexOf(trader).Read((ledger, _) => ledger.Snapshot().ToLines()));
        Assert.Equal(expected, IndexOf(bank).Read((ledger, _) => ledger.Snapshot().ToLines()));
        // Each write the reorg dropped landed again exactly once; the other fork's writes stand too.
        var registeredKeys = events.Select(e => e.Event).OfType<TitleRegisteredEvent>().SelectMany(e => e.Keys).Select(Hex.Of).ToList();
        Assert.All(abandoned, r => Assert.Single(registeredKeys, k => k == KeyOf(r)));
        Assert.All(replacing, r => Assert.Single(registeredKeys, k => k == Hex.Of(r.Keys.Single())));
        // Bank A's dropped pledge and bank B's competed for the same title: exactly one holds it, the other was blocked.
        var pledgee = rebuilt.Title(free)!.Pledgee;
        Assert.Contains(pledgee, new[] { Hex.Address(bank.Address), Hex.Address(fixture.Consortium.Member("bank B").Address) });
        Assert.Equal(Hex.Address(bank.Address), rebuilt.Title(kept)!.Pledgee);
        if (depth > 1) Assert.Contains(events.Select(e => e.Event).OfType<PledgeBlockedEvent>(), b => b.TitleIds.Contains(free));

        // And the nodes write on: the nonce follows the new chain.
        var after = await trader.Titles.RegisterTitleAsync(Title(trader.Address), trader.Write);
        Assert.Equal(WriteState.Confirmed, after.Receipt.State);
    }

    /// <summary>Waits until the node has nothing left in its outbox and its index stands on the chain's head.</summary>
    private async Task SettledAsync(RunningNode node)
    {
        var store = node.Services.GetRequiredService<Storage.LedgerStore>();
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (true)
        {
            await CaughtUpAsync(node);
            if (store.PendingOutbox().Count == 0 && await IsAtHeadAsync(node)) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The outbox of {node.Address} did not settle within {CatchUpTimeout}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task<bool> IsAtHeadAsync(RunningNode node)
    {
        var head = await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return IndexOf(node).Synced?.BlockHash == head.BlockHash;
    }

    private static LedgerIndex IndexOf(RunningNode node) => node.Services.GetRequiredService<LedgerIndex>();

    private static string KeyOf(RegisterTitleRequest request) => Hex.Of(request.Keys.Single().ToByteArray());

    /// <summary>Waits until the node's index stands on the chain's current head (number and hash); polls, bounded.</summary>
    private async Task<(ulong Number, string Hash)> CaughtUpAsync(RunningNode node)
    {
        var index = IndexOf(node);
        var web3 = fixture.Chain.Web3For(0);
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (true)
        {
            var head = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
            var synced = index.Synced;
            if (synced is not null && synced.BlockNumber == (ulong)head.Number.Value && synced.BlockHash == head.BlockHash)
            {
                return (synced.BlockNumber, synced.BlockHash);
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The index of {node.Address} stands on {synced} and did not reach the head {head.Number.Value} {head.BlockHash} within {CatchUpTimeout}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private static RegisterTitleRequest Title(string holder) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Holder = holder,
        LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
        Quantity = 100,
        Unit = "TNE",
        Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    private static PledgeRequest PledgeOf(ulong titleId) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FinancingReference = "LOAN-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)),
        TitleIds = { titleId },
    };
}

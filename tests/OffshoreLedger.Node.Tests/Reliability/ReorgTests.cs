using System.Security.Cryptography;
using System.Text;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>A consortium on a chain that keeps the states of its recent blocks, so <c>anvil_reorg</c> can replace them.</summary>
public sealed class ReorgableChainFixture() : ConsortiumFixture(new AnvilOptions { RewindableBlocks = 64 });

/// <summary>Reorgs rewrite the chain under every node on it: these tests have a chain of their own.</summary>
[CollectionDefinition(Name)]
public sealed class ReorgCollection : ICollectionFixture<ReorgableChainFixture>
{
    public const string Name = "reorg";
}

/// <summary>
/// Real reorgs (<c>anvil_reorg</c>: the last blocks replaced by others at the same height, their transactions dropped)
/// of depth 1 to 5 while the nodes follow the chain and write to it: each node's index converges to the new chain (it
/// equals a rebuild from scratch), and every write of the nodes — those the reorg dropped and those made while the
/// nodes were still finding out — lands exactly once.
/// </summary>
[Collection(ReorgCollection.Name)]
public sealed class ReorgTests(ReorgableChainFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private const int WrittenDuringReorg = 4;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task After_a_reorg_the_indexes_equal_a_rebuild_and_every_write_of_the_nodes_lands_exactly_once(int depth)
    {
        await using var trader = await RunningNode.StartAsync(fixture, "carrier"); // issue 14: the bound carrier's node issues titles
        await LedgerRequests.ReadyAsync(fixture);
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var traderNonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        // History both forks share: two titles, one of them pledged to bank A.
        var kept = (await trader.Titles.RegisterTitleAsync(LedgerRequests.Title(trader.Address), trader.Write)).TitleId;
        var free = (await trader.Titles.RegisterTitleAsync(LedgerRequests.Title(trader.Address), trader.Write)).TitleId;
        await bank.SyncedToHeadAsync(fixture);
        await bank.Titles.PledgeAsync(await LedgerRequests.Pledge(kept).ConsentedAsync(fixture, bank), bank.Write);

        // The fork to be abandoned: `depth` blocks of the nodes' own writes (automine: one block each); from the
        // second on, bank A pledges the free title.
        var abandoned = new List<RegisterTitleRequest>();
        for (var i = 0; i < depth; i++)
        {
            if (i == 1)
            {
                await bank.SyncedToHeadAsync(fixture);
                await bank.Titles.PledgeAsync(await LedgerRequests.Pledge(free).ConsentedAsync(fixture, bank), bank.Write);
                continue;
            }
            var request = LedgerRequests.Title(trader.Address);
            await trader.Titles.RegisterTitleAsync(request, trader.Write);
            abandoned.Add(request);
        }
        await ChainTruth.SettledAsync(fixture, trader, Bounded);
        await ChainTruth.SettledAsync(fixture, bank, Bounded);
        var web3 = fixture.Chain.Web3For(0);
        var abandonedHead = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());

        // The reorg: the same height, other blocks. Bank B pledges the free title first, the port attests lots in the
        // blocks after. The nodes are still following the old fork; the trader writes on at once.
        var otherBank = fixture.Consortium.Member("bank B");
        // Issue 14: the writing node is the carrier's own, so the other blocks hold the port's attestations of new lots
        // (another account, whose nonce the count below leaves alone).
        var carrier = fixture.Consortium.Member("port");
        var loadedAt = (ulong)DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var replacing = Enumerable.Range(1, depth - 1).Select(_ => new AttestLoadingFunction
        {
            LotKey = RandomNumberGenerator.GetBytes(32), Locode = LedgerCode.ToBytes(TestIssuance.PortOfLoading), Quantity = 7,
            Unit = Encoding.ASCII.GetBytes("TNE\0\0\0\0\0"), LoadedAt = loadedAt, DocumentHash = RandomNumberGenerator.GetBytes(32),
        }).ToList();
        var otherConsent = (await LedgerRequests.Pledge(free).ConsentedAsync(fixture, otherBank.Address, borrower: trader.Address)).Consent;
        var otherPledge = new PledgeFunction
        {
            FinancingReference = RandomNumberGenerator.GetBytes(32), Expiry = (ulong)otherConsent.ExpiresAt.Seconds, TitleIds = [free],
            Consent = new ConsentData { Nonce = otherConsent.Nonce, Deadline = (ulong)otherConsent.Deadline.Seconds,
                Signature = otherConsent.Signature.ToByteArray() },
        };
        List<object[]> blocks = [[Transaction(otherBank.Address, otherPledge), 0],
            .. replacing.Select((r, i) => new object[] { Transaction(carrier.Address, r), i + 1 })];
        await new RpcClient(new Uri(fixture.Chain.RpcUrl)).SendRequestAsync<object>("anvil_reorg", null, depth, blocks);
        var duringReorg = Enumerable.Range(0, WrittenDuringReorg).Select(_ => LedgerRequests.Title(trader.Address)).ToList();
        var duringCalls = duringReorg.Select(
            r => trader.Titles.RegisterTitleAsync(r, trader.Write, deadline: DateTime.UtcNow + Bounded).ResponseAsync).ToList();

        var replaced = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(abandonedHead.Number);
        Assert.NotEqual(abandonedHead.BlockHash, replaced.BlockHash);
        Assert.All(await Task.WhenAll(duringCalls), r => Assert.Equal(WriteState.Confirmed, r.Receipt.State));
        await ChainTruth.SettledAsync(fixture, trader, Bounded);
        await ChainTruth.SettledAsync(fixture, bank, Bounded);

        // Both indexes are what a rebuild from the new chain holds.
        var events = await ChainTruth.EventsAsync(fixture);
        var rebuilt = ChainTruth.Rebuild(events);
        Assert.Equal(rebuilt, ChainTruth.IndexOf(trader));
        Assert.Equal(rebuilt, ChainTruth.IndexOf(bank));
        // Every registration — dropped by the reorg or made during it — and the other fork's attestations are on chain
        // exactly once, and the carrier's node sent one surviving transaction per write.
        var registeredKeys = events.Select(e => e.Event).OfType<TitleRegisteredEvent>().SelectMany(e => e.Keys).Select(Hex.Of).ToList();
        Assert.All(abandoned.Concat(duringReorg), r => Assert.Single(registeredKeys, k => k == LedgerRequests.KeyOf(r)));
        var attestedLots = events.Select(e => e.Event).OfType<LoadingAttestedEvent>().Select(e => Hex.Of(e.LotKey)).ToList();
        Assert.All(replacing, r => Assert.Single(attestedLots, l => l == Hex.Of(r.LotKey)));
        Assert.Equal(traderNonce + 2 + (ulong)(abandoned.Count + duringReorg.Count), await ChainTruth.NonceAsync(fixture, trader.Address));
        // Bank A's dropped pledge and bank B's competed for the free title: exactly one holds it, the other was blocked.
        var ledger = new LedgerProjection();
        ledger.ApplyAll(events);
        Assert.Equal(Hex.Address(bank.Address), ledger.Title(kept)!.Pledgee);
        Assert.Contains(ledger.Title(free)!.Pledgee, new[] { Hex.Address(bank.Address), Hex.Address(otherBank.Address) });
        if (depth > 1) Assert.Single(events.Select(e => e.Event).OfType<PledgeBlockedEvent>(), b => b.TitleIds.Contains(free));
    }

    /// <summary>A transaction for <c>anvil_reorg</c> to sign as a development account and mine in a replacing block.</summary>
    private object Transaction<TFunction>(string from, TFunction call)
        where TFunction : FunctionMessage, new() =>
        new { from, to = fixture.Consortium.ContractAddress, input = call.GetCallData().ToHex(true),
            gas = new HexBigInteger(1_000_000).HexValue };
}

using Microsoft.Extensions.DependencyInjection;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// What the chain itself says, to hold the nodes against: its events, the ledger a node rebuilding from scratch
/// would hold, and bounded waits (polls with a deadline, never fixed sleeps) for a node to settle on it.
/// </summary>
public static class ChainTruth
{
    /// <summary>Every event of the consortium's contract, read from the chain in windows.</summary>
    public static Task<IReadOnlyList<LedgerEvent>> EventsAsync(ConsortiumFixture fixture) =>
        LedgerEvents.ReadAllAsync(fixture.Consortium.LedgerAs(fixture.Consortium.Admins[0]), fixture.Consortium.DeploymentBlock);

    /// <summary>The ledger projected from <paramref name="events"/> alone, line by line: what a rebuild from scratch holds.</summary>
    public static IReadOnlyList<string> Rebuild(IEnumerable<LedgerEvent> events)
    {
        var projection = new LedgerProjection();
        projection.ApplyAll(events);
        return projection.Snapshot().ToLines();
    }

    /// <summary>The ledger a running node's index holds, line by line.</summary>
    public static IReadOnlyList<string> IndexOf(RunningNode node) =>
        node.Services.GetRequiredService<LedgerIndex>().Read((ledger, _) => ledger.Snapshot().ToLines());

    /// <summary>Waits until the node has nothing left in its outbox and its index stands on the chain's head (number and hash).</summary>
    public static async Task SettledAsync(ConsortiumFixture fixture, RunningNode node, TimeSpan timeout)
    {
        var store = node.Services.GetRequiredService<OutboxStore>();
        var index = node.Services.GetRequiredService<LedgerIndex>();
        var web3 = fixture.Chain.Web3For(0);
        await UntilAsync(async () =>
        {
            if (store.PendingOutbox().Count > 0) return false;
            var head = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
            return index.Synced is { } synced && synced.BlockNumber == (ulong)head.Number.Value && synced.BlockHash == head.BlockHash;
        }, timeout,
            () => $"The node {node.Address} did not settle on the chain's head within {timeout}: {store.PendingOutbox().Count} pending, " +
            $"index at {index.Synced}.");
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 20 ms until it holds; fails with <paramref name="failure"/> after <paramref
    /// name="timeout"/>.
    /// </summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure) =>
        Poll.UntilAsync(condition, timeout, failure);

    /// <summary>The mined transaction count of <paramref name="address"/>: one more for every transaction it sent.</summary>
    /// <summary>The account's next nonce counting the chain's pool.</summary>
    public static async Task<ulong> PendingNonceAsync(ConsortiumFixture fixture, string address) =>
        (ulong)(await fixture.Chain.Web3For(0)
            .Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreatePending())).Value;

    public static async Task<ulong> NonceAsync(ConsortiumFixture fixture, string address) =>
        (ulong)(await fixture.Chain.Web3For(0)
            .Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreateLatest())).Value;
}

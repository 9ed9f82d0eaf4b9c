using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The pipelined outbox handles every due write at once: simulations in one batch, sends in one batch. Batching must not
/// let one write spoil the others, nor a write be signed for a state it no longer meets when mined.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class PipelineTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    private static RegisterTitleRequest Title(string holder, ByteString lot, ulong quantity) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Holder = holder, LotKey = lot, Quantity = quantity, Unit = "TNE",
        Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) }, CarrierCode = TestIssuance.CarrierCode,
    };

    [Fact]
    public async Task A_poisoned_write_in_a_burst_is_refused_alone_and_every_good_write_beside_it_lands_once()
    {
        // Issue 14 caps quantities at 2^48 (the overflow trap of old is refused in simulation now): writes the contract
        // refuses, among good ones, in one batch.
        await LedgerRequests.ReadyAsync(fixture);
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        var nonce = await ChainTruth.NonceAsync(fixture, carrier.Address);

        // The rival's oversized writes and 40 good writes arrive together: the outbox simulates them in one batch.
        var good = Enumerable.Range(0, 40).Select(_ => LedgerRequests.Title(carrier.Address)).ToList();
        var poison = Enumerable.Range(0, 3).Select(_ => Title(carrier.Address, LedgerRequests.SharedLot, ulong.MaxValue)).ToList();
        var goodCalls = good.Select(
            r => carrier.Titles.RegisterTitleAsync(r, carrier.Write, deadline: DateTime.UtcNow + Bounded).ResponseAsync).ToList();
        var poisonCalls = poison.Select(
            r => carrier.Titles.RegisterTitleAsync(r, carrier.Write, deadline: DateTime.UtcNow + Bounded).ResponseAsync).ToList();
        var landed = await Task.WhenAll(goodCalls);
        var refused = new List<RpcException>();
        foreach (var call in poisonCalls) refused.Add(await Assert.ThrowsAsync<RpcException>(() => call));

        Assert.All(landed, r => Assert.Equal(WriteState.Confirmed, r.Receipt.State));
        Assert.Equal(good.Count, landed.Select(r => r.TitleId).Distinct().Count());
        Assert.All(refused, e => Assert.Equal(ErrorReason.QuantityTooLarge.Name(), e.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason));
        // One transaction per good write, none for the refused ones: their nonces are not spent.
        Assert.Equal(nonce + (ulong)good.Count, await ChainTruth.NonceAsync(fixture, carrier.Address));
    }

    [Fact]
    public async Task A_pledge_simulated_while_its_titles_were_pledged_and_mined_after_their_release_does_not_run_out_of_gas()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        var holder = fixture.Consortium.Member("trader").Address;
        var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var bankBData = bankB.DataDirectory;
        var titles = new List<ulong>();
        foreach (var _ in Enumerable.Range(0, 24)) titles.Add(
            (await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(holder), carrier.Write)).TitleId);
        await bankA.SyncedToHeadAsync(fixture);
        var first = await bankA.Titles.PledgeAsync(await LedgerRequests.Pledge([.. titles]).ConsentedAsync(fixture, bankA), bankA.Write);
        var second = await LedgerRequests.Pledge([.. titles]).ConsentedAsync(fixture, bankB);
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        var web3 = fixture.Chain.Web3For(0);
        async Task<ulong> PendingNonce() =>
            (ulong)(await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(bankB.Address, BlockParameter.CreatePending())).Value;
        var nonce = await PendingNonce();

        // Bank B's pledge is simulated while bank A holds the titles (the short, blocked path) and signed for that; bank
        // B's node stops, and the pledge leaves the pool unmined (dropped, as a congested or restarted chain would). Bank
        // A releases; bank B's node starts again, finds its transaction unknown to the chain and sends the same signed
        // bytes again: mined now, they take the long path of a pledge that lands, and must carry the gas for it.
        string dropped;
        await rpc.SendRequestAsync<object>("evm_setAutomine", null, false);
        try
        {
            _ = bankB.Titles.PledgeAsync(second, bankB.Write, deadline: DateTime.UtcNow + Bounded).ResponseAsync;
            await ChainTruth.UntilAsync(async () => await PendingNonce() == nonce + 1, Bounded, () => "The pledge did not reach the pool.");
            dropped = bankB.Services.GetRequiredService<OutboxStore>().FindOutbox(second.RequestId)!.TransactionHash!;
            await bankB.DisposeAsync();
            await rpc.SendRequestAsync<object>("anvil_dropTransaction", null, dropped);
        }
        finally
        {
            await rpc.SendRequestAsync<object>("evm_setAutomine", null, true);
        }
        var released = await bankA.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = Guid.NewGuid().ToString(), PledgeId = first.PledgeId, TitleIds = { titles } }, bankA.Write);
        await using var restarted = await RunningNode.StartAsync(fixture, "bank B", bankBData);
        var pledged = await restarted.Titles.PledgeAsync(second, restarted.Write, deadline: DateTime.UtcNow + Bounded);

        var entry = restarted.Services.GetRequiredService<OutboxStore>().FindOutbox(second.RequestId)!;
        var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(entry.TransactionHash);
        Assert.Equal(WriteState.Confirmed, released.Receipt.State);
        Assert.Equal(WriteState.Confirmed, pledged.Receipt.State);
        Assert.NotEqual(0UL, pledged.PledgeId);
        Assert.NotEqual(first.PledgeId, pledged.PledgeId);
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.True(released.Receipt.BlockNumber < pledged.Receipt.BlockNumber);
        Assert.Equal(dropped, entry.TransactionHash);
        Assert.Equal(nonce, entry.Nonce);
        Assert.Equal(nonce + 1, await ChainTruth.NonceAsync(fixture, bankB.Address));
    }

    [Fact]
    public async Task A_sent_write_the_chain_forgot_whose_nonce_another_transaction_then_took_is_signed_afresh_and_lands_once()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using var trader = await RunningNode.StartAsync(fixture, "carrier");
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        var outbox = trader.Services.GetRequiredService<OutboxStore>();
        var nonce = await ChainTruth.NonceAsync(fixture, trader.Address);
        var request = LedgerRequests.Title(trader.Address);

        // The write is sent and waits in the pool; the pool forgets it (a restarted chain node) and the same key signs
        // something else under that nonce elsewhere (an operator's wallet, or a stolen key), which is mined.
        await rpc.SendRequestAsync<object>("evm_setAutomine", null, false);
        Task<RegisterTitleResponse> call;
        string forgotten;
        try
        {
            call = trader.Titles.RegisterTitleAsync(request, trader.Write, deadline: DateTime.UtcNow + Bounded).ResponseAsync;
            await ChainTruth.UntilAsync(async () => await ChainTruth.PendingNonceAsync(fixture, trader.Address) == nonce + 1, Bounded,
                () => "The write did not reach the pool.");
            forgotten = outbox.FindOutbox(request.RequestId)!.TransactionHash!;
            await rpc.SendRequestAsync<object>("anvil_dropTransaction", null, forgotten);
            var sameKey = fixture.Chain.Web3For(fixture.Consortium.Member("carrier").Account);
            await sameKey.TransactionManager.SendTransactionAsync(
                new TransactionInput(
                    "0x", trader.Address, trader.Address, new Nethereum.Hex.HexTypes.HexBigInteger(21_000),
                    new Nethereum.Hex.HexTypes.HexBigInteger(0))
            {
                Nonce = new Nethereum.Hex.HexTypes.HexBigInteger(nonce),
            });
            await rpc.SendRequestAsync<object>("evm_mine");
        }
        finally
        {
            await rpc.SendRequestAsync<object>("evm_setAutomine", null, true);
        }
        Assert.Equal(nonce + 1, await ChainTruth.NonceAsync(fixture, trader.Address));

        // The node finds its transaction unknown and its nonce spent: its signed bytes can never land, so the call is
        // signed afresh under the next nonce, and the write lands once.
        var registered = await call;
        var entry = outbox.FindOutbox(request.RequestId)!;
        Assert.Equal(WriteState.Confirmed, registered.Receipt.State);
        Assert.Equal(nonce + 1, entry.Nonce);
        Assert.NotEqual(forgotten, entry.TransactionHash);
        Assert.Null(await fixture.Chain.Web3For(0).Eth.Transactions.GetTransactionReceipt.SendRequestAsync(forgotten));
        Assert.Equal(nonce + 2, await ChainTruth.NonceAsync(fixture, trader.Address));
        var carrying = (await ChainTruth.EventsAsync(fixture)).Select(e => e.Event).OfType<Contracts.Bindings.TitleRegisteredEvent>()
            .Where(e => e.Keys.Any(k => Ledger.Replay.Hex.Of(k) == LedgerRequests.KeyOf(request))).ToList();
        Assert.Equal(registered.TitleId, Assert.Single(carrying).TitleId);
    }

    [Fact]
    public async Task A_node_whose_first_endpoint_is_down_fails_over_to_the_next_for_writes_sync_and_reads_at_the_chain_head()
    {
        using var dead = new ClosedPort();
        await LedgerRequests.ReadyAsync(fixture);
        await using var trader = await RunningNode.StartAsync(fixture, "carrier", extraSettings: new Dictionary<string, string?>
        {
            ["Chain:RpcUrl"] = dead.Url,
            ["Chain:RpcUrls:0"] = fixture.Chain.RpcUrl,
        });
        var nonce = await ChainTruth.NonceAsync(fixture, trader.Address);

        var registered = await trader.Titles.RegisterTitleAsync(
            LedgerRequests.Title(trader.Address), trader.Write, deadline: DateTime.UtcNow + Bounded);
        var atHead = await trader.Titles.CheckCollateralAsync(
            new CheckCollateralRequest { TitleIds = { registered.TitleId }, Consistency = Consistency.ChainHead }, trader.Read,
            deadline: DateTime.UtcNow + Bounded);
        var info = await trader.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), trader.Read);

        Assert.Equal(WriteState.Confirmed, registered.Receipt.State);
        Assert.Equal(registered.TitleId, Assert.Single(atHead.Titles).TitleId);
        Assert.True(info.ChainReachable);
        Assert.Equal(nonce + 1, await ChainTruth.NonceAsync(fixture, trader.Address));
    }
}

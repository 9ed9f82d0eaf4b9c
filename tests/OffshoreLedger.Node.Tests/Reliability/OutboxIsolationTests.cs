using System.Numerics;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// One bad write never stalls the others. The attack: another member drives a lot's quantity to the edge of uint64 so
/// that any further title on it panics in simulation (Panic 0x11, not one of the contract's errors); a write the chain
/// keeps refusing to accept (the account cannot pay) must leave the line for an operator rather than block it.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class OutboxIsolationTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static RegisterTitleRequest Title(string holder, ByteString lot, ulong quantity) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Holder = holder, LotKey = lot, Quantity = quantity, Unit = "TNE", Keys = { RandomKey() },
        CarrierCode = TestIssuance.CarrierCode,
    };

    private static CallOptions Within(Metadata key, int seconds = 60) => new(key, DateTime.UtcNow.AddSeconds(seconds));

    [Fact]
    public async Task A_write_the_contract_refuses_in_simulation_is_refused_with_its_reason_and_the_writes_behind_it_land()
    {
        // Before issue 14 a lot could be poisoned with 2^64-1 so that later titles panicked (0x11); quantities are now
        // capped at 2^48 and the lot must be attested, so the poisoned write itself is refused in simulation.
        await using var trader = await RunningNode.StartAsync(fixture, "carrier");
        var lot = RandomKey();
        await TestIssuance.AttestAsync(fixture, lot.ToByteArray());

        var poison = await Assert.ThrowsAsync<RpcException>(
            () => trader.Titles.RegisterTitleAsync(Title(trader.Address, lot, ulong.MaxValue), Within(trader.Write)).ResponseAsync);
        var after = await trader.Titles.RegisterTitleAsync(Title(trader.Address, lot, 5), Within(trader.Write));

        Assert.Equal(StatusCode.FailedPrecondition, poison.StatusCode);
        Assert.Equal(ErrorReason.QuantityTooLarge.Name(), poison.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(WriteState.Confirmed, after.Receipt.State);
    }

    [Fact]
    public async Task A_write_the_chain_keeps_refusing_is_dead_lettered_and_an_admin_retry_lands_it_exactly_once()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "carrier", extraSettings: new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = "3",
            ["Outbox:BackoffMilliseconds"] = "20",
        });
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        var web3 = fixture.Chain.Web3For(0);
        var balance = await web3.Eth.GetBalance.SendRequestAsync(trader.Address);
        var nonceBefore = (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(trader.Address, BlockParameter.CreatePending()))
            .Value;
        var lot = RandomKey();
        await TestIssuance.AttestAsync(fixture, lot.ToByteArray());
        var request = Title(trader.Address, lot, 7);
        try
        {
            // The account cannot pay for gas: the chain answers every send with an error.
            await rpc.SendRequestAsync<object>("anvil_setBalance", null, trader.Address, "0x0");

            var dead = await Assert.ThrowsAsync<RpcException>(
                () => trader.Titles.RegisterTitleAsync(request, Within(trader.Write)).ResponseAsync);
            var listed = await Outbox(trader)
                .ListWritesAsync(new ListWritesRequest { Filter = WriteFilter.DeadLettered }, Within(trader.Admin));
            var notAdmin = await Assert.ThrowsAsync<RpcException>(
                () => Outbox(trader).ListWritesAsync(new ListWritesRequest { Filter = WriteFilter.DeadLettered }, Within(trader.Write))
                .ResponseAsync);
            // Other writes are not held up by it: a second one fails on its own attempts too, rather than waiting behind the first.
            var second = await Assert.ThrowsAsync<RpcException>(
                () => trader.Titles.RegisterTitleAsync(Title(trader.Address, lot, 1), Within(trader.Write)).ResponseAsync);

            Assert.Equal(StatusCode.Unavailable, dead.StatusCode);
            Assert.Equal(ErrorReason.WriteDeadLettered.Name(), dead.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            Assert.Equal(ErrorReason.WriteDeadLettered.Name(), second.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            var write = Assert.Single(listed.Writes, w => w.RequestId == request.RequestId);
            Assert.True(write.DeadLettered);
            Assert.Equal(3u, write.Attempts);
            Assert.Equal("RegisterTitle", write.Operation);
            Assert.Equal("write", write.SubmittedBy);
            Assert.Contains("fund", write.LastFailure, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(StatusCode.PermissionDenied, notAdmin.StatusCode);
        }
        finally
        {
            await rpc.SendRequestAsync<object>("anvil_setBalance", null, trader.Address, new HexBigInteger(balance.Value).HexValue);
        }

        // The operator, from the command line with the node's admin key: sees the dead letter, and puts it back in line.
        var admin = CliParticipant.For(trader, fixture.NewTemporaryDirectory("offshore-cli-"), ConsortiumFixture.AdminKey);
        var listedByCli = await admin.RunAsync("--json", "node", "writes", "--dead-lettered");
        var retriedByCli = await admin.RunAsync("--json", "node", "retry-write", "--request-id", request.RequestId);
        var landed = await trader.Titles.RegisterTitleAsync(request, Within(trader.Write));
        var again = await trader.Titles.RegisterTitleAsync(request, Within(trader.Write));

        Assert.True(listedByCli.ExitCode == 0, listedByCli.ToString());
        Assert.Contains(
            listedByCli.Json.GetProperty("writes").EnumerateArray(), w => w.GetProperty("requestId").GetString() == request.RequestId);
        Assert.True(retriedByCli.ExitCode == 0, retriedByCli.ToString());
        Assert.False(retriedByCli.Json.GetProperty("deadLettered").GetBoolean());
        Assert.Equal(WriteState.Confirmed, landed.Receipt.State);
        Assert.Equal(landed.TitleId, again.TitleId);
        var nonceAfter = (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(trader.Address, BlockParameter.CreatePending()))
            .Value;
        // Only the retried write landed, once; the second stays out of line until someone retries it.
        Assert.Equal(BigInteger.One, nonceAfter - nonceBefore);
    }

    private static OutboxService.OutboxServiceClient Outbox(RunningNode node) => new(node.Channel);
}

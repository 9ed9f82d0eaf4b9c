using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests;

[Collection(NodeCollection.Name)]
public sealed class MembershipAndDepthTests(ConsortiumFixture fixture)
{
    /// <summary>Development account 9 is funded but never enrolled.</summary>
    private const int NonMemberAccount = 9;

    private static RegisterTitleRequest Title(string holder) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Holder = holder, LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
        Quantity = 5, Unit = "TNE", Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    [Fact]
    public async Task A_node_whose_organisation_is_not_a_member_is_refused_with_NOT_A_MEMBER()
    {
        await using var outsider = await RunningNode.StartForAccountAsync(fixture, NonMemberAccount);

        var info = await outsider.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), outsider.Read);
        var pledge = await Assert.ThrowsAsync<RpcException>(async () => await outsider.Titles.PledgeAsync(await new PledgeRequest
        {
            RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN",
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)),
            Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
        }.ConsentedAsync(fixture, outsider), outsider.Write));

        Assert.False(info.ActiveMember);
        Assert.Empty(info.Roles);
        Assert.Equal(StatusCode.PermissionDenied, pledge.StatusCode);
        Assert.Equal(ErrorReason.NotAMember.Name(), pledge.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task With_a_confirmation_depth_a_write_is_confirmed_only_once_its_block_is_that_deep()
    {
        // Issue 14: the carrier's node issues titles (to the trader); its write is the one held back.
        await using var carrier = await RunningNode.StartAsync(
            fixture, "carrier", extraSettings: new Dictionary<string, string?> { ["Chain:ConfirmationDepth"] = "2" });
        var store = carrier.Services.GetRequiredService<OutboxStore>();
        var index = carrier.Services.GetRequiredService<LedgerIndex>();
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        var request = Title(fixture.Consortium.Member("trader").Address);
        request.CarrierCode = TestIssuance.CarrierCode;
        await TestIssuance.AttestAsync(fixture, request.LotKey.ToByteArray());

        var write = carrier.Titles.RegisterTitleAsync(request, carrier.Write).ResponseAsync;
        var mined = await MinedBlockAsync(store);
        Assert.False(write.IsCompleted);
        Assert.True(index.Synced is null || index.Synced.BlockNumber < mined);
        await rpc.SendRequestAsync<string>("evm_mine");
        await rpc.SendRequestAsync<string>("evm_mine");
        var confirmed = await write.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WriteState.Confirmed, confirmed.Receipt.State);
        Assert.Equal(mined, confirmed.Receipt.BlockNumber);
        Assert.True(index.Synced!.BlockNumber >= mined);
    }

    /// <summary>The block the node's one pending write was mined in, once it has a receipt (bounded poll).</summary>
    private static async Task<ulong> MinedBlockAsync(OutboxStore store)
    {
        var mined = await Poll.UntilAsync(
            () => Task.FromResult(store.PendingOutbox().SingleOrDefault()?.BlockNumber), b => b is not null, TimeSpan.FromSeconds(30));
        return mined ?? throw new TimeoutException("The write was not mined within 30 s.");
    }
}

using Grpc.Core;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Verification;
using CheckOutcome = OffshoreLedger.Api.V1.CheckOutcome;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// <c>VerifyTrade</c> judges for the node's own bank: a caller who names another bank (say, the pledgee of the
/// title, to turn "pledged elsewhere" into "pledged to you") is refused, over a real socket.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class VerifyTradeBankTests(ConsortiumFixture fixture)
{
    [Fact]
    public async Task VerifyTrade_refuses_to_judge_for_a_bank_other_than_the_nodes_own()
    {
        var world = await fixture.SharedAsync(TradeVerificationWorld.StartAsync);
        using var channel = GrpcChannel.ForAddress(world.BankA.Url);
        var verification = new VerificationService.VerificationServiceClient(channel);
        // The title of this trade is pledged to bank B.
        var request = world.PledgedElsewhere.Request();
        request.LoadingAttestation = null;

        var asItself = await verification.VerifyTradeAsync(request, world.BankA.Read);
        request.Bank = world.BankA.Address;
        var namingItself = await verification.VerifyTradeAsync(request, world.BankA.Read);
        request.Bank = fixture.Consortium.Member("bank B").Address;
        var refused = await Assert.ThrowsAsync<RpcException>(() => verification.VerifyTradeAsync(request, world.BankA.Read).ResponseAsync);

        Assert.Equal(CheckOutcome.Fail, asItself.Checks.Single(c => c.Name == TradeCheckNames.TitleLive).Outcome);
        Assert.Equal(CheckOutcome.Fail, namingItself.Checks.Single(c => c.Name == TradeCheckNames.TitleLive).Outcome);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["bank"], Callers.Fields(refused));
    }
}

using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests;

/// <summary>A consortium whose chain time the tests move on (a correction's 48-hour time lock): a chain of its own.</summary>
public sealed class TimeLockChainFixture() : ConsortiumFixture(new AnvilOptions());

[CollectionDefinition(Name)]
public sealed class TimeLockCollection : ICollectionFixture<TimeLockChainFixture>
{
    public const string Name = "time-lock";
}

/// <summary>
/// Issue 14, point 3, through the nodes: the admins correct a port's attestation below what live titles book; the
/// execution marks the lot over-issued, the banks' nodes see it, and a pledge of its titles is refused.
/// </summary>
[Collection(TimeLockCollection.Name)]
public sealed class OverIssueCorrectionTests(TimeLockChainFixture fixture)
{
    private static ByteString RandomHash() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_governed_correction_below_the_live_titles_marks_the_lot_over_issued_and_blocks_its_pledges()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var lot = RandomHash();
        await TestIssuance.AttestAsync(fixture, lot.ToByteArray(), quantity: 2000);
        var title = (await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = lot, Quantity = 1500, Unit = "TNE",
            Keys = { RandomHash() },
        }, trader)).TitleId;

        // Two of the three admins correct the attestation to 1,000 t; anyone of them executes it after the time lock.
        var admins = fixture.Consortium.Admins.Select(fixture.Consortium.LedgerAs).ToList();
        var proposed = await admins[0].SendAsync(new ProposeAttestationCorrectionFunction { LotKey = lot.ToByteArray(), Quantity = 1000 });
        var id = LedgerEvents.Decode(proposed).Select(e => e.Event).OfType<ProposalCreatedEvent>().Single().ProposalId;
        await admins[1].SendAsync(new ApproveFunction { ProposalId = id });
        await fixture.Chain.IncreaseTimeAsync(TimeSpan.FromHours(49));
        var executed = LedgerEvents.Decode(await admins[2].SendAsync(new ExecuteProposalFunction { ProposalId = id })).Select(e => e.Event)
            .ToList();
        await bank.SyncedToHeadAsync(fixture);

        Assert.Equal(1500UL, executed.OfType<LotOverIssuedEvent>().Single().LiveQuantity);
        var check = await bank.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title } }, bank.Read);
        Assert.True(check.Titles.Single().Lot.OverIssued);
        Assert.False(check.Clear);
        // The chain is 49 hours ahead of the wall clock here: the consent's deadline follows the chain.
        var pledge = await Assert.ThrowsAsync<RpcException>(async () => await bank.Titles.PledgeAsync(await new PledgeRequest
        {
            RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN-OI",
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            TitleIds = { title },
        }.ConsentedAsync(fixture, bank.Address, deadline: DateTimeOffset.UtcNow.AddHours(60)), bank.Write));
        Assert.Equal(ErrorReason.LotOverIssued.Name(), pledge.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }
}

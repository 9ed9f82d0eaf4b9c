using System.Security.Cryptography;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Devnet;
using ProposalKind = OffshoreLedger.Api.V1.ProposalKind;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>A consortium whose chain time these tests move by weeks: a chain of its own.</summary>
public sealed class GovernanceTimeFixture() : ConsortiumFixture(new AnvilOptions());

[CollectionDefinition(Name)]
public sealed class GovernanceTimeCollection : ICollectionFixture<GovernanceTimeFixture>
{
    public const string Name = "governance-time";
}

/// <summary>
/// Issue 14, points 3, 5 and 7 through the admins' nodes: a correction (voiding a squatted title) waits for its
/// approvals and then its time lock before any admin can execute it, each early attempt refused with its reason;
/// proposals expire; and execute is no back door for kinds that execute at their threshold.
/// </summary>
[Collection(GovernanceTimeCollection.Name)]
public sealed class TimeLockedCorrectionTests(GovernanceTimeFixture fixture)
{
    private static ByteString RandomHash() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Voiding_a_squatted_title_waits_for_the_threshold_and_the_time_lock_and_frees_its_keys()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        await using var thirdAdminNode = await RunningNode.StartForAccountAsync(fixture, 2);
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        using var first = GovernanceTestClients.ClientOf(firstAdminNode);
        using var second = GovernanceTestClients.ClientOf(secondAdminNode);
        using var third = GovernanceTestClients.ClientOf(thirdAdminNode);
        var key = RandomHash();
        var title = (await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            Holder = trader.Address, LotKey = RandomHash(), Quantity = 500, Unit = "TNE", Keys = { key },
        })).TitleId;
        // Another proposal, left without its second approval, to watch it expire.
        var forgotten =
            (await first.ProposeAsync(
                GovernanceTestClients.Enrol(GovernanceTestClients.RandomAddress(), "Forgotten Bank", MemberRole.Bank))).Proposal;

        var proposed = (await first.ProposeAsync(new ProposeRequest { VoidTitle = new VoidTitle { TitleId = title } })).Proposal;
        var alone = await Assert.ThrowsAsync<GovernanceRefusedException>(() => first.ExecuteProposalAsync(proposed.ProposalId));
        var queued = (await second.ApproveAsync(proposed.ProposalId)).Proposal;
        var early = await Assert.ThrowsAsync<GovernanceRefusedException>(() => third.ExecuteProposalAsync(proposed.ProposalId));
        // Past the proposals' 14-day deadline as well as the 48-hour delay: a queued correction still executes.
        await fixture.Chain.IncreaseTimeAsync(TimeSpan.FromDays(15));
        var listed = (await third.ListProposalsAsync()).Proposals;
        var expiredApproval = await Assert.ThrowsAsync<GovernanceRefusedException>(() => second.ApproveAsync(forgotten.ProposalId));
        var executed = await third.ExecuteProposalAsync(proposed.ProposalId);
        var status = await new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress)
            .QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = title });

        Assert.Equal((ProposalKind.VoidTitle, title, ProposalState.Open), (proposed.Kind, proposed.TitleId, proposed.State));
        Assert.Equal((ErrorReason.ThresholdNotMet.Name(), "proposal_id"), (alone.Reason, Assert.Single(alone.Violations).Field));
        Assert.Equal(ProposalState.Queued, queued.State);
        Assert.NotNull(queued.ExecutableAt);
        Assert.InRange(
            queued.ExecutableAt.ToDateTimeOffset() - queued.Deadline.ToDateTimeOffset(), TimeSpan.FromDays(-12.1),
            TimeSpan.FromDays(-11.9));
        Assert.Equal((ErrorReason.TimeLocked.Name(), "proposal_id"), (early.Reason, Assert.Single(early.Violations).Field));
        Assert.Equal(
            queued.ExecutableAt.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            early.Metadata["executableAt"]);
        Assert.Equal(ProposalState.Queued, listed.Single(p => p.ProposalId == proposed.ProposalId).State);
        Assert.Equal(ProposalState.Expired, listed.Single(p => p.ProposalId == forgotten.ProposalId).State);
        Assert.Equal(
            (ErrorReason.ProposalExpired.Name(), "proposal_id"), (expiredApproval.Reason, Assert.Single(expiredApproval.Violations).Field));
        Assert.Equal(ProposalState.Executed, executed.Proposal.State);
        Assert.Equal(WriteState.Confirmed, executed.Receipt.State);
        Assert.Equal((byte)OffshoreLedger.Contracts.Bindings.TitleStatus.Voided, status.Status);
        // Its key is free again for the genuine issuer.
        var reissued = await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            Holder = trader.Address, LotKey = RandomHash(), Quantity = 500, Unit = "TNE", Keys = { key },
        });
        Assert.NotEqual(title, reissued.TitleId);
    }

    [Fact]
    public async Task Execute_is_no_back_door_for_a_change_that_needs_its_threshold()
    {
        // An admin alone tries to push its own enrolment proposal through with execute.
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var admin = GovernanceTestClients.ClientOf(adminNode);
        var candidate = GovernanceTestClients.RandomAddress();
        var proposed = (await admin.ProposeAsync(GovernanceTestClients.Enrol(candidate, "Impatient Bank", MemberRole.Bank))).Proposal;

        var refused = await Assert.ThrowsAsync<GovernanceRefusedException>(() => admin.ExecuteProposalAsync(proposed.ProposalId));
        var unknown = await Assert.ThrowsAsync<GovernanceRefusedException>(() => admin.ExecuteProposalAsync(proposed.ProposalId + 1000));

        Assert.Equal((ErrorReason.NotTimeLocked.Name(), "proposal_id"), (refused.Reason, Assert.Single(refused.Violations).Field));
        Assert.Equal(ErrorReason.ProposalNotFound.Name(), unknown.Reason);
        Assert.DoesNotContain((await admin.ListMembersAsync()).Members, m => m.Address == candidate);
    }
}

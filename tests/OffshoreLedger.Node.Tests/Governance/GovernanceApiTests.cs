using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using ProposalKind = OffshoreLedger.Api.V1.ProposalKind;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;

using static OffshoreLedger.Node.Tests.Governance.GovernanceTestClients;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>
/// A chain of their own: these tests change the admin epoch and enrol members, which other tests must not see. Admins are
/// development accounts 0 to 2 (threshold 2), members 3 to 8; account 9 is free for a bank the admins enrol.
/// </summary>
public sealed class GovernanceChainFixture : ConsortiumFixture
{
    public const int NewBankAccount = 9;
}

[CollectionDefinition(Name)]
public sealed class GovernanceCollection : ICollectionFixture<GovernanceChainFixture>
{
    public const string Name = "governance";
}

/// <summary>
/// Governance operated through admins' own nodes, on a real chain through the real server and the client SDK: who may
/// propose, two admins enrolling a bank that can then act, and the typed refusals of what cannot execute.
/// </summary>
[Collection(GovernanceCollection.Name)]
public sealed class GovernanceApiTests(GovernanceChainFixture fixture)
{
    private async Task<ulong> ProposalCountAsync() =>
        (await new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress)
            .QueryAsync<GovernanceFunction, GovernanceOutput>(new())).ProposalCount;

    [Fact]
    public async Task A_member_that_is_no_admin_cannot_propose_or_approve_through_its_own_node()
    {
        // A curious (or compromised) bank's operator, holding its node's admin API key: its organisation is no consortium admin.
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank A");
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var bank = ClientOf(bankNode, ConsortiumFixture.AdminKey);
        using var admin = ClientOf(adminNode, ConsortiumFixture.AdminKey);
        var open = (await admin.ProposeAsync(Enrol(RandomAddress(), "Open proposal Ltd", MemberRole.Bank))).Proposal;
        var before = await ProposalCountAsync();

        var propose = await Assert.ThrowsAsync<GovernanceRefusedException>(
            () => bank.ProposeAsync(Enrol(bankNode.Address, "Self-promoted Bank", MemberRole.Bank)));
        var approve = await Assert.ThrowsAsync<GovernanceRefusedException>(() => bank.ApproveAsync(open.ProposalId));

        Assert.Equal(ErrorReason.NotAnAdmin.Name(), propose.Reason);
        Assert.Equal(StatusCode.PermissionDenied, propose.Status);
        Assert.Equal(bankNode.Address, propose.Metadata["account"], ignoreCase: true);
        Assert.Equal(ErrorReason.NotAnAdmin.Name(), approve.Reason);
        Assert.Equal(before, await ProposalCountAsync());
        var still = (await admin.ListProposalsAsync()).Proposals.Single(p => p.ProposalId == open.ProposalId);
        Assert.Equal(1u, still.Approvals);
        Assert.Equal(ProposalState.Open, still.State);
    }

    [Fact]
    public async Task Governance_needs_the_admin_scope_even_on_an_admins_node()
    {
        // A stolen write key of an admin organisation's node must not reach governance.
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var writer = ClientOf(adminNode, adminNode.WriteKey);
        var before = await ProposalCountAsync();

        var refused = await Assert.ThrowsAsync<LedgerPermissionException>(
            () => writer.ProposeAsync(Enrol(RandomAddress(), "Via a write key", MemberRole.Bank)));
        var listing = await Assert.ThrowsAsync<LedgerPermissionException>(() => writer.ListMembersAsync());

        Assert.Equal(ErrorReason.ScopeMissing.Name(), refused.Reason);
        Assert.Equal(ErrorReason.ScopeMissing.Name(), listing.Reason);
        Assert.Equal(before, await ProposalCountAsync());
    }

    [Fact]
    public async Task Two_admins_enrol_a_new_bank_through_two_nodes_and_it_can_then_act()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        await using var newBankNode = await RunningNode.StartForAccountAsync(fixture, GovernanceChainFixture.NewBankAccount);
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        using var firstAdmin = ClientOf(firstAdminNode, ConsortiumFixture.AdminKey);
        using var secondAdmin = ClientOf(secondAdminNode, ConsortiumFixture.AdminKey);
        using var newBank = ClientOf(newBankNode, newBankNode.WriteKey);
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        PledgeRequest Pledge() => new()
        {
            // A free key (an invoice's, say): the trader consents to its pledge, as for any key in no title.
            FinancingReference = "LOAN-" + Guid.NewGuid(), ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
        };
        var beforeEnrolment = await Assert.ThrowsAsync<LedgerPermissionException>(
            async () => await newBank.PledgeAsync(await Pledge().ConsentedAsync(fixture, newBankNode)));

        var proposed = await firstAdmin.ProposeAsync(Enrol(newBankNode.Address, "Newly Admitted Bank", MemberRole.Bank));
        var seen = (await secondAdmin.ListProposalsAsync(openOnly: true))
            .Proposals.Single(p => p.ProposalId == proposed.Proposal.ProposalId);
        var approved = await secondAdmin.ApproveAsync(seen.ProposalId);
        await newBankNode.SyncedToHeadAsync(fixture);
        var pledged = await newBank.PledgeAsync(await Pledge().ConsentedAsync(fixture, newBankNode));

        Assert.Equal(ErrorReason.NotAMember.Name(), beforeEnrolment.Reason);
        Assert.Equal(ProposalKind.EnrolMember, seen.Kind);
        Assert.Equal(newBankNode.Address, seen.Target, ignoreCase: true);
        Assert.Equal(firstAdminNode.Address, seen.Proposer, ignoreCase: true);
        Assert.Equal([MemberRole.Bank], seen.Roles);
        Assert.Equal(ProposalState.Open, seen.State);
        Assert.Equal((1u, 2u), (seen.Approvals, seen.Threshold));
        Assert.Equal(ProposalState.Executed, approved.Proposal.State);
        Assert.Equal(WriteState.Confirmed, approved.Receipt.State);
        Assert.Equal(
            new[] { firstAdminNode.Address, secondAdminNode.Address }.Select(Eip55.Of).Order(StringComparer.Ordinal),
            approved.Proposal.ApprovedBy.Order(StringComparer.Ordinal));
        var member = (await secondAdmin.ListMembersAsync()).Members.Single(m => m.Address == Eip55.Of(newBankNode.Address));
        Assert.True(member.Active);
        Assert.Equal([MemberRole.Bank], member.Roles);
        Assert.True(pledged.PledgeId > 0);
        Assert.True((await newBank.GetNodeInfoAsync()).ActiveMember);
    }

    [Fact]
    public async Task A_stale_proposal_is_refused_with_its_reason_and_field()
    {
        // Approvals given under one admin set never count under another: a threshold change (here to the same value) moves
        // the admin epoch, and the proposals still open can no longer execute.
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        using var firstAdmin = ClientOf(firstAdminNode, ConsortiumFixture.AdminKey);
        using var secondAdmin = ClientOf(secondAdminNode, ConsortiumFixture.AdminKey);
        var candidate = RandomAddress();
        var old = (await firstAdmin.ProposeAsync(Enrol(candidate, "Slow Proposal Bank", MemberRole.Bank))).Proposal;
        var threshold = await firstAdmin.ProposeAsync(new ProposeRequest { SetThreshold = new SetThreshold { Threshold = 2 } });
        await secondAdmin.ApproveAsync(threshold.Proposal.ProposalId);

        var stale = await Assert.ThrowsAsync<GovernanceRefusedException>(() => secondAdmin.ApproveAsync(old.ProposalId));

        Assert.Equal(ErrorReason.ProposalStale.Name(), stale.Reason);
        Assert.Equal(StatusCode.FailedPrecondition, stale.Status);
        Assert.Equal("proposal_id", Assert.Single(stale.Violations).Field);
        var listed = (await secondAdmin.ListProposalsAsync()).Proposals.Single(p => p.ProposalId == old.ProposalId);
        Assert.Equal(ProposalState.Stale, listed.State);
        Assert.DoesNotContain((await secondAdmin.ListProposalsAsync(openOnly: true)).Proposals, p => p.ProposalId == old.ProposalId);
        Assert.DoesNotContain((await secondAdmin.ListMembersAsync()).Members, m => m.Address == candidate);
    }

    [Fact]
    public async Task Approving_twice_an_unknown_or_an_executed_proposal_is_refused_and_a_replayed_request_writes_once()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        using var firstAdmin = ClientOf(firstAdminNode, ConsortiumFixture.AdminKey);
        using var secondAdmin = ClientOf(secondAdminNode, ConsortiumFixture.AdminKey);
        var proposed = (await firstAdmin.ProposeAsync(Enrol(RandomAddress(), "Twice Approved Bank", MemberRole.Trader))).Proposal;

        var twice = await Assert.ThrowsAsync<GovernanceRefusedException>(() => firstAdmin.ApproveAsync(proposed.ProposalId));
        var unknown = await Assert.ThrowsAsync<GovernanceRefusedException>(() => firstAdmin.ApproveAsync(ulong.MaxValue));
        var requestId = Guid.NewGuid().ToString();
        var executed = await secondAdmin.ApproveAsync(proposed.ProposalId, requestId);
        var replayed = await secondAdmin.ApproveAsync(proposed.ProposalId, requestId);
        var afterExecution = await Assert.ThrowsAsync<GovernanceRefusedException>(() => secondAdmin.ApproveAsync(proposed.ProposalId));

        Assert.Equal((ErrorReason.AlreadyApproved.Name(), StatusCode.AlreadyExists), (twice.Reason, twice.Status));
        Assert.Equal((ErrorReason.ProposalNotFound.Name(), StatusCode.NotFound), (unknown.Reason, unknown.Status));
        Assert.Equal(
            (ErrorReason.ProposalAlreadyExecuted.Name(), StatusCode.FailedPrecondition), (afterExecution.Reason, afterExecution.Status));
        Assert.Equal(executed.Receipt.TransactionHash, replayed.Receipt.TransactionHash);
        Assert.Equal(ProposalState.Executed, replayed.Proposal.State);
    }

    [Fact]
    public async Task A_malformed_proposal_names_every_field_at_fault_and_writes_nothing()
    {
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var admin = ClientOf(adminNode, ConsortiumFixture.AdminKey);
        var before = await ProposalCountAsync();

        var enrol = await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => admin.ProposeAsync(new ProposeRequest
        {
            EnrolMember = new EnrolMember { Address = "0x1234", OrganisationName = "", Roles = { (MemberRole)99 } },
        }));
        var empty = await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => admin.ProposeAsync(new ProposeRequest()));
        var zero = await Assert.ThrowsAsync<InvalidLedgerRequestException>(
            () => admin.ProposeAsync(new ProposeRequest { SetThreshold = new SetThreshold() }));
        var tooMany = await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => admin.ListProposalsAsync(limit: 201));

        Assert.Equal(
            ["enrol_member.address", "enrol_member.organisation_name", "enrol_member.roles"],
            enrol.Violations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.Equal("change", Assert.Single(empty.Violations).Field);
        Assert.Equal("set_threshold.threshold", Assert.Single(zero.Violations).Field);
        Assert.Equal("limit", Assert.Single(tooMany.Violations).Field);
        Assert.Equal(before, await ProposalCountAsync());
    }
}

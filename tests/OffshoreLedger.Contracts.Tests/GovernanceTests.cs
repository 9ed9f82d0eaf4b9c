using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Tests;

[Collection(ChainCollection.Name)]
public sealed class GovernanceTests(ChainFixture fixture)
{
    [Fact]
    public async Task A_proposal_below_the_threshold_does_not_execute()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);

        var receipt = await c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Outsider.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("fake bank"),
        });

        var member = await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Outsider.Address });
        Assert.False(member.Active);
        var proposal = await c.Ledger.QueryAsync<ProposalFunction, ProposalOutput>(
            new() { ProposalId = TestConsortium.ProposalIdOf(receipt) });
        Assert.Equal(1U, proposal.Proposal.Approvals);
        Assert.False(proposal.Proposal.Executed);
        // The lone admin cannot push it through by approving again.
        await Refusal.ExpectAsync("AlreadyApproved", () =>
            c.Admin1.Ledger.SendAsync(new ApproveFunction { ProposalId = TestConsortium.ProposalIdOf(receipt) }));
    }

    [Fact]
    public async Task The_second_approval_executes_and_enrols_the_member()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);
        var receipt = await c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.BankA.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("bank A"),
        });

        await c.Admin3.Ledger.SendAsync(new ApproveFunction { ProposalId = TestConsortium.ProposalIdOf(receipt) });

        var member = await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.BankA.Address });
        Assert.True(member.Active);
        Assert.Equal((byte)MemberRoles.Bank, member.Roles);
        Assert.Equal(1U, member.Index);
        Assert.Equal(TestConsortium.Organisation("bank A"), member.Organisation);
        await Refusal.ExpectAsync("ProposalAlreadyExecuted", () =>
            c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = TestConsortium.ProposalIdOf(receipt) }));
    }

    [Fact]
    public async Task A_removed_member_loses_its_rights_at_once()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);

        await c.RemoveAsync(c.BankA);
        await c.RemoveAsync(c.Trader);

        await Refusal.ExpectAsync("NotMember", () => c.PledgeAsync(c.BankA, [], ["invoice-1"]));
        await Refusal.ExpectAsync("NotPledgee", () =>
            c.BankA.Ledger.SendAsync(new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [title] }));
        await Refusal.ExpectAsync("NotMember", () => TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2"));
        await Refusal.ExpectAsync(
            "NotMember", () => c.Trader.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("r"), LeafCount = 1 }));
        Assert.Equal(pledge.PledgeId, (await c.TitleAsync(title)).PledgeId);
    }

    [Fact]
    public async Task Changing_a_members_roles_takes_effect_at_once()
    {
        var c = await fixture.FreshConsortiumAsync();
        var receipt = await c.Admin1.Ledger.SendAsync(new ProposeMemberUpdateFunction
        {
            Member = c.Auditor.Address, Roles = (byte)(MemberRoles.Auditor | MemberRoles.Bank),
            Name = TestConsortium.OrganisationName("auditor"),
        });
        await c.Admin3.Ledger.SendAsync(new ApproveFunction { ProposalId = TestConsortium.ProposalIdOf(receipt) });

        var pledge = await c.PledgeAsync(c.Auditor, [], ["invoice-1"]);

        Assert.True(pledge.Granted);
    }

    [Fact]
    public async Task Changing_the_admin_set_makes_open_proposals_stale()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);
        var open = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Outsider.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("x"),
        }));
        var addAdmin = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(new ProposeAdminAdditionFunction { Admin = c.Spare.Address }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = addAdmin });

        await Refusal.ExpectAsync("ProposalStale", () => c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = open }));

        Assert.True(await c.Ledger.QueryValueAsync<IsAdminFunction, bool>(new() { Account = c.Spare.Address }));
        Assert.False((await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Outsider.Address })).Active);
    }

    [Fact]
    public async Task Threshold_changes_are_governed_and_bounded_by_the_admin_count()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);

        await Refusal.ExpectAsync("InvalidThreshold", () => c.Admin1.Ledger.SendAsync(new ProposeThresholdFunction { Threshold = 4 }));
        await Refusal.ExpectAsync("InvalidThreshold", () => c.Admin1.Ledger.SendAsync(new ProposeThresholdFunction { Threshold = 0 }));
        var raise = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeThresholdFunction { Threshold = 3 }));
        Assert.Equal(2U, (await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new())).Threshold);
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = raise });

        var governance = await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new());
        Assert.Equal(3U, governance.Threshold);
        // With 3-of-3, removing an admin would leave the threshold unreachable.
        await Refusal.ExpectAsync(
            "InvalidThreshold", () => c.Admin1.Ledger.SendAsync(new ProposeAdminRemovalFunction { Admin = c.Admin3.Address }));
    }

    [Fact]
    public async Task Enrolling_an_active_member_or_invalid_roles_is_refused_at_proposal()
    {
        var c = await fixture.FreshConsortiumAsync();

        await Refusal.ExpectAsync("MemberAlreadyActive", () => c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.BankA.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("bankA"),
        }));
        await Refusal.ExpectAsync("InvalidRoles", () => c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Spare.Address, Roles = 64, Name = TestConsortium.OrganisationName("spare"),
        }));
        await Refusal.ExpectAsync(
            "MemberNotActive", () => c.Admin1.Ledger.SendAsync(new ProposeRemovalFunction { Member = c.Spare.Address }));
        await Refusal.ExpectAsync(
            "ZeroAddress",
            () => c.Admin1.Ledger.SendAsync(new ProposeRemovalFunction { Member = "0x0000000000000000000000000000000000000000" }));
    }
}

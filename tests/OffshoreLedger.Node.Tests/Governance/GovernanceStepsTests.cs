using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using ProposalKind = OffshoreLedger.Api.V1.ProposalKind;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;

using static OffshoreLedger.Node.Tests.Governance.GovernanceTestClients;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>
/// Issue 14, points 5 and 7: every governance step an admin takes through its own node — withdrawing an approval,
/// binding carrier codes and UN/LOCODEs, rotating a member's key — on a real chain, with the refusals the chain would
/// give named by reason and field before anything is sent.
/// </summary>
[Collection(GovernanceCollection.Name)]
public sealed class GovernanceStepsTests(GovernanceChainFixture fixture)
{
    private async Task<ulong> ProposalCountAsync() =>
        (await new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress)
            .QueryAsync<GovernanceFunction, GovernanceOutput>(new())).ProposalCount;

    [Fact]
    public async Task An_admin_withdraws_its_approval_so_one_more_approval_no_longer_executes_the_proposal()
    {
        // A stolen admin key approved a proposal (or the admin changed its mind): withdrawing takes the approval back, and a
        // second admin's approval no longer reaches the threshold of 2.
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        await using var thirdAdminNode = await RunningNode.StartForAccountAsync(fixture, 2);
        using var first = ClientOf(firstAdminNode);
        using var second = ClientOf(secondAdminNode);
        using var third = ClientOf(thirdAdminNode);
        var candidate = RandomAddress();
        var proposed = (await first.ProposeAsync(Enrol(candidate, "Doubtful Bank", MemberRole.Bank))).Proposal;

        var withdrawn = await first.WithdrawApprovalAsync(proposed.ProposalId);
        var again = await Assert.ThrowsAsync<GovernanceRefusedException>(() => first.WithdrawApprovalAsync(proposed.ProposalId));
        var never = await Assert.ThrowsAsync<GovernanceRefusedException>(() => third.WithdrawApprovalAsync(proposed.ProposalId));
        var approved = await second.ApproveAsync(proposed.ProposalId);

        Assert.Equal((0u, ProposalState.Open), (withdrawn.Proposal.Approvals, withdrawn.Proposal.State));
        Assert.Empty(withdrawn.Proposal.ApprovedBy);
        Assert.Equal(WriteState.Confirmed, withdrawn.Receipt.State);
        Assert.Equal((ErrorReason.NotApproved.Name(), "proposal_id"), (again.Reason, Assert.Single(again.Violations).Field));
        Assert.Equal(ErrorReason.NotApproved.Name(), never.Reason);
        Assert.Equal((1u, ProposalState.Open), (approved.Proposal.Approvals, approved.Proposal.State));
        Assert.Equal([Eip55.Of(secondAdminNode.Address)], approved.Proposal.ApprovedBy);
        Assert.DoesNotContain((await first.ListMembersAsync()).Members, m => m.Address == candidate);
    }

    [Fact]
    public async Task Two_admins_bind_a_carrier_code_and_a_locode_and_the_bindings_are_listed_with_the_member()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        using var first = ClientOf(firstAdminNode);
        using var second = ClientOf(secondAdminNode);
        var carrier = fixture.Consortium.Member("carrier").Address.ToLowerInvariant();
        var port = fixture.Consortium.Member("port").Address.ToLowerInvariant();

        // Lower case is what an operator types; the code goes on chain upper-cased.
        var carrierProposal =
            (await first.ProposeAsync(new ProposeRequest { BindCarrier = new BindCode { Address = carrier, Code = "oocl" } })).Proposal;
        var portProposal = (await first.ProposeAsync(new ProposeRequest { BindPort = new BindCode { Address = port, Code = "NLRTM" } }))
            .Proposal;
        var listed = (await second.ListProposalsAsync(openOnly: true)).Proposals;
        await second.ApproveAsync(carrierProposal.ProposalId);
        await second.ApproveAsync(portProposal.ProposalId);
        var bindings = (await second.ListBindingsAsync()).Bindings;
        var members = (await second.ListMembersAsync()).Members;

        var seen = listed.Single(p => p.ProposalId == carrierProposal.ProposalId);
        Assert.Equal((ProposalKind.BindCarrier, "OOCL", Eip55.Of(carrier)), (seen.Kind, seen.Code, seen.Target));
        Assert.Equal((ProposalKind.BindPort, "NLRTM"), (portProposal.Kind, portProposal.Code));
        Assert.Contains(bindings, b => b is { Kind: BindingKind.CarrierCode, Code: "OOCL" } && b.MemberAddress == Eip55.Of(carrier));
        Assert.Contains(bindings, b => b is { Kind: BindingKind.UnLocode, Code: "NLRTM" } && b.MemberAddress == Eip55.Of(port));
        // The development consortium's own bindings are there too, read at the head.
        Assert.Contains(
            bindings, b => b is { Kind: BindingKind.CarrierCode, Code: TestIssuance.CarrierCode } && b.MemberAddress == Eip55.Of(carrier));
        Assert.Contains(members.Single(m => m.Address == Eip55.Of(carrier)).Bindings, b => b.Code == "OOCL");
        Assert.Contains(members.Single(m => m.Address == Eip55.Of(port)).Bindings, b => b.Code == "NLRTM");
    }

    [Fact]
    public async Task A_member_whose_key_leaked_is_moved_to_a_new_key_with_the_same_index()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        using var first = ClientOf(firstAdminNode);
        using var second = ClientOf(secondAdminNode);
        var leaked = RandomAddress();
        var fresh = RandomAddress();
        var request = Enrol(leaked, "Leaky Trading Ltd", MemberRole.Trader);
        request.EnrolMember.Lei = "529900t8bm49aursdo55";
        var enrolment = (await first.ProposeAsync(request)).Proposal;
        await second.ApproveAsync(enrolment.ProposalId);
        var index = (await first.ListMembersAsync()).Members.Single(m => m.Address == leaked).Index;

        var rotation = (await first.ProposeAsync(new ProposeRequest { RotateKey = new RotateKey { Address = leaked, NewAddress = fresh } }))
            .Proposal;
        var executed = await second.ApproveAsync(rotation.ProposalId);
        var members = (await second.ListMembersAsync()).Members;

        Assert.Equal((ProposalKind.RotateKey, leaked, fresh), (rotation.Kind, rotation.Target, rotation.NewAddress));
        Assert.Equal(ProposalState.Executed, executed.Proposal.State);
        var moved = members.Single(m => m.Index == index);
        Assert.Equal((fresh, true, MemberRole.Trader), (moved.Address, moved.Active, Assert.Single(moved.Roles)));
        // Its name and LEI (upper-cased on the way in) follow it to the new key.
        Assert.Equal(("Leaky Trading Ltd", "529900T8BM49AURSDO55"), (enrolment.OrganisationName, enrolment.Lei));
        Assert.Equal(("Leaky Trading Ltd", "529900T8BM49AURSDO55"), (moved.OrganisationName, moved.Lei));
        Assert.DoesNotContain(members, m => m.Address == leaked);
        // The leaked key is no member any more: the chain refuses to act on it, with its typed error.
        var again = await Assert.ThrowsAnyAsync<LedgerException>(() =>
            first.ProposeAsync(new ProposeRequest { RotateKey = new RotateKey { Address = leaked, NewAddress = RandomAddress() } }));
        Assert.Equal(ErrorReason.MemberNotActive.Name(), again.Reason);
    }

    [Fact]
    public async Task Every_new_kind_of_change_is_checked_field_by_field_before_anything_is_sent()
    {
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var admin = ClientOf(adminNode);
        var before = await ProposalCountAsync();
        async Task<string> FieldAsync(ProposeRequest request) =>
            Assert.Single((await Assert.ThrowsAsync<InvalidLedgerRequestException>(() => admin.ProposeAsync(request))).Violations).Field;

        Assert.Equal(
            "bind_carrier.code",
            await FieldAsync(new ProposeRequest { BindCarrier = new BindCode { Address = RandomAddress(), Code = "MAERSK LINE" } }));
        Assert.Equal(
            "bind_carrier.address",
            await FieldAsync(new ProposeRequest { BindCarrier = new BindCode { Address = "maersk", Code = "MAEU" } }));
        Assert.Equal(
            "bind_port.code",
            await FieldAsync(new ProposeRequest { BindPort = new BindCode { Address = RandomAddress(), Code = "SG-SIN" } }));
        Assert.Equal(
            "rotate_key.new_address",
            await FieldAsync(
                new ProposeRequest { RotateKey = new RotateKey { Address = adminNode.Address, NewAddress = adminNode.Address } }));
        Assert.Equal(
            "correct_attestation.lot_key",
            await FieldAsync(
                new ProposeRequest { CorrectAttestation = new CorrectAttestation { LotKey = ByteString.CopyFrom(new byte[31]),
                Quantity = 5 } }));
        Assert.Equal("correct_attestation.quantity", await FieldAsync(new ProposeRequest
        {
            CorrectAttestation = new CorrectAttestation { LotKey = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray()),
                Quantity = (1UL << 48) + 1 },
        }));
        Assert.Equal("clear_over_issue.lot_key", await FieldAsync(new ProposeRequest { ClearOverIssue = new ClearOverIssue() }));
        Assert.Equal("void_title.title_id", await FieldAsync(new ProposeRequest { VoidTitle = new VoidTitle() }));
        // A real LEI with one check digit changed.
        Assert.Equal("enrol_member.lei", await FieldAsync(new ProposeRequest
        {
            EnrolMember = new EnrolMember { Address = RandomAddress(), OrganisationName = "Mistyped LEI Bank", Roles = { MemberRole.Bank },
                Lei = "529900T8BM49AURSDO56" },
        }));
        Assert.Equal("enrol_member.organisation_name", await FieldAsync(new ProposeRequest
        {
            EnrolMember = new EnrolMember { Address = RandomAddress(), OrganisationName = new string('é', 65),
                Roles = { MemberRole.Bank } },
        }));
        Assert.Equal("reenrol_member.roles", await FieldAsync(new ProposeRequest
        {
            ReenrolMember = new ReenrolMember { Address = RandomAddress(), OrganisationName = "No roles Ltd" },
        }));
        Assert.Equal(before, await ProposalCountAsync());
    }

    [Fact]
    public async Task Binding_a_code_to_a_member_without_the_role_is_refused_by_the_chain_with_its_reason()
    {
        // A rival bank's admin tries to bind a carrier code to a bank, so that bank could issue titles for that carrier.
        await using var adminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        using var admin = ClientOf(adminNode);
        var bank = fixture.Consortium.Member("bank A").Address;
        var before = await ProposalCountAsync();

        var refused = await Assert.ThrowsAnyAsync<LedgerException>(() =>
            admin.ProposeAsync(new ProposeRequest { BindCarrier = new BindCode { Address = bank, Code = "CMDU" } }));

        Assert.Equal(ErrorReason.MissingRole.Name(), refused.Reason);
        Assert.Equal(before, await ProposalCountAsync());
    }
}

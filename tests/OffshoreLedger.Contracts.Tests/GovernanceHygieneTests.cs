using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>Issue 14, point 5 and the corrections of point 3, on a real chain.</summary>
[Collection(ChainCollection.Name)]
public sealed class GovernanceHygieneTests(ChainFixture fixture)
{
    private static RegisterTitleFunction Issue(Actor holder, string lot, ulong quantity, params string[] keys) =>
        RegisterTitleFunction.OneLot(
            TestConsortium.CarrierCode, TestConsortium.Lot(lot), holder.Address, quantity, TestConsortium.MetricTonnes,
            [.. keys.Select(TestConsortium.Key)]);

    [Fact]
    public async Task Proposals_expire_and_approvals_can_be_withdrawn()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);
        var enrol = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Outsider.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("x"),
        }));
        await c.Admin1.Ledger.SendAsync(new WithdrawApprovalFunction { ProposalId = enrol });
        await Refusal.ExpectAsync("NotApproved", () => c.Admin1.Ledger.SendAsync(new WithdrawApprovalFunction { ProposalId = enrol }));
        Assert.Equal(0U, (await c.Ledger.QueryAsync<ProposalFunction, ProposalOutput>(new() { ProposalId = enrol })).Proposal.Approvals);

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(15));
        await Refusal.ExpectAsync("ProposalExpired", () => c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = enrol }));
        Assert.False((await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Outsider.Address })).Active);
    }

    [Fact]
    public async Task The_threshold_never_falls_below_two_with_two_admins()
    {
        var c = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);
        await Refusal.ExpectAsync("InvalidThreshold", () => c.Admin1.Ledger.SendAsync(new ProposeThresholdFunction { Threshold = 1 }));
    }

    [Fact]
    public async Task A_rotated_key_keeps_the_members_titles_and_the_old_key_loses_them()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 10, await c.ChainTimeAsync() - 60);
        var title = LedgerEvents.Decode(await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 10, "bl-1"))).Select(e => e.Event)
            .OfType<TitleRegisteredEvent>().Single().TitleId;
        var index = (await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Trader.Address })).Index;

        await c.BindAsync(new ProposeKeyRotationFunction { Member = c.Trader.Address, NewAccount = c.Spare.Address });

        Assert.Equal(c.Spare.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
        Assert.Equal(index, (await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Spare.Address })).Index);
        await Refusal.ExpectAsync(
            "NotMember", () => c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address }));
        await c.Spare.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address });
        // Re-enrolling the old key is explicit: it is a former member.
        await Refusal.ExpectAsync(
            "AccountInUse",
            () => c.Admin1.Ledger.SendAsync(new ProposeKeyRotationFunction { Member = c.Spare.Address, NewAccount = c.BankA.Address }));
    }

    [Fact]
    public async Task Re_enrolment_says_whether_the_members_titles_revive()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 10, await c.ChainTimeAsync() - 60);
        var title = LedgerEvents.Decode(await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 10, "bl-1"))).Select(e => e.Event)
            .OfType<TitleRegisteredEvent>().Single().TitleId;
        await c.RemoveAsync(c.Trader);

        await Refusal.ExpectAsync("FormerMember", () => c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Trader.Address, Roles = (byte)MemberRoles.Trader, Name = TestConsortium.OrganisationName("trader"),
        }));
        await c.BindAsync(new ProposeReenrolmentFunction
        {
            Member = c.Trader.Address, Roles = (byte)MemberRoles.Trader, Name = TestConsortium.OrganisationName("trader"),
            KeepTitles = false,
        });

        // A fresh index: the old title stays frozen, held by no one.
        Assert.Equal("0x0000000000000000000000000000000000000000", (await c.TitleAsync(title)).Holder);
        await Refusal.ExpectAsync(
            "NotHolder", () => c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address }));
    }

    [Fact]
    public async Task A_squatted_title_is_voided_only_after_the_time_lock_and_its_keys_go_to_the_genuine_issuer()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 10, await c.ChainTimeAsync() - 60);
        var squatted = LedgerEvents.Decode(await c.Carrier.Ledger.SendAsync(Issue(c.Trader2, "lot-1", 10, "bl-1"))).Select(e => e.Event)
            .OfType<TitleRegisteredEvent>().Single().TitleId;

        var voiding = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeTitleVoidFunction { TitleId = squatted }));
        var queued = LedgerEvents.Decode(await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = voiding })).Select(e => e.Event)
            .OfType<ProposalQueuedEvent>().Single();
        Assert.True(queued.ExecutableAt > 0);
        await Refusal.ExpectAsync("TimeLocked", () => c.Admin3.Ledger.SendAsync(new ExecuteProposalFunction { ProposalId = voiding }));
        Assert.Equal((byte)TitleStatus.Live, (await c.TitleAsync(squatted)).Status);

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(49));
        var executed = LedgerEvents.Decode(await c.Admin3.Ledger.SendAsync(new ExecuteProposalFunction { ProposalId = voiding }))
            .Select(e => e.Event).ToList();
        Assert.Equal(squatted, executed.OfType<TitleVoidedEvent>().Single().TitleId);
        Assert.Equal((byte)TitleStatus.Voided, (await c.TitleAsync(squatted)).Status);
        Assert.Equal(0UL, (await c.LotAsync("lot-1")).LiveQuantity);

        var genuine = LedgerEvents.Decode(await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 10, "bl-1"))).Select(e => e.Event)
            .OfType<TitleRegisteredEvent>().Single().TitleId;
        Assert.Equal(genuine, (await c.KeyStateAsync("bl-1")).TitleId);
    }
}

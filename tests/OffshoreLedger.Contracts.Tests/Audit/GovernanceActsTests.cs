using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Audit;
using OffshoreLedger.Ledger.Replay;
using static OffshoreLedger.Contracts.Tests.Audit.HistoryBuilder;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>
/// The report's governance section as a pure function of hand-written event lists: the fates a real chain reaches only
/// slowly or rarely (stale, queued past its deadline, a history that starts mid-proposal). Only <c>ProposalExecuted</c>
/// makes a correction applied.
/// </summary>
public sealed class GovernanceActsTests
{
    private static readonly ulong Deadline = Seconds(14 * 24);

    [Fact]
    public void A_queued_correction_becomes_stale_when_the_admin_set_changes_and_is_never_applied()
    {
        var events = Consortium()
            .At(1).Proposed(5, ProposalKind.VoidTitle, amount: 7).Then(Approval(5, "admin2", 2))
                .Then(new ProposalQueuedEvent { ProposalId = 5, ExecutableAt = Seconds(49) })
            .At(2).Then(new AdminAddedEvent { Admin = Party("admin4") })
            .Events;

        var acts = GovernanceActs.Find(events, Seconds(100));

        Assert.Empty(acts.Corrections);
        var stale = Assert.Single(acts.CorrectionsNotApplied);
        Assert.Equal((ProposalStates.Stale, 7UL), (stale.Proposal.State, stale.TitleId));
        Assert.StartsWith("not applied (stale)", stale.Effect);
    }

    [Fact]
    public void A_queued_correction_past_its_deadline_is_still_queued_not_expired_and_not_applied()
    {
        // The contract lets a queued correction execute after its deadline: it stays a threat until executed or stale.
        var events = Consortium()
            .At(1).Proposed(5, ProposalKind.CorrectAttestation, amount: 0).Then(Approval(5, "admin2", 2))
            .Then(new ProposalQueuedEvent { ProposalId = 5, ExecutableAt = Seconds(49) })
            .Events;

        var acts = GovernanceActs.Find(events, Deadline + 3600);

        var queued = Assert.Single(acts.CorrectionsNotApplied);
        Assert.Equal(ProposalStates.Queued, queued.Proposal.State);
        Assert.Equal((0UL, Hex.Of(TestConsortium.Lot("lot"))), (queued.NewQuantity, queued.LotKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)Seconds(49)), queued.Proposal.ExecutableAt);
        Assert.Empty(acts.Corrections);
    }

    [Fact]
    public void A_withdrawal_below_the_threshold_unqueues_a_correction_and_one_above_it_does_not()
    {
        var events = Consortium()
            .At(1).Proposed(5, ProposalKind.VoidTitle, amount: 1).Then(Approval(5, "admin2", 2))
                .Then(new ProposalQueuedEvent { ProposalId = 5, ExecutableAt = Seconds(49) })
            .Then(Withdrawal(5, "admin2", 1))
            .Proposed(6, ProposalKind.VoidTitle, amount: 2).Then(Approval(6, "admin2", 2))
                .Then(new ProposalQueuedEvent { ProposalId = 6, ExecutableAt = Seconds(49) })
            .Then(Approval(6, "admin3", 3)).Then(Withdrawal(6, "admin1", 2))
            .Events;

        var acts = GovernanceActs.Find(events, Seconds(2));

        var (unqueued, stillQueued) = (acts.CorrectionsNotApplied[0].Proposal, acts.CorrectionsNotApplied[1].Proposal);
        Assert.Equal((ProposalStates.Open, null), (unqueued.State, unqueued.Queued));
        Assert.Equal([Party("admin1")], unqueued.Approvers);
        Assert.Equal(ProposalStates.Queued, stillQueued.State);
        Assert.Equal([Party("admin2"), Party("admin3")], stillQueued.Approvers);
    }

    [Fact]
    public void Without_the_last_blocks_time_nothing_is_called_expired()
    {
        var events = Consortium().At(1).Proposed(5, ProposalKind.ClearOverIssue).Events;

        Assert.Equal(ProposalStates.Open, Assert.Single(GovernanceActs.Find(events, 0).CorrectionsNotApplied).Proposal.State);
        Assert.Equal(ProposalStates.Expired, Assert.Single(GovernanceActs.Find(events, Deadline + 1).CorrectionsNotApplied).Proposal.State);
        Assert.Equal(ProposalStates.Open, Assert.Single(GovernanceActs.Find(events, Deadline).CorrectionsNotApplied).Proposal.State);
    }

    [Fact]
    public void A_history_that_starts_after_a_proposal_lists_its_effect_and_ignores_its_other_events()
    {
        // Replayed from a later block: proposals 3 and 4 were made before it.
        var events = new HistoryBuilder()
            .At(1).Then(Approval(3, "admin2", 2)).Then(new ProposalExecutedEvent { ProposalId = 3 })
            .Then(new TitleVoidedEvent { TitleId = 9, ProposalId = 3, PledgeId = 4 }, inSameTransaction: true)
            .At(2).Then(Approval(4, "admin2", 2)).Then(new ProposalExecutedEvent { ProposalId = 4 })
            .Then(new MemberKeyRotatedEvent { OldAccount = Party("trader"), NewAccount = Party("trader key 2"), Index = 4 },
                inSameTransaction: true)
            .Events;

        var acts = GovernanceActs.Find(events, Seconds(3));

        var voided = Assert.Single(acts.Corrections);
        Assert.Equal((9UL, 4UL, ProposalStates.Executed), (voided.TitleId!.Value, voided.PledgeId!.Value, voided.Proposal.State));
        Assert.Contains("before the replayed range", voided.Proposal.Summary);
        Assert.Equal("VoidTitle", voided.Proposal.Kind);
        Assert.Null(Assert.Single(acts.KeyRotations).Proposal);
        Assert.Empty(acts.Proposals);
    }

    [Fact]
    public void An_act_is_tied_to_the_proposal_executed_in_its_own_transaction_only()
    {
        var events = Consortium()
            .At(1).Proposed(5, ProposalKind.BindPortCode, subject: "port", code: "SGSIN").Then(Approval(5, "admin2", 2))
            .Then(new ProposalExecutedEvent { ProposalId = 5 })
            .Then(new PortCodeBoundEvent { Locode = LedgerCode.ToBytes("SGSIN"), Port = Party("port") }, inSameTransaction: true)
            // A later transaction's binding (e.g. from a range that starts mid-history) is not credited to proposal 5.
            .At(2).Then(new CarrierCodeBoundEvent { Code = LedgerCode.ToBytes("CARR"), Carrier = Hex.ZeroAddress })
            .Events;

        var acts = GovernanceActs.Find(events, Seconds(3));

        Assert.Equal(2, acts.CodeBindings.Count);
        Assert.Equal(
            ("port", "SGSIN", Party("port"), 5UL),
            (acts.CodeBindings[0].Kind, acts.CodeBindings[0].Code, acts.CodeBindings[0].Member, acts.CodeBindings[0].Proposal!.ProposalId));
        Assert.Equal("bind UN/LOCODE SGSIN to " + Party("port"), acts.CodeBindings[0].Proposal!.Summary);
        Assert.Equal(
            ("carrier", (string?)null, (ProposalTrail?)null),
            (acts.CodeBindings[1].Kind, acts.CodeBindings[1].Member, acts.CodeBindings[1].Proposal));
    }

    /// <summary>Three admins, threshold 2, as a deployment's constructor emits them.</summary>
    private static HistoryBuilder Consortium() => new HistoryBuilder()
        .Then(new AdminAddedEvent { Admin = Party("admin1") })
        .Then(new AdminAddedEvent { Admin = Party("admin2") }, inSameTransaction: true)
        .Then(new AdminAddedEvent { Admin = Party("admin3") }, inSameTransaction: true)
        .Then(new ThresholdChangedEvent { Threshold = 2 }, inSameTransaction: true);

    internal static ProposalCreatedEvent Proposal(
        ulong id, ProposalKind kind, ulong amount = 0, string? subject = null, string? code = null) => new()
    {
        ProposalId = id, Proposer = Party("admin1"), Kind = (byte)kind, Subject = subject is null ? Hex.ZeroAddress : Party(subject),
        Organisation = code is null ? TestConsortium.Lot("lot") : [.. LedgerCode.ToBytes(code), .. new byte[24]],
        Account = Hex.ZeroAddress, Amount = amount, Deadline = Deadline,
    };

    internal static ProposalApprovedEvent Approval(ulong id, string admin, uint approvals) => new()
        { ProposalId = id, Admin = Party(admin), Approvals = approvals };

    private static ProposalApprovalWithdrawnEvent Withdrawal(ulong id, string admin, uint approvals) => new()
        { ProposalId = id, Admin = Party(admin), Approvals = approvals };
}

internal static class ProposalHistory
{
    /// <summary>A proposal as <c>propose…</c> emits it: created by admin1, with admin1's approval in the same transaction.</summary>
    public static HistoryBuilder Proposed(
        this HistoryBuilder history, ulong id, ProposalKind kind, ulong amount = 0, string? subject = null, string? code = null) =>
        history.Then(GovernanceActsTests.Proposal(id, kind, amount, subject, code))
            .Then(GovernanceActsTests.Approval(id, "admin1", 1), inSameTransaction: true);
}

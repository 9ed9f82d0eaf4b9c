using System.Globalization;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>What became of a proposal by the replay's last block.</summary>
public static class ProposalStates
{
    /// <summary>It ran: its effect is on the ledger (<c>ProposalExecuted</c>).</summary>
    public const string Executed = "executed";

    /// <summary>A time-locked correction with enough approvals, waiting for its delay or for an admin to execute it: not applied.</summary>
    public const string Queued = "queued";

    /// <summary>Gathering approvals before its deadline: not applied.</summary>
    public const string Open = "open";

    /// <summary>Its deadline passed without enough approvals: it can never apply.</summary>
    public const string Expired = "expired";

    /// <summary>The admin set or threshold changed after it was made, so it can never apply.</summary>
    public const string Stale = "stale";
}

/// <summary>One approval given, or taken back (<c>ProposalApproved</c>, <c>ProposalApprovalWithdrawn</c>).</summary>
/// <param name="Admin">The admin.</param>
/// <param name="Approved">True for an approval, false for a withdrawal.</param>
/// <param name="Approvals">The proposal's approvals after it.</param>
/// <param name="At">The event.</param>
public sealed record ApprovalChange(string Admin, bool Approved, uint Approvals, EventRef At);

/// <summary>A governance proposal from its creation to its fate, from its events alone.</summary>
/// <param name="ProposalId">Its id.</param>
/// <param name="Kind">What it does, as <c>Consortium.ProposalKind</c> names it (e.g. <c>VoidTitle</c>).</param>
/// <param name="State">One of <see cref="ProposalStates"/>: only <c>executed</c> changed the ledger.</param>
/// <param name="Summary">What it proposes, in words.</param>
/// <param name="Proposer">The admin who made it (its first approval).</param>
/// <param name="Approvers">The admins whose approval stands: at execution, or now.</param>
/// <param name="Approvals">Every approval and withdrawal, in chain order.</param>
/// <param name="Proposed">Its <c>ProposalCreated</c> event.</param>
/// <param name="Deadline">After it, approvals are refused.</param>
/// <param name="Queued">For a time-locked correction: when it reached its threshold (<c>ProposalQueued</c>); null if never, or unqueued by
/// a withdrawal.</param>
/// <param name="ExecutableAt">For a queued correction: when its delay ends.</param>
/// <param name="Executed">Its <c>ProposalExecuted</c> event (the transaction that applied it); null when it did not apply.</param>
public sealed record ProposalTrail(
    ulong ProposalId, string Kind, string State, string Summary, string Proposer, IReadOnlyList<string> Approvers,
    IReadOnlyList<ApprovalChange> Approvals, EventRef Proposed, DateTimeOffset Deadline, EventRef? Queued, DateTimeOffset? ExecutableAt,
    EventRef? Executed);

/// <summary>
/// A governed correction (issue 14): an attestation corrected or annulled, an over-issue mark cleared, or a title voided.
/// Applied ones carry what their event says; ones not applied carry what was proposed.
/// </summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Kind"><c>CorrectAttestation</c>, <c>ClearOverIssue</c> or <c>VoidTitle</c>.</param>
/// <param name="LotKey">The lot corrected or cleared; null for a void.</param>
/// <param name="TitleId">The title voided; null for a lot correction.</param>
/// <param name="OldQuantity">The attested quantity before the correction (<c>AttestationCorrected</c>); null otherwise or when not
/// applied.</param>
/// <param name="NewQuantity">The attested quantity after it (0: annulled); for one not applied, the quantity proposed.</param>
/// <param name="AttestedQuantity">A clearance: the lot's attested quantity when it was cleared.</param>
/// <param name="LiveQuantity">A clearance: the lot's live quantity when it was cleared.</param>
/// <param name="PledgeId">A void: the pledge whose lock on the title it ended (0: none); null otherwise.</param>
/// <param name="TitleKeys">A void: the title's collateral keys as registered, free again for the genuine issuer once applied; null
/// otherwise.</param>
/// <param name="Effect">What it did, or for one not applied, what it would have done.</param>
/// <param name="Proposal">Its proposal: proposer, approvers, queueing and execution.</param>
public sealed record GovernedCorrection(
    ulong ProposalId, string Kind, string? LotKey, ulong? TitleId, ulong? OldQuantity, ulong? NewQuantity, ulong? AttestedQuantity,
    ulong? LiveQuantity,
    ulong? PledgeId, IReadOnlyList<string>? TitleKeys, string Effect, ProposalTrail Proposal);

/// <summary>A member moved to a new key (<c>MemberKeyRotated</c>): same index, so its titles, pledges and bindings follow.</summary>
public sealed record KeyRotation(string OldAccount, string NewAccount, uint Index, EventRef At, ProposalTrail? Proposal);

/// <summary>
/// A former member enrolled again (<c>MemberReenrolled</c>): under its old index with its titles, or a new one with its old titles frozen.
/// </summary>
public sealed record Reenrolment(string Member, uint OldIndex, uint NewIndex, bool KeptTitles, EventRef At, ProposalTrail? Proposal);

/// <summary>A carrier code or UN/LOCODE bound to a member (<c>CarrierCodeBound</c>, <c>PortCodeBound</c>).</summary>
/// <param name="Kind"><c>carrier</c> or <c>port</c>.</param>
/// <param name="Code">The code (SCAC/SMDG or UN/LOCODE).</param>
/// <param name="Member">The member bound to it; null when it was unbound.</param>
/// <param name="At">The event.</param>
/// <param name="Proposal">The proposal that bound it.</param>
public sealed record CodeBinding(string Kind, string Code, string? Member, EventRef At, ProposalTrail? Proposal);

/// <summary>Every governance act the chain recorded, rebuilt from its events alone.</summary>
/// <param name="AsOf">The last block's time, by which deadlines were judged; null when unknown (then nothing is called expired).</param>
/// <param name="Corrections">Every correction applied, in chain order of execution.</param>
/// <param name="CorrectionsNotApplied">Every correction proposed but not applied (queued, open, expired or stale), by proposal id.</param>
/// <param name="KeyRotations">Every key rotation, in chain order.</param>
/// <param name="Reenrolments">Every re-enrolment, in chain order.</param>
/// <param name="CodeBindings">Every carrier and port code binding (and unbinding), in chain order.</param>
/// <param name="Proposals">Every proposal of any kind, by id, with its fate.</param>
public sealed record GovernanceActs(
    DateTimeOffset? AsOf, IReadOnlyList<GovernedCorrection> Corrections, IReadOnlyList<GovernedCorrection> CorrectionsNotApplied,
    IReadOnlyList<KeyRotation> KeyRotations, IReadOnlyList<Reenrolment> Reenrolments, IReadOnlyList<CodeBinding> CodeBindings,
    IReadOnlyList<ProposalTrail> Proposals)
{
    /// <summary>
    /// The governance acts in <paramref name="events"/> (chain order). <paramref name="asOf"/> (Unix seconds, 0: unknown) is
    /// the last block's time. Only a <c>ProposalExecuted</c> event makes a proposal applied; a proposal created before the
    /// replayed range is not listed, and its later events are ignored.
    /// </summary>
    public static GovernanceActs Find(IReadOnlyList<LedgerEvent> events, ulong asOf)
    {
        var proposals = new SortedDictionary<ulong, ProposalBuilder>();
        var applied = new List<(ulong Id, ProposalKind Kind, Func<ProposalTrail, GovernedCorrection> Make)>();
        var rotations = new List<(ulong Id, Func<ProposalTrail?, KeyRotation> Make)>();
        var reenrolments = new List<(ulong Id, Func<ProposalTrail?, Reenrolment> Make)>();
        var bindings = new List<(ulong Id, Func<ProposalTrail?, CodeBinding> Make)>();
        uint epoch = 0, threshold = 0;
        (string Transaction, ulong Id) executing = ("", 0);

        foreach (var logged in events)
        {
            var at = EventRef.Of(logged);
            // The act a proposal's execution emits follows its ProposalExecuted in the same transaction.
            var by = executing.Transaction == logged.TransactionHash ? executing.Id : 0;
            switch (logged.Event)
            {
                case AdminAddedEvent or AdminRemovedEvent:
                    epoch++;
                    break;
                case ThresholdChangedEvent e:
                    threshold = e.Threshold;
                    epoch++;
                    break;
                case ProposalCreatedEvent e:
                    proposals[e.ProposalId] = new ProposalBuilder(e, epoch, at);
                    break;
                case ProposalApprovedEvent e when proposals.TryGetValue(e.ProposalId, out var p):
                    p.Approvals.Add(new ApprovalChange(Hex.Address(e.Admin), true, e.Approvals, at));
                    break;
                case ProposalApprovalWithdrawnEvent e when proposals.TryGetValue(e.ProposalId, out var p):
                    p.Approvals.Add(new ApprovalChange(Hex.Address(e.Admin), false, e.Approvals, at));
                    // As the contract does: below the threshold, a queued correction is unqueued.
                    if (e.Approvals < threshold) (p.Queued, p.ExecutableAt) = (null, 0);
                    break;
                case ProposalQueuedEvent e when proposals.TryGetValue(e.ProposalId, out var p):
                    (p.Queued, p.ExecutableAt) = (at, e.ExecutableAt);
                    break;
                case ProposalExecutedEvent e:
                    executing = (logged.TransactionHash, e.ProposalId);
                    if (proposals.TryGetValue(e.ProposalId, out var executed)) executed.Executed = at;
                    break;
                case AttestationCorrectedEvent e:
                    var lot = Hex.Of(e.LotKey);
                    applied.Add((e.ProposalId, ProposalKind.CorrectAttestation, trail => new GovernedCorrection(
                        e.ProposalId, nameof(ProposalKind.CorrectAttestation), lot, null, e.OldQuantity, e.NewQuantity, null, null, null,
                        null,
                        e.NewQuantity == 0
                            ? Invariant($"attestation annulled (it said {e.OldQuantity:N0}): the lot waits for its port of loading")
                            : Invariant($"attested quantity {e.OldQuantity:N0} → {e.NewQuantity:N0}"),
                        trail)));
                    break;
                case OverIssueClearedEvent e:
                    var clearedLot = Hex.Of(e.LotKey);
                    applied.Add((e.ProposalId, ProposalKind.ClearOverIssue, trail => new GovernedCorrection(
                        e.ProposalId, nameof(ProposalKind.ClearOverIssue), clearedLot, null, null, null, e.AttestedQuantity, e.LiveQuantity,
                        null, null,
                        Invariant($"over-issue mark cleared (attested {e.AttestedQuantity:N0}, live {e.LiveQuantity:N0})"), trail)));
                    break;
                case TitleVoidedEvent e:
                    applied.Add((e.ProposalId, ProposalKind.VoidTitle, trail => new GovernedCorrection(
                        e.ProposalId, nameof(ProposalKind.VoidTitle), null, e.TitleId, null, null, null, null, e.PledgeId, null,
                        Invariant($"title {e.TitleId} voided, its keys free again")
                            + (e.PledgeId == 0 ? "" : Invariant($"; pledge {e.PledgeId}'s lock on it ended")),
                        trail)));
                    break;
                case MemberKeyRotatedEvent e:
                    rotations.Add((by, trail => new KeyRotation(Hex.Address(e.OldAccount), Hex.Address(e.NewAccount), e.Index, at, trail)));
                    break;
                case MemberReenrolledEvent e:
                    reenrolments.Add(
                        (by, trail => new Reenrolment(Hex.Address(e.Member), e.OldIndex, e.NewIndex, e.KeptTitles, at, trail)));
                    break;
                case CarrierCodeBoundEvent e:
                    bindings.Add((by, trail => new CodeBinding("carrier", LedgerCode.FromBytes(e.Code), Bound(e.Carrier), at, trail)));
                    break;
                case PortCodeBoundEvent e:
                    bindings.Add((by, trail => new CodeBinding("port", LedgerCode.FromBytes(e.Locode), Bound(e.Port), at, trail)));
                    break;
            }
        }

        var trails = proposals.ToDictionary(p => p.Key, p => p.Value.Trail(epoch, asOf));
        ProposalTrail? TrailOf(ulong id) => trails.GetValueOrDefault(id);
        var corrections = applied.Select(a => a.Make(TrailOf(a.Id) ?? Unseen(a.Id, a.Kind))).ToList();
        var notApplied = proposals.Values
            .Where(p => IsCorrection(p.Created.Kind) && trails[p.Created.ProposalId].State != ProposalStates.Executed)
            .Select(p => p.NotApplied(trails[p.Created.ProposalId]))
            .ToList();
        var keys = KeysOfTitles(
            events, corrections.Concat(notApplied).Where(c => c.Kind == nameof(ProposalKind.VoidTitle)).Select(c => c.TitleId!.Value));
        GovernedCorrection WithKeys(GovernedCorrection c) =>
            c.Kind == nameof(ProposalKind.VoidTitle) ? c with { TitleKeys = keys.GetValueOrDefault(c.TitleId!.Value, []) } : c;
        return new GovernanceActs(
            asOf == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)asOf),
            [.. corrections.Select(WithKeys)],
            [.. notApplied.Select(WithKeys)],
            [.. rotations.Select(r => r.Make(TrailOf(r.Id)))],
            [.. reenrolments.Select(r => r.Make(TrailOf(r.Id)))],
            [.. bindings.Select(b => b.Make(TrailOf(b.Id)))],
            [.. trails.Values]);
    }

    /// <summary>The registered keys of the titles a void names (a second pass, so a long history keeps no keys it does not need).</summary>
    private static Dictionary<ulong, IReadOnlyList<string>> KeysOfTitles(IReadOnlyList<LedgerEvent> events, IEnumerable<ulong> titleIds)
    {
        var wanted = titleIds.ToHashSet();
        var keys = new Dictionary<ulong, IReadOnlyList<string>>();
        if (wanted.Count == 0) return keys;
        foreach (var logged in events)
        {
            if (logged.Event is TitleRegisteredEvent e && wanted.Contains(e.TitleId)) keys[e.TitleId] = [.. e.Keys.Select(Hex.Of)];
        }
        return keys;
    }

    private static bool IsCorrection(byte kind) =>
        (ProposalKind)kind is ProposalKind.CorrectAttestation or ProposalKind.ClearOverIssue or ProposalKind.VoidTitle;

    private static string? Bound(string member) => Hex.Address(member) is var m && m == Hex.ZeroAddress ? null : m;

    /// <summary>A correction whose proposal was made before the replayed range: the effect is known, its trail is not.</summary>
    private static ProposalTrail Unseen(ulong id, ProposalKind kind) => new(
        id, kind.ToString(), ProposalStates.Executed, "proposed before the replayed range", Hex.ZeroAddress, [], [],
        new EventRef(0, 0, "", null),
        DateTimeOffset.UnixEpoch, null, null, null);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A proposal as its events unfold.</summary>
    private sealed class ProposalBuilder(ProposalCreatedEvent created, uint epoch, EventRef proposed)
    {
        public ProposalCreatedEvent Created { get; } = created;
        public List<ApprovalChange> Approvals { get; } = [];
        public EventRef? Queued { get; set; }
        public ulong ExecutableAt { get; set; }
        public EventRef? Executed { get; set; }

        public ProposalTrail Trail(uint currentEpoch, ulong asOf)
        {
            var state = Executed is not null ? ProposalStates.Executed
                : epoch != currentEpoch ? ProposalStates.Stale
                : Queued is not null ? ProposalStates.Queued
                : asOf != 0 && asOf > Created.Deadline ? ProposalStates.Expired
                : ProposalStates.Open;
            var approvers = new List<string>();
            foreach (var change in Approvals)
            {
                if (change.Approved) approvers.Add(change.Admin);
                else approvers.Remove(change.Admin);
            }
            return new ProposalTrail(
                Created.ProposalId, ((ProposalKind)Created.Kind).ToString(), state, Summary(), Hex.Address(Created.Proposer), approvers,
                [.. Approvals],
                proposed, DateTimeOffset.FromUnixTimeSeconds((long)Created.Deadline), Queued,
                Queued is null ? null : DateTimeOffset.FromUnixTimeSeconds((long)ExecutableAt), Executed);
        }

        public GovernedCorrection NotApplied(ProposalTrail trail)
        {
            var e = Created;
            var lot = Hex.Of(e.Organisation);
            var what = $"not applied ({trail.State}): would {trail.Summary}";
            return (ProposalKind)e.Kind switch
            {
                ProposalKind.CorrectAttestation =>
                    new GovernedCorrection(e.ProposalId, trail.Kind, lot, null, null, e.Amount, null, null, null, null, what, trail),
                ProposalKind.ClearOverIssue =>
                    new GovernedCorrection(e.ProposalId, trail.Kind, lot, null, null, null, null, null, null, null, what, trail),
                _ => new GovernedCorrection(e.ProposalId, trail.Kind, null, e.Amount, null, null, null, null, null, null, what, trail),
            };
        }

        private string Summary()
        {
            var e = Created;
            var subject = Hex.Address(e.Subject);
            var roles = ((MemberRoles)e.Roles).ToString();
            return (ProposalKind)e.Kind switch
            {
                ProposalKind.EnrolMember => $"enrol {subject} as {roles}",
                ProposalKind.ReenrolMember =>
                    $"re-enrol {subject} as {roles}, " + (e.Amount != 0
                    ? "keeping its titles" : "under a new index (its old titles frozen)"),
                ProposalKind.UpdateMember => $"set {subject}'s roles to {roles}",
                ProposalKind.RemoveMember => $"remove {subject}",
                ProposalKind.AddAdmin => $"add admin {subject}",
                ProposalKind.RemoveAdmin => $"remove admin {subject}",
                ProposalKind.SetThreshold => Invariant($"set the threshold to {e.Threshold}"),
                ProposalKind.SetMaxPledgeTerm => Invariant($"set the longest pledge term to {e.Threshold:N0} s"),
                ProposalKind.SetContestPeriod => Invariant($"set the contest period to {e.Threshold:N0} s"),
                ProposalKind.RotateKey => $"move {subject} to the key {Hex.Address(e.Account)}",
                ProposalKind.BindCarrierCode => Binding("carrier code", subject),
                ProposalKind.BindPortCode => Binding("UN/LOCODE", subject),
                ProposalKind.CorrectAttestation when e.Amount == 0 => $"annul the attestation of lot {Hex.Of(e.Organisation)}",
                ProposalKind.CorrectAttestation => Invariant($"set lot {Hex.Of(e.Organisation)}'s attested quantity to {e.Amount:N0}"),
                ProposalKind.ClearOverIssue => $"clear lot {Hex.Of(e.Organisation)}'s over-issue mark",
                ProposalKind.VoidTitle => Invariant($"void title {e.Amount}"),
                var other => $"{other}",
            };
        }

        private string Binding(string what, string subject)
        {
            var code = LedgerCode.FromBytes(Created.Organisation[..8]);
            return subject == Hex.ZeroAddress ? $"unbind {what} {code}" : $"bind {what} {code} to {subject}";
        }
    }
}

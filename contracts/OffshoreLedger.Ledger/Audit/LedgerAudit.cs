using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>Turns a replay (and, when run, a state check and a settlement audit) into the report. Pure: reads no chain.</summary>
public static class LedgerAudit
{
    public static AuditReport Analyse(
        ReplayResult replay, ulong chainId, string contract, AnomalyThresholds? thresholds = null,
        StateCheckResult? stateCheck = null, Func<LedgerHistory, SettlementAudit>? settlements = null, DateTimeOffset? generatedAt = null,
        string? stateCheckNotRun = null)
    {
        thresholds ??= AnomalyThresholds.Default;
        var history = LedgerHistory.Of(replay.Events);
        var settlementAudit = settlements?.Invoke(history);
        return new AuditReport(
            AuditReport.CurrentFormat, chainId, Hex.Address(contract), replay.FromBlock, replay.ToBlock,
            generatedAt ?? DateTimeOffset.UtcNow, replay.Digest,
            AuditCounts.Of(replay, replay.Ledger.Snapshot()),
            BlockedAttempts.Find(history),
            OverIssuedLots.Find(history, replay.Ledger),
            GovernanceActs.Find(replay.Events, replay.ToBlockTime),
            new AnomalyFindings(
                RapidPledgeCycles.Find(history, thresholds),
                CircularTransfers.Find(history, thresholds),
                PledgesAtManyBanks.Find(history, thresholds),
                ConsentsToManyBanks.Find(history),
                settlementAudit?.Checks.Where(c => c.Mismatches.Count > 0).ToList()),
            thresholds,
            stateCheck,
            stateCheck is null ? stateCheckNotRun ?? "not asked for" : null,
            settlementAudit,
            Members(replay.Ledger));
    }

    private static List<AuditMember> Members(LedgerProjection ledger) =>
    [
        .. ledger.Members().OrderBy(m => m.Index).Select(m =>
        {
            var name = ledger.NameOf(m.Address);
            return new AuditMember(m.Address, m.Index, name?.Name ?? "", name?.Lei ?? "", m.Roles.ToString(), m.Active);
        }),
    ];

    /// <summary>The definitions the report states beside its findings, with the thresholds filled in.</summary>
    public static IReadOnlyList<(string Name, string Definition)> Definitions(AnomalyThresholds t) =>
    [
        ("Blocked double-financing attempt",
            "a pledge the contract refused because a title or key in it was already locked by another pledge; it changed nothing and was " +
                "recorded (PledgeBlocked)"),
        ("Over-issued lot",
            "a lot whose registered titles exceeded the quantity a port attested as loaded, revealed by that attestation " +
                "(LotOverIssued); none of its titles can be pledged again"),
        ("Rapid pledge cycles",
            $"one title pledged at least {t.RapidCycleMinimum + 1} times (each after the release of the one before: " +
                $"{t.RapidCycleMinimum} or more release-and-re-pledge turns) within {Hours(t.RapidCycleWindowHours)}; a title counts " +
                "as pledged whether the pledge named it or one of its keys"),
        ("Circular transfers",
            "one title endorsed from a holder through at least one other back to that holder (A → B → … → A) " +
                $"within {Hours(t.CircularTransferWindowHours)} of leaving it"),
        ("Pledges at many banks",
            $"titles of one holder (its holder when each was pledged) pledged at {t.ManyBanksMinimum} or more distinct banks " +
                $"within {Hours(t.ManyBanksWindowHours)}"),
        ("Consents to many banks",
            "a borrower's consent to a bank for collateral its consent had already pledged to another bank, while that pledge was live: " +
                "the second bank's pledge was blocked (PledgeBlocked names the borrower; the live pledge's Pledged names the same one)"),
        ("Settlement mismatch",
            "a settlement record that does not pay the invoice(s) it references: each must reference an invoice among the documents, be " +
                "in its currency, be paid by its buyer (debtor) to its seller (creditor), and the settlements of an invoice must add up " +
                "to its total exactly (SettlementMatcher)"),
    ];

    private static string Hours(double hours) =>
        hours % 24 == 0 ? FormattableString.Invariant($"{hours / 24:0.##} days") : FormattableString.Invariant($"{hours:0.##} hours");
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>
/// The report for people: Markdown from the same model as the JSON, definitions and thresholds stated beside the findings.
/// </summary>
public static partial class AuditReportMarkdown
{
    public static string Render(AuditReport report)
    {
        var md = new StringBuilder();
        Line(md, $"# Ledger audit");
        Line(md);
        Line(md, Joined(
            $"Chain {report.ChainId}, contract `{report.Contract}`, blocks {report.FromBlock:N0}–{report.ToBlock:N0}, rebuilt from the ",
            $"chain's logs alone on {Time(report.GeneratedAt)} UTC ({report.Format})."));
        Line(md);
        Line(md, $"**Digest** `{report.Digest}` — two auditors who replayed the same history have the same digest (defined at the end).");
        Line(md);

        Summary(md, report);
        Members(md, report.Members ?? []);
        Counts(md, report.Counts);
        StateCheck(md, report.StateCheck, report.StateCheckNotRun);
        Blocked(md, report.BlockedAttempts);
        OverIssued(md, report.OverIssuedLots);
        Governance(md, report.Governance);
        Anomalies(md, report);
        Settlements(md, report.Settlements);

        Line(md, $"## Digest");
        Line(md);
        Line(md, $"{AuditReport.DigestDefinition}.");
        return Named(md.ToString(), report.Members ?? []);
    }

    private static void Members(StringBuilder md, IReadOnlyList<AuditMember> members)
    {
        Line(md, $"## Members");
        Line(md);
        Line(md, $"As governance recorded them on chain; below, every member's address is shown with its name.");
        Line(md);
        Table(md, members, "| # | Name | LEI | Roles | Address | State |", "|---:|---|---|---|---|---|", m =>
            $"| {m.Index} | {Cell(m.Name)} | {m.Lei} | {m.Roles} | {m.Address} | {(m.Active ? "active" : "removed")} |");
    }

    /// <summary>Every member address the report prints (in code spans) gets the member's name in front of it.</summary>
    private static string Named(string markdown, IReadOnlyList<AuditMember> members)
    {
        var names = members.Where(m => m.Name.Length > 0).ToDictionary(m => m.Address, m => Cell(m.Name), StringComparer.OrdinalIgnoreCase);
        return names.Count == 0 ? markdown : AddressSpan().Replace(markdown, match =>
            names.TryGetValue(match.Groups[1].Value, out var name) ? $"{name} ({match.Value})" : match.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex("`(0x[0-9a-fA-F]{40})`")]
    private static partial System.Text.RegularExpressions.Regex AddressSpan();

    private static void Summary(StringBuilder md, AuditReport report)
    {
        Line(md, $"## Summary");
        Line(md);
        Line(md, $"| Check | Result |");
        Line(md, $"|---|---|");
        var state = report.StateCheck switch
        {
            null => $"not run: {Cell(report.StateCheckNotRun ?? "")}",
            { Passed: true } s => $"passed: {s.Checked:N0} items checked at block {s.AtBlock:N0}{SampleNote(s)}",
            var s => $"**failed: {s.Mismatches.Count:N0} mismatches** in {s.Checked:N0} items checked at block " +
                $"{s.AtBlock:N0}{SampleNote(s)}",
        };
        Line(md, $"| State rebuilt from logs = contract's view functions | {state} |");
        Line(md, $"| Blocked double-financing attempts | {report.BlockedAttempts.Count:N0} |");
        Line(md, $"| Over-issued lots | {report.OverIssuedLots.Count:N0} |");
        var g = report.Governance;
        Line(md, $"| Governed corrections applied | {g.Corrections.Count:N0} |");
        Line(md, $"| Governed corrections not applied (queued, open, expired, stale) | {g.CorrectionsNotApplied.Count:N0} |");
        Line(md, Joined(
            $"| Key rotations, re-enrolments, code bindings | {g.KeyRotations.Count:N0}, {g.Reenrolments.Count:N0}, ",
            $"{g.CodeBindings.Count:N0} |"));
        Line(md, $"| Rapid pledge cycles | {report.Anomalies.RapidPledgeCycles.Count:N0} |");
        Line(md, $"| Circular transfers | {report.Anomalies.CircularTransfers.Count:N0} |");
        Line(md, $"| Pledges at many banks | {report.Anomalies.PledgesAtManyBanks.Count:N0} |");
        Line(md, $"| Consents to many banks | {report.Anomalies.ConsentsToManyBanks.Count:N0} |");
        var settlements = report.Settlements is null
            ? "not checked (no documents given)"
            : $"{report.Anomalies.SettlementMismatches!.Count:N0} of {report.Settlements.SettlementRecords:N0} settlements";
        Line(md, $"| Settlement mismatches | {settlements} |");
        Line(md);
    }

    private static void Counts(StringBuilder md, AuditCounts c)
    {
        Line(md, $"## Counts");
        Line(md);
        Line(md, $"| What | Count |");
        Line(md, $"|---|---:|");
        foreach (var (name, value) in new (string, object)[]
                 {
                     ("Raw logs replayed", c.Logs), ("Ledger events", c.Events), ("Active members", c.Members),
                     ("Titles live", c.TitlesLive),
                     ("Titles surrendered", c.TitlesSurrendered), ("Titles pledged now", c.TitlesPledged),
                     ("Pledges granted", c.PledgesGranted),
                     ("Pledges active", c.PledgesActive), ("Pledges blocked", c.PledgesBlocked), ("Collateral keys known", c.KeysKnown),
                     ("Lots", c.Lots),
                     ("Lots attested", c.LotsAttested), ("Lots over-issued", c.LotsOverIssued), ("Document batches anchored", c.Anchors),
                 })
        {
            Line(md, $"| {name} | {value:N0} |");
        }
        Line(md);
        Line(md, $"| Event | Count |");
        Line(md, $"|---|---:|");
        foreach (var (name, count) in c.EventsByKind) Line(md, $"| {name} | {count:N0} |");
        Line(md);
    }

    private static void StateCheck(StringBuilder md, StateCheckResult? check, string? notRun)
    {
        Line(md, $"## State check");
        Line(md);
        if (check is null)
        {
            Line(md, $"Not run: {notRun}.");
            Line(md);
            return;
        }
        Line(md, Joined(
            $"The state rebuilt from logs, item by item, against the contract's view functions at block ",
            $"{check.AtBlock:N0}{SampleNote(check)}."));
        Line(md);
        Line(md, $"| Kind | Population | Checked |");
        Line(md, $"|---|---:|---:|");
        foreach (var kind in check.Kinds) Line(md, $"| {kind.Kind} | {kind.Population:N0} | {kind.Checked:N0} |");
        Line(md);
        if (check.Passed)
        {
            Line(md, $"No mismatch.");
        }
        else
        {
            Line(md, $"**{check.Mismatches.Count:N0} mismatches:**");
            Line(md);
            Line(md, $"| Kind | Id | Rebuilt from logs | Contract's view |");
            Line(md, $"|---|---|---|---|");
            foreach (var m in check.Mismatches) Line(md, $"| {m.Kind} | {Cell(m.Id)} | {Cell(m.Rebuilt)} | {Cell(m.Chain)} |");
        }
        Line(md);
    }

    private static void Blocked(StringBuilder md, IReadOnlyList<BlockedAttempt> attempts)
    {
        Line(md, $"## Blocked double-financing attempts");
        Line(md);
        Table(md, attempts,
            "| Block | Time (UTC) | Bank | Blocked by pledge | Its bank, granted at block | Titles named | Keys named (their titles) | " +
                "Transaction |",
            "|---:|---|---|---:|---|---|---|---|", a =>
            {
                var keys = a.Keys.Count == 0 ? "—"
                    : string.Join("<br>", a.Keys.Select(Short)) + (a.TitlesOfKeys.Count == 0 ? "" : $" (titles {Ids(a.TitlesOfKeys)})");
                return Joined(
                    $"| {a.At.Block:N0} | {Time(a.At.Time)} | `{a.Bank}` | {a.ConflictingPledgeId} | `{a.ConflictingPledgee ?? "?"}`, ",
                    $"{a.ConflictingPledgedAt?.Block.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} | {Ids(a.TitleIds)} | {keys} | ",
                    $"`{Short(a.At.Transaction)}` |");
            });
    }

    private static void OverIssued(StringBuilder md, IReadOnlyList<OverIssuedLot> lots)
    {
        Line(md, $"## Over-issued lots");
        Line(md);
        Table(md, lots,
            "| Lot | Attested | Titles' quantity at attestation | Live now | Port | Revealed at block | Time (UTC) | Live titles (none " +
                "can be pledged) |",
            "|---|---:|---:|---:|---|---:|---|---|", l => Joined(
                $"| `{Short(l.LotKey)}` | {l.Attested:N0} | {l.LiveAtAttestation:N0} | {l.Live:N0} | `{l.Port}` | {l.At.Block:N0} | ",
                $"{Time(l.At.Time)} | {Ids(l.LiveTitles)} |"));
    }

    private static void Governance(StringBuilder md, GovernanceActs g)
    {
        Line(md, $"## Governance");
        Line(md);
        Line(md, Joined(
            $"Every act of the consortium's admins, from the chain's events alone. A proposal changes the ledger only when executed ",
            $"(`ProposalExecuted`); a governed correction (attestation corrected or annulled, over-issue mark cleared, title voided) is ",
            $"M-of-N and time-locked: executed at least 48 hours after it reached its threshold. {Judged(g.AsOf)}"));
        Line(md);

        Line(md, $"### Corrections applied");
        Line(md);
        Table(md, g.Corrections,
            "| Proposal | Kind | Lot or title | Effect | Proposed by | Approved by | Queued (executable from) | Executed | Transaction |",
            "|---:|---|---|---|---|---|---|---|---|", c =>
            Joined(
                $"| {c.ProposalId} | {c.Kind} | {Subject(c)} | {Cell(c.Effect)} | `{c.Proposal.Proposer}` | ",
                $"{Admins(c.Proposal.Approvers)} | {Queued(c.Proposal)} | ",
                $"{c.Proposal.Executed?.Block.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} {Time(c.Proposal.Executed?.Time)} | ",
                $"`{Short(c.Proposal.Executed?.Transaction ?? "")}` |"));

        Line(md, $"### Corrections not applied");
        Line(md);
        Table(md, g.CorrectionsNotApplied,
            "| Proposal | Kind | State | Lot or title | Proposed | Proposed by | Approved by now | Approvals and withdrawals | Deadline " +
            "| Queued (executable from) |", "|---:|---|---|---|---|---|---|---|---|---|", c =>
            Joined(
                $"| {c.ProposalId} | {c.Kind} | {c.Proposal.State} | {Subject(c)} | {Cell(c.Proposal.Summary)} | ",
                $"`{c.Proposal.Proposer}` | {Admins(c.Proposal.Approvers)} | {Trail(c.Proposal)} | {Time(c.Proposal.Deadline)} | ",
                $"{Queued(c.Proposal)} |"));

        Line(md, $"### Key rotations");
        Line(md);
        Table(md, g.KeyRotations, "| Member index | Old key | New key | Block | Time (UTC) | Proposal | Approved by |",
            "|---:|---|---|---:|---|---:|---|", r =>
            Joined(
                $"| {r.Index} | `{r.OldAccount}` | `{r.NewAccount}` | {r.At.Block:N0} | {Time(r.At.Time)} | {Id(r.Proposal)} | ",
                $"{Admins(r.Proposal?.Approvers ?? [])} |"));

        Line(md, $"### Re-enrolments");
        Line(md);
        Table(md, g.Reenrolments, "| Member | Old index | New index | Its titles | Block | Time (UTC) | Proposal | Approved by |",
            "|---|---:|---:|---|---:|---|---:|---|", r =>
            Joined(
                $"| `{r.Member}` | {r.OldIndex} | {r.NewIndex} | ",
                $"{(r.KeptTitles ? "kept (live for it again)" : "left frozen under the old index")} | {r.At.Block:N0} | ",
                $"{Time(r.At.Time)} | {Id(r.Proposal)} | {Admins(r.Proposal?.Approvers ?? [])} |"));

        Line(md, $"### Carrier and port code bindings");
        Line(md);
        Table(md, g.CodeBindings, "| Kind | Code | Bound to | Block | Time (UTC) | Proposal | Approved by |",
            "|---|---|---|---:|---|---:|---|", b =>
            Joined(
                $"| {b.Kind} | {Cell(b.Code)} | {(b.Member is null ? "unbound" : $"`{b.Member}`")} | {b.At.Block:N0} | ",
                $"{Time(b.At.Time)} | {Id(b.Proposal)} | {Admins(b.Proposal?.Approvers ?? [])} |"));

        Line(md, $"### Every proposal");
        Line(md);
        Table(md, g.Proposals, "| Proposal | Kind | State | What | Proposed by | Approved by | Proposed (block) | Executed (block) |",
            "|---:|---|---|---|---|---|---:|---:|", p =>
            Joined(
                $"| {p.ProposalId} | {p.Kind} | {p.State} | {Cell(p.Summary)} | `{p.Proposer}` | {Admins(p.Approvers)} | ",
                $"{p.Proposed.Block:N0} | {p.Executed?.Block.ToString("N0", CultureInfo.InvariantCulture) ?? "—"} |"));
    }

    private static string Judged(DateTimeOffset? asOf) => asOf is null
        ? "The last block's time could not be read, so no proposal is called expired."
        : $"Deadlines are judged at the last block's time, {Time(asOf)} UTC.";

    private static string Subject(GovernedCorrection c) =>
        c.TitleId is { } title
            ? $"title {title}" +
                $"{(c.TitleKeys is { Count: > 0 } keys ? $" (keys {string.Join(", ", keys.Select(k => $"`{Short(k)}`"))})" : "")}"
        : c.LotKey is { } lot ? $"lot `{Short(lot)}`" : "—";

    private static string Admins(IReadOnlyList<string> admins) => admins.Count == 0
        ? "—" : string.Join("<br>", admins.Select(a => $"`{a}`"));

    private static string Queued(ProposalTrail p) =>
        p.Queued is { } q ? $"{q.Block.ToString("N0", CultureInfo.InvariantCulture)} {Time(q.Time)} ({Time(p.ExecutableAt)})" : "—";

    private static string Trail(ProposalTrail p) =>
        string.Join(
            "<br>", p.Approvals.Select(
                a => $"{(a.Approved ? "+" : "−")} `{a.Admin}` at block {a.At.Block.ToString("N0", CultureInfo.InvariantCulture)}"));

    private static string Id(ProposalTrail? p) => p?.ProposalId.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static void Anomalies(StringBuilder md, AuditReport report)
    {
        var a = report.Anomalies;
        Line(md, $"## Anomalies");
        Line(md);
        Line(md, $"Definitions, with the thresholds this report used (`--threshold name=value` changes them):");
        Line(md);
        foreach (var (name, definition) in LedgerAudit.Definitions(report.Thresholds)) Line(md, $"- **{name}**: {definition}.");
        var t = report.Thresholds;
        Line(md, Joined(
            $"- Thresholds: rapidCycleWindowHours={t.RapidCycleWindowHours}, rapidCycleMinimum={t.RapidCycleMinimum}, ",
            $"circularTransferWindowHours={t.CircularTransferWindowHours}, manyBanksWindowHours={t.ManyBanksWindowHours}, ",
            $"manyBanksMinimum={t.ManyBanksMinimum}."));
        Line(md);

        Line(md, $"### Rapid pledge cycles");
        Line(md);
        Table(md, a.RapidPledgeCycles, "| Title | Turns | Span | Pledges (id: bank, pledged at block → released at block) |",
            "|---:|---:|---:|---|", c =>
            Joined(
                $"| {c.TitleId} | {c.Cycles} | {Span(c.SpanHours)} | ",
                $"{string.Join("<br>", c.Pledges.Select(p =>
                    $"{p.PledgeId}: `{p.Pledgee}`, {p.Pledged.Block:N0} {Time(p.Pledged.Time)} → " +
                    $"{(p.Released is { } r ? $"{r.Block:N0} {Time(r.Time)}" : "not released")}"))} ",
                $"|"));

        Line(md, $"### Circular transfers");
        Line(md);
        Table(md, a.CircularTransfers, "| Title | Holders | Span | Transfers (block, time) |", "|---:|---|---:|---|", c =>
            Joined(
                $"| {c.TitleId} | {string.Join(" → ", c.Holders.Select(h => $"`{h}`"))} | {Span(c.SpanHours)} | ",
                $"{string.Join("<br>", c.Transfers.Select(s => $"{s.At.Block:N0} {Time(s.At.Time)}"))} |"));

        Line(md, $"### Pledges at many banks");
        Line(md);
        Table(md, a.PledgesAtManyBanks, "| Holder | Banks | Span | Pledges (id: bank, titles, block) |", "|---|---|---:|---|", c =>
            Joined(
                $"| `{c.Holder}` | {string.Join("<br>", c.Banks.Select(b => $"`{b}`"))} | {Span(c.SpanHours)} | ",
                $"{string.Join("<br>", c.Pledges.Select(p =>
                    $"{p.PledgeId}: `{p.Bank}`, titles {Ids(p.TitleIds)}, {p.At.Block:N0} {Time(p.At.Time)}"))} ",
                $"|"));

        Line(md, $"### Consents to many banks");
        Line(md);
        Table(md, a.ConsentsToManyBanks, "| Borrower | Consented to (blocked) | Live pledge (id: bank, block) | Titles | Block |",
            "|---|---|---|---|---:|", c =>
            Joined(
                $"| `{c.Borrower}` | `{c.Bank}` | {c.LivePledgeId}: `{c.LivePledgee}`, {c.LivePledgedAt.Block:N0} | ",
                $"{Ids(c.TitleIds)}{(c.Keys.Count > 0 ? $", {c.Keys.Count} key(s)" : "")} | {c.At.Block:N0} {Time(c.At.Time)} |"));

        Line(md, $"### Settlement mismatches");
        Line(md);
        if (a.SettlementMismatches is null)
        {
            Line(md, Joined(
                $"Not checked: the chain holds only keyed hashes; give the auditee's documents (`--documents DIR`, and `--secret FILE` ",
                $"to look their keys up on chain)."));
            Line(md);
        }
        else
        {
            Table(md, a.SettlementMismatches.SelectMany(s => s.Mismatches.Select(m => (s, m))).ToList(),
                "| Settlement (UETR) | File | Field | Reason |", "|---|---|---|---|", x =>
                $"| {x.s.Uetr} | {Cell(Path.GetFileName(x.s.File))} | {x.m.Field} | {Cell(x.m.Reason)} |");
        }
    }

    private static void Settlements(StringBuilder md, SettlementAudit? audit)
    {
        if (audit is null) return;
        Line(md, $"## Settlements and their keys on chain");
        Line(md);
        Line(md, $"Documents read from `{audit.Documents}`: {audit.Invoices} invoices, {audit.SettlementRecords} settlement records.");
        Line(md);
        foreach (var skipped in audit.Skipped) Line(md, $"- Not read: {Cell(Path.GetFileName(skipped.File))}: {Cell(skipped.Reason)}");
        if (audit.Skipped.Count > 0) Line(md);
        Line(md, $"| Settlement (UETR) | Amount | Invoices referenced | Mismatches |");
        Line(md, $"|---|---:|---|---:|");
        foreach (var c in audit.Checks)
        {
            Line(md, $"| {c.Uetr} | {c.Amount} | {Cell(string.Join(", ", c.InvoiceReferences))} | {c.Mismatches.Count} |");
        }
        Line(md);
        if (!audit.KeysChecked)
        {
            Line(md, $"Keys not looked up: no consortium secret given (`--secret FILE`).");
            Line(md);
            return;
        }
        var keys = audit.Checks.SelectMany(c => c.Keys).DistinctBy(k => (k.Document, k.Kind)).ToList();
        Line(md, $"| Document | Key kind | Key | On chain | In title | Pledges | Financed with titles |");
        Line(md, $"|---|---|---|---|---:|---|---|");
        foreach (var k in keys)
        {
            Line(md, Joined(
                $"| {Cell(k.Document)} | {k.Kind} | `{Short(k.Key)}` | {(k.OnChain ? "yes" : "no")} | ",
                $"{k.TitleId?.ToString(CultureInfo.InvariantCulture) ?? "—"} | {Ids(k.PledgeIds)} | {Ids(k.PledgedWithTitles)} |"));
        }
        Line(md);
    }

    private static void Table<T>(StringBuilder md, IReadOnlyList<T> rows, string header, string rule, Func<T, FormattableString> row)
    {
        if (rows.Count == 0)
        {
            Line(md, $"None.");
            Line(md);
            return;
        }
        md.Append(header).Append('\n').Append(rule).Append('\n');
        foreach (var r in rows) Line(md, row(r));
        Line(md);
    }

    private static string SampleNote(StateCheckResult check) =>
        check.SampleSize is { } n
            ? $" (a seeded random sample of up to {n:N0} titles, keys, lots and anchors each, seed {check.Seed}; " +
                "everything else in full)"
            : " (every item)";

    private static string Ids(IEnumerable<ulong> ids)
    {
        var list = ids.ToList();
        return list.Count == 0 ? "—" : string.Join(", ", list);
    }

    private static string Short(string hex) => hex.Length > 18 ? $"{hex[..10]}…{hex[^6..]}" : hex;

    private static string Span(double hours) => hours < 48 ? $"{hours:0.#} h" : $"{hours / 24:0.#} days";

    private static string Time(DateTimeOffset? time) => time is { } t
        ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "?";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>One text written in parts on several source lines: each part is formatted as the whole would be.</summary>
    private static FormattableString Joined(params FormattableString[] parts) =>
        FormattableStringFactory.Create(string.Concat(parts.Select((_, i) => $"{{{i}}}")), parts);

    private static void Line(StringBuilder md, FormattableString? text = null) =>
        md.Append(text is null ? "" : text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

namespace OffshoreLedger.Ledger.Audit;

/// <summary>
/// The auditor's report: one model, written as JSON (field names are these properties in camelCase, stable within
/// <see cref="Format"/>) and as Markdown. Documented in <c>contracts/AUDIT.md</c>.
/// </summary>
/// <param name="Format">The report format and version, <c>offshore-ledger-audit/1</c>; a field's meaning never changes within it.</param>
/// <param name="ChainId">The chain replayed.</param>
/// <param name="Contract">The OffshoreLedger contract (lower-case 0x-hex).</param>
/// <param name="FromBlock">The first block replayed (the contract's deployment block).</param>
/// <param name="ToBlock">The last block replayed; the state check read the contract at this block.</param>
/// <param name="GeneratedAt">When the report was made (UTC).</param>
/// <param name="Digest">The hash chain over every raw log replayed: two auditors with the same digest saw the same history.</param>
/// <param name="Counts">Counts by kind.</param>
/// <param name="BlockedAttempts">Every double-financing attempt the contract refused, in chain order.</param>
/// <param name="OverIssuedLots">Every lot an attestation revealed as over-issued, in chain order.</param>
/// <param name="Governance">Every governance act: corrections applied and not applied, key rotations, re-enrolments, code bindings, every
/// proposal's fate.</param>
/// <param name="Anomalies">Patterns worth an auditor's look, by the thresholds in <see cref="Thresholds"/>.</param>
/// <param name="Thresholds">The thresholds the anomalies were found with.</param>
/// <param name="StateCheck">The rebuilt state against the contract's view functions; null when not run.</param>
/// <param name="StateCheckNotRun">Why the state check did not run (e.g. a pruning node keeps no state at an earlier block); null when it
/// ran.</param>
/// <param name="Settlements">Settlement records matched to invoices from the auditee's documents; null when none were given.</param>
/// <param name="Members">Every member ever enrolled, by index, with the display name and LEI governance recorded on chain.</param>
public sealed record AuditReport(
    string Format,
    ulong ChainId,
    string Contract,
    ulong FromBlock,
    ulong ToBlock,
    DateTimeOffset GeneratedAt,
    string Digest,
    AuditCounts Counts,
    IReadOnlyList<BlockedAttempt> BlockedAttempts,
    IReadOnlyList<OverIssuedLot> OverIssuedLots,
    GovernanceActs Governance,
    AnomalyFindings Anomalies,
    AnomalyThresholds Thresholds,
    StateCheckResult? StateCheck,
    string? StateCheckNotRun,
    SettlementAudit? Settlements,
    IReadOnlyList<AuditMember>? Members = null)
{
    public const string CurrentFormat = "offshore-ledger-audit/1";

    /// <summary>How the digest is computed, as the report states it.</summary>
    public const string DigestDefinition =
        "d0 = 32 zero bytes; for each raw log of the contract in chain order, d = keccak256(d ‖ block number (8 bytes, big-endian) ‖ " +
        "log " +
            "index (4 bytes, big-endian) ‖ transaction hash ‖ topics ‖ data); the digest is the last d";
}

/// <summary>A member as the replayed chain records it.</summary>
/// <param name="Address">Its signing address now (lower-case 0x-hex).</param>
/// <param name="Index">Its member index, kept for life.</param>
/// <param name="Name">The display name governance recorded; empty if none (a member enrolled before names were kept).</param>
/// <param name="Lei">Its ISO 17442 LEI; empty if none was given.</param>
/// <param name="Roles">Its roles, e.g. <c>Bank</c>.</param>
/// <param name="Active">False once removed.</param>
public sealed record AuditMember(string Address, uint Index, string Name, string Lei, string Roles, bool Active);

/// <summary>The anomalies found. Settlement mismatches need the auditee's documents: null when none were given.</summary>
/// <param name="RapidPledgeCycles">Titles pledged, released and re-pledged repeatedly within a short window.</param>
/// <param name="CircularTransfers">Titles endorsed around a circle of holders back to one they had left.</param>
/// <param name="PledgesAtManyBanks">One holder's titles pledged at many banks within a short window.</param>
/// <param name="ConsentsToManyBanks">A borrower's consent to a second bank for collateral its live pledge at another bank holds.</param>
/// <param name="SettlementMismatches">Settlements that do not pay their invoice as it says; null when no documents were given.</param>
public sealed record AnomalyFindings(
    IReadOnlyList<RapidPledgeCycle> RapidPledgeCycles,
    IReadOnlyList<CircularTransfer> CircularTransfers,
    IReadOnlyList<ManyBanksForOneHolder> PledgesAtManyBanks,
    IReadOnlyList<ConsentToAnotherBank> ConsentsToManyBanks,
    IReadOnlyList<SettlementCheck>? SettlementMismatches)
{
    public int Count =>
        RapidPledgeCycles.Count + CircularTransfers.Count + PledgesAtManyBanks.Count + ConsentsToManyBanks.Count
            + (SettlementMismatches?.Count ?? 0);
}

/// <summary>What the auditee's documents said about settlements, and whether the chain knows their keys.</summary>
/// <param name="Documents">The folder read.</param>
/// <param name="Invoices">Commercial invoices found in it.</param>
/// <param name="SettlementRecords">Settlement records found in it.</param>
/// <param name="KeysChecked">Whether the consortium secret was given, so keys could be derived and looked up on chain.</param>
/// <param name="Checks">One check per settlement record, in file name order.</param>
/// <param name="Skipped">Files in the folder that were not read as trade documents, and why.</param>
public sealed record SettlementAudit(
    string Documents, int Invoices, int SettlementRecords, bool KeysChecked, IReadOnlyList<SettlementCheck> Checks,
    IReadOnlyList<SkippedFile> Skipped);

/// <summary>A file of the documents folder the audit did not read, and why (not JSON, not a trade document, invalid).</summary>
public sealed record SkippedFile(string File, string Reason);

/// <summary>One settlement record against the invoice(s) it references.</summary>
/// <param name="Uetr">The settlement's UETR.</param>
/// <param name="File">The file it was read from.</param>
/// <param name="AmountMinor">Its amount in minor units.</param>
/// <param name="Currency">Its currency.</param>
/// <param name="Amount">Its amount for people, in the currency's major units (e.g. <c>USD 961,250.00</c>).</param>
/// <param name="InvoiceReferences">The invoice numbers it says it settles.</param>
/// <param name="Mismatches">Every way it does not pay them: empty when it does.</param>
/// <param name="Keys">The settlement's and its invoices' collateral keys, and what the chain knows of each; empty without the
/// secret.</param>
public sealed record SettlementCheck(
    string Uetr, string File, long AmountMinor, string Currency, string Amount, IReadOnlyList<string> InvoiceReferences,
    IReadOnlyList<DocumentMismatch> Mismatches, IReadOnlyList<KeyOnChain> Keys);

/// <summary>One way a document disagrees with another.</summary>
/// <param name="Field">The field at fault: amountMinor, currency, debtor, creditor or invoiceReferences.</param>
/// <param name="Reason">What differs, with both values.</param>
public sealed record DocumentMismatch(string Field, string Reason);

/// <summary>A document's collateral key and what the replayed chain knows of it.</summary>
/// <param name="Document">Which document, e.g. <c>invoice LCC-INV-2026-0311</c>.</param>
/// <param name="Kind">The key's kind: settlement, invoice or invoiceParticulars.</param>
/// <param name="Key">The keyed hash (0x-hex).</param>
/// <param name="OnChain">Whether any event names it.</param>
/// <param name="TitleId">The title it was registered in, if any.</param>
/// <param name="PledgeIds">The pledges that named it.</param>
/// <param name="PledgedWithTitles">The titles those pledges locked: what it financed alongside.</param>
public sealed record KeyOnChain(
    string Document, string Kind, string Key, bool OnChain, ulong? TitleId, IReadOnlyList<ulong> PledgeIds,
    IReadOnlyList<ulong> PledgedWithTitles)
{
    /// <summary>What the history says of <paramref name="key"/>.</summary>
    public static KeyOnChain Of(LedgerHistory history, string document, string kind, string key)
    {
        var record = history.Key(key);
        var pledges = record?.Pledges ?? [];
        return new KeyOnChain(
            document, kind, Replay.Hex.Normal(key), record is not null, record?.TitleId,
            [.. pledges.Select(p => p.PledgeId)], [.. pledges.SelectMany(p => p.Titles).Distinct().Order()]);
    }
}

namespace OffshoreLedger.Client.Verification;

/// <summary>One check of a trade: its stable name, its outcome, why, and what it relied on.</summary>
/// <param name="Name">A stable snake_case id from <see cref="TradeCheckNames"/>.</param>
/// <param name="Outcome">Pass, warn or fail.</param>
/// <param name="Reason">Why, in words a bank's operations team reads: every failure found, not just the first.</param>
/// <param name="Evidence">The chain records and documents the check relied on.</param>
public sealed record TradeCheck(string Name, CheckOutcome Outcome, string Reason, IReadOnlyList<CheckEvidence> Evidence)
{
    /// <summary>A check with its reasons joined: fails if any failure was found, else warns if any warning, else passes.</summary>
    /// <param name="name">The check's name.</param>
    /// <param name="findings">What the check found.</param>
    /// <param name="passReason">The reason when nothing was found.</param>
    /// <param name="evidence">What it relied on.</param>
    /// <returns>The check.</returns>
    public static TradeCheck From(string name, CheckFindings findings, string passReason, IReadOnlyList<CheckEvidence>? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var outcome = findings.Failures.Count > 0 ? CheckOutcome.Fail : findings.Warnings.Count > 0 ? CheckOutcome.Warn : CheckOutcome.Pass;
        var reason = outcome == CheckOutcome.Pass
            ? string.Join("; ", [passReason, .. findings.Notes])
            : string.Join("; ", findings.Failures.Concat(findings.Warnings));
        return new TradeCheck(name, outcome, reason, evidence ?? []);
    }
}

/// <summary>A record a check relied on: a chain event (transaction, block, member) and/or a document.</summary>
/// <param name="Description">What it is, e.g. "title 12 registered".</param>
/// <param name="TransactionHash">0x-hex transaction hash, when the evidence is on chain.</param>
/// <param name="BlockNumber">The block of that transaction.</param>
/// <param name="Member">The member (0x address) who made the record: submitter, registrar, port, pledgee.</param>
/// <param name="DocumentHash">0x-hex SHA-256 of a document, when the evidence is one.</param>
public sealed record CheckEvidence(
    string Description, string? TransactionHash = null, ulong BlockNumber = 0, string? Member = null, string? DocumentHash = null);

/// <summary>What one check found, collected before it is turned into a <see cref="TradeCheck"/>.</summary>
public sealed class CheckFindings
{
    /// <summary>Contradictions: any one fails the check.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Gaps: what could not be checked.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Facts worth stating when the check passes (e.g. a difference within tolerance).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Records a contradiction.</summary>
    /// <param name="reason">What contradicts what.</param>
    public void Fail(string reason) => Failures.Add(reason);

    /// <summary>Records a gap.</summary>
    /// <param name="reason">What could not be checked and why.</param>
    public void Warn(string reason) => Warnings.Add(reason);

    /// <summary>Records a fact for a passing check.</summary>
    /// <param name="note">The fact.</param>
    public void Note(string note) => Notes.Add(note);
}

using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Ledger.Replay;

// The whole ledger state in one comparable shape. Bytes are lower-case 0x-hex and addresses lower-case,
// so a snapshot rebuilt from logs, one read through view functions and one kept by a model compare as text.

public sealed record GovernanceState(uint AdminCount, uint Threshold, uint AdminEpoch, ulong ProposalCount);

public sealed record MemberState(string Address, uint Index, MemberRoles Roles, bool Active, string Organisation);

/// <summary>A member's display name and ISO 17442 LEI (empty if it has none), as governance recorded them on chain.</summary>
public sealed record MemberName(string Name, string Lei)
{
    /// <summary>How people read a member: "Devnet Bank A (0x90f7…b906)"; the address alone when it has no name.</summary>
    public static string Label(string address, MemberName? name) =>
        name is null ? address : $"{name.Name} ({ShortAddress(address)})";

    /// <summary>"0x90f7…b906": enough of an address to tell members apart, with the name beside it.</summary>
    public static string ShortAddress(string address) =>
        address.Length == 42 ? $"{address[..6]}…{address[^4..]}" : address;
}

public sealed record ProposalState(
    ulong Id, ProposalKind Kind, string Subject, MemberRoles Roles, string Organisation, uint Threshold,
    string Proposer, uint Approvals, uint AdminEpoch, bool Executed,
    ulong Deadline = 0, ulong ExecutableAt = 0, string Account = Hex.ZeroAddress, ulong Amount = 0);

/// <summary>
/// A title as <c>titleOf</c> shows it: <c>LotKey</c> and <c>Quantity</c> are its first lot; <c>MoreLots</c> its further lots as
/// <c>titleLots</c> lists them, "lot:quantity" joined by commas ("" if none).
/// </summary>
public sealed record TitleState(
    ulong Id, TitleStatus Status, string Holder, string LotKey, ulong Quantity, ulong PledgeId, string Pledgee, ulong PledgeExpiry,
    string MoreLots = "");

/// <summary>A key as <c>keyState</c> shows it: its title, and the lock that covers it (its title's or its own).</summary>
public sealed record KeyState(string Key, ulong TitleId, TitleStatus TitleStatus, ulong PledgeId, string Pledgee, ulong PledgeExpiry);

public sealed record LotState(
    string LotKey, uint Index, bool Attested, bool OverIssued, string Unit, ulong AttestedQuantity, ulong LiveQuantity,
    string Port, ulong LoadedAt, string DocumentHash, string Locode = "");

/// <summary>A carrier code or UN/LOCODE and the member bound to it (the zero address: unbound).</summary>
public sealed record CodeBinding(bool Port, string Code, string Member);

public sealed record AnchorState(string Root, string Submitter, uint LeafCount, ulong AnchoredAt, ulong BlockNumber);

public sealed record LedgerSnapshot(
    GovernanceState Governance,
    IReadOnlyList<string> Admins,
    IReadOnlyList<MemberState> Members,
    IReadOnlyList<ProposalState> Proposals,
    IReadOnlyList<TitleState> Titles,
    IReadOnlyList<KeyState> Keys,
    IReadOnlyList<LotState> Lots,
    IReadOnlyList<AnchorState> Anchors,
    ulong PledgeCount,
    IReadOnlyList<CodeBinding>? Bindings = null)
{
    /// <summary>One line per fact, in a fixed order: two snapshots are equal when their lines are.</summary>
    public IReadOnlyList<string> ToLines() =>
    [
        Governance.ToString(),
        $"Pledges {{ Count = {PledgeCount} }}",
        .. Admins.Order(StringComparer.Ordinal).Select(a => $"Admin {{ {a} }}"),
        .. Members.OrderBy(m => m.Index).Select(m => m.ToString()),
        .. Proposals.OrderBy(p => p.Id).Select(p => p.ToString()),
        .. Titles.OrderBy(t => t.Id).Select(t => t.ToString()),
        .. Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.ToString()),
        .. Lots.OrderBy(l => l.Index).Select(l => l.ToString()),
        .. Anchors.Select(a => a.ToString()).Order(StringComparer.Ordinal),
        .. (Bindings ?? []).Select(b => b.ToString()).Order(StringComparer.Ordinal),
    ];
}

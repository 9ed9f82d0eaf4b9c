using OffshoreLedger.Client.Verification;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Node.Verification;

/// <summary>
/// Where on chain the records a verification relies on were made: the events that anchored a root, registered a
/// title, granted a pledge, attested a lot and enrolled a member. Found in one pass over the indexed events.
/// </summary>
public sealed class LedgerOrigins
{
    private readonly Dictionary<string, LedgerEvent> _byRecord = [];

    private LedgerOrigins()
    {
    }

    /// <summary>Finds the newest event making each wanted record ("anchor:0x…", "title:12", "pledge:3", "lot:0x…", "member:0x…").</summary>
    public static LedgerOrigins Find(IReadOnlyList<LedgerEvent> events, IReadOnlySet<string> wanted)
    {
        var origins = new LedgerOrigins();
        if (wanted.Count == 0) return origins;
        foreach (var e in events)
        {
            if (RecordOf(e) is { } record && wanted.Contains(record)) origins._byRecord[record] = e;
        }
        return origins;
    }

    public static string Anchor(string root) => $"anchor:{Hex.Address(root)}";

    public static string Title(ulong titleId) => $"title:{titleId}";

    public static string Pledge(ulong pledgeId) => $"pledge:{pledgeId}";

    public static string Lot(string lotKey) => $"lot:{Hex.Address(lotKey)}";

    public static string Member(string address) => $"member:{Hex.Address(address)}";

    /// <summary>Evidence of a record: the description, with its transaction, block and the member who made it, when found.</summary>
    public CheckEvidence Evidence(string record, string description, string? member = null, string? documentHash = null) =>
        _byRecord.TryGetValue(record, out var e)
            ? new CheckEvidence(description, e.TransactionHash, (ulong)e.BlockNumber, member ?? MakerOf(e), documentHash)
            : new CheckEvidence(description, Member: member, DocumentHash: documentHash);

    private static string? RecordOf(LedgerEvent e) => e.Event switch
    {
        AnchoredEvent a => Anchor(Hex.Of(a.Root)),
        TitleRegisteredEvent t => Title(t.TitleId),
        PledgedEvent p => Pledge(p.PledgeId),
        LoadingAttestedEvent l => Lot(Hex.Of(l.LotKey)),
        MemberEnrolledEvent m => Member(m.Member),
        _ => null,
    };

    private static string? MakerOf(LedgerEvent e) => e.Event switch
    {
        AnchoredEvent a => Hex.Address(a.Submitter),
        TitleRegisteredEvent t => Hex.Address(t.Issuer),
        PledgedEvent p => Hex.Address(p.Pledgee),
        LoadingAttestedEvent l => Hex.Address(l.Port),
        MemberEnrolledEvent m => Hex.Address(m.Member),
        _ => null,
    };
}

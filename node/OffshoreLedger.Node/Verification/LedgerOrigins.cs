using OffshoreLedger.Client.Verification;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Node.Verification;

/// <summary>
/// Where on chain the records a verification relies on were made: the events that anchored a root, registered a
/// title, granted a pledge, attested a lot and enrolled a member. Each looked up in the per-record event index when asked.
/// </summary>
public sealed class LedgerOrigins(LedgerIndex.RecordHistory history)
{
    public static LedgerRecord Anchor(string root) => LedgerRecord.Anchor(Hex.Bytes(root));

    public static LedgerRecord Title(ulong titleId) => LedgerRecord.TitleOrigin(titleId);

    public static LedgerRecord Pledge(ulong pledgeId) => LedgerRecord.Pledge(pledgeId);

    public static LedgerRecord Lot(string lotKey) => LedgerRecord.Lot(Hex.Bytes(lotKey));

    public static LedgerRecord Member(string address) => LedgerRecord.Member(address);

    /// <summary>The newest event that made a record (a title's registration, a lot's attestation…), or null.</summary>
    public LedgerEvent? Of(LedgerRecord record) => history.Newest(record);

    /// <summary>Evidence of a record: the description, with its transaction, block and the member who made it, when found.</summary>
    public CheckEvidence Evidence(LedgerRecord record, string description, string? member = null, string? documentHash = null) =>
        Of(record) is { } e
            ? new CheckEvidence(description, e.TransactionHash, (ulong)e.BlockNumber, member ?? MakerOf(e), documentHash)
            : new CheckEvidence(description, Member: member, DocumentHash: documentHash);

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

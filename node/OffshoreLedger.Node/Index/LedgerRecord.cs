using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Index;

/// <summary>What the per-record event index is kept by.</summary>
public enum RecordKind : byte
{
    /// <summary>The registration that made a title.</summary>
    TitleOrigin = 1,

    /// <summary>
    /// A title's history: registration, transfers, surrender, and every pledge, release or blocked attempt on it or its keys.
    /// </summary>
    Title = 2,

    /// <summary>
    /// A collateral key's history: its title's registration, pledges, releases and blocked attempts naming it, its own locks.
    /// </summary>
    Key = 3,

    /// <summary>A lot's loading attestations.</summary>
    Lot = 4,

    /// <summary>The event that granted a pledge.</summary>
    Pledge = 5,

    /// <summary>A Merkle root's anchors.</summary>
    Anchor = 6,

    /// <summary>A member's enrolment.</summary>
    Member = 7,

    /// <summary>The events one transaction emitted.</summary>
    Transaction = 8,
}

/// <summary>A record of the ledger (a title, a key, a lot…) whose events the index lists without scanning the ledger.</summary>
public readonly record struct LedgerRecord(RecordKind Kind, byte[] Id)
{
    public static LedgerRecord TitleOrigin(ulong titleId) => new(RecordKind.TitleOrigin, LedgerStore.BigEndian(titleId));

    public static LedgerRecord Title(ulong titleId) => new(RecordKind.Title, LedgerStore.BigEndian(titleId));

    public static LedgerRecord Key(byte[] key) => new(RecordKind.Key, key);

    public static LedgerRecord Lot(byte[] lotKey) => new(RecordKind.Lot, lotKey);

    public static LedgerRecord Pledge(ulong pledgeId) => new(RecordKind.Pledge, LedgerStore.BigEndian(pledgeId));

    public static LedgerRecord Anchor(byte[] root) => new(RecordKind.Anchor, root);

    public static LedgerRecord Member(string address) => new(RecordKind.Member, Hex.Bytes(address));

    public static LedgerRecord Transaction(string hash) => new(RecordKind.Transaction, Hex.Bytes(hash));

    /// <summary>The index's key prefix for this record: its kind, then its id.</summary>
    public byte[] Prefix() => [(byte)Kind, .. Id];

    /// <summary>
    /// Every record an event belongs to. <paramref name="titleOfKey"/> names the title a key is in (as the ledger has it
    /// once the event is applied), so that a pledge by keys is in its titles' histories.
    /// </summary>
    public static IEnumerable<LedgerRecord> Of(LedgerEvent logged, Func<byte[], ulong?> titleOfKey)
    {
        yield return Transaction(logged.TransactionHash);
        switch (logged.Event)
        {
            case TitleRegisteredEvent e:
                yield return TitleOrigin(e.TitleId);
                yield return Title(e.TitleId);
                foreach (var key in e.Keys) yield return Key(key);
                break;
            case TitleTransferredEvent e:
                yield return Title(e.TitleId);
                break;
            case TitleSurrenderedEvent e:
                yield return Title(e.TitleId);
                break;
            case PledgedEvent e:
                yield return Pledge(e.PledgeId);
                foreach (var record in Collateral(e.TitleIds, e.Keys, titleOfKey)) yield return record;
                break;
            case PledgeBlockedEvent e:
                foreach (var record in Collateral(e.TitleIds, e.Keys, titleOfKey)) yield return record;
                break;
            case ReleasedEvent e:
                foreach (var record in Collateral(e.TitleIds, e.Keys, titleOfKey)) yield return record;
                break;
            case KeyLockSupersededEvent e:
                yield return Key(e.Key);
                break;
            case ExpiredLockReleasedEvent e when e.TitleId == 0:
                yield return Key(e.Key);
                break;
            case LoadingAttestedEvent e:
                yield return Lot(e.LotKey);
                break;
            case AnchoredEvent e:
                yield return Anchor(e.Root);
                break;
            case MemberEnrolledEvent e:
                yield return Member(e.Member);
                break;
        }
    }

    /// <summary>A pledge's, release's or blocked attempt's records: its titles, its keys, and the titles its keys are in.</summary>
    private static IEnumerable<LedgerRecord> Collateral(
        IEnumerable<ulong> titleIds, IEnumerable<byte[]> keys, Func<byte[], ulong?> titleOfKey)
    {
        var titles = new HashSet<ulong>(titleIds);
        foreach (var key in keys)
        {
            yield return Key(key);
            if (titleOfKey(key) is { } titleId) titles.Add(titleId);
        }
        foreach (var titleId in titles) yield return Title(titleId);
    }
}

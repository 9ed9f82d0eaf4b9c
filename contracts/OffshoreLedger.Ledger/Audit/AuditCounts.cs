using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>How much of everything the replayed ledger holds: events by kind, and the state at the last block.</summary>
/// <param name="Logs">Raw logs of the contract replayed (the digest covers each).</param>
/// <param name="Events">Ledger events decoded from them.</param>
/// <param name="EventsByKind">Events per contract event name, e.g. <c>TitleRegistered</c>; every kind listed, 0 included.</param>
/// <param name="Members">Active members.</param>
/// <param name="TitlesLive">Titles live at the last block.</param>
/// <param name="TitlesSurrendered">Titles surrendered (their keys burned).</param>
/// <param name="TitlesPledged">Live titles under a financing lock at the last block.</param>
/// <param name="PledgesGranted">Pledges ever granted (the contract's pledge counter).</param>
/// <param name="PledgesActive">Pledges still holding a lock on some title or key.</param>
/// <param name="PledgesBlocked">Double-financing attempts refused and recorded.</param>
/// <param name="KeysKnown">Collateral keys the history names (in titles, or pledged on their own).</param>
/// <param name="Lots">Shipment lots.</param>
/// <param name="LotsAttested">Lots a port attested.</param>
/// <param name="LotsOverIssued">Lots marked over-issued.</param>
/// <param name="Anchors">Document batches anchored.</param>
public sealed record AuditCounts(
    long Logs, int Events, IReadOnlyDictionary<string, int> EventsByKind, int Members, int TitlesLive, int TitlesSurrendered,
    int TitlesPledged,
    ulong PledgesGranted, int PledgesActive, int PledgesBlocked, int KeysKnown, int Lots, int LotsAttested, int LotsOverIssued, int Anchors)
{
    public static AuditCounts Of(ReplayResult replay, LedgerSnapshot snapshot)
    {
        var byKind = LedgerEvents.KnownEventNames.ToDictionary(n => n, _ => 0);
        foreach (var e in replay.Events) byKind[LedgerEvents.NameOf(e.Event)]++;
        return new AuditCounts(
            Logs: replay.Logs,
            Events: replay.Events.Count,
            EventsByKind: new SortedDictionary<string, int>(byKind, StringComparer.Ordinal),
            Members: snapshot.Members.Count(m => m.Active),
            TitlesLive: snapshot.Titles.Count(t => t.Status == TitleStatus.Live),
            TitlesSurrendered: snapshot.Titles.Count(t => t.Status == TitleStatus.Surrendered),
            TitlesPledged: snapshot.Titles.Count(t => t.Status == TitleStatus.Live && t.PledgeId != 0),
            PledgesGranted: snapshot.PledgeCount,
            PledgesActive: snapshot.Titles.Select(t => t.PledgeId).Concat(snapshot.Keys.Select(k => k.PledgeId)).Where(p => p != 0)
                .Distinct().Count(),
            PledgesBlocked: byKind["PledgeBlocked"],
            KeysKnown: snapshot.Keys.Count,
            Lots: snapshot.Lots.Count,
            LotsAttested: snapshot.Lots.Count(l => l.Attested),
            LotsOverIssued: snapshot.Lots.Count(l => l.OverIssued),
            Anchors: snapshot.Anchors.Count);
    }
}

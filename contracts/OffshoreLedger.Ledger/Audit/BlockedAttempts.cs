using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>A double-financing attempt the contract refused and recorded (<c>PledgeBlocked</c>).</summary>
/// <param name="Bank">The bank that tried.</param>
/// <param name="At">When and in which transaction.</param>
/// <param name="FinancingReference">The bank's keyed financing reference (a hash, never plaintext).</param>
/// <param name="TitleIds">The titles it named.</param>
/// <param name="Keys">The collateral keys it named.</param>
/// <param name="TitlesOfKeys">The titles those keys belonged to at the time (a key in no title is its own collateral, e.g. an
/// invoice).</param>
/// <param name="ConflictingPledgeId">The pledge already holding some of it.</param>
/// <param name="ConflictingPledgee">That pledge's bank.</param>
/// <param name="ConflictingPledgedAt">When that pledge was granted.</param>
public sealed record BlockedAttempt(
    string Bank, EventRef At, string FinancingReference, IReadOnlyList<ulong> TitleIds, IReadOnlyList<string> Keys,
    IReadOnlyList<ulong> TitlesOfKeys,
    ulong ConflictingPledgeId, string? ConflictingPledgee, EventRef? ConflictingPledgedAt);

public static class BlockedAttempts
{
    public static IReadOnlyList<BlockedAttempt> Find(LedgerHistory history)
    {
        // Titles of keys as of each attempt: a key is in at most one title ever, so the end state answers for the past
        // too, except a key not yet registered at the time; that one is reported as in no title.
        var registeredAt = new Dictionary<ulong, ulong>();
        foreach (var e in history.Events)
        {
            if (e.Event is TitleRegisteredEvent r) registeredAt[r.TitleId] = (ulong)e.BlockNumber;
        }
        var attempts = new List<BlockedAttempt>();
        foreach (var e in history.Events)
        {
            if (e.Event is not PledgeBlockedEvent b) continue;
            var at = EventRef.Of(e);
            var keys = b.Keys.Select(Hex.Of).ToList();
            var titlesOfKeys = keys.Select(history.TitleOfKey).OfType<ulong>().Where(t => registeredAt[t] <= at.Block).Distinct().ToList();
            var conflict = history.Pledges.GetValueOrDefault(b.ConflictingPledgeId);
            attempts.Add(new BlockedAttempt(
                Hex.Address(b.Bank), at, Hex.Of(b.FinancingReference), [.. b.TitleIds], keys, titlesOfKeys,
                b.ConflictingPledgeId, conflict?.Pledgee, conflict?.At));
        }
        return attempts;
    }
}

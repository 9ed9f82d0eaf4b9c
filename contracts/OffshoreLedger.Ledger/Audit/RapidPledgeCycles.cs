using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>One pledge of a title in a cycle, and the release that ended it (if it has ended).</summary>
public sealed record PledgeTurn(ulong PledgeId, string Pledgee, string Holder, EventRef Pledged, EventRef? Released, string? ReleasedBy);

/// <summary>A title pledged, released and pledged again, again and again, within a short window.</summary>
/// <param name="TitleId">The title.</param>
/// <param name="Cycles">Release-and-re-pledge turns: pledges − 1.</param>
/// <param name="SpanHours">From the first pledge to the last.</param>
/// <param name="Pledges">The pledges, in order, each with its release.</param>
public sealed record RapidPledgeCycle(ulong TitleId, int Cycles, double SpanHours, IReadOnlyList<PledgeTurn> Pledges);

/// <summary>
/// Rapid pledge cycles: a title's pledges (each after the release of the one before; the contract allows nothing
/// else) of which at least <see cref="AnomalyThresholds.RapidCycleMinimum"/> + 1 fall within
/// <see cref="AnomalyThresholds.RapidCycleWindowHours"/>. Overlapping windows of one title make one finding.
/// </summary>
public static class RapidPledgeCycles
{
    public static IReadOnlyList<RapidPledgeCycle> Find(IReadOnlyList<LedgerEvent> events, AnomalyThresholds thresholds) =>
        Find(LedgerHistory.Of(events), thresholds);

    public static IReadOnlyList<RapidPledgeCycle> Find(LedgerHistory history, AnomalyThresholds thresholds)
    {
        var window = AnomalyThresholds.Seconds(thresholds.RapidCycleWindowHours);
        var findings = new List<RapidPledgeCycle>();
        foreach (var (title, changes) in history.Locks.OrderBy(l => l.Key))
        {
            var turns = Turns(changes);
            foreach (var run in Runs.Within(turns, t => t.Pledged.Seconds, window, (from, to) => to - from >= thresholds.RapidCycleMinimum))
            {
                var span = run[^1].Pledged.Seconds - run[0].Pledged.Seconds;
                findings.Add(new RapidPledgeCycle(title, run.Count - 1, span / 3600.0, run));
            }
        }
        return findings;
    }

    private static List<PledgeTurn> Turns(IEnumerable<TitleLockChange> changes)
    {
        var turns = new List<PledgeTurn>();
        foreach (var change in changes)
        {
            if (change.Pledged)
            {
                turns.Add(new PledgeTurn(change.PledgeId, change.Party, change.Holder, change.At, null, null));
            }
            else if (turns.Count > 0 && turns[^1].PledgeId == change.PledgeId && turns[^1].Released is null)
            {
                turns[^1] = turns[^1] with { Released = change.At, ReleasedBy = change.Party };
            }
        }
        return turns;
    }
}

/// <summary>Runs of items in chain order that fall within a time window, merged where they overlap.</summary>
internal static class Runs
{
    /// <summary>
    /// Every maximal run of consecutive items such that each item belongs to some window [l, r] with
    /// time(r) − time(l) ≤ <paramref name="windowSeconds"/> for which <paramref name="qualifies"/>(l, r) holds.
    /// </summary>
    public static List<List<T>> Within<T>(IReadOnlyList<T> items, Func<T, long> time, long windowSeconds, Func<int, int, bool> qualifies)
    {
        var marked = new bool[items.Count];
        var left = 0;
        for (var right = 0; right < items.Count; right++)
        {
            while (time(items[right]) - time(items[left]) > windowSeconds) left++;
            if (qualifies(left, right)) Mark(marked, left, right);
        }
        return Group(items, marked);
    }

    /// <summary>Marks [from, to]; windows only move forward, so marking stops at the first item already marked from the right.</summary>
    public static void Mark(bool[] marked, int from, int to)
    {
        for (var i = to; i >= from && !(marked[i] && i < to); i--) marked[i] = true;
    }

    public static List<List<T>> Group<T>(IReadOnlyList<T> items, bool[] marked)
    {
        var runs = new List<List<T>>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!marked[i]) continue;
            if (i == 0 || !marked[i - 1]) runs.Add([]);
            runs[^1].Add(items[i]);
        }
        return runs;
    }
}

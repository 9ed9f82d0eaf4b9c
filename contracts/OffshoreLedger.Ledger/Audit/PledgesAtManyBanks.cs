using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>A pledge of some of one holder's titles.</summary>
public sealed record HolderPledge(ulong PledgeId, string Bank, IReadOnlyList<ulong> TitleIds, EventRef At);

/// <summary>One holder's titles financed at many banks within a short window.</summary>
/// <param name="Holder">The holder of the titles when each was pledged.</param>
/// <param name="Banks">The distinct banks, in order of first pledge.</param>
/// <param name="SpanHours">From the first pledge to the last.</param>
/// <param name="Pledges">The pledges, in order.</param>
public sealed record ManyBanksForOneHolder(
    string Holder, IReadOnlyList<string> Banks, double SpanHours, IReadOnlyList<HolderPledge> Pledges);

/// <summary>
/// Pledges at many banks: titles held by one holder (at the moment each was pledged) pledged at
/// <see cref="AnomalyThresholds.ManyBanksMinimum"/> or more distinct banks within
/// <see cref="AnomalyThresholds.ManyBanksWindowHours"/>. Overlapping windows of one holder make one finding.
/// </summary>
public static class PledgesAtManyBanks
{
    public static IReadOnlyList<ManyBanksForOneHolder> Find(IReadOnlyList<LedgerEvent> events, AnomalyThresholds thresholds) =>
        Find(LedgerHistory.Of(events), thresholds);

    public static IReadOnlyList<ManyBanksForOneHolder> Find(LedgerHistory history, AnomalyThresholds thresholds)
    {
        var window = AnomalyThresholds.Seconds(thresholds.ManyBanksWindowHours);
        var byHolder = new Dictionary<string, List<HolderPledge>>();
        foreach (var pledge in history.Pledges.Values.OrderBy(p => p.At.Block).ThenBy(p => p.At.LogIndex))
        {
            foreach (var group in pledge.Titles.GroupBy(t => HolderAt(history, t, pledge)))
            {
                if (!byHolder.TryGetValue(group.Key, out var list)) byHolder[group.Key] = list = [];
                list.Add(new HolderPledge(pledge.PledgeId, pledge.Pledgee, [.. group], pledge.At));
            }
        }

        var findings = new List<ManyBanksForOneHolder>();
        foreach (var (holder, pledges) in byHolder.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var marked = new bool[pledges.Count];
            var banks = new Dictionary<string, int>();
            var left = 0;
            for (var right = 0; right < pledges.Count; right++)
            {
                banks[pledges[right].Bank] = banks.GetValueOrDefault(pledges[right].Bank) + 1;
                while (pledges[right].At.Seconds - pledges[left].At.Seconds > window)
                {
                    if (--banks[pledges[left].Bank] == 0) banks.Remove(pledges[left].Bank);
                    left++;
                }
                if (banks.Count >= thresholds.ManyBanksMinimum) Runs.Mark(marked, left, right);
            }
            foreach (var run in Runs.Group(pledges, marked))
            {
                findings.Add(new ManyBanksForOneHolder(
                    holder, [.. run.Select(p => p.Bank).Distinct()], (run[^1].At.Seconds - run[0].At.Seconds) / 3600.0, run));
            }
        }
        return findings;
    }

    /// <summary>The title's holder when the pledge was granted: its lock change records it.</summary>
    private static string HolderAt(LedgerHistory history, ulong title, PledgeRecord pledge) =>
        history.Locks[title].First(c => c.Pledged && c.PledgeId == pledge.PledgeId).Holder;
}

using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>One endorsement of a title from one holder to the next.</summary>
public sealed record TransferStep(string From, string To, string By, EventRef At);

/// <summary>A title endorsed around a circle of holders back to one it had left.</summary>
/// <param name="TitleId">The title.</param>
/// <param name="Holders">The holders in order, the first and last the same (A, B, …, A).</param>
/// <param name="SpanHours">From the transfer away from the first holder to the transfer back.</param>
/// <param name="Transfers">The transfers that made the circle.</param>
public sealed record CircularTransfer(
    ulong TitleId, IReadOnlyList<string> Holders, double SpanHours, IReadOnlyList<TransferStep> Transfers);

/// <summary>
/// Circular transfers: a title's holders A → B → … → A through at least one other holder (a transfer to oneself is no
/// circle), back within <see cref="AnomalyThresholds.CircularTransferWindowHours"/> of leaving. The shortest circle
/// closing at each transfer is reported; circles of one title do not overlap (the next starts where one closed).
/// </summary>
public static class CircularTransfers
{
    public static IReadOnlyList<CircularTransfer> Find(IReadOnlyList<LedgerEvent> events, AnomalyThresholds thresholds) =>
        Find(LedgerHistory.Of(events), thresholds);

    public static IReadOnlyList<CircularTransfer> Find(LedgerHistory history, AnomalyThresholds thresholds)
    {
        var window = AnomalyThresholds.Seconds(thresholds.CircularTransferWindowHours);
        var findings = new List<CircularTransfer>();
        foreach (var (title, holdings) in history.Holders.OrderBy(h => h.Key))
        {
            var floor = 0;
            for (var close = 2; close < holdings.Count; close++)
            {
                var holder = holdings[close].Holder;
                if (holdings[close - 1].Holder == holder) continue;
                var open = -1;
                for (var i = close - 2; i >= floor; i--)
                {
                    if (holdings[i].Holder == holder)
                    {
                        open = i;
                        break;
                    }
                }
                if (open < 0) continue;
                var span = holdings[close].At.Seconds - holdings[open + 1].At.Seconds;
                if (span > window) continue;
                var circle = holdings.Skip(open).Take(close - open + 1).ToList();
                findings.Add(new CircularTransfer(
                    title, [.. circle.Select(h => h.Holder)], span / 3600.0,
                    [.. circle.Skip(1).Select(h => new TransferStep(h.From!, h.Holder, h.By!, h.At))]));
                floor = close;
            }
        }
        return findings;
    }
}

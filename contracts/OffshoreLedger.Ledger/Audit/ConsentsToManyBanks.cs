using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>A borrower's consent to a bank for collateral it had already pledged, with its consent, to another bank.</summary>
/// <param name="Borrower">The member whose consents both pledges carried.</param>
/// <param name="Bank">The bank its later consent was for, whose pledge was blocked.</param>
/// <param name="At">When that bank tried.</param>
/// <param name="TitleIds">The titles the blocked pledge named.</param>
/// <param name="Keys">The keys the blocked pledge named.</param>
/// <param name="LivePledgeId">The live pledge in the way.</param>
/// <param name="LivePledgee">That pledge's bank.</param>
/// <param name="LivePledgedAt">When that pledge was granted.</param>
public sealed record ConsentToAnotherBank(
    string Borrower, string Bank, EventRef At, IReadOnlyList<ulong> TitleIds, IReadOnlyList<string> Keys,
    ulong LivePledgeId, string LivePledgee, EventRef LivePledgedAt);

/// <summary>
/// Consents to several banks for the same collateral: a blocked pledge whose consent came from the same borrower as the
/// live pledge that blocked it, at another bank. The contract lets a borrower sign as many consents as it likes; only one
/// pledge can hold the collateral, so a second consent while the first pledge is live is the double-financing attempt
/// itself, made by the borrower — whichever bank presented it.
/// </summary>
public static class ConsentsToManyBanks
{
    public static IReadOnlyList<ConsentToAnotherBank> Find(LedgerHistory history)
    {
        var findings = new List<ConsentToAnotherBank>();
        foreach (var e in history.Events)
        {
            if (e.Event is not PledgeBlockedEvent b || history.Pledges.GetValueOrDefault(b.ConflictingPledgeId) is not { } live) continue;
            var borrower = Hex.Address(b.Borrower);
            var bank = Hex.Address(b.Bank);
            if (borrower != live.Borrower || bank == live.Pledgee) continue;
            findings.Add(new ConsentToAnotherBank(
                borrower, bank, EventRef.Of(e), [.. b.TitleIds], [.. b.Keys.Select(Hex.Of)], live.PledgeId, live.Pledgee, live.At));
        }
        return findings;
    }
}

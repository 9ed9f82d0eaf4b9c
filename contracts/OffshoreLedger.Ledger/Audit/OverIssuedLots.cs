using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>
/// A lot whose titles exceeded the quantity a port attested as loaded, revealed by that attestation (<c>LotOverIssued</c>).
/// </summary>
/// <param name="LotKey">The shipment lot.</param>
/// <param name="Attested">The quantity the port attested.</param>
/// <param name="LiveAtAttestation">The titles' quantity when the attestation revealed the over-issue.</param>
/// <param name="Live">The live titles' quantity at the end of the replay.</param>
/// <param name="Unit">The lot's unit (bytes8, 0x-hex).</param>
/// <param name="Port">The port that attested.</param>
/// <param name="At">When the over-issue was revealed.</param>
/// <param name="LiveTitles">The lot's titles still live at the end of the replay: none can be pledged again.</param>
public sealed record OverIssuedLot(
    string LotKey, ulong Attested, ulong LiveAtAttestation, ulong Live, string Unit, string Port, EventRef At,
    IReadOnlyList<ulong> LiveTitles);

public static class OverIssuedLots
{
    public static IReadOnlyList<OverIssuedLot> Find(LedgerHistory history, LedgerProjection ledger)
    {
        var lots = new List<OverIssuedLot>();
        ILookup<string, ulong>? titlesOfLot = null;
        foreach (var e in history.Events)
        {
            if (e.Event is not LotOverIssuedEvent o) continue;
            var lotKey = Hex.Of(o.LotKey);
            var state = ledger.Lot(lotKey);
            titlesOfLot ??= history.TitleLots.SelectMany(t => t.Value.Select(lot => (Lot: lot, Title: t.Key)))
                .ToLookup(t => t.Lot, t => t.Title);
            var titles = titlesOfLot[lotKey].Where(t => ledger.Title(t)?.Status == TitleStatus.Live).Order().ToList();
            lots.Add(new OverIssuedLot(
                lotKey, o.AttestedQuantity, o.LiveQuantity, state?.LiveQuantity ?? 0, state?.Unit ?? "", state?.Port ?? Hex.ZeroAddress,
                EventRef.Of(e), titles));
        }
        return lots;
    }
}

using System.Globalization;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Verification;

/// <summary>One HS heading of a B/L: the shipment lot it loads onto and the quantity the B/L states under it.</summary>
/// <param name="Heading">The HS subheading (six digits).</param>
/// <param name="LotKey">The lot's collateral key, 0x-hex.</param>
/// <param name="Quantity">The sum of the heading's item quantities.</param>
/// <param name="Unit">Their unit, or null when the heading's items are in several units.</param>
public sealed record BillLot(string Heading, string LotKey, decimal Quantity, string? Unit);

/// <summary>One lot a registered title books, with the quantity booked on it.</summary>
/// <param name="LotKey">The lot's key, 0x-hex.</param>
/// <param name="Quantity">Whole units of the title's unit.</param>
public sealed record TitleLot(string LotKey, ulong Quantity);

/// <summary>A title as the ledger registered it.</summary>
/// <param name="Id">The title's id.</param>
/// <param name="Unit">The unit of its quantities (UN/ECE Rec. 20), or null when the ledger does not say.</param>
/// <param name="Lots">Every lot it books, in registration order.</param>
/// <param name="Issuer">The member that issued it (0x address), or null when unknown.</param>
public sealed record RegisteredTitle(ulong Id, string? Unit, IReadOnlyList<TitleLot> Lots, string? Issuer);

/// <summary>
/// What the ledger's title says against what its B/L says (issue 14): what contradicts, and the records that show it.
/// One comparison, made once per verification and reported by title_live, loading_attested and goods_and_quantity.
/// </summary>
/// <param name="Contradictions">Each way the title is not what its B/L says; empty when it is.</param>
/// <param name="Evidence">The records compared (the title's registration, naming its issuer).</param>
public sealed record TitleComparison(IReadOnlyList<string> Contradictions, IReadOnlyList<CheckEvidence> Evidence)
{
    /// <summary>Whether the title books exactly the B/L's lots, quantities and unit and was issued by its carrier.</summary>
    public bool Matches => Contradictions.Count == 0;
}

/// <summary>
/// Ties a registered title to the B/L it claims to be: the same lots (one per HS heading), on each the quantity the B/L
/// states under that heading, in the B/L's unit, issued by the carrier member bound to the B/L's carrier code. A title
/// that books less (the Qingdao pattern), another cargo's lot, or was issued by anyone else contradicts its B/L.
/// </summary>
public static class TitleAgainstBill
{
    /// <summary>
    /// The B/L's headings paired with their lot keys. <paramref name="lotKeys"/> are the B/L's shipment-lot keys in the
    /// order <see cref="CollateralKeyDeriver.KeysFor(BillOfLading)"/> gives them: one per distinct HS subheading, in the
    /// order of the items (the same order <see cref="CollateralKeyFields.For(BillOfLading)"/> lists their inputs).
    /// </summary>
    /// <param name="bill">The B/L.</param>
    /// <param name="lotKeys">Its shipment-lot keys, 0x-hex, in derivation order.</param>
    /// <returns>One entry per heading; empty when the keys do not pair with the headings.</returns>
    public static IReadOnlyList<BillLot> Lots(BillOfLading bill, IReadOnlyList<string> lotKeys)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(lotKeys);
        List<string> headings;
        try
        {
            headings = [.. CollateralKeyFields.For(bill).Where(i => i.Kind == CollateralKeyKind.ShipmentLot).Select(i => i.Fields[^1])];
        }
        catch (Validation.InvalidTradeDocumentException)
        {
            return [];
        }
        if (headings.Count != lotKeys.Count) return [];
        var lots = new List<BillLot>();
        for (var i = 0; i < headings.Count; i++)
        {
            var items = bill.ConsignmentItems.Where(item => Heading(item.HsCode) == headings[i]).ToList();
            var units = items.Select(item => item.Quantity.Unit).Distinct(StringComparer.Ordinal).ToList();
            lots.Add(
                new BillLot(headings[i], lotKeys[i], Sum(items.Select(item => item.Quantity.Value)), units.Count == 1 ? units[0] : null));
        }
        return lots;
    }

    /// <summary>Every way <paramref name="title"/> is not what its B/L says.</summary>
    /// <param name="bill">The B/L's lots (see <see cref="Lots"/>); at least one.</param>
    /// <param name="title">The title the B/L's keys lead to.</param>
    /// <param name="carrierCode">The B/L's carrier code.</param>
    /// <param name="boundCarrier">The member governance bound to that code, or null when none is.</param>
    /// <returns>The contradictions, each naming the title; empty when the title is the B/L's.</returns>
    public static IReadOnlyList<string> Contradictions(
        IReadOnlyList<BillLot> bill, RegisteredTitle title, string carrierCode, string? boundCarrier)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(title);
        var found = new List<string>();
        var billUnits = bill.Select(l => l.Unit).Distinct().ToList();
        var billUnit = billUnits is [{ } one] ? one : null;
        if (billUnit is null) found.Add(
            $"the B/L states its goods in several units: title {title.Id} books one unit, so it cannot be what the B/L says");
        else if (title.Unit is { } unit && unit != billUnit) found.Add($"title {title.Id} is in {unit}, the B/L in {billUnit}");

        var booked = title.Lots.GroupBy(l => l.LotKey, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Aggregate(0m, (sum, l) => sum + l.Quantity), StringComparer.OrdinalIgnoreCase);
        var unitName = title.Unit ?? billUnit ?? "units";
        foreach (var lot in bill)
        {
            var stated = $"{Number(lot.Quantity)} {lot.Unit ?? "units"}";
            if (!booked.TryGetValue(lot.LotKey, out var quantity))
            {
                found.Add(
                    $"title {title.Id} books nothing on the B/L's lot {Short(lot.LotKey)}, where the B/L states {stated} under HS " +
                    $"{lot.Heading}");
            }
            else if (quantity != lot.Quantity)
            {
                found.Add(
                    $"title {title.Id} is for {Number(quantity)} {unitName}, the B/L states {stated} under HS {lot.Heading} (lot " +
                    $"{Short(lot.LotKey)})");
            }
        }
        var billKeys = bill.Select(l => l.LotKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (lotKey, quantity) in booked.Where(b => !billKeys.Contains(b.Key)))
        {
            found.Add(
                $"title {title.Id} books {Number(quantity)} {unitName} on lot {Short(lotKey)}, which is not one of the B/L's lots: that " +
                "cargo is another B/L's");
        }

        if (boundCarrier is null) found.Add($"no carrier member is bound to the B/L's carrier code {carrierCode}");
        else if (title.Issuer is null) found.Add(
            $"title {title.Id}'s issuer is unknown, not {boundCarrier}, the carrier bound to {carrierCode}");
        else if (!string.Equals(title.Issuer, boundCarrier, StringComparison.OrdinalIgnoreCase))
        {
            found.Add($"title {title.Id} was issued by {title.Issuer}, not by {boundCarrier}, the carrier bound to {carrierCode}");
        }
        return found;
    }

    /// <summary>Describes the lots a title books, e.g. "20 BE on lot 0x1234…, 20 BE on lot 0xabcd…".</summary>
    /// <param name="title">The title.</param>
    /// <returns>The description.</returns>
    public static string Describe(RegisteredTitle title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return string.Join(
            ", ", title.Lots.Select(
                l => $"{l.Quantity.ToString(CultureInfo.InvariantCulture)} {title.Unit ?? "units"} on lot {Short(l.LotKey)}"));
    }

    private static string Heading(string hsCode) => Validation.HsCode.TryNormalize(hsCode, out var normalized) ? normalized[..6] : "";

    private static decimal Sum(IEnumerable<decimal> values)
    {
        try
        {
            return values.Sum();
        }
        catch (OverflowException)
        {
            return decimal.MaxValue;
        }
    }

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Short(string hex) => hex.Length > 12 ? hex[..10] + "…" : hex;
}

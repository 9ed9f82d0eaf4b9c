using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Verification;
using OffshoreLedger.Node.Errors;

namespace OffshoreLedger.Node.Titles;

/// <summary>
/// What a bill of lading registers: one lot per HS heading (its shipment-lot key) with the quantity the B/L states under
/// that heading, all in one unit (issue 14: over-issue is detected per lot, so a B/L's goods are not booked on one).
/// </summary>
public static class TitleQuantities
{
    public static (List<(byte[] LotKey, ulong Quantity)> Lots, string Unit) Of(
        BillOfLading bill, IReadOnlyList<CollateralKey> keys, RequestCheck check)
    {
        // A B/L whose goods name no HS code (or no vessel, voyage or port of loading) derives no lot key.
        var lotKeys = keys.Where(k => k.Kind == CollateralKeyKind.ShipmentLot).Select(k => "0x" + Convert.ToHexStringLower(k.Value))
            .ToList();
        if (lotKeys.Count == 0)
        {
            check.Add("bill_of_lading.json", "names no shipment lot: a title needs the vessel, voyage, port of loading and goods' HS code");
            return ([], "");
        }
        var units = bill.ConsignmentItems.Select(i => i.Quantity.Unit).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count != 1)
        {
            check.Add("bill_of_lading.json.consignmentItems", "every item's quantity must be in one unit to register a title");
            return ([], "");
        }
        var headings = TitleAgainstBill.Lots(bill, lotKeys);
        if (headings.Count == 0)
        {
            check.Add("bill_of_lading.json.consignmentItems", "the items' HS headings do not match the B/L's shipment lots");
            return ([], "");
        }
        var lots = new List<(byte[] LotKey, ulong Quantity)>(headings.Count);
        foreach (var heading in headings)
        {
            var sum = heading.Quantity;
            if (!RequestCheck.IsWholeChainQuantity(sum))
            {
                check.Add("bill_of_lading.json.consignmentItems",
                    $"the quantity {sum} {units[0]} under HS {heading.Heading} must be a positive whole number of the unit, at most " +
                    $"{ulong.MaxValue}");
                continue;
            }
            lots.Add((Convert.FromHexString(heading.LotKey.AsSpan(2)), (ulong)sum));
        }
        check.Unit(units[0], "bill_of_lading.json.consignmentItems[0].quantity.unit");
        return (lots, units[0]);
    }
}

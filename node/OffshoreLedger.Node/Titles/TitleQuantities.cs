using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Node.Errors;

namespace OffshoreLedger.Node.Titles;

/// <summary>What a bill of lading registers: its lot's key and the cargo quantity in one unit.</summary>
public static class TitleQuantities
{
    public static (byte[] LotKey, ulong Quantity, string Unit) Of(BillOfLading bill, IReadOnlyList<CollateralKey> keys, RequestCheck check)
    {
        // A B/L whose goods name no HS code (or no vessel, voyage or port of loading) derives no lot key.
        if (keys.FirstOrDefault(k => k.Kind == CollateralKeyKind.ShipmentLot) is not { } lot)
        {
            check.Add("bill_of_lading.json", "names no shipment lot: a title needs the vessel, voyage, port of loading and goods' HS code");
            return ([], 0, "");
        }
        var lotKey = lot.Value.ToArray();
        var units = bill.ConsignmentItems.Select(i => i.Quantity.Unit).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count != 1)
        {
            check.Add("bill_of_lading.json.consignmentItems", "every item's quantity must be in one unit to register a title");
            return (lotKey, 0, "");
        }
        decimal? total;
        try
        {
            total = bill.ConsignmentItems.Sum(i => i.Quantity.Value);
        }
        catch (OverflowException)
        {
            total = null;
        }
        if (total is not { } sum || sum <= 0 || sum != decimal.Truncate(sum) || sum > ulong.MaxValue)
        {
            // The chain keeps whole units; a fractional total would be rounded, and rounding is not ours to do.
            check.Add("bill_of_lading.json.consignmentItems",
                $"the total quantity {total?.ToString() ?? "(beyond any number)"} {units[0]} must be a positive whole number of the unit, at most {ulong.MaxValue}");
            return (lotKey, 0, "");
        }
        check.Unit(units[0], "bill_of_lading.json.consignmentItems[0].quantity.unit");
        return (lotKey, (ulong)sum, units[0]);
    }
}

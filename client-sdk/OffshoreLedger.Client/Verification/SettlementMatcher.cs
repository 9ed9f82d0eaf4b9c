using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Verification;

/// <summary>One way a settlement does not pay its invoice.</summary>
/// <param name="Field">The settlement field at fault: amountMinor, currency, debtor, creditor or invoiceReferences.</param>
/// <param name="Reason">What differs, with both values.</param>
public sealed record SettlementMismatch(string Field, string Reason);

/// <summary>Whether settlement records pay an invoice: amount, currency and parties (debtor = buyer, creditor = seller).</summary>
public static class SettlementMatcher
{
    /// <summary>Whether a settlement names the invoice among its references (compared normalised).</summary>
    /// <param name="settlement">The settlement.</param>
    /// <param name="invoice">The invoice.</param>
    /// <returns>True when it references the invoice's number.</returns>
    public static bool References(SettlementRecord settlement, CommercialInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(invoice);
        var number = IdentifierNormalizer.Normalize(invoice.InvoiceNumber);
        return settlement.InvoiceReferences.Any(r => IdentifierNormalizer.Normalize(r) == number);
    }

    /// <summary>
    /// Every mismatch between an invoice and the settlements that pay it. Each settlement must reference the invoice,
    /// be in its currency, from its buyer to its seller; together they must pay its total exactly (partial payments
    /// add up). A settlement referencing several invoices is not counted towards the amount: it cannot be split.
    /// </summary>
    /// <param name="invoice">The invoice.</param>
    /// <param name="settlements">The settlements said to pay it.</param>
    /// <returns>The mismatches; empty when they pay it.</returns>
    public static IReadOnlyList<SettlementMismatch> Match(CommercialInvoice invoice, IReadOnlyList<SettlementRecord> settlements)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(settlements);
        var mismatches = new List<SettlementMismatch>();
        foreach (var s in settlements)
        {
            var name = $"settlement {s.Uetr}";
            if (!References(s, invoice)) mismatches.Add(
                new("invoiceReferences", $"{name} does not reference invoice {invoice.InvoiceNumber}"));
            if (!string.Equals(s.Currency, invoice.Currency, StringComparison.Ordinal))
            {
                mismatches.Add(new("currency", $"{name} is in {s.Currency}, invoice {invoice.InvoiceNumber} in {invoice.Currency}"));
            }
            if (!PartyMatch.Same(s.Debtor, invoice.Buyer))
            {
                mismatches.Add(
                    new("debtor",
                    $"{name} is paid by {PartyMatch.Describe(s.Debtor)}, not the invoice's buyer {PartyMatch.Describe(invoice.Buyer)}"));
            }
            if (!PartyMatch.Same(s.Creditor, invoice.Seller))
            {
                mismatches.Add(
                    new("creditor",
                    $"{name} pays {PartyMatch.Describe(s.Creditor)}, not the invoice's seller {PartyMatch.Describe(invoice.Seller)}"));
            }
        }
        var counted = settlements.Where(s => s.InvoiceReferences.Count == 1 && s.Currency == invoice.Currency).ToList();
        var paid = counted.Sum(s => s.AmountMinor);
        if (counted.Count > 0 && paid != invoice.TotalAmountMinor)
        {
            mismatches.Add(new("amountMinor",
                $"settlements of invoice {invoice.InvoiceNumber} pay {Money(paid, invoice.Currency)}, the invoice is for " +
                    $"{Money(invoice.TotalAmountMinor, invoice.Currency)}"));
        }
        return mismatches;
    }

    /// <summary>An amount in minor units as the currency's major units, e.g. "USD 961,250.00".</summary>
    /// <param name="minor">The amount in minor units.</param>
    /// <param name="currency">The ISO 4217 code.</param>
    /// <returns>The text.</returns>
    public static string Money(long minor, string currency)
    {
        var digits = CurrencyCode.MinorUnits(currency) ?? 2;
        var major = minor / (decimal)Math.Pow(10, digits);
        return $"{currency} {major.ToString($"N{digits}", System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

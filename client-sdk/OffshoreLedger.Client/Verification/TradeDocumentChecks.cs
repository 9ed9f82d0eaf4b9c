using System.Globalization;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Verification;

/// <summary>
/// The checks of a trade that need only the documents' content: goods and quantity, settlements, date order and
/// margin. Pure functions; the node adds the checks that need the ledger.
/// </summary>
public static class TradeDocumentChecks
{
    /// <summary>Goods (HS subheading), quantity and unit agree across the invoices and the B/L, within tolerance.</summary>
    /// <param name="trade">The documents.</param>
    /// <param name="policy">The tolerance.</param>
    /// <returns>The check.</returns>
    public static TradeCheck GoodsAndQuantity(TradeDocumentSet trade, VerificationPolicy policy) => GoodsAndQuantity(trade, policy, null);

    /// <summary>
    /// Goods, quantity and unit agree across the invoices and the B/L, within tolerance, and (issue 14) the title
    /// registered for the B/L books exactly its lots, quantities and unit and was issued by its carrier.
    /// </summary>
    /// <param name="trade">The documents.</param>
    /// <param name="policy">The tolerance.</param>
    /// <param name="title">The ledger's title compared with the B/L (see <see cref="TitleAgainstBill"/>), or null when the
    /// caller has no ledger or found no title to compare.</param>
    /// <returns>The check.</returns>
    public static TradeCheck GoodsAndQuantity(TradeDocumentSet trade, VerificationPolicy policy, TitleComparison? title)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new CheckFindings();
        foreach (var contradiction in title?.Contradictions ?? []) findings.Fail(contradiction);
        var bill = trade.BillOfLading;
        var invoices = trade.Invoices().ToList();
        if (bill is null) findings.Warn("the B/L's content was not given, so goods and quantity were not compared with it");
        if (invoices.Count < 2) findings.Warn("both invoices' content is needed to compare purchase with sale");

        var billGoods = bill?.ConsignmentItems.Select(i => Subheading(i.HsCode)).OfType<string>().ToHashSet() ?? [];
        foreach (var (role, invoice) in invoices)
        {
            var lines = invoice.Lines;
            if (lines.Count == 0)
            {
                findings.Fail($"{role} {invoice.InvoiceNumber} has no lines: it names no goods or quantity");
                continue;
            }
            if (bill is not null)
            {
                foreach (var line in lines)
                {
                    if (Subheading(line.HsCode) is not { } goods) findings.Warn(
                        $"{role} {invoice.InvoiceNumber} has a line without an HS code; its goods were not compared");
                    else if (!billGoods.Contains(goods)) findings.Fail(
                        $"{role} {invoice.InvoiceNumber} invoices HS {goods}, which the B/L does not carry (B/L: " +
                        $"{string.Join(", ", billGoods)})");
                }
                CompareWithBill(role, invoice, bill, policy, findings);
            }
        }
        if (trade.PurchaseInvoice is { } purchase && trade.SalesInvoice is { } sale)
        {
            var unit = purchase.Lines.FirstOrDefault()?.Quantity.Unit;
            var bought = unit is null ? null : TradeQuantity.Total(purchase.Lines.Select(l => l.Quantity), unit);
            var sold = unit is null ? null : TradeQuantity.Total(sale.Lines.Select(l => l.Quantity), unit);
            if (unit is null || bought is null || sold is null)
            {
                if (purchase.Lines.Count > 0 && sale.Lines.Count > 0) findings.Fail(
                    $"the invoices' quantities are in units that do not compare ({Units(purchase)} against {Units(sale)})");
            }
            else
            {
                var difference = TradeQuantity.DifferencePercent(bought.Value, sold.Value);
                if (difference > policy.QuantityTolerancePercent)
                {
                    findings.Fail(
                        $"the sales invoice sells {Number(sold.Value)} {unit}, the purchase invoice buys {Number(bought.Value)} {unit} " +
                        $"({Percent(difference)} apart, tolerance {Percent(policy.QuantityTolerancePercent)})");
                }
                else if (difference > 0) findings.Note(
                    $"the invoices' quantities differ by {Percent(difference)}, within {Percent(policy.QuantityTolerancePercent)}");
            }
        }
        var agree = title is null
            ? "goods, quantity and unit agree across the invoices and the B/L"
            : "goods, quantity and unit agree across the invoices, the B/L and its title on the ledger";
        return TradeCheck.From(TradeCheckNames.GoodsAndQuantity, findings, agree, title?.Evidence);
    }

    /// <summary>Each settlement pays an invoice of the trade, and each invoice is paid by its settlements.</summary>
    /// <param name="trade">The documents.</param>
    /// <returns>The check.</returns>
    public static TradeCheck Settlements(TradeDocumentSet trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var findings = new CheckFindings();
        if (trade.Settlements.Count + trade.SettlementsByHashOnly == 0) findings.Warn(
            "no settlement record given: the capital flow is not verified");
        if (trade.SettlementsByHashOnly > 0) findings.Warn(
            $"{trade.SettlementsByHashOnly} settlement(s) given by hash only: their content was not checked");
        var invoices = trade.Invoices().ToList();
        foreach (var settlement in trade.Settlements.Where(s => !invoices.Any(i => SettlementMatcher.References(s, i.Invoice))))
        {
            findings.Fail(invoices.Count == 0
                ? $"settlement {settlement.Uetr} cannot be matched: no invoice content was given"
                : $"settlement {settlement.Uetr} references {string.Join(", ", settlement.InvoiceReferences)}, no invoice of this trade");
        }
        foreach (var (role, invoice) in invoices)
        {
            var paying = trade.Settlements.Where(s => SettlementMatcher.References(s, invoice)).ToList();
            if (paying.Count == 0)
            {
                if (trade.Settlements.Count > 0) findings.Warn($"{role} {invoice.InvoiceNumber} has no settlement yet");
                continue;
            }
            foreach (var mismatch in SettlementMatcher.Match(invoice, paying)) findings.Fail(mismatch.Reason);
        }
        return TradeCheck.From(
            TradeCheckNames.SettlementsMatch, findings,
            "every settlement pays an invoice of the trade in full, in its currency, from its buyer to its seller");
    }

    /// <summary>The UETRs of the trade's settlements that appear more than once.</summary>
    /// <param name="trade">The documents.</param>
    /// <returns>Each repeated UETR (normalised) with its count.</returns>
    public static IReadOnlyList<(string Uetr, int Count)> RepeatedUetrs(TradeDocumentSet trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        return [.. trade.Settlements.GroupBy(s => s.Uetr.Trim().ToLowerInvariant()).Where(g => g.Count() > 1)
            .Select(g => (g.Key, g.Count()))];
    }

    /// <summary>Loading ≤ B/L date ≤ each settlement's value date.</summary>
    /// <param name="trade">The documents.</param>
    /// <param name="loadedAt">When the port attested loading (from the chain), or null when no attestation was found.</param>
    /// <param name="policy">The date allowance.</param>
    /// <returns>The check.</returns>
    public static TradeCheck DateOrder(TradeDocumentSet trade, DateTimeOffset? loadedAt, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new CheckFindings();
        var loading = loadedAt ?? trade.LoadingAttestation?.LoadedAt;
        var loadingDay = loading is { } l ? DateOnly.FromDateTime(l.UtcDateTime) : (DateOnly?)null;
        var billDay = trade.BillOfLading?.ShippedOnBoardDate;
        if (loadingDay is null) findings.Warn("no loading date: no attestation was found or given");
        if (trade.BillOfLading is null) findings.Warn("the B/L's content was not given, so its date was not compared");
        else if (billDay is null) findings.Warn("the B/L has no shipped-on-board date");
        if (loadingDay is { } ld && billDay is { } bd && bd.AddDays(policy.LoadingDateAllowanceDays) < ld)
        {
            findings.Fail($"the B/L is dated {Day(bd)}, before loading on {Day(ld)}: a B/L cannot precede loading");
        }
        var floor = billDay ?? loadingDay;
        foreach (var settlement in trade.Settlements)
        {
            if (floor is { } f && settlement.ValueDate < f)
            {
                findings.Fail(
                    $"settlement {settlement.Uetr} is valued {Day(settlement.ValueDate)}, before " +
                    $"{(billDay is null ? "loading" : "the B/L date")} {Day(f)}");
            }
        }
        return TradeCheck.From(TradeCheckNames.DateOrder, findings,
            $"loading {(loadingDay is { } a ? Day(a) : "?")} ≤ B/L {(billDay is { } b ? Day(b) : "?")} ≤ settlements " +
                $"{string.Join(", ", trade.Settlements.Select(s => Day(s.ValueDate)))}".TrimEnd(' ', ','));
    }

    /// <summary>The resale margin, (sales − purchase) / purchase, is within the policy's bounds.</summary>
    /// <param name="trade">The documents.</param>
    /// <param name="policy">The bounds.</param>
    /// <returns>The check.</returns>
    public static TradeCheck Margin(TradeDocumentSet trade, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new CheckFindings();
        if (trade.PurchaseInvoice is not { } purchase || trade.SalesInvoice is not { } sale)
        {
            findings.Warn("both invoices' content is needed to compute the margin");
            return TradeCheck.From(TradeCheckNames.ResaleMargin, findings, "");
        }
        if (purchase.Currency != sale.Currency)
        {
            findings.Warn($"the invoices are in {purchase.Currency} and {sale.Currency}; the margin across currencies is not computed");
            return TradeCheck.From(TradeCheckNames.ResaleMargin, findings, "");
        }
        if (purchase.TotalAmountMinor <= 0)
        {
            findings.Fail($"purchase invoice {purchase.InvoiceNumber} has no positive total");
            return TradeCheck.From(TradeCheckNames.ResaleMargin, findings, "");
        }
        var margin = (sale.TotalAmountMinor - purchase.TotalAmountMinor) * 100m / purchase.TotalAmountMinor;
        var bounds = $"bounds {Percent(policy.MinMarginPercent)} to {Percent(policy.MaxMarginPercent)}";
        var amounts =
            $"{SettlementMatcher.Money(sale.TotalAmountMinor, sale.Currency)} against " +
            $"{SettlementMatcher.Money(purchase.TotalAmountMinor, purchase.Currency)}";
        if (margin < policy.MinMarginPercent) findings.Fail($"the resale margin is {Percent(margin)} ({amounts}), below the {bounds}");
        else if (margin > policy.MaxMarginPercent) findings.Fail(
            $"the resale margin is {Percent(margin)} ({amounts}), above the {bounds}: the sales invoice may be inflated");
        return TradeCheck.From(
            TradeCheckNames.ResaleMargin, findings, $"the resale margin is {Percent(margin)} ({amounts}), within the {bounds}");
    }

    private static void CompareWithBill(
        string role, CommercialInvoice invoice, BillOfLading bill, VerificationPolicy policy, CheckFindings findings)
    {
        var unit = invoice.Lines[0].Quantity.Unit;
        if (TradeQuantity.Total(invoice.Lines.Select(l => l.Quantity), unit) is not { } invoiced)
        {
            findings.Fail($"{role} {invoice.InvoiceNumber} mixes units that do not compare ({Units(invoice)})");
            return;
        }
        // The B/L's cargo in the invoice's unit: its item quantities if they compare, else (for a mass) its gross weight.
        var (shipped, what) = TradeQuantity.Total(bill.ConsignmentItems.Select(i => i.Quantity), unit) is { } q
            ? (q, "quantity")
            : TradeQuantity.IsMass(unit) && TradeQuantity.Total(bill.ConsignmentItems.Select(i => i.GrossWeight), unit) is { } w
                ? (w, "gross weight")
                : ((decimal?)null, "");
        if (shipped is null)
        {
            findings.Fail(
                $"{role} {invoice.InvoiceNumber} is in {unit}, which does not compare with the B/L's units " +
                $"({string.Join(", ", bill.ConsignmentItems.Select(i => i.Quantity.Unit).Distinct())})");
            return;
        }
        var difference = TradeQuantity.DifferencePercent(invoiced, shipped.Value);
        if (difference > policy.QuantityTolerancePercent)
        {
            findings.Fail(
                $"{role} {invoice.InvoiceNumber} is for {Number(invoiced)} {unit}, the B/L's {what} is {Number(shipped.Value)} {unit} " +
                $"({Percent(difference)} apart, tolerance {Percent(policy.QuantityTolerancePercent)})");
        }
        else if (difference > 0)
        {
            findings.Note(
                $"{role} {invoice.InvoiceNumber}: {Number(invoiced)} {unit} against the B/L's {what} {Number(shipped.Value)} {unit}, " +
                $"{Percent(difference)} apart");
        }
    }

    private static string? Subheading(string? hsCode) => HsCode.TryNormalize(hsCode, out var normalized) ? normalized[..6] : null;

    private static string Units(CommercialInvoice invoice) => string.Join(", ", invoice.Lines.Select(l => l.Quantity.Unit).Distinct());

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";
}

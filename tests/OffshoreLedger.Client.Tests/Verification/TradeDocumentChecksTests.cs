using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Verification;

namespace OffshoreLedger.Client.Tests.Verification;

/// <summary>The document checks of a trade verification as pure functions: tolerances, conversions and bounds at their edges.</summary>
public sealed class TradeDocumentChecksTests
{
    private static readonly VerificationPolicy Policy = new();

    private static CommercialInvoice Purchase(long amountMinor = 47_500_000_00, decimal tonnes = 50) => TestDocuments.Invoice() with
    {
        Seller = TestDocuments.Smelter,
        Buyer = TestDocuments.Seller,
        InvoiceNumber = "SSS-INV-2026-0007",
        IssueDate = new DateOnly(2026, 2, 27),
        Lines = [new InvoiceLine { Description = "Copper cathodes", HsCode = "740311", Quantity = new Measure(tonnes, "TNE"),
            AmountMinor = amountMinor }],
        TotalAmountMinor = amountMinor,
        Incoterm = "FOB",
    };

    private static SettlementRecord PurchaseSettlement() => new()
    {
        Uetr = "1c0a2f7e-55a4-4b0e-9d3c-2b5e6c1f9a10",
        Debtor = TestDocuments.Seller,
        Creditor = TestDocuments.Smelter,
        AmountMinor = 47_500_000_00,
        Currency = "USD",
        ValueDate = new DateOnly(2026, 3, 10),
        InvoiceReferences = ["SSS-INV-2026-0007"],
    };

    private static TradeDocumentSet Trade() => new()
    {
        PurchaseInvoice = Purchase(),
        SalesInvoice = TestDocuments.Invoice(),
        BillOfLading = TestDocuments.BillOfLading(),
        LoadingAttestation = TestDocuments.Attestation(),
        Settlements = [PurchaseSettlement(), TestDocuments.Settlement()],
    };

    private static DateTimeOffset LoadedAt => TestDocuments.Attestation().LoadedAt;

    [Fact]
    public void A_consistent_trade_passes_every_document_check()
    {
        var trade = Trade();
        TradeCheck[] checks =
        [
            TradeDocumentChecks.GoodsAndQuantity(trade, Policy), TradeDocumentChecks.Settlements(trade),
            TradeDocumentChecks.DateOrder(trade, LoadedAt, Policy), TradeDocumentChecks.Margin(trade, Policy),
        ];
        Assert.All(checks, c => Assert.True(c.Outcome == CheckOutcome.Pass, $"{c.Name}: {c.Reason}"));
        // 50 t invoiced against the B/L's 50,100.5 kg gross weight: compared in tonnes, 0.2% apart, within 2%.
        Assert.Contains("gross weight 50.101 TNE", checks[0].Reason);
        Assert.Contains("2.63%", checks[3].Reason);
        Assert.Empty(TradeDocumentChecks.RepeatedUetrs(trade));
    }

    [Theory]
    [InlineData(49.0, CheckOutcome.Pass)]  // 2.25% under the B/L's 50.1005 t gross weight, 2.04% under the 50 t sold: within 3%
    [InlineData(51.0, CheckOutcome.Pass)]  // 1.8% and 2% over
    [InlineData(52.0, CheckOutcome.Fail)]  // 3.79% over the B/L
    [InlineData(45.0, CheckOutcome.Fail)]
    public void Quantities_compare_across_mass_units_within_the_tolerance(double purchasedTonnes, CheckOutcome expected)
    {
        var trade = Trade() with { PurchaseInvoice = Purchase(tonnes: (decimal)purchasedTonnes) };
        var policy = Policy with { QuantityTolerancePercent = 3 };

        var check = TradeDocumentChecks.GoodsAndQuantity(trade, policy);

        Assert.True(check.Outcome == expected, check.Reason);
    }

    [Fact]
    public void An_invoice_in_a_unit_the_bill_cannot_be_compared_with_fails()
    {
        var sale = TestDocuments.Invoice() with { Lines = [TestDocuments.Invoice().Lines[0] with { Quantity = new Measure(50, "MTQ") }] };

        var check = TradeDocumentChecks.GoodsAndQuantity(Trade() with { SalesInvoice = sale }, Policy);

        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Contains("does not compare with the B/L's units", check.Reason);
    }

    [Fact]
    public void Partial_payments_add_up_to_the_invoice()
    {
        var full = TestDocuments.Settlement();
        var first = full with { Uetr = "2b1f4c3e-8d7a-4e6b-9c5d-0a1b2c3d4e5f", AmountMinor = 40_000_000_00 };
        var second = full with { Uetr = "3c2a5d4f-9e8b-4f7c-8d6e-1b2c3d4e5f60", AmountMinor = full.AmountMinor - first.AmountMinor };

        var paid = TradeDocumentChecks.Settlements(Trade() with { Settlements = [PurchaseSettlement(), first, second] });
        var shortPaid = TradeDocumentChecks.Settlements(Trade() with { Settlements = [PurchaseSettlement(), first] });

        Assert.True(paid.Outcome == CheckOutcome.Pass, paid.Reason);
        Assert.Equal(CheckOutcome.Fail, shortPaid.Outcome);
        Assert.Contains("pay USD 40,000,000.00, the invoice is for USD 48,750,000.00", shortPaid.Reason);
    }

    [Fact]
    public void Settlement_mismatches_name_every_field_at_fault()
    {
        var invoice = TestDocuments.Invoice();
        var wrong = TestDocuments.Settlement() with { Currency = "EUR", Debtor = TestDocuments.Smelter, Creditor = TestDocuments.Buyer };

        var mismatches = SettlementMatcher.Match(invoice, [wrong]);

        Assert.Equal(["currency", "debtor", "creditor"], mismatches.Select(m => m.Field));
        Assert.Empty(SettlementMatcher.Match(invoice, [TestDocuments.Settlement()]));
    }

    [Fact]
    public void A_settlement_for_an_invoice_outside_the_trade_fails_and_an_unpaid_invoice_warns()
    {
        var stray = TestDocuments.Settlement() with { InvoiceReferences = ["OTHER-1"] };

        var check = TradeDocumentChecks.Settlements(Trade() with { Settlements = [PurchaseSettlement(), stray] });
        var unpaid = TradeDocumentChecks.Settlements(Trade() with { Settlements = [PurchaseSettlement()] });

        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Contains("references OTHER-1, no invoice of this trade", check.Reason);
        Assert.Equal(CheckOutcome.Warn, unpaid.Outcome);
        Assert.Contains("has no settlement yet", unpaid.Reason);
    }

    [Fact]
    public void Parties_match_by_lei_then_registration_then_name()
    {
        Assert.True(PartyMatch.Same(TestDocuments.Buyer, TestDocuments.Buyer with { Name = "RHEINKUPFER G.M.B.H." }));
        Assert.False(PartyMatch.Same(TestDocuments.Buyer, TestDocuments.Buyer with { Lei = TestDocuments.SellerLei }));
        Assert.True(PartyMatch.Same(TestDocuments.Smelter, TestDocuments.Smelter with { Name = "Straits Smelting" }));
        Assert.True(PartyMatch.Same(new Party { Name = "Straits Smelting Sdn. Bhd." }, new Party { Name = "straits smelting sdn bhd" }));
    }

    [Theory]
    [InlineData(0, CheckOutcome.Pass)]   // B/L the day of loading
    [InlineData(-1, CheckOutcome.Pass)]  // a day before (local date against UTC): within the allowance
    [InlineData(-2, CheckOutcome.Fail)]
    public void A_bill_of_lading_may_not_precede_loading_beyond_the_allowance(int daysFromLoading, CheckOutcome expected)
    {
        var bill =
            TestDocuments.BillOfLading() with { ShippedOnBoardDate = DateOnly.FromDateTime(LoadedAt.UtcDateTime).AddDays(daysFromLoading) };

        var check = TradeDocumentChecks.DateOrder(Trade() with { BillOfLading = bill }, LoadedAt, Policy);

        Assert.True(check.Outcome == expected, check.Reason);
    }

    [Theory]
    [InlineData(47_500_000_00, CheckOutcome.Pass)]  // 2.63%
    [InlineData(44_318_181_82, CheckOutcome.Pass)]  // 10.0% exactly (rounded down)
    [InlineData(44_000_000_00, CheckOutcome.Fail)]  // 10.8%: inflated
    [InlineData(49_000_000_00, CheckOutcome.Fail)]  // a loss
    public void The_margin_is_held_to_its_bounds(long purchaseMinor, CheckOutcome expected)
    {
        var check = TradeDocumentChecks.Margin(Trade() with { PurchaseInvoice = Purchase(purchaseMinor) }, Policy);

        Assert.True(check.Outcome == expected, check.Reason);
    }

    [Fact]
    public void A_margin_across_currencies_is_not_computed()
    {
        var check = TradeDocumentChecks.Margin(Trade() with { PurchaseInvoice = Purchase() with { Currency = "EUR" } }, Policy);

        Assert.Equal(CheckOutcome.Warn, check.Outcome);
        Assert.Contains("EUR and USD", check.Reason);
    }

    [Fact]
    public void A_repeated_uetr_is_found_whatever_its_case()
    {
        var again = TestDocuments.Settlement() with { Uetr = TestDocuments.Settlement().Uetr.ToUpperInvariant() };

        var repeated = TradeDocumentChecks.RepeatedUetrs(Trade() with { Settlements = [TestDocuments.Settlement(), again] });

        Assert.Equal((TestDocuments.Settlement().Uetr, 2), Assert.Single(repeated));
    }
}

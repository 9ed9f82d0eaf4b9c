using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Validation;

public class DocumentValidatorTests
{
    private static readonly DocumentValidator Validator = new(new FixedClock(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Sample_documents_of_the_trade_are_valid()
    {
        Assert.Empty(Validator.Validate(TestDocuments.BillOfLading()).Violations);
        Assert.Empty(Validator.Validate(TestDocuments.Invoice()).Violations);
        Assert.Empty(Validator.Validate(TestDocuments.Settlement()).Violations);
        Assert.Empty(Validator.Validate(TestDocuments.Attestation()).Violations);
    }

    [Fact]
    public void Every_violation_of_a_bill_of_lading_is_reported_with_its_field_path()
    {
        var billOfLading = TestDocuments.BillOfLading() with
        {
            CarrierCode = "M",
            VesselImoNumber = "9321484",
            PortOfLoading = "SGSI",
            Containers =
            [
                new ShippingContainer { ContainerNumber = "MSKU1234565" },
                new ShippingContainer { ContainerNumber = "CSQU3054384" },
            ],
            ConsignmentItems =
            [
                TestDocuments.BillOfLading().ConsignmentItems[0] with { HsCode = "7403", GrossWeight = new Measure(-1, "BAG") },
            ],
        };

        var result = Validator.Validate(billOfLading);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                ("carrierCode", ViolationCode.Malformed),
                ("vesselImoNumber", ViolationCode.CheckDigitMismatch),
                ("portOfLoading", ViolationCode.Malformed),
                ("containers[1].containerNumber", ViolationCode.CheckDigitMismatch),
                ("consignmentItems[0].hsCode", ViolationCode.Malformed),
                ("consignmentItems[0].grossWeight.value", ViolationCode.OutOfRange),
                ("consignmentItems[0].grossWeight.unit", ViolationCode.UnknownCode),
            ],
            result.Violations.Select(v => (v.Field, v.Code)));
        Assert.All(result.Violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Reason)));
    }

    [Fact]
    public void Straight_bill_of_lading_without_consignee_is_rejected()
    {
        var result = Validator.Validate(TestDocuments.BillOfLading() with { IsToOrder = false, Consignee = null });

        var violation = Assert.Single(result.Violations);
        Assert.Equal(("consignee", ViolationCode.Required), (violation.Field, violation.Code));
    }

    [Fact]
    public void Same_container_twice_on_one_bill_of_lading_is_inconsistent()
    {
        var result = Validator.Validate(TestDocuments.BillOfLading() with
        {
            Containers =
            [
                new ShippingContainer { ContainerNumber = "CSQU3054383" },
                new ShippingContainer { ContainerNumber = "csqu 305438 3" },
            ],
        });

        var violation = Assert.Single(result.Violations);
        Assert.Equal("containers[1].containerNumber", violation.Field);
        Assert.Equal(ViolationCode.Inconsistent, violation.Code);
    }

    [Fact]
    public void Received_for_shipment_bill_of_lading_is_not_financeable()
    {
        var result = Validator.Validate(TestDocuments.BillOfLading() with { ShippedOnBoardDate = null });

        Assert.Equal("shippedOnBoardDate", Assert.Single(result.Violations).Field);
    }

    [Theory]
    [InlineData(2026, 3, 12, false)] // two days after the validator's today
    [InlineData(2026, 3, 11, true)] // tomorrow in UTC is today somewhere east
    [InlineData(1999, 12, 31, false)]
    [InlineData(2206, 3, 1, false)] // a typing error for 2026
    public void Shipped_on_board_date_must_be_plausible(int year, int month, int day, bool valid)
    {
        var result = Validator.Validate(TestDocuments.BillOfLading() with { ShippedOnBoardDate = new DateOnly(year, month, day) });

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(ViolationCode.ImplausibleDate, Assert.Single(result.Violations).Code);
        }
    }

    [Fact]
    public void Invoice_with_negative_amount_unknown_currency_and_no_seller_identifier_is_rejected_on_each()
    {
        var invoice = TestDocuments.Invoice() with
        {
            Seller = TestDocuments.Seller with { Lei = null },
            TotalAmountMinor = -1,
            Currency = "USX",
            Incoterm = "FOB Singapore",
            Lines = [TestDocuments.Invoice().Lines[0] with { AmountMinor = -5 }],
        };

        var result = Validator.Validate(invoice);

        Assert.Equal(
            ["seller.lei", "totalAmountMinor", "currency", "incoterm", "lines[0].amountMinor"],
            result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_null_in_a_list_is_a_violation_not_a_crash()
    {
        // JSON like "lines": [null] deserialises to a null element; the validator must name it, never dereference it.
        var invoice = TestDocuments.Invoice() with { Lines = [null!] };
        var bill = TestDocuments.BillOfLading() with { Containers = [null!], ConsignmentItems = [null!] };

        Assert.Equal(["lines[0]"], Validator.Validate(invoice).Violations.Select(v => v.Field));
        Assert.Equal(["containers[0]", "consignmentItems[0]"], Validator.Validate(bill).Violations.Select(v => v.Field));
    }

    [Fact]
    public void Invoice_party_with_bad_lei_check_digits_is_rejected()
    {
        var result = Validator.Validate(TestDocuments.Invoice() with { Buyer = TestDocuments.Buyer with { Lei = "894500RHEINCU0RP0205" } });

        var violation = Assert.Single(result.Violations);
        Assert.Equal(("buyer.lei", ViolationCode.CheckDigitMismatch), (violation.Field, violation.Code));
    }

    [Fact]
    public void Amount_beyond_exact_double_range_is_rejected_because_it_cannot_be_hashed_exactly()
    {
        var result = Validator.Validate(TestDocuments.Invoice() with { TotalAmountMinor = DocumentValidator.MaxAmountMinor + 1 });

        Assert.Equal(("totalAmountMinor", ViolationCode.OutOfRange), (Assert.Single(result.Violations).Field, result.Violations[0].Code));
    }

    [Fact]
    public void Settlement_with_version_1_uetr_and_no_invoice_reference_is_rejected_on_both()
    {
        var settlement = TestDocuments.Settlement() with
        {
            Uetr = "e4eaaaf2-d142-11e1-b3e4-080027620cdd",
            InvoiceReferences = [],
        };

        var result = Validator.Validate(settlement);

        Assert.Equal(["uetr", "invoiceReferences"], result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Settlement_value_date_may_lie_months_ahead_but_not_years()
    {
        Assert.True(Validator.Validate(TestDocuments.Settlement() with { ValueDate = new DateOnly(2026, 9, 1) }).IsValid);
        Assert.False(Validator.Validate(TestDocuments.Settlement() with { ValueDate = new DateOnly(2028, 9, 1) }).IsValid);
    }

    [Fact]
    public void Attestation_violations_name_the_lot_fields()
    {
        var attestation = TestDocuments.Attestation() with
        {
            Lot = TestDocuments.Attestation().Lot with { VesselImoNumber = "1234568", PortOfLoading = "" },
            LoadedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
        };

        var result = Validator.Validate(attestation);

        Assert.Equal(
            [("lot.vesselImoNumber", ViolationCode.CheckDigitMismatch), ("lot.portOfLoading", ViolationCode.Required),
                ("loadedAt", ViolationCode.ImplausibleDate)],
            result.Violations.Select(v => (v.Field, v.Code)));
    }

    [Fact]
    public void Invalid_result_throws_an_exception_carrying_every_violation()
    {
        var result = Validator.Validate(TestDocuments.Settlement() with { Uetr = "", Currency = "" });

        var exception = Assert.Throws<InvalidTradeDocumentException>(result.ThrowIfInvalid);
        Assert.Equal(2, exception.Violations.Count);
        Assert.Contains("uetr", exception.Message);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

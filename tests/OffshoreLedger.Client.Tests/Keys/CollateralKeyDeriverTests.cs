using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Keys;

public class CollateralKeyDeriverTests
{
    private static readonly CollateralKeyDeriver Deriver = new(
        ConsortiumSecret.FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    [Fact]
    public void Bill_of_lading_has_a_key_for_itself_each_container_and_its_lot()
    {
        var keys = Deriver.KeysFor(TestDocuments.BillOfLading());

        Assert.Equal(
            [CollateralKeyKind.BillOfLading, CollateralKeyKind.Container, CollateralKeyKind.Container, CollateralKeyKind.ShipmentLot],
            keys.Select(k => k.Kind));
        Assert.All(keys, k => Assert.Equal(32, k.Value.Length));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Invoice_has_a_key_by_number_and_a_key_by_particulars() =>
        Assert.Equal(
            [CollateralKeyKind.Invoice, CollateralKeyKind.InvoiceParticulars],
            Deriver.KeysFor(TestDocuments.Invoice()).Select(k => k.Kind));

    [Fact]
    public void Same_document_gives_the_same_keys_to_every_deriver_with_the_same_secret()
    {
        var bank = new CollateralKeyDeriver(ConsortiumSecret.FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

        Assert.Equal(Deriver.KeysFor(TestDocuments.BillOfLading()), bank.KeysFor(TestDocuments.BillOfLading()));
    }

    [Fact]
    public void Another_secret_gives_unrelated_keys_so_guesses_cannot_be_tested_without_it()
    {
        var outsider = new CollateralKeyDeriver(
            ConsortiumSecret.FromHex("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"));

        var ours = Deriver.KeysFor(TestDocuments.BillOfLading());
        var theirs = outsider.KeysFor(TestDocuments.BillOfLading());

        Assert.Empty(ours.Intersect(theirs));
    }

    [Theory]
    [InlineData("MAEU 250123456")]
    [InlineData("maeu-250-123-456")]
    [InlineData("MAEU/250.123.456")]
    [InlineData("ＭＡＥＵ２５０１２３４５６")]
    public void Re_typed_bill_of_lading_number_collides_on_the_bill_of_lading_key(string retyped)
    {
        var copy = TestDocuments.BillOfLading() with { TransportDocumentReference = retyped, CarrierCode = "maeu " };

        Assert.Contains(Key(CollateralKeyKind.BillOfLading, TestDocuments.BillOfLading()), Deriver.KeysFor(copy));
    }

    [Fact]
    public void Same_containers_under_a_new_bill_of_lading_number_collide_on_every_container_key()
    {
        var forged = TestDocuments.BillOfLading() with
        {
            TransportDocumentReference = "MAEU259999999",
            CarrierCode = "SNKO",
            Shipper = TestDocuments.Smelter,
            ConsignmentItems = [TestDocuments.BillOfLading().ConsignmentItems[0] with { GrossWeight = new Measure(75_000, "KGM") }],
            Containers =
                [.. TestDocuments.BillOfLading()
                .Containers.Select(c => c with { ContainerNumber = c.ContainerNumber.ToLowerInvariant().Insert(4, " ") })],
        };

        var originalContainers = Deriver.KeysFor(TestDocuments.BillOfLading()).Where(k => k.Kind == CollateralKeyKind.Container);
        var forgedKeys = Deriver.KeysFor(forged);

        Assert.DoesNotContain(Key(CollateralKeyKind.BillOfLading, TestDocuments.BillOfLading()), forgedKeys);
        Assert.All(originalContainers, key => Assert.Contains(key, forgedKeys));
    }

    [Fact]
    public void Second_bill_of_lading_for_the_same_cargo_in_other_containers_collides_on_the_lot_key()
    {
        // Agritrade's pattern: another B/L for the same shipment; only the lot gives it away.
        var second = TestDocuments.BillOfLading() with
        {
            TransportDocumentReference = "MAEU250777777",
            Containers = [new ShippingContainer { ContainerNumber = "TGHU7654320" }],
            ConsignmentItems = [TestDocuments.BillOfLading().ConsignmentItems[0] with { HsCode = "7403.11.90" }],
        };

        var shared = Deriver.KeysFor(TestDocuments.BillOfLading()).Intersect(Deriver.KeysFor(second)).ToList();

        Assert.Equal(CollateralKeyKind.ShipmentLot, Assert.Single(shared).Kind);
    }

    [Fact]
    public void Port_attestation_and_bill_of_lading_of_the_same_lot_share_the_lot_key() =>
        Assert.Contains(Deriver.KeyFor(TestDocuments.Attestation()), Deriver.KeysFor(TestDocuments.BillOfLading()));

    [Fact]
    public void Re_numbered_invoice_with_the_same_parties_and_amount_collides_on_the_particulars_key()
    {
        var renumbered = TestDocuments.Invoice() with
        {
            InvoiceNumber = "LCC-INV-2026-0043",
            Lines = [TestDocuments.Invoice().Lines[0] with { Description = "Cu cathodes" }],
            Incoterm = "CFR",
        };

        var shared = Deriver.KeysFor(TestDocuments.Invoice()).Intersect(Deriver.KeysFor(renumbered)).ToList();

        Assert.Equal(CollateralKeyKind.InvoiceParticulars, Assert.Single(shared).Kind);
    }

    [Fact]
    public void Re_typed_invoice_number_with_a_new_amount_collides_on_the_invoice_key()
    {
        var inflated = TestDocuments.Invoice() with
        {
            InvoiceNumber = "lcc inv 2026 0042",
            TotalAmountMinor = TestDocuments.Invoice().TotalAmountMinor * 2,
            Seller = TestDocuments.Seller with { Name = "LION CITY COPPER TRADING PRIVATE LIMITED", Lei = "984500 LC0P PERM ET01 24" },
        };

        var shared = Deriver.KeysFor(TestDocuments.Invoice()).Intersect(Deriver.KeysFor(inflated)).ToList();

        Assert.Equal(CollateralKeyKind.Invoice, Assert.Single(shared).Kind);
    }

    [Fact]
    public void Settlement_key_ignores_the_case_of_the_uetr()
    {
        var upper = TestDocuments.Settlement() with { Uetr = TestDocuments.Settlement().Uetr.ToUpperInvariant() };

        Assert.Equal(Deriver.KeyFor(TestDocuments.Settlement()), Deriver.KeyFor(upper));
        Assert.Equal(Deriver.KeyFor(TestDocuments.Settlement()), Deriver.SettlementKey(" EB6305C9-1F7F-49DE-AED0-16487C27B42D "));
    }

    [Fact]
    public void Unrelated_documents_share_no_key()
    {
        var otherBillOfLading = new BillOfLading
        {
            TransportDocumentReference = "HLCUSIN260312345",
            CarrierCode = "HLCU",
            Shipper = TestDocuments.Smelter,
            Consignee = TestDocuments.Buyer,
            VesselImoNumber = "9811000",
            VesselName = "Ever Given",
            VoyageNumber = "1021E",
            PortOfLoading = "MYPKG",
            PortOfDischarge = "DEHAM",
            ShippedOnBoardDate = new DateOnly(2026, 2, 20),
            Containers = [new ShippingContainer { ContainerNumber = "BICU1234565" }],
            ConsignmentItems =
            [
                new ConsignmentItem { GoodsDescription = "Palm oil", HsCode = "151110", Quantity = new Measure(1, "BX"),
                    GrossWeight = new Measure(20_000, "KGM") },
            ],
        };
        var otherInvoice = TestDocuments.Invoice() with
        {
            Seller = TestDocuments.Smelter,
            Buyer = TestDocuments.Seller,
            InvoiceNumber = "SSB/2026/118",
            TotalAmountMinor = 1_250_000_00,
        };

        var ours = Deriver.KeysFor(TestDocuments.BillOfLading()).Concat(Deriver.KeysFor(TestDocuments.Invoice()))
            .Append(Deriver.KeyFor(TestDocuments.Settlement()));
        var theirs = Deriver.KeysFor(otherBillOfLading).Concat(Deriver.KeysFor(otherInvoice))
            .Append(Deriver.SettlementKey("97ed4827-7b6f-4491-a06f-b548d5a7512d"));

        Assert.Empty(ours.Select(k => k.ToHex()).Intersect(theirs.Select(k => k.ToHex())));
    }

    [Fact]
    public void Same_container_on_another_voyage_is_another_key() =>
        Assert.NotEqual(
            Deriver.ContainerKey("CSQU3054383", "9321483", "2103S"),
            Deriver.ContainerKey("CSQU3054383", "9321483", "2107S"));

    [Fact]
    public void Lot_keys_match_on_the_hs_subheading_not_the_national_digits() =>
        Assert.Equal(
            Deriver.LotKey(TestDocuments.Attestation().Lot with { HsCode = "7403110010" }),
            Deriver.LotKey(TestDocuments.Attestation().Lot with { HsCode = "740311" }));

    [Fact]
    public void Party_identity_prefers_the_lei_and_never_uses_the_name()
    {
        Assert.Equal("LEI:" + TestDocuments.SellerLei, CollateralKeyFields.PartyIdentity(TestDocuments.Seller));
        Assert.Equal("REG:MY:199801012345", CollateralKeyFields.PartyIdentity(TestDocuments.Smelter with { Name = "anything" }));
    }

    [Fact]
    public void Keys_are_refused_for_invalid_identifiers_naming_every_bad_field()
    {
        var broken = TestDocuments.BillOfLading() with
        {
            VesselImoNumber = "9321484",
            Containers = [new ShippingContainer { ContainerNumber = "MSKU1234565" },
                new ShippingContainer { ContainerNumber = "CSQU3054384" }],
        };

        var exception = Assert.Throws<InvalidTradeDocumentException>(() => Deriver.KeysFor(broken));

        Assert.Equal(["vesselImoNumber", "containers[1].containerNumber"], exception.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Invoice_keys_need_an_identified_seller()
    {
        var anonymous = TestDocuments.Invoice() with { Seller = new Party { Name = "Lion City Copper" } };

        var exception = Assert.Throws<InvalidTradeDocumentException>(() => Deriver.KeysFor(anonymous));

        Assert.Equal("seller.lei", Assert.Single(exception.Violations).Field);
    }

    [Fact]
    public void Keys_of_any_document_dispatch_on_its_type() =>
        Assert.Equal([Deriver.KeyFor(TestDocuments.Attestation())], Deriver.KeysFor((ITradeDocument)TestDocuments.Attestation()));

    [Fact]
    public void Key_prints_its_kind_and_hex()
    {
        var key = Deriver.KeyFor(TestDocuments.Settlement());

        Assert.Matches("^Settlement:0x[0-9a-f]{64}$", key.ToString());
        Assert.Equal(key, new CollateralKey(CollateralKeyKind.Settlement, key.Value));
        Assert.NotEqual(key, new CollateralKey(CollateralKeyKind.Invoice, key.Value));
    }

    private static CollateralKey Key(CollateralKeyKind kind, BillOfLading billOfLading) =>
        Deriver.KeysFor(billOfLading).Single(k => k.Kind == kind);
}

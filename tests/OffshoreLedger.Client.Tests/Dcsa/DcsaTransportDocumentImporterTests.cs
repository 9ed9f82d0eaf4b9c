using System.Text.Json;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Dcsa;

public class DcsaTransportDocumentImporterTests
{
    private static readonly DocumentValidator Validator = new(new FixedClock());

    [Fact]
    public void Issued_ebl_maps_every_financing_field()
    {
        var billOfLading = Import("ebl-3.0-copper-cathodes.json");

        Assert.Equal("MAEU250123456", billOfLading.TransportDocumentReference);
        Assert.Equal(("MAEU", "NMFTA"), (billOfLading.CarrierCode, billOfLading.CarrierCodeListProvider));
        Assert.Equal("Lion City Copper Trading Pte. Ltd.", billOfLading.Shipper.Name);
        Assert.Equal(TestDocuments.SellerLei, billOfLading.Shipper.Lei);
        Assert.True(billOfLading.IsToOrder);
        Assert.Null(billOfLading.Consignee);
        Assert.Equal(TestDocuments.BuyerLei, billOfLading.NotifyParty?.Lei);
        Assert.Equal(
            ("9321483", "King of the Seas", "2103S"), (billOfLading.VesselImoNumber, billOfLading.VesselName, billOfLading.VoyageNumber));
        Assert.Equal(("SGSIN", "NLRTM"), (billOfLading.PortOfLoading, billOfLading.PortOfDischarge));
        Assert.Equal(new DateOnly(2026, 3, 1), billOfLading.ShippedOnBoardDate);
        Assert.Equal(["MSKU1234565", "CSQU3054383"], billOfLading.Containers.Select(c => c.ContainerNumber));
        Assert.Equal(["ML-SG1234568", "SGC-009911"], billOfLading.Containers[1].SealNumbers);
        var goods = Assert.Single(billOfLading.ConsignmentItems);
        Assert.Equal("740311", goods.HsCode);
        Assert.Equal(new Measure(20, "BE"), goods.Quantity);
        Assert.Equal(new Measure(50_100.50m, "KGM"), goods.GrossWeight);
        Assert.Empty(Validator.Validate(billOfLading).Violations);
    }

    [Fact]
    public void Imported_ebl_gives_the_same_keys_as_the_same_bill_of_lading_typed_by_hand()
    {
        var deriver = new CollateralKeyDeriver(
            ConsortiumSecret.FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

        Assert.Equal(deriver.KeysFor(TestDocuments.BillOfLading()), deriver.KeysFor(Import("ebl-3.0-copper-cathodes.json")));
    }

    [Fact]
    public void Sea_waybill_without_optional_parts_imports_and_validation_names_what_financing_lacks()
    {
        var billOfLading = Import("ebl-3.0-sea-waybill-minimal.json");

        var result = Validator.Validate(billOfLading);

        Assert.Equal("Straits Smelting Sdn. Bhd.", billOfLading.Shipper.Name);
        Assert.Equal("800110", billOfLading.ConsignmentItems[0].HsCode);
        Assert.Equal(
            ["consignee", "vesselImoNumber", "shippedOnBoardDate", "containers", "consignmentItems[0].quantity.unit",
                "consignmentItems[0].grossWeight.unit"],
            result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Vessel_imo_from_the_booking_completes_an_ebl_that_lacks_it()
    {
        var billOfLading = Import("ebl-3.0-sea-waybill-minimal.json") with { VesselImoNumber = "9811000" };

        Assert.DoesNotContain(Validator.Validate(billOfLading).Violations, v => v.Field == "vesselImoNumber");
    }

    [Fact]
    public void Empty_object_imports_as_an_empty_bill_of_lading()
    {
        var billOfLading = DcsaTransportDocumentImporter.Import("{}");

        Assert.Equal(string.Empty, billOfLading.TransportDocumentReference);
        Assert.Empty(billOfLading.Containers);
        Assert.Contains(Validator.Validate(billOfLading).Violations, v => v.Field == "transportDocumentReference");
    }

    [Fact]
    public void Package_counts_or_weights_adding_up_beyond_a_decimal_are_a_json_error_not_an_overflow()
    {
        const string huge = "79228162514264337593543950335";
        var items = $$"""
            { "outerPackaging": { "numberOfPackages": {{huge}}, "packageCode": "BE" },
              "cargoGrossWeight": { "value": {{huge}}, "unit": "KGM" } }
            """;
        var json = $$"""{ "consignmentItems": [ { "cargoItems": [ {{items}}, {{items}} ] } ] }""";

        Assert.Throws<JsonException>(() => DcsaTransportDocumentImporter.Import(json));
    }

    [Fact]
    public void Array_is_not_a_transport_document() =>
        Assert.Throws<JsonException>(() => DcsaTransportDocumentImporter.Import("[]"));

    [Fact]
    public void Imported_ebl_hashes_as_its_typed_form_does()
    {
        var imported = Import("ebl-3.0-copper-cathodes.json");

        Assert.Equal(DocumentHasher.Hash(imported), DocumentHasher.Hash(JsonSerializer.Serialize(imported, DocumentJson.Options)));
    }

    private static BillOfLading Import(string file)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TestData", "dcsa", file));
        return DcsaTransportDocumentImporter.Import(stream);
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    }
}

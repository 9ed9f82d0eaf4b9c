using System.Text.Json;
using CsCheck;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Tests.Canonical;

public class CanonicalPropertyTests
{
    private static readonly Gen<JsonTree> Trees = JsonTree.Gen(3);

    [Fact]
    public void Formatting_never_changes_the_hash() =>
        Gen.Select(Trees, Gen.Int, Gen.Int).Sample((tree, seedA, seedB) =>
            Assert.Equal(DocumentHasher.Hash(tree.Render(seedA)), DocumentHasher.Hash(tree.Render(seedB))),
            iter: 2000);

    [Fact]
    public void Canonical_form_is_a_fixed_point() =>
        Gen.Select(Trees, Gen.Int).Sample((tree, seed) =>
        {
            var canonical = JsonCanonicalizer.CanonicalizeToString(tree.Render(seed));
            Assert.Equal(canonical, JsonCanonicalizer.CanonicalizeToString(canonical));
        }, iter: 1000);

    [Fact]
    public void Changing_any_value_always_changes_the_hash() =>
        Gen.Select(Trees, Gen.Int, Gen.Int).Where((tree, _, _) => tree.LeafCount > 0).Sample((tree, leafSeed, seed) =>
        {
            var changed = tree.MutateLeaf((int)((uint)leafSeed % (uint)tree.LeafCount));
            Assert.NotEqual(DocumentHasher.Hash(tree.Render(seed)), DocumentHasher.Hash(changed.Render(seed)));
        }, iter: 2000);

    [Fact]
    public void Reformatted_bill_of_lading_json_hashes_as_the_typed_document() =>
        Gen.Int.Sample(seed =>
        {
            var billOfLading = TestDocuments.BillOfLading();
            using var json = JsonDocument.Parse(DocumentJson.Serialize(billOfLading));
            var reformatted = JsonTree.From(json.RootElement).Render(seed);

            Assert.Equal(DocumentHasher.Hash(billOfLading), DocumentHasher.Hash(reformatted));
        }, iter: 300);

    private static readonly (string Field, Func<BillOfLading, string, BillOfLading> Change)[] BillOfLadingChanges =
    [
        ("transportDocumentReference", (b, s) => b with { TransportDocumentReference = b.TransportDocumentReference + s }),
        ("carrierCode", (b, s) => b with { CarrierCode = s }),
        ("shipper.name", (b, s) => b with { Shipper = b.Shipper with { Name = b.Shipper.Name + s } }),
        ("notifyParty", (b, _) => b with { NotifyParty = null }),
        ("isToOrder", (b, _) => b with { IsToOrder = !b.IsToOrder }),
        ("vesselName", (b, s) => b with { VesselName = b.VesselName + s }),
        ("voyageNumber", (b, s) => b with { VoyageNumber = b.VoyageNumber + s }),
        ("portOfDischarge", (b, s) => b with { PortOfDischarge = s }),
        ("shippedOnBoardDate", (b, s) => b with { ShippedOnBoardDate = b.ShippedOnBoardDate!.Value.AddDays(s.Length) }),
        ("containers[0].sealNumbers", (b, s) => b with { Containers = [b.Containers[0] with { SealNumbers = [s] }, b.Containers[1]] }),
        ("containers", (b, _) => b with { Containers = [b.Containers[1], b.Containers[0]] }),
        ("consignmentItems[0].goodsDescription",
            (b, s) => b with { ConsignmentItems = [b.ConsignmentItems[0] with { GoodsDescription = s }] }),
        ("consignmentItems[0].grossWeight.value",
            (b, s) => b with
            {
                ConsignmentItems =
                    [b.ConsignmentItems[0] with { GrossWeight = new Measure(b.ConsignmentItems[0].GrossWeight.Value + s.Length, "KGM") }],
            }),
        ("consignmentItems[0].quantity.value",
            (b, s) => b with
            {
                ConsignmentItems =
                [
                    b.ConsignmentItems[0] with { Quantity = new Measure(b.ConsignmentItems[0].Quantity.Value + (s.Length / 1000m), "BE") },
                ],
            }),
    ];

    [Fact]
    public void Changing_any_field_of_a_bill_of_lading_changes_its_hash()
    {
        var original = DocumentHasher.Hash(TestDocuments.BillOfLading());
        Gen.Select(Gen.Int[0, BillOfLadingChanges.Length - 1], Gen.String.AlphaNumeric.Where(s => s.Length > 0))
            .Sample((index, text) =>
            {
                var changed = BillOfLadingChanges[index].Change(TestDocuments.BillOfLading(), text);
                Assert.True(
                    original != DocumentHasher.Hash(changed) && !original.Equals(DocumentHasher.Hash(changed)),
                    BillOfLadingChanges[index].Field);
            }, iter: 1000);
    }

    [Fact]
    public void Same_instant_written_in_another_offset_hashes_the_same()
    {
        var attestation = TestDocuments.Attestation();
        var inUtc = attestation with { LoadedAt = attestation.LoadedAt.ToUniversalTime() };

        Assert.Equal(DocumentHasher.Hash(attestation), DocumentHasher.Hash(inUtc));
        Assert.NotEqual(DocumentHasher.Hash(attestation), DocumentHasher.Hash(inUtc with { LoadedAt = inUtc.LoadedAt.AddSeconds(1) }));
    }

    [Fact]
    public void Documents_of_different_kinds_never_share_a_canonical_form()
    {
        var json = JsonCanonicalizer.CanonicalizeToString(
            System.Text.Encoding.UTF8.GetString(DocumentJson.Serialize(TestDocuments.Settlement())));

        Assert.StartsWith("{\"amountMinor\":4875000000,\"creditor\":", json);
        Assert.Contains("\"documentType\":\"settlementRecord\"", json);
    }
}

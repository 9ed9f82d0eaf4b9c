using System.Text;
using CsCheck;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Keys;

public class KeyPropertyTests
{
    private static readonly CollateralKeyDeriver Deriver = new(
        ConsortiumSecret.FromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    [Fact]
    public void Re_typing_identifiers_with_any_spacing_punctuation_or_case_never_changes_the_keys()
    {
        var original = Deriver.KeysFor(TestDocuments.BillOfLading());
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var billOfLading = TestDocuments.BillOfLading();
            var retyped = billOfLading with
            {
                TransportDocumentReference = Retype(billOfLading.TransportDocumentReference, random),
                CarrierCode = Retype(billOfLading.CarrierCode, random),
                VesselImoNumber = (random.Next(2) == 0 ? "IMO " : string.Empty) + Retype(billOfLading.VesselImoNumber, random),
                VoyageNumber = Retype(billOfLading.VoyageNumber, random),
                PortOfLoading = Retype(billOfLading.PortOfLoading, random),
                Containers = [.. billOfLading.Containers.Select(c => c with { ContainerNumber = Retype(c.ContainerNumber, random) })],
                ConsignmentItems = [.. billOfLading.ConsignmentItems.Select(i => i with { HsCode = Retype(i.HsCode, random) })],
            };

            Assert.Equal(original, Deriver.KeysFor(retyped));
        }, iter: 500);
    }

    [Fact]
    public void Bill_of_lading_numbers_that_differ_after_normalisation_never_share_a_key() =>
        Gen.Select(Gen.String.AlphaNumeric, Gen.String.AlphaNumeric)
            .Where((a, b) => IdentifierNormalizer.Normalize(a).Length > 0
                && IdentifierNormalizer.Normalize(a) != IdentifierNormalizer.Normalize(b) && IdentifierNormalizer.Normalize(b).Length > 0)
            .Sample((a, b) => Assert.NotEqual(Deriver.BillOfLadingKey("MAEU", a), Deriver.BillOfLadingKey("MAEU", b)), iter: 500);

    [Fact]
    public void Invoice_amounts_that_differ_by_one_minor_unit_never_share_a_particulars_key() =>
        Gen.Long[0, DocumentValidator.MaxAmountMinor - 1].Sample(amount =>
        {
            var invoice = TestDocuments.Invoice() with { TotalAmountMinor = amount };
            var next = invoice with { TotalAmountMinor = amount + 1 };

            Assert.NotEqual(Deriver.KeysFor(invoice)[1], Deriver.KeysFor(next)[1]);
        }, iter: 300);

    private static string Retype(string value, Random random)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            if (random.Next(3) == 0)
            {
                builder.Append(" -./"[random.Next(4)]);
            }

            builder.Append(random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}

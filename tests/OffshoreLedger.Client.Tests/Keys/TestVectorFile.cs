using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Tests.Keys;

/// <summary>Builds client-sdk/test-vectors/keys-v1.json from the sample trade.</summary>
internal static class TestVectorFile
{
    /// <summary>A fixed, public value: anyone may use it to test an implementation, no consortium may use it.</summary>
    public const string TestSecretHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    public const string RegenerateVariable = "OFFSHORELEDGER_REGENERATE_TEST_VECTORS";

    public static string PathInRepository => Path.Combine(RepositoryRoot(), "client-sdk", "test-vectors", "keys-v1.json");

    public static IReadOnlyList<(string Name, string Note, ITradeDocument Document)> Documents() =>
    [
        ("bill-of-lading", "The sample copper B/L: one B/L key, two container keys, one lot key.", TestDocuments.BillOfLading()),
        ("bill-of-lading-retyped-copy", "The same B/L re-typed (spaces, dashes, lower case, IMO prefix): a new hash, the same keys.",
            TestDocuments.BillOfLading() with
            {
                TransportDocumentReference = "maeu-250 123 456",
                CarrierCode = "maeu",
                VesselImoNumber = "IMO 9321483",
                VoyageNumber = "2103 s",
                PortOfLoading = "SG SIN",
                Containers =
                    [.. TestDocuments.BillOfLading()
                    .Containers.Select(
                        c => c with { ContainerNumber = c.ContainerNumber.ToLowerInvariant().Insert(4, " ").Insert(11, "-") })],
            }),
        ("commercial-invoice", "The sample invoice: a key by seller and number, a key by particulars.", TestDocuments.Invoice()),
        ("commercial-invoice-renumbered", "The invoice re-numbered: only the particulars key is shared with the original.",
            TestDocuments.Invoice() with { InvoiceNumber = "LCC-INV-2026-0043" }),
        ("settlement-record", "The settlement: keyed on its UETR.", TestDocuments.Settlement()),
        ("loading-attestation", "The port's attestation: its lot key equals the B/L's lot key.", TestDocuments.Attestation()),
    ];

    public static string Build()
    {
        var deriver = new CollateralKeyDeriver(ConsortiumSecret.FromHex(TestSecretHex));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(
            buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", "OffshoreLedger document hashes and collateral keys, version 1");
            writer.WriteString(
                "generatedBy", "tests/OffshoreLedger.Client.Tests (Keys/TestVectorFile.cs); regenerate with " + RegenerateVariable + "=1");
            writer.WriteStartObject("secret");
            writer.WriteString("hex", TestSecretHex);
            writer.WriteString(
                "label", "PUBLIC TEST SECRET: published so implementations can check themselves; never use it in a consortium");
            writer.WriteEndObject();
            writer.WriteStartObject("algorithms");
            writer.WriteString("documentHash", "SHA-256 over the RFC 8785 (JCS) canonical UTF-8 bytes of the document JSON");
            writer.WriteString("key", "HMAC-SHA256(secret, message)");
            writer.WriteString(
                "message", "for each of [domain, tag, field1, field2, ...]: 4-byte big-endian length of its UTF-8 bytes, then the bytes");
            writer.WriteString("domain", KeyMessage.Domain);
            writer.WriteString(
                "fieldNormalisation",
                "NFKC, decimal digits to ASCII, upper case, only letters and digits kept; identifiers validated (ISO 6346, IMO, LEI, " +
                "UN/LOCODE, ISO 4217, UETR v4, HS)");
            writer.WriteEndObject();
            writer.WriteStartArray("vectors");
            foreach (var (name, note, document) in Documents())
            {
                var canonical = DocumentHasher.CanonicalBytes(document);
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("note", note);
                writer.WritePropertyName("document");
                using (var parsed = JsonDocument.Parse(DocumentJson.Serialize(document)))
                {
                    parsed.RootElement.WriteTo(writer);
                }

                writer.WriteString("canonicalJson", Encoding.UTF8.GetString(canonical));
                writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(canonical)));
                writer.WriteStartArray("keys");
                foreach (var input in Inputs(document))
                {
                    writer.WriteStartObject();
                    writer.WriteString("kind", input.Kind.ToString());
                    writer.WriteString("tag", KeyMessage.Tag(input.Kind));
                    writer.WriteStartArray("fields");
                    foreach (var field in input.Fields)
                    {
                        writer.WriteStringValue(field);
                    }

                    writer.WriteEndArray();
                    writer.WriteString("message", Convert.ToHexStringLower(input.ToMessage()));
                    writer.WriteString("key", Convert.ToHexStringLower(deriver.Derive(input).Value));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    public static IReadOnlyList<CollateralKeyInput> Inputs(ITradeDocument document) => document switch
    {
        BillOfLading billOfLading => CollateralKeyFields.For(billOfLading),
        CommercialInvoice invoice => CollateralKeyFields.For(invoice),
        SettlementRecord settlement => [CollateralKeyFields.For(settlement)],
        LoadingAttestation attestation => [CollateralKeyFields.For(attestation.Lot)],
        _ => throw new ArgumentException("Unknown document type.", nameof(document)),
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "client-sdk", "test-vectors")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No client-sdk/test-vectors above " + AppContext.BaseDirectory);
    }
}

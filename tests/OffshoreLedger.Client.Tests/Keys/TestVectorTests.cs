using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Tests.Keys;

public class TestVectorTests
{
    [Fact]
    public void Published_test_vectors_match_what_this_implementation_computes()
    {
        var generated = TestVectorFile.Build();
        if (Environment.GetEnvironmentVariable(TestVectorFile.RegenerateVariable) == "1")
        {
            File.WriteAllText(TestVectorFile.PathInRepository, generated);
        }

        var published = File.ReadAllText(TestVectorFile.PathInRepository).ReplaceLineEndings("\n");

        Assert.True(published == generated,
            "client-sdk/test-vectors/keys-v1.json differs from what the code computes. If the change is intended (it breaks every key " +
                $"on chain), run the tests with {TestVectorFile.RegenerateVariable}=1 and review the diff.");
    }

    [Fact]
    public void Published_test_vectors_check_out_from_the_file_alone()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(TestVectorFile.PathInRepository));
        var secret = Convert.FromHexString(file.RootElement.GetProperty("secret").GetProperty("hex").GetString()!);
        var deriver = new CollateralKeyDeriver(new ConsortiumSecret(secret));
        var vectors = file.RootElement.GetProperty("vectors").EnumerateArray().ToList();

        Assert.Equal(6, vectors.Count);
        foreach (var vector in vectors)
        {
            var document = vector.GetProperty("document");
            var canonical = vector.GetProperty("canonicalJson").GetString()!;

            Assert.Equal(canonical, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(document)));
            Assert.Equal(
                vector.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
            Assert.Equal(vector.GetProperty("sha256").GetString(), DocumentHasher.Hash(ReadDocument(document)).ToHex());

            var published = vector.GetProperty("keys").EnumerateArray().ToList();
            foreach (var key in published)
            {
                Assert.Equal(
                    key.GetProperty("key").GetString(),
                    Convert.ToHexStringLower(HMACSHA256.HashData(secret, Convert.FromHexString(key.GetProperty("message").GetString()!))));
            }

            Assert.Equal(
                published.Select(k => (k.GetProperty("kind").GetString(), k.GetProperty("key").GetString())),
                deriver.KeysFor(ReadDocument(document))
                    .Select(k => ((string?)k.Kind.ToString(), (string?)Convert.ToHexStringLower(k.Value))));
        }
    }

    [Fact]
    public void Retyped_copy_in_the_vectors_has_another_hash_but_the_same_keys()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(TestVectorFile.PathInRepository));
        var byName = file.RootElement.GetProperty("vectors").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        string[] Keys(string name) => [.. byName[name].GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("key").GetString()!)];

        Assert.NotEqual(
            byName["bill-of-lading"].GetProperty("sha256").GetString(),
            byName["bill-of-lading-retyped-copy"].GetProperty("sha256").GetString());
        Assert.Equal(Keys("bill-of-lading"), Keys("bill-of-lading-retyped-copy"));
        Assert.Equal(Keys("commercial-invoice")[1], Keys("commercial-invoice-renumbered")[1]);
        Assert.NotEqual(Keys("commercial-invoice")[0], Keys("commercial-invoice-renumbered")[0]);
        Assert.Contains(Keys("loading-attestation")[0], Keys("bill-of-lading"));
    }

    private static ITradeDocument ReadDocument(JsonElement document)
    {
        var json = document.GetRawText();
        return document.GetProperty("documentType").GetString() switch
        {
            "billOfLading" => DocumentJson.Deserialize<BillOfLading>(json),
            "commercialInvoice" => DocumentJson.Deserialize<CommercialInvoice>(json),
            "settlementRecord" => DocumentJson.Deserialize<SettlementRecord>(json),
            "loadingAttestation" => DocumentJson.Deserialize<LoadingAttestation>(json),
            var other => throw new InvalidOperationException($"Unknown document type {other}."),
        };
    }
}

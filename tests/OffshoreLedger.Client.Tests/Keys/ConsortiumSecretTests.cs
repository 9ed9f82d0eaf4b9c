using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Tests.Keys;

public class ConsortiumSecretTests
{
    private const string Hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Fact]
    public void Secret_shorter_than_32_bytes_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ConsortiumSecret(new byte[31]));

    [Fact]
    public void Secret_of_one_repeated_byte_is_refused_as_a_placeholder() =>
        Assert.Throws<ArgumentException>(() => new ConsortiumSecret(new byte[32]));

    [Fact]
    public void Secret_is_never_printed()
    {
        var secret = ConsortiumSecret.FromHex(Hex);

        Assert.DoesNotContain("0102", secret.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AAECAw", secret.ToString(), StringComparison.Ordinal); // base64 of the first bytes
        Assert.Contains("redacted", secret.ToString());
        Assert.Contains("redacted", $"{secret}");
    }

    [Fact]
    public void Secret_from_hex_and_from_base64_of_the_same_bytes_derive_the_same_keys()
    {
        var fromHex = new CollateralKeyDeriver(ConsortiumSecret.FromHex("0x" + Hex));
        var fromBase64 = new CollateralKeyDeriver(ConsortiumSecret.FromBase64(Convert.ToBase64String(Convert.FromHexString(Hex))));

        Assert.Equal(fromHex.KeyFor(TestDocuments.Settlement()), fromBase64.KeyFor(TestDocuments.Settlement()));
    }
}

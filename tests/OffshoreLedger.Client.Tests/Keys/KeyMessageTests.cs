using System.Security.Cryptography;
using System.Text;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Tests.Keys;

public class KeyMessageTests
{
    [Fact]
    public void Message_is_domain_tag_and_fields_each_prefixed_with_a_four_byte_big_endian_length()
    {
        var message = KeyMessage.Encode(CollateralKeyKind.BillOfLading, "MAEU", "250123456");

        var expected = new List<byte>();
        foreach (var part in new[] { "offshore-ledger/collateral-key/v1", "BILL_OF_LADING", "MAEU", "250123456" })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            expected.AddRange([0, 0, 0, (byte)bytes.Length]);
            expected.AddRange(bytes);
        }

        Assert.Equal(expected, message);
    }

    [Fact]
    public void Moving_a_character_between_fields_changes_the_message() =>
        Assert.NotEqual(
            KeyMessage.Encode(CollateralKeyKind.BillOfLading, "MAEU", "1234"),
            KeyMessage.Encode(CollateralKeyKind.BillOfLading, "MAE", "U1234"));

    [Fact]
    public void Same_fields_under_different_kinds_give_different_messages() =>
        Assert.NotEqual(
            KeyMessage.Encode(CollateralKeyKind.Invoice, "LEI:X", "42"),
            KeyMessage.Encode(CollateralKeyKind.BillOfLading, "LEI:X", "42"));

    [Fact]
    public void Key_is_the_hmac_sha256_of_the_message_under_the_secret_and_never_a_plain_hash()
    {
        var secretBytes = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var deriver = new CollateralKeyDeriver(new ConsortiumSecret(secretBytes));
        var message = KeyMessage.Encode(CollateralKeyKind.BillOfLading, "MAEU", "MAEU250123456");

        var key = deriver.BillOfLadingKey("MAEU", "MAEU250123456");

        Assert.Equal(HMACSHA256.HashData(secretBytes, message), key.Value.ToArray());
        Assert.NotEqual(SHA256.HashData(message), key.Value.ToArray());
        Assert.NotEqual(SHA256.HashData(Encoding.UTF8.GetBytes("MAEUMAEU250123456")), key.Value.ToArray());
    }
}

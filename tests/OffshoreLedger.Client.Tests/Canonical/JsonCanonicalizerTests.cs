using System.Text;
using System.Text.Json;
using OffshoreLedger.Client.Canonical;

namespace OffshoreLedger.Client.Tests.Canonical;

public class JsonCanonicalizerTests
{
    // RFC 8785 appendix B: IEEE 754 bit patterns and the text ECMAScript (and so JCS) writes for them.
    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")] // minus zero
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Number_is_serialised_as_rfc_8785_appendix_b_says(ulong bits, string expected) =>
        Assert.Equal(expected, JsonCanonicalizer.SerializeNumber(BitConverter.UInt64BitsToDouble(bits)));

    [Theory]
    [InlineData(0x7fffffffffffffffUL)] // NaN
    [InlineData(0x7ff0000000000000UL)] // Infinity
    public void Number_json_cannot_hold_is_refused(ulong bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonCanonicalizer.SerializeNumber(BitConverter.UInt64BitsToDouble(bits)));

    [Fact]
    public void Sample_object_of_rfc_8785_canonicalises_to_its_published_form()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected =
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27]," +
            "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        var canonical = JsonCanonicalizer.Canonicalize(input);

        Assert.Equal(expected, Encoding.UTF8.GetString(canonical));
        Assert.Equal(
            "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333332c31" +
            "652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d",
            Convert.ToHexStringLower(canonical));
    }

    [Fact]
    public void Members_are_sorted_by_utf16_code_units_as_in_rfc_8785_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var canonical = JsonCanonicalizer.CanonicalizeToString(input);

        var values = JsonDocument.Parse(canonical).RootElement.EnumerateObject().Select(p => p.Value.GetString());
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh"],
            values);
    }

    [Fact]
    public void Whitespace_key_order_and_number_spelling_do_not_change_the_canonical_form()
    {
        var a = JsonCanonicalizer.CanonicalizeToString("""{"b":1.0,"a":[1e0, 10E-1, "x"]}""");
        var b = JsonCanonicalizer.CanonicalizeToString("""
            {
                "a" : [ 1 , 1.00 , "\u0078" ],
                "b" : 100e-2
            }
            """);

        Assert.Equal("""{"a":[1,1,"x"],"b":1}""", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Control_characters_are_escaped_in_lower_case_hex_and_nothing_else_is()
    {
        var canonical = JsonCanonicalizer.CanonicalizeToString("[\"\\u001f\\u0008\\t\\u00e9\\u2028/\"]");

        Assert.Equal("[\"\\u001f\\b\\té\u2028/\"]", canonical);
    }

    [Fact]
    public void Duplicate_member_names_are_refused() =>
        Assert.Throws<JsonException>(() => JsonCanonicalizer.Canonicalize("""{"a":1,"a":2}"""));

    [Fact]
    public void Number_beyond_double_range_is_refused() =>
        Assert.Throws<JsonException>(() => JsonCanonicalizer.Canonicalize("[1e400]"));

    [Fact]
    public void Lone_surrogate_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => JsonCanonicalizer.Canonicalize("""["\ud800"]"""));

    [Fact]
    public void Invalid_json_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => JsonCanonicalizer.Canonicalize("{'a':1}"));

    [Fact]
    public void Text_with_a_raw_lone_surrogate_is_refused_as_json() =>
        Assert.Throws<JsonException>(() => JsonCanonicalizer.Canonicalize("[\"\ud800\"]"));
}

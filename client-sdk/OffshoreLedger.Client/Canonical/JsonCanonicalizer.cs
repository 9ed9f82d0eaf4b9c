using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OffshoreLedger.Client.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: the one byte sequence for a JSON value, whatever its
/// whitespace, key order, escaping or number formatting.
/// </summary>
/// <remarks>
/// Object members are sorted by their names' UTF-16 code units; numbers are written as ECMAScript
/// writes IEEE 754 doubles; strings escape only what JSON requires; the result is UTF-8 without a BOM.
/// Input must be I-JSON (RFC 7493): duplicate member names, lone surrogates and numbers outside the
/// double range are rejected.
/// </remarks>
public static class JsonCanonicalizer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 128 };

    /// <summary>Canonicalises a JSON text.</summary>
    /// <param name="json">Any JSON text.</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="JsonException">The text is not JSON, or not I-JSON.</exception>
    public static byte[] Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (ArgumentException e)
        {
            throw new JsonException("The text holds a lone surrogate, which I-JSON forbids.", e);
        }

        using (document)
        {
            return Canonicalize(document.RootElement);
        }
    }

    /// <summary>Canonicalises a UTF-8 JSON text.</summary>
    /// <param name="utf8Json">Any JSON text, UTF-8 encoded.</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="JsonException">The text is not JSON, or not I-JSON.</exception>
    public static byte[] Canonicalize(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json, ParseOptions);
        return Canonicalize(document.RootElement);
    }

    /// <summary>Canonicalises a parsed JSON value.</summary>
    /// <param name="element">The value.</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="JsonException">The value is not I-JSON.</exception>
    public static byte[] Canonicalize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        try
        {
            return StrictUtf8.GetBytes(builder.ToString());
        }
        catch (EncoderFallbackException e)
        {
            throw new JsonException("A string holds a lone surrogate, which I-JSON forbids.", e);
        }
    }

    /// <summary>Canonicalises a JSON text and returns it as a string.</summary>
    /// <param name="json">Any JSON text.</param>
    /// <returns>The canonical form.</returns>
    public static string CanonicalizeToString(string json) => StrictUtf8.GetString(Canonicalize(json));

    /// <summary>Writes a double as ECMAScript's Number.prototype.toString does (RFC 8785 section 3.2.2.3).</summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The shortest text that reads back as the same double, in ECMAScript notation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite, which JSON cannot hold.</exception>
    public static string SerializeNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no NaN or Infinity.");
        }

        if (value == 0)
        {
            return "0";
        }

        // .NET's "R" gives the shortest round-trip digits; only the layout differs from ECMAScript.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        var text = negative ? roundTrip[1..] : roundTrip;
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point >= 0 ? point : text.Length;
        var digits = point >= 0 ? text.Remove(point, 1) : text;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');

        // value = 0.digits × 10^n, in ECMAScript's terms (k digits, decimal point after n of them).
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;
        var result = new StringBuilder(32);
        if (negative)
        {
            result.Append('-');
        }

        if (k <= n && n <= 21)
        {
            result.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }

            result.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    private static void Write(StringBuilder output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element);
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Append(',');
                    }

                    first = false;
                    Write(output, item);
                }

                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(output, ReadString(element));
                break;
            case JsonValueKind.Number:
                output.Append(SerializeNumber(ReadNumber(element)));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            default:
                throw new JsonException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(StringBuilder output, JsonElement element)
    {
        var members = new List<(string Name, JsonElement Value)>();
        foreach (var property in element.EnumerateObject())
        {
            members.Add((property.Name, property.Value));
        }

        // Ordinal comparison of .NET strings is comparison of UTF-16 code units, as RFC 8785 requires.
        members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < members.Count; i++)
        {
            if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
            {
                throw new JsonException($"Duplicate member name \"{members[i].Name}\", which I-JSON forbids.");
            }
        }

        output.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            WriteString(output, members[i].Name);
            output.Append(':');
            Write(output, members[i].Value);
        }

        output.Append('}');
    }

    private static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A string is not valid Unicode, which I-JSON requires.", e);
        }
    }

    private static double ReadNumber(JsonElement element)
    {
        var raw = element.GetRawText();
        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? value
            : throw new JsonException($"The number {raw} is outside the IEEE 754 double range, which I-JSON forbids.");
    }

    private static void WriteString(StringBuilder output, string value)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case < ' ':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        output.Append('"');
    }
}

namespace OffshoreLedger.Client.Validation;

/// <summary>
/// Harmonized System commodity codes: the six internationally agreed digits, optionally extended to
/// eight or ten national digits. Printed forms such as "0904.11.10" are accepted.
/// </summary>
public static class HsCode
{
    /// <summary>True when <paramref name="value"/> has the shape of an HS code with a real chapter.</summary>
    /// <param name="value">The code as printed.</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the digits of a well-formed HS code (6, 8 or 10 digits).</summary>
    /// <param name="value">The code as printed.</param>
    /// <param name="normalized">The digits; empty when malformed.</param>
    /// <returns>True when the code is well formed.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    /// <summary>The internationally agreed subheading (first six digits) of a well-formed HS code.</summary>
    /// <param name="value">The code as printed.</param>
    /// <returns>Six digits.</returns>
    /// <exception cref="ArgumentException">The code is not well formed.</exception>
    public static string Subheading(string value)
    {
        var check = Check(value);
        return check.IsValid ? check.Normalized[..6] : throw new ArgumentException(check.Reason, nameof(value));
    }

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("HS code");
        }

        if (normalized.Length is not (6 or 8 or 10) || !normalized.All(char.IsAsciiDigit))
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not an HS code (6, 8 or 10 digits)");
        }

        // Chapters run 01 to 97; chapter 77 is reserved and holds no goods.
        var chapter = int.Parse(normalized.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture);
        return chapter is >= 1 and <= 97 and not 77
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.UnknownCode,
                $"HS chapter {normalized[..2]} does not exist");
    }
}

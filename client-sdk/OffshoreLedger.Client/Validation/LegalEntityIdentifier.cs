namespace OffshoreLedger.Client.Validation;

/// <summary>ISO 17442 Legal Entity Identifiers: 18 characters and two ISO 7064 MOD 97-10 check digits.</summary>
public static class LegalEntityIdentifier
{
    /// <summary>True when <paramref name="value"/> is a valid LEI.</summary>
    /// <param name="value">For example "5493001KJTIIGC8Y1R12".</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the 20 upper-case characters of a valid LEI.</summary>
    /// <param name="value">The LEI as printed.</param>
    /// <param name="normalized">The LEI; empty when invalid.</param>
    /// <returns>True when the LEI is valid.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("LEI");
        }

        if (normalized.Length != 20 || !normalized.All(char.IsAsciiLetterOrDigit)
            || !char.IsAsciiDigit(normalized[18]) || !char.IsAsciiDigit(normalized[19]))
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not an LEI (18 letters or digits followed by 2 check digits)");
        }

        return Mod97(normalized) == 1
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.CheckDigitMismatch,
                $"check digits of LEI {normalized} do not satisfy ISO 7064 MOD 97-10");
    }

    // Letters become two-digit numbers (A = 10 ... Z = 35); the whole number mod 97 must be 1.
    private static int Mod97(string value)
    {
        var remainder = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
        }

        return remainder;
    }
}

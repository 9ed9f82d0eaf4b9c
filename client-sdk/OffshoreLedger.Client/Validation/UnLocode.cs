namespace OffshoreLedger.Client.Validation;

/// <summary>UN/LOCODE location codes: an ISO 3166 country code and three letters or digits 2-9.</summary>
public static class UnLocode
{
    /// <summary>True when <paramref name="value"/> has the shape of a UN/LOCODE ("SGSIN", "NL RTM").</summary>
    /// <param name="value">The code as printed.</param>
    /// <remarks>Shape only: the code list itself (100,000+ entries) is not shipped.</remarks>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the five upper-case characters of a well-formed UN/LOCODE.</summary>
    /// <param name="value">The code as printed.</param>
    /// <param name="normalized">For example "SGSIN"; empty when malformed.</param>
    /// <returns>True when the code is well formed.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("UN/LOCODE");
        }

        // The location part never uses 0 or 1, which read too easily as O and I.
        var wellFormed = normalized.Length == 5
            && char.IsAsciiLetterUpper(normalized[0]) && char.IsAsciiLetterUpper(normalized[1])
            && normalized[2..].All(c => char.IsAsciiLetterUpper(c) || c is >= '2' and <= '9');
        return wellFormed
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not a UN/LOCODE (2-letter country, then 3 letters or digits 2-9)");
    }
}

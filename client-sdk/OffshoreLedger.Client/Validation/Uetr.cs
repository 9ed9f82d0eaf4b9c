namespace OffshoreLedger.Client.Validation;

/// <summary>
/// Unique end-to-end transaction references (SWIFT gpi, ISO 20022 UUIDv4Identifier): a version 4,
/// RFC 4122 variant UUID in its 36-character hyphenated form.
/// </summary>
public static class Uetr
{
    /// <summary>True when <paramref name="value"/> is a version 4 UUID in hyphenated form.</summary>
    /// <param name="value">For example "eb6305c9-1f7f-49de-aed0-16487c27b42d".</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the 32 upper-case hex digits of a valid UETR, hyphens dropped.</summary>
    /// <param name="value">The UETR as printed.</param>
    /// <param name="normalized">32 hex digits; empty when invalid.</param>
    /// <returns>True when the UETR is valid.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    internal static IdentifierCheck Check(string? value)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return IdentifierCheck.Missing("UETR");
        }

        var normalized = IdentifierNormalizer.Normalize(trimmed);
        var hyphenated = trimmed.Length == 36
            && trimmed[8] == '-' && trimmed[13] == '-' && trimmed[18] == '-' && trimmed[23] == '-'
            && normalized.Length == 32 && normalized.All(char.IsAsciiHexDigitUpper);
        if (!hyphenated)
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{trimmed}' is not a UUID in 8-4-4-4-12 hex form");
        }

        if (normalized[12] != '4')
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{trimmed}' is a version {normalized[12]} UUID; a UETR must be version 4");
        }

        return normalized[16] is '8' or '9' or 'A' or 'B'
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{trimmed}' does not have the RFC 4122 variant bits a UETR requires");
    }
}

namespace OffshoreLedger.Client.Validation;

/// <summary>Carrier codes: an NMFTA SCAC (2 to 4 letters, such as MAEU) or an SMDG liner code.</summary>
public static class CarrierCode
{
    /// <summary>True when <paramref name="value"/> has the shape of a carrier code.</summary>
    /// <param name="value">The code as printed.</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("carrier code");
        }

        return normalized.Length is >= 2 and <= 4 && normalized.All(char.IsAsciiLetterUpper)
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not a carrier code (2 to 4 letters, SCAC or SMDG)");
    }
}

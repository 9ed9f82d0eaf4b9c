namespace OffshoreLedger.Client.Validation;

/// <summary>ISO 6346 freight container numbers: owner code, category, serial number, check digit.</summary>
public static class ContainerNumber
{
    /// <summary>True when <paramref name="value"/> (spaces and dashes allowed) is a valid container number.</summary>
    /// <param name="value">For example "CSQU3054383" or "CSQU 305438-3".</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the normal form (11 characters, no spaces) of a valid container number.</summary>
    /// <param name="value">The number as printed.</param>
    /// <param name="normalized">For example "CSQU3054383"; empty when invalid.</param>
    /// <returns>True when the number is valid.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    /// <summary>Computes the ISO 6346 check digit of the first ten characters (owner code, category, serial).</summary>
    /// <param name="firstTen">Three-letter owner code, category letter, six-digit serial number.</param>
    /// <returns>The check digit, 0 to 9.</returns>
    /// <exception cref="ArgumentException">The input is not ten characters of that shape.</exception>
    public static int CheckDigit(string firstTen)
    {
        ArgumentNullException.ThrowIfNull(firstTen);
        if (firstTen.Length != 10 || !HasPrefixShape(firstTen))
        {
            throw new ArgumentException("Expected owner code, category letter and six-digit serial number.", nameof(firstTen));
        }

        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += CharacterValue(firstTen[i]) << i;
        }

        // A remainder of 10 is written as 0 (ISO 6346 advises owners not to issue such serials).
        return sum % 11 % 10;
    }

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("container number");
        }

        if (normalized.Length != 11 || !HasPrefixShape(normalized) || !char.IsAsciiDigit(normalized[10]))
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not an ISO 6346 container number (3-letter owner code, category U, J or Z, 6 digits, check digit)");
        }

        var expected = CheckDigit(normalized[..10]);
        return normalized[10] - '0' == expected
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.CheckDigitMismatch,
                $"check digit of '{normalized}' should be {expected} (ISO 6346)");
    }

    private static bool HasPrefixShape(string value) =>
        char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && char.IsAsciiLetterUpper(value[2])
        && value[3] is 'U' or 'J' or 'Z'
        && value[4..10].All(char.IsAsciiDigit);

    // Letters count from A = 10 upwards, skipping the multiples of 11 (11, 22, 33).
    private static int CharacterValue(char c)
    {
        if (char.IsAsciiDigit(c))
        {
            return c - '0';
        }

        var n = 10 + (c - 'A');
        return n + ((n - 1) / 10);
    }
}

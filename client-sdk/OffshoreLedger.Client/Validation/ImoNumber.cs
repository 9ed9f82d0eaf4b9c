namespace OffshoreLedger.Client.Validation;

/// <summary>IMO ship identification numbers: seven digits, the last a weighted check digit.</summary>
public static class ImoNumber
{
    /// <summary>True when <paramref name="value"/> is a valid IMO number ("IMO 9074729" or "9074729").</summary>
    /// <param name="value">The number as printed.</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Gives the seven digits of a valid IMO number, without the "IMO" prefix.</summary>
    /// <param name="value">The number as printed.</param>
    /// <param name="normalized">Seven digits; empty when invalid.</param>
    /// <returns>True when the number is valid.</returns>
    public static bool TryNormalize(string? value, out string normalized) =>
        Check(value).TryGetNormalized(out normalized);

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.StartsWith("IMO", StringComparison.Ordinal))
        {
            normalized = normalized[3..];
        }

        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("vessel IMO number");
        }

        if (normalized.Length != 7 || !normalized.All(char.IsAsciiDigit))
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed, $"'{normalized}' is not a seven-digit IMO number");
        }

        // Digits one to six weighted 7 down to 2; the sum's last digit is the check digit.
        var sum = 0;
        for (var i = 0; i < 6; i++)
        {
            sum += (normalized[i] - '0') * (7 - i);
        }

        var expected = sum % 10;
        return normalized[6] - '0' == expected
            ? IdentifierCheck.Ok(normalized)
            : IdentifierCheck.Fail(normalized, ViolationCode.CheckDigitMismatch,
                $"check digit of IMO {normalized} should be {expected}");
    }
}

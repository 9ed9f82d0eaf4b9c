namespace OffshoreLedger.Contracts.Bindings;

/// <summary>
/// ISO 17442 Legal Entity Identifiers, as members are named by: 18 upper-case letters or digits and two check digits,
/// valid when the whole, read as a number with letters A=10 … Z=35, leaves 1 modulo 97 (ISO 7064 MOD 97-10).
/// </summary>
public static class LegalEntityIdentifier
{
    public const int Length = 20;

    public static bool IsValid(string? lei) =>
        lei is { Length: Length } && lei.All(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z') && Mod97(lei) == 1;

    /// <summary>The LEI made of <paramref name="prefix"/> (18 letters or digits) and its check digits.</summary>
    public static string WithCheckDigits(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length != Length - 2 || !prefix.All(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z'))
        {
            throw new ArgumentException($"An LEI's first 18 characters are upper-case letters or digits; got '{prefix}'.", nameof(prefix));
        }
        var check = 98 - Mod97(prefix + "00");
        return prefix + check.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            var value = c <= '9' ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder;
    }
}

using System.Globalization;
using System.Text;

namespace OffshoreLedger.Client.Validation;

/// <summary>
/// Reduces an identifier as printed or re-typed to the one form every participant computes:
/// compatibility-normalised (NFKC, so full-width "ＣＳＱＵ" becomes "CSQU"), every decimal digit as its
/// ASCII digit, upper case, and nothing but letters and digits (spaces, dashes, dots, slashes dropped).
/// </summary>
public static class IdentifierNormalizer
{
    /// <summary>Normalises <paramref name="value"/>; null gives an empty string.</summary>
    /// <param name="value">The identifier as printed.</param>
    /// <returns>Upper-case letters and ASCII digits only.</returns>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                // Arabic-Indic, Devanagari and other digits are the same number to a fraudster's keyboard.
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else if (Rune.IsLetter(rune))
            {
                builder.Append(Rune.ToUpperInvariant(rune).ToString());
            }
        }

        return builder.ToString();
    }
}

using System.Collections.Frozen;
using System.Globalization;

namespace OffshoreLedger.Client.Validation;

/// <summary>ISO 4217 alphabetic currency codes, checked against the shipped list of active codes.</summary>
public static class CurrencyCode
{
    private static readonly Lazy<CurrencyTable> Table = new(CurrencyTable.Load);

    /// <summary>Every active code in the shipped list.</summary>
    public static IReadOnlyCollection<string> ActiveCodes => Table.Value.MinorUnits.Keys;

    /// <summary>True when <paramref name="value"/> is an active ISO 4217 code (case as printed is ignored).</summary>
    /// <param name="value">For example "USD".</param>
    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>The number of minor-unit digits of an active currency (2 for USD, 0 for JPY, 3 for BHD).</summary>
    /// <param name="code">An active ISO 4217 code.</param>
    /// <returns>The exponent, or null for codes without minor units (gold, SDR, test code).</returns>
    /// <exception cref="ArgumentException">The code is not active.</exception>
    public static int? MinorUnits(string code)
    {
        var check = Check(code);
        return check.IsValid
            ? Table.Value.MinorUnits[check.Normalized]
            : throw new ArgumentException(check.Reason, nameof(code));
    }

    internal static IdentifierCheck Check(string? value)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            return IdentifierCheck.Missing("currency");
        }

        if (normalized.Length != 3 || !normalized.All(char.IsAsciiLetterUpper))
        {
            return IdentifierCheck.Fail(normalized, ViolationCode.Malformed,
                $"'{normalized}' is not an ISO 4217 alphabetic code (3 letters)");
        }

        if (Table.Value.MinorUnits.ContainsKey(normalized))
        {
            return IdentifierCheck.Ok(normalized);
        }

        return Table.Value.Withdrawn.TryGetValue(normalized, out var why)
            ? IdentifierCheck.Fail(normalized, ViolationCode.UnknownCode, $"currency {normalized} is withdrawn from ISO 4217: {why}")
            : IdentifierCheck.Fail(normalized, ViolationCode.UnknownCode, $"'{normalized}' is not an active ISO 4217 currency");
    }

    private sealed record CurrencyTable(
        FrozenDictionary<string, int?> MinorUnits,
        FrozenDictionary<string, string> Withdrawn)
    {
        public static CurrencyTable Load()
        {
            using var stream = typeof(CurrencyCode).Assembly.GetManifestResourceStream("OffshoreLedger.Client.iso4217.txt")
                ?? throw new InvalidOperationException("The ISO 4217 list is missing from the assembly.");
            using var reader = new StreamReader(stream);
            var active = new Dictionary<string, int?>(StringComparer.Ordinal);
            var withdrawn = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var parts = line.Split(' ', 3);
                if (parts[0] == "-")
                {
                    withdrawn[parts[1]] = parts[2];
                }
                else
                {
                    active[parts[0]] = parts[1] == "N.A." ? null : int.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }

            return new CurrencyTable(active.ToFrozenDictionary(), withdrawn.ToFrozenDictionary());
        }
    }
}

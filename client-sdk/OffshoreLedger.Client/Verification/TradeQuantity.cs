using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Verification;

/// <summary>
/// Quantities compared across documents: equal units compare directly, mass units (UN/ECE Rec. 20 KGM, TNE, GRM,
/// LBR, STN, LTN) convert through kilograms; anything else does not compare.
/// </summary>
public static class TradeQuantity
{
    private static readonly Dictionary<string, decimal> KilogramsPer = new(StringComparer.Ordinal)
    {
        ["KGM"] = 1m,
        ["TNE"] = 1_000m,
        ["GRM"] = 0.001m,
        ["LBR"] = 0.45359237m,
        ["STN"] = 907.18474m,
        ["LTN"] = 1_016.0469088m,
    };

    /// <summary>Whether a unit is a mass unit this class converts.</summary>
    /// <param name="unit">The unit code.</param>
    /// <returns>True for KGM, TNE, GRM, LBR, STN, LTN.</returns>
    public static bool IsMass(string unit) => KilogramsPer.ContainsKey(unit);

    /// <summary>The quantity in another unit, when the two compare.</summary>
    /// <param name="measure">The quantity.</param>
    /// <param name="unit">The unit wanted.</param>
    /// <returns>The converted value, or null when the units do not compare.</returns>
    public static decimal? In(Measure measure, string unit)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (measure.Unit == unit) return measure.Value;
        return KilogramsPer.TryGetValue(measure.Unit, out var from) && KilogramsPer.TryGetValue(unit, out var to)
            ? measure.Value * from / to : null;
    }

    /// <summary>The relative difference of two quantities in percent of the smaller; 0 when both are 0.</summary>
    /// <param name="a">One value.</param>
    /// <param name="b">The other, in the same unit.</param>
    /// <returns>|a − b| / min(a, b) × 100.</returns>
    public static decimal DifferencePercent(decimal a, decimal b)
    {
        var smaller = Math.Min(Math.Abs(a), Math.Abs(b));
        if (a == b) return 0m;
        return smaller == 0m ? decimal.MaxValue : Math.Abs(a - b) / smaller * 100m;
    }

    /// <summary>The sum of measures in one unit, or null when they are not all in that unit or convertible to it.</summary>
    /// <param name="measures">The measures.</param>
    /// <param name="unit">The unit wanted.</param>
    /// <returns>The total, or null.</returns>
    public static decimal? Total(IEnumerable<Measure> measures, string unit)
    {
        var total = 0m;
        foreach (var measure in measures)
        {
            if (In(measure, unit) is not { } value) return null;
            total += value;
        }
        return total;
    }
}

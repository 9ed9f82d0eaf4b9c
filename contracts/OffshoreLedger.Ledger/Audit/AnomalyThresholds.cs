using System.Globalization;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>
/// When a pattern in the history is reported as an anomaly. The defaults are a starting point for a consortium to tune,
/// not a regulator's rule; the report states the values it used.
/// </summary>
public sealed record AnomalyThresholds
{
    /// <summary>Rapid pledge cycles: the window the pledges of one title fall within.</summary>
    public double RapidCycleWindowHours { get; init; } = 7 * 24;

    /// <summary>
    /// Rapid pledge cycles: release-and-re-pledge turns needed within the window. Two by default: one refinancing
    /// (bank A repaid and released, bank B financed) is ordinary trade finance; a title turning twice within a week is not.
    /// </summary>
    public int RapidCycleMinimum { get; init; } = 2;

    /// <summary>Circular transfers: from the transfer away from a holder to the one back to it.</summary>
    public double CircularTransferWindowHours { get; init; } = 30 * 24;

    /// <summary>Pledges at many banks: the window one holder's pledged titles fall within.</summary>
    public double ManyBanksWindowHours { get; init; } = 72;

    /// <summary>Pledges at many banks: distinct banks financing one holder's titles within the window.</summary>
    public int ManyBanksMinimum { get; init; } = 3;

    public static AnomalyThresholds Default { get; } = new();

    /// <summary>The names a threshold is given by on the command line and in the report's JSON.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["rapidCycleWindowHours", "rapidCycleMinimum", "circularTransferWindowHours", "manyBanksWindowHours", "manyBanksMinimum"];

    /// <summary>These thresholds with one changed by name, e.g. <c>manyBanksMinimum=4</c>.</summary>
    /// <exception cref="ArgumentException">Not <c>name=value</c>, an unknown name, or a value that is not a positive number.</exception>
    public AnomalyThresholds With(string assignment)
    {
        var parts = assignment.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"'{assignment}' is not name=positive number (names: {string.Join(", ", Names)})");
        }
        int Whole() => value == Math.Floor(value) && value <= int.MaxValue
            ? (int)value
            : throw new ArgumentException($"{parts[0]} is a whole number, not {parts[1]}");
        return parts[0] switch
        {
            "rapidCycleWindowHours" => this with { RapidCycleWindowHours = value },
            "rapidCycleMinimum" => this with { RapidCycleMinimum = Whole() },
            "circularTransferWindowHours" => this with { CircularTransferWindowHours = value },
            "manyBanksWindowHours" => this with { ManyBanksWindowHours = value },
            "manyBanksMinimum" => this with { ManyBanksMinimum = Whole() },
            _ => throw new ArgumentException($"'{parts[0]}' is not a threshold (names: {string.Join(", ", Names)})"),
        };
    }

    internal static long Seconds(double hours) => (long)Math.Round(hours * 3600);
}

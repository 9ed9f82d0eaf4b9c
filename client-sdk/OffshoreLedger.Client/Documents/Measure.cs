namespace OffshoreLedger.Client.Documents;

/// <summary>A quantity with its unit, such as 24,000 KGM or 1,200 bags.</summary>
/// <param name="Value">The amount of the unit; never negative.</param>
/// <param name="Unit">UN/ECE Recommendation 20 or 21 code, for example KGM, TNE, LBR or BG.</param>
public sealed record Measure(decimal Value, string Unit);

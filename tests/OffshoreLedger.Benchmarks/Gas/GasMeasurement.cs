namespace OffshoreLedger.Benchmarks.Gas;

/// <summary>A gas budget an operation must stay within.</summary>
public sealed record GasTarget(long Limit)
{
    /// <summary>Registering a title with its first collateral key.</summary>
    public static GasTarget RegisterWithOneKey { get; } = new(97_000);

    /// <summary>Issue 14: the holder registers a one-key title carrying its carrier's EIP-712 signature.</summary>
    public static GasTarget RegisterWithCarrierSignature { get; } = new(105_000);

    /// <summary>Each collateral key beyond the first in one registration.</summary>
    public static GasTarget FurtherKey { get; } = new(25_000);

    /// <summary>Issue 13: a one-title pledge carrying the holder's consent.</summary>
    public static GasTarget SingleTitlePledge { get; } = new(70_000);

    /// <summary>Issue 13: each title a consented pledge carries beyond the first.</summary>
    public static GasTarget AdditionalTitle { get; } = new(15_000);

    public static GasTarget Transfer { get; } = new(40_000);

    /// <summary>Per title or key of a batched pledge.</summary>
    public static GasTarget BatchedPledgePerUnit { get; } = new(26_000);
}

/// <summary>
/// The gas of one operation: <c>gasUsed</c> of its receipt, or for a per-unit row that figure divided over the
/// units (<paramref name="Note"/> says how).
/// </summary>
public sealed record GasMeasurement(string Operation, long Gas, GasTarget? Target = null, string? Note = null)
{
    public bool? Met => Target is null ? null : Gas <= Target.Limit;
}

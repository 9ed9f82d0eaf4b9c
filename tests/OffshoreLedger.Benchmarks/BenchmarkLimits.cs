namespace OffshoreLedger.Benchmarks;

/// <summary>
/// Per-caller limits (<c>Limits:</c>) high enough that a benchmark measures the node, not its limiter: every
/// benchmark's callers share one key and one address. The flood benchmark, which measures the limiter, sets its own.
/// </summary>
public static class BenchmarkLimits
{
    public static readonly IReadOnlyDictionary<string, string?> Lifted = new Dictionary<string, string?>
    {
        ["Limits:CallsPerSecond"] = "1000000", ["Limits:Burst"] = "1000000", ["Limits:MaxConcurrentCalls"] = "100000",
    };

    /// <summary>The same as command-line arguments.</summary>
    public static IEnumerable<string> Arguments => Lifted.Select(l => $"--{l.Key}={l.Value}");
}

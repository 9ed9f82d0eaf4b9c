namespace OffshoreLedger.Benchmarks.Check;

/// <summary>One configuration (a path at a number of concurrent callers), measured in several runs.</summary>
public sealed record CheckMeasurement(CheckPath Path, int Callers, IReadOnlyList<LoadRun> Runs)
{
    /// <summary>The run with the median throughput; its latencies are the ones reported.</summary>
    public LoadRun Median => Runs.OrderBy(r => r.RequestsPerSecond).ElementAt(Runs.Count / 2);

    public double SlowestRequestsPerSecond => Runs.Min(r => r.RequestsPerSecond);
    public double FastestRequestsPerSecond => Runs.Max(r => r.RequestsPerSecond);
}

/// <summary>The setup the figures were taken on, for the report.</summary>
public sealed record CheckSetup(
    int Titles, int KeysPerTitle, int PledgedTitles, int PledgedKeys, TimeSpan RegistrationTime, TimeSpan PledgeTime,
    TimeSpan WarmUp, TimeSpan RunDuration, int Repeats, string GarbageCollector, string LoadAverage,
    string Telemetry = "metrics and trace spans");

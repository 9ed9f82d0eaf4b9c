using System.Diagnostics;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Benchmarks.Replay;

/// <summary>One timed pass over the whole history.</summary>
public sealed record ReplayRun(long Events, TimeSpan Elapsed, TimeSpan ProcessCpu)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>Several runs of one way of reading the history; the report shows the median.</summary>
public sealed record ReplayPath(string Name, IReadOnlyList<ReplayRun> Runs)
{
    public ReplayRun Median => Runs.OrderBy(r => r.EventsPerSecond).ElementAt(Runs.Count / 2);
}

/// <summary>CPU per log of each stage of the replay, over logs already in memory (no chain involved).</summary>
public sealed record ReplayStageCosts(double ParseMicroseconds, double DigestMicroseconds, double DecodeMicroseconds, double ProjectMicroseconds);

/// <summary>The ways of reading the same history that the benchmark compares, each over the same chain and the same windows.</summary>
public static class ReplayMeasurement
{
    /// <summary>eth_getLogs over the given windows one after another, each answer read to the end and its logs counted, nothing decoded.</summary>
    public static async Task<ReplayRun> RawAsync(EthLogReader reader, IReadOnlyList<BlockWindow> windows, CancellationToken cancellationToken)
    {
        var (cpu, start) = Start();
        long logs = 0;
        foreach (var window in windows) logs += await reader.CountLogsAsync(window.FromBlock, window.ToBlock, cancellationToken);
        return Stop(logs, cpu, start);
    }

    public static async Task<(ReplayRun Run, ReplayResult Result)> ReplayAsync(EthLogReader reader, ReplayOptions options, CancellationToken cancellationToken)
    {
        var (cpu, start) = Start();
        var result = await ChainReplay.RunAsync(reader, options, cancellationToken: cancellationToken);
        return (Stop(result.Logs, cpu, start), result);
    }

    /// <summary>Each stage timed alone over every log of the history, which shows where a replay's own CPU goes.</summary>
    public static async Task<ReplayStageCosts> StagesAsync(EthLogReader reader, IReadOnlyList<BlockWindow> windows, CancellationToken cancellationToken)
    {
        var answers = new List<byte[]>();
        foreach (var window in windows) answers.Add(await reader.GetLogsAnswerAsync(window.FromBlock, window.ToBlock, cancellationToken));
        var parse = Stopwatch.StartNew();
        var logs = answers.SelectMany(EthLogReader.ParseLogs).ToList();
        parse.Stop();

        var digest = Stopwatch.StartNew();
        var history = new HistoryDigest();
        foreach (var log in logs) history.Append(log);
        digest.Stop();

        var decode = Stopwatch.StartNew();
        var events = logs.Select(LedgerEvents.Decode).OfType<LedgerEvent>().ToList();
        decode.Stop();

        var project = Stopwatch.StartNew();
        new LedgerProjection().ApplyAll(events);
        project.Stop();

        double PerLog(TimeSpan t) => t.TotalMicroseconds / logs.Count;
        return new ReplayStageCosts(PerLog(parse.Elapsed), PerLog(digest.Elapsed), PerLog(decode.Elapsed), PerLog(project.Elapsed));
    }

    private static (TimeSpan Cpu, long Start) Start()
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.TotalProcessorTime, Stopwatch.GetTimestamp());
    }

    private static ReplayRun Stop(long events, TimeSpan cpuBefore, long start)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        using var process = Process.GetCurrentProcess();
        return new ReplayRun(events, elapsed, process.TotalProcessorTime - cpuBefore);
    }
}

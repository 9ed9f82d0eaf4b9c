using System.Diagnostics;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Benchmarks.Replay;

/// <summary>One timed pass over the whole history.</summary>
/// <param name="Events">Logs read (the raw path) or replayed.</param>
/// <param name="Elapsed">Wall time of the pass.</param>
/// <param name="ProcessCpu">This process's CPU time (the replay's own work, or counting the raw answers).</param>
/// <param name="ChainCpu">anvil's CPU time: serving the logs.</param>
/// <param name="GcPause">Time this process's threads were paused by garbage collection.</param>
/// <param name="Timings">For a replay, where its time went.</param>
public sealed record ReplayRun(
    long Events, TimeSpan Elapsed, TimeSpan ProcessCpu, TimeSpan ChainCpu, TimeSpan GcPause, ReplayTimings? Timings = null)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>Several runs of one way of reading the history; the report shows the median.</summary>
public sealed record ReplayPath(string Name, IReadOnlyList<ReplayRun> Runs)
{
    public ReplayRun Median => Runs.OrderBy(r => r.EventsPerSecond).ElementAt(Runs.Count / 2);
}

/// <summary>CPU per log of each stage of the replay, over logs already in memory (no chain involved).</summary>
public sealed record ReplayStageCosts(
    double ParseMicroseconds, double DigestMicroseconds, double DecodeMicroseconds, double ProjectMicroseconds);

/// <summary>The ways of reading the same history that the benchmark compares, each over the same chain and the same windows.</summary>
public static class ReplayMeasurement
{
    /// <summary>
    /// eth_getLogs over the given windows one after another, each answer read to the end and its logs counted, nothing decoded.
    /// </summary>
    public static async Task<ReplayRun> RawAsync(
        EthLogReader reader, int chainProcess, IReadOnlyList<BlockWindow> windows, CancellationToken cancellationToken)
    {
        var started = Start(chainProcess);
        long logs = 0;
        foreach (var window in windows) logs += await reader.CountLogsAsync(window.FromBlock, window.ToBlock, cancellationToken);
        return Stop(logs, started, chainProcess);
    }

    public static async Task<(ReplayRun Run, ReplayResult Result)> ReplayAsync(
        EthLogReader reader, int chainProcess, ReplayOptions options, CancellationToken cancellationToken)
    {
        var started = Start(chainProcess);
        var result = await ChainReplay.RunAsync(reader, options, cancellationToken: cancellationToken);
        return (Stop(result.Logs, started, chainProcess) with { Timings = result.Timings }, result);
    }

    /// <summary>Each stage timed alone over every log of the history, which shows where a replay's own CPU goes.</summary>
    public static async Task<ReplayStageCosts> StagesAsync(
        EthLogReader reader, IReadOnlyList<BlockWindow> windows, CancellationToken cancellationToken)
    {
        var answers = new List<byte[]>();
        foreach (var window in windows) answers.Add(
            (await reader.GetLogsAnswerAsync(window.FromBlock, window.ToBlock, cancellationToken)).ToArray());
        var parse = Stopwatch.StartNew();
        var logs = answers.SelectMany(a => EthLogReader.ParseLogs(a)).ToList();
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

    private sealed record Mark(TimeSpan Cpu, TimeSpan ChainCpu, TimeSpan GcPause, long Start);

    private static Mark Start(int chainProcess)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new Mark(process.TotalProcessorTime, ChainCpu(chainProcess), GC.GetTotalPauseDuration(), Stopwatch.GetTimestamp());
    }

    private static ReplayRun Stop(long events, Mark started, int chainProcess)
    {
        var elapsed = Stopwatch.GetElapsedTime(started.Start);
        using var process = Process.GetCurrentProcess();
        return new ReplayRun(
            events, elapsed, process.TotalProcessorTime - started.Cpu, ChainCpu(chainProcess) - started.ChainCpu,
            GC.GetTotalPauseDuration() - started.GcPause);
    }

    /// <summary>A process's user + system CPU time from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).</summary>
    private static TimeSpan ChainCpu(int processId)
    {
        var path = $"/proc/{processId}/stat";
        if (!File.Exists(path)) return TimeSpan.Zero;
        var stat = File.ReadAllText(path);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}

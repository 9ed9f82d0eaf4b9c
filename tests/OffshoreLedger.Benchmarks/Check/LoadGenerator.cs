using System.Diagnostics;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>One timed run: how many requests completed, in how long, and their latency percentiles.</summary>
/// <param name="Requests">Requests answered within the run.</param>
/// <param name="KeysPerRequest">Keys asked about in each.</param>
/// <param name="Elapsed">From the first request sent to the last answer received.</param>
/// <param name="P50Milliseconds">Median latency of the run's requests.</param>
/// <param name="P99Milliseconds">99th-percentile latency.</param>
/// <param name="ProcessCpu">CPU time this process (callers and in-process node, not anvil) spent during the run.</param>
/// <param name="GcPause">Time the process's threads were paused by garbage collections during the run.</param>
/// <param name="AllocatedBytes">Bytes the process (callers and node) allocated during the run.</param>
public sealed record LoadRun(
    long Requests, int KeysPerRequest, TimeSpan Elapsed, double P50Milliseconds, double P99Milliseconds, TimeSpan ProcessCpu,
    TimeSpan GcPause, long AllocatedBytes)
{
    public double BytesPerRequest => (double)AllocatedBytes / Requests;
    public double CpuMicrosecondsPerRequest => ProcessCpu.TotalMicroseconds / Requests;
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
    public double KeysPerSecond => RequestsPerSecond * KeysPerRequest;
}

/// <summary>
/// A closed-loop load: a fixed number of callers, each sending its next request as soon as the previous one
/// answered, for a fixed time. Every request's latency is recorded; throughput is completed requests over the
/// time until the last caller finished.
/// </summary>
public static class LoadGenerator
{
    /// <summary>
    /// Sends <paramref name="call"/>(caller, sequence) from <paramref name="callers"/> callers for <paramref name="duration"/>.
    /// </summary>
    public static async Task<LoadRun> RunAsync(
        Func<int, long, Task> call, int callers, int keysPerRequest, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var pauseBefore = GC.GetTotalPauseDuration();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var latencies = new List<long>(capacity: 16_384);
            for (long sequence = caller; ; sequence += callers)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= deadline) return latencies;
                cancellationToken.ThrowIfCancellationRequested();
                await call(caller, sequence);
                latencies.Add(Stopwatch.GetTimestamp() - sent);
            }
        }, cancellationToken)).ToArray();
        var all = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;

        var merged = all.SelectMany(l => l).ToArray();
        Array.Sort(merged);
        return new LoadRun(
            merged.LongLength, keysPerRequest, elapsed, Milliseconds(Percentile(merged, 0.50)), Milliseconds(Percentile(merged, 0.99)), cpu,
            pause, allocated);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Percentile(long[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

using System.Globalization;
using System.Text;
using OffshoreLedger.Api.V1;
using static System.FormattableString;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>
/// What metrics and trace spans cost a node (issue 18: within 10% of the title check with them off). Two checked nodes
/// run side by side in this process, each on its own development chain: one with telemetry off, one with metrics and
/// spans on. Their single-key checks are measured in alternating rounds (off then on, then on then off, ...), so the
/// machine's drift from one minute to the next falls on both alike, and the medians are compared. One run per
/// configuration, as the title-check benchmark does, varies by up to ±30% on a shared 2-core VM; rounds side by side do not.
/// </summary>
public static class TelemetryOverheadCommand
{
    public const string Command = "telemetry-overhead";
    private const string Heading = "## Telemetry overhead";
    private static readonly int[] Concurrency = [16, 64];

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = BenchmarksFile.DefaultPath;
        var rounds = 7;
        var seconds = 3.0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r > 0:
                    rounds = r;
                    i++;
                    break;
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s > 0:
                    seconds = s;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(
                        $"Usage: {Command} [--rounds N (per configuration, default 7)] [--seconds N (per round, default 3)] [--output " +
                        "FILE (default BENCHMARKS.md)]");
                    return 2;
            }
        }
        var roundDuration = TimeSpan.FromSeconds(seconds);

        await using var off = await CheckLedger.StartAsync(Console.Out, cancellationToken, CheckTelemetry.Off);
        await using var on = await CheckLedger.StartAsync(Console.Out, cancellationToken, CheckTelemetry.On);
        await off.StopBankAsync();
        await on.StopBankAsync();
        var environment = await BenchmarkEnvironment.CaptureAsync(on.Devnet.Chain, cancellationToken);
        using var offClient = new GrpcCheckClient(off.Url, off.ReadHeaders);
        using var onClient = new GrpcCheckClient(on.Url, on.ReadHeaders);
        var offPath = offClient.Path("off", off.Keys, 1, Consistency.Index);
        var onPath = onClient.Path("on", on.Keys, 1, Consistency.Index);

        var loadBefore = BenchmarksFile.LoadAverage();
        var results = new List<(int Callers, List<LoadRun> Off, List<LoadRun> On)>();
        foreach (var callers in Concurrency)
        {
            await LoadGenerator.RunAsync(offPath.Call, callers, 1, roundDuration, cancellationToken);
            await LoadGenerator.RunAsync(onPath.Call, callers, 1, roundDuration, cancellationToken);
            var offRuns = new List<LoadRun>();
            var onRuns = new List<LoadRun>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so neither always follows the other's garbage and warm caches.
                foreach (var (path, runs) in round % 2 == 0
                    ? new[] { (offPath, offRuns), (onPath, onRuns) } : [(onPath, onRuns), (offPath, offRuns)])
                {
                    var run = await LoadGenerator.RunAsync(path.Call, callers, 1, roundDuration, cancellationToken);
                    runs.Add(run);
                    Console.WriteLine(
                        Invariant(
                        BenchmarksFile.Joined(
                            $"{callers,3} callers  round {round + 1}  telemetry {path.Name,-3}: {run.RequestsPerSecond,9:N0} req/s  p99 ",
                            $"{run.P99Milliseconds:0.000} ms  cpu {run.CpuMicrosecondsPerRequest:0} µs/req")));
                }
            }
            results.Add((callers, offRuns, onRuns));
        }

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var section = Render(
            environment, command, $"{loadBefore} before measuring, {BenchmarksFile.LoadAverage()} after", rounds, roundDuration, results);
        await BenchmarksFile.WriteSectionAsync(output, section, cancellationToken);
        return 0;
    }

    private static string Render(
        BenchmarkEnvironment environment, string command, string loadAverage, int rounds, TimeSpan roundDuration,
        IReadOnlyList<(int Callers, List<LoadRun> Off, List<LoadRun> On)> results)
    {
        var md = new StringBuilder();
        md.AppendLine(Heading);
        md.AppendLine();
        md.AppendLine(
            "Generated — rerun the command instead of editing. What metrics and trace spans cost the title check: two nodes side by");
        md.AppendLine(
            "side in one process, each on its own development chain with the title-check ledger (200 titles of 5 keys, 50 pledged), one");
        md.AppendLine(
            "with `Node:Telemetry:Enabled=false`, one with metrics and trace spans recorded (`Node:Telemetry:Tracing=true`, spans created");
        md.AppendLine(
            "and dropped with no exporter, as a node exporting them would record them). Single-key `CheckCollateral` from the index,");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"closed loop, in alternating rounds of {roundDuration.TotalSeconds:0.#} s ({rounds} per configuration, after a warm-up ",
                $"of each): the machine's")));
        md.AppendLine("drift falls on both alike. CPU µs per request is this process's (both nodes' background polling included).");
        md.AppendLine();
        BenchmarksFile.AppendRunFacts(
            md, environment, $"dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- {command}", loadAverage,
            "the load generator, both nodes (in the same process) and their two anvil processes");
        md.AppendLine();
        md.AppendLine(
            "| Callers | Off: checks/s, median (range) | On: checks/s, median (range) | On vs off | Off: CPU µs/request, median | On: " +
            "CPU µs/request, median | Target: within 10% | Met? |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---|:---:|");
        foreach (var (callers, offRuns, onRuns) in results)
        {
            var offRate = Median(offRuns.Select(r => r.RequestsPerSecond));
            var onRate = Median(onRuns.Select(r => r.RequestsPerSecond));
            var change = (onRate - offRate) / offRate;
            md.AppendLine(Invariant(
                BenchmarksFile.Joined(
                    $"| {callers} | {offRate:N0} ",
                    $"({offRuns.Min(r => r.RequestsPerSecond):N0}–{offRuns.Max(r => r.RequestsPerSecond):N0}) | {onRate:N0} ",
                    $"({onRuns.Min(r => r.RequestsPerSecond):N0}–{onRuns.Max(r => r.RequestsPerSecond):N0}) | {change:+0.0%;-0.0%} | ",
                    $"{Median(offRuns.Select(r => r.CpuMicrosecondsPerRequest)):0} | ",
                    $"{Median(onRuns.Select(r => r.CpuMicrosecondsPerRequest)):0} | on ≥ 90% of off | ",
                    $"{(change >= -0.10 ? "yes" : "**no**")} |")));
        }
        md.AppendLine();
        md.AppendLine(
            "The node records spans only when `Node:Telemetry:OtlpEndpoint` or `Node:Telemetry:Tracing` is set; metrics are on by " +
            "default.");
        return md.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

using System.Globalization;
using System.Runtime;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks.Replay;

/// <summary>
/// <c>replay [--titles N] [--runs N] [--output FILE]</c>: builds a ledger of N titles on a fresh anvil, then measures in
/// the same run the chain's raw eth_getLogs rate and the auditor's replay over the same windows; writes the "Audit
/// replay" section of BENCHMARKS.md.
/// </summary>
public static class ReplayBenchmarkCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- replay";
    public const int DefaultTitles = 100_000;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!CollectsLikeTheCli) return await RunLikeTheCliAsync(args, cancellationToken);
        var output = Path.Combine(BenchmarkEnvironment.RepositoryRoot, "BENCHMARKS.md");
        var titles = DefaultTitles;
        var runs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--titles" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 100:
                    titles = n;
                    i++;
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r >= 1:
                    runs = r;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(
                        $"Usage: {Command} [--titles N (default {DefaultTitles:N0}, at least 100)] [--runs N (default 3)] [--output FILE " +
                        "(default BENCHMARKS.md)]");
                    return 2;
            }
        }

        // Disposing the chain stops anvil on every way out, including cancellation and failures.
        await using var chain = await AnvilChain.StartAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"Writing a ledger of {titles:N0} titles to a fresh anvil…");
        var shape = await ReplayLedger.BuildAsync(chain, titles, Console.Out, cancellationToken);
        var environment = await BenchmarkEnvironment.CaptureAsync(chain, cancellationToken);
        Console.WriteLine($"Built in {shape.BuildTime.TotalSeconds:0.0} s, {shape.Blocks:N0} blocks.");

        using var reader = new EthLogReader(new Uri(chain.RpcUrl), shape.ContractAddress);
        var loadBefore = BenchmarksFile.LoadAverage();

        // Warm-up (JIT, connection, anvil's caches); its windows are the ones every path then reads.
        var (_, warmUp) = await ReplayMeasurement.ReplayAsync(reader, chain.ProcessId, new ReplayOptions(), cancellationToken);
        var windows = warmUp.Windows;
        await ReplayMeasurement.RawAsync(reader, chain.ProcessId, windows, cancellationToken);
        Console.WriteLine(
            $"{warmUp.Logs:N0} logs in {windows.Count} windows of " +
            $"{windows.Min(w => w.ToBlock - w.FromBlock + 1):N0}–{windows.Max(w => w.ToBlock - w.FromBlock + 1):N0} blocks; digest " +
            $"{warmUp.Digest}");

        var raw = new List<ReplayRun>();
        var pipelined = new List<ReplayRun>();
        var sequential = new List<ReplayRun>();
        for (var run = 0; run < runs; run++)
        {
            // Interleaved, so a change in the machine's load falls on every path alike.
            raw.Add(await ReplayMeasurement.RawAsync(reader, chain.ProcessId, windows, cancellationToken));
            pipelined.Add(
                await Checked(ReplayMeasurement.ReplayAsync(reader, chain.ProcessId, new ReplayOptions(), cancellationToken), warmUp));
            sequential.Add(
                await Checked(
                ReplayMeasurement.ReplayAsync(reader, chain.ProcessId, new ReplayOptions { Pipelined = false }, cancellationToken),
                warmUp));
            Console.WriteLine(FormattableString.Invariant(
                BenchmarksFile.Joined(
                    $"run {run + 1}: raw {raw[^1].EventsPerSecond,8:N0} logs/s   replay {pipelined[^1].EventsPerSecond,8:N0} events/s ",
                    $"({pipelined[^1].Elapsed.TotalSeconds:0.00} s)   sequential {sequential[^1].EventsPerSecond,8:N0} events/s")));
        }
        var stages = await ReplayMeasurement.StagesAsync(reader, windows, cancellationToken);
        var loadAfter = BenchmarksFile.LoadAverage();

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var section = ReplayReportDocument.Render(new ReplayReportInput(
            environment, command, shape, warmUp,
            [new(ReplayReportDocument.RawPath, raw), new(ReplayReportDocument.ReplayPath, pipelined),
            new(ReplayReportDocument.SequentialPath, sequential)],
            stages, CollectsLikeTheCli ? "server GC without dynamic adaptation" : GCSettings.IsServerGC ? "server GC" : "workstation GC",
            $"{loadBefore} before measuring, {loadAfter} after"));
        var existing = File.Exists(output) ? await File.ReadAllTextAsync(output, cancellationToken) : null;
        await File.WriteAllTextAsync(output, BenchmarksFile.Merge(existing, section), cancellationToken);
        Console.WriteLine();
        Console.Write(section);
        Console.WriteLine();
        Console.WriteLine($"Written to {output}");
        return 0;
    }

    /// <summary>Server GC without dynamic adaptation, as the offshore CLI's project file sets it.</summary>
    private static bool CollectsLikeTheCli =>
        GCSettings.IsServerGC && GC.GetConfigurationVariables().TryGetValue("GCDynamicAdaptationMode", out var mode)
            && Convert.ToInt64(mode, CultureInfo.InvariantCulture) == 0;

    /// <summary>
    /// The replay is measured under the GC auditors run it with. This project keeps the node's default (adaptation on) for
    /// the other benchmarks' in-process node, so the replay runs in a child process configured like the CLI.
    /// </summary>
    private static async Task<int> RunLikeTheCliAsync(string[] args, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Started as `dotnet OffshoreLedger.Benchmarks.dll`, the host needs the assembly named again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(
            typeof(ReplayBenchmarkCommand).Assembly.Location);
        start.ArgumentList.Add("replay");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["DOTNET_GCDynamicAdaptationMode"] = "0";
        using var child = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException("The benchmark could not start itself.");
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        return child.ExitCode;
    }

    /// <summary>Every run must have seen the same history: a faster replay that read less would be no result.</summary>
    private static async Task<ReplayRun> Checked(Task<(ReplayRun Run, ReplayResult Result)> measured, ReplayResult expected)
    {
        var (run, result) = await measured;
        if (result.Digest != expected.Digest || result.Events.Count != expected.Events.Count)
        {
            throw new InvalidOperationException(
                $"A replay saw another history: digest {result.Digest}, {result.Events.Count} events; expected {expected.Digest}, " +
                $"{expected.Events.Count}.");
        }
        return run;
    }
}

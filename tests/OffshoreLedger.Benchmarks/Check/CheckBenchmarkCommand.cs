using System.Globalization;
using System.Runtime;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>
/// <c>check [--seconds N] [--output FILE]</c>: CheckCollateral over gRPC against an in-process node on its own
/// development chain, beside the same question asked by eth_call; writes the "Title check over gRPC" section of
/// BENCHMARKS.md.
/// </summary>
public static class CheckBenchmarkCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- check";

    public static readonly int[] Concurrency = [1, 16, 64];
    public const int Repeats = 3;
    public const int BatchKeys = 100;

    public const string SingleKeyPath = "gRPC CheckCollateral, index, 1 key";
    public const string BatchPath = "gRPC CheckCollateral, index, 100 keys";
    public const string EthCallPath = "eth_call keyState (Nethereum QueryHandler → anvil), 1 key";
    public const string ChainHeadPath = "gRPC CheckCollateral, CHAIN_HEAD, 1 key";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = Path.Combine(BenchmarkEnvironment.RepositoryRoot, "BENCHMARKS.md");
        var seconds = 3.0;
        var telemetry = CheckTelemetry.On;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s > 0:
                    seconds = s;
                    i++;
                    break;
                case "--telemetry" when i + 1 < args.Length && args[i + 1] is "on" or "off" or "metrics":
                    telemetry = args[++i] switch { "on" => CheckTelemetry.On, "off" => CheckTelemetry.Off,
                        _ => CheckTelemetry.MetricsOnly };
                    break;
                default:
                    Console.Error.WriteLine(
                        $"Usage: {Command} [--seconds N (per run, default 3)] [--telemetry on|metrics|off (metrics and trace spans, " +
                        "metrics alone, or neither; default on)] [--output FILE (default BENCHMARKS.md)]");
                    return 2;
            }
        }
        var runDuration = TimeSpan.FromSeconds(seconds);
        var warmUp = TimeSpan.FromSeconds(Math.Max(0.5, seconds / 3));

        // Disposing the ledger stops both nodes and anvil on every way out, including cancellation and failures.
        await using var ledger = await CheckLedger.StartAsync(Console.Out, cancellationToken, telemetry);
        await ledger.StopBankAsync();
        var environment = await BenchmarkEnvironment.CaptureAsync(ledger.Devnet.Chain, cancellationToken);
        var setup = new CheckSetup(
            CheckLedger.TitleCount, CheckLedger.KeysPerTitle, CheckLedger.PledgedTitleCount, ledger.PledgedKeys.Count,
            ledger.RegistrationTime, ledger.PledgeTime, warmUp, runDuration, Repeats,
            GCSettings.IsServerGC ? "server GC" : "workstation GC", LoadAverage: "",
            Telemetry: telemetry switch { CheckTelemetry.On => "metrics and trace spans recorded",
                CheckTelemetry.MetricsOnly => "metrics only", _ => "off" });
        Console.WriteLine(
            $"{ledger.Keys.Count:N0} keys registered in {ledger.RegistrationTime.TotalSeconds:0.0} s; {ledger.PledgedKeys.Count:N0} " +
            $"pledged in {ledger.PledgeTime.TotalSeconds:0.0} s.");

        using var grpc = new GrpcCheckClient(ledger.Url, ledger.ReadHeaders);
        using var ethCall = new EthCallCheckClient(ledger.Devnet.Chain.RpcUrl, ledger.Devnet.Consortium.ContractAddress);
        CheckPath[] paths =
        [
            grpc.Path(SingleKeyPath, ledger.Keys, 1, Consistency.Index),
            grpc.Path(BatchPath, ledger.Keys, BatchKeys, Consistency.Index),
            ethCall.Path(EthCallPath, ledger.Keys),
            grpc.Path(ChainHeadPath, ledger.Keys, 1, Consistency.ChainHead),
        ];

        var measurements = new List<CheckMeasurement>();
        var loadBefore = BenchmarksFile.LoadAverage();
        foreach (var path in paths)
        {
            foreach (var callers in Concurrency)
            {
                await LoadGenerator.RunAsync(path.Call, callers, path.KeysPerRequest, warmUp, cancellationToken);
                var runs = new List<LoadRun>(Repeats);
                for (var r = 0; r < Repeats; r++)
                {
                    var run = await LoadGenerator.RunAsync(path.Call, callers, path.KeysPerRequest, runDuration, cancellationToken);
                    runs.Add(run);
                    Console.WriteLine(FormattableString.Invariant(
                        BenchmarksFile.Joined(
                            $"{path.Name,-58} {callers,3} callers  run {r + 1}: {run.RequestsPerSecond,9:N0} req/s ",
                            $"{run.KeysPerSecond,10:N0} keys/s  p50 {run.P50Milliseconds:0.000} ms  p99 {run.P99Milliseconds:0.000} ms  ",
                            $"cpu {run.CpuMicrosecondsPerRequest:0} µs/req  GC pause {run.GcPause.TotalMilliseconds:0} ms  ",
                            $"{run.BytesPerRequest:N0} B/req")));
                }
                measurements.Add(new CheckMeasurement(path, callers, runs));
            }
        }

        setup = setup with { LoadAverage = $"{loadBefore} before measuring, {BenchmarksFile.LoadAverage()} after" };

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var section = CheckReportDocument.Render(environment, setup, measurements, command);
        var existing = File.Exists(output) ? await File.ReadAllTextAsync(output, cancellationToken) : null;
        await File.WriteAllTextAsync(output, CheckReportDocument.Merge(existing, section), cancellationToken);
        Console.WriteLine();
        Console.Write(section);
        Console.WriteLine();
        Console.WriteLine($"Written to {output}");
        return 0;
    }
}

using System.Globalization;
using System.Text;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>Renders the "Title check over gRPC" section of BENCHMARKS.md and puts it in place beside other sections.</summary>
public static class CheckReportDocument
{
    public const string Heading = "## Title check over gRPC";

    public const double SingleKeyChecksTarget = 20_000;
    public const double SingleKeyP99TargetMilliseconds = 2.0;
    public const double BatchKeysTarget = 200_000;

    /// <summary><paramref name="existing"/> with this section replaced (or appended), or a new file holding it.</summary>
    public static string Merge(string? existing, string section) => BenchmarksFile.Merge(existing, section);

    public static string Render(
        BenchmarkEnvironment environment, CheckSetup setup, IReadOnlyList<CheckMeasurement> measurements, string command)
    {
        var md = new StringBuilder();
        md.AppendLine(Heading);
        md.AppendLine();
        md.AppendLine(
            "Generated — rerun the command instead of editing. A bank's question \"is this collateral already registered or pledged?\"");
        md.AppendLine(
            "asked of a node's `CheckCollateral` over gRPC (answered from the node's index), beside the same question put straight");
        md.AppendLine("to the chain by `eth_call` of the contract's `keyState` view, and through the node with `Consistency=CHAIN_HEAD`.");
        md.AppendLine();
        md.AppendLine($"- Command: `{command}`");
        md.AppendLine($"- Date: {environment.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        md.AppendLine($"- Machine: {environment.Machine}; {environment.Runtime}, {setup.GarbageCollector}");
        md.AppendLine(
            $"- Chain: anvil {environment.Anvil}, hardfork {environment.Hardfork}; contract {environment.Bytecode} (solc " +
            $"{environment.Solc})");
        md.AppendLine($"- Commit: {environment.Commit}");
        md.AppendLine(
            "- **One machine for everything: the load generator, the node (Kestrel, in the same process) and anvil (its own process) " +
            $"share the {Environment.ProcessorCount} cores.** The figures are a floor for the node on a machine of its own, and the " +
            "callers' own CPU counts against it.");
        md.AppendLine(
            $"- Load average (1 / 5 / 15 min): {setup.LoadAverage}. Anything above ~2 is other work competing for the same cores (e.g. " +
            "builds and tests running beside the benchmark), which shows mostly in p99 and in the spread between runs.");
        md.AppendLine();
        md.AppendLine("### Setup");
        md.AppendLine();
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- The carrier's node, started in-process by `LedgerNodeApp.BuildAsync` on a fresh development chain ",
                $"(`Devnet:Member=carrier`, logging at Warning, telemetry: {setup.Telemetry}), issued {setup.Titles:N0} titles of ",
                $"{setup.KeysPerTitle} random keys each ({setup.Titles * setup.KeysPerTitle:N0} keys) through `RegisterTitle`, 16 ",
                $"requests in flight, in {setup.RegistrationTime.TotalSeconds:0.0} s.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- A second in-process node on the same chain, serving as bank A, pledged {setup.PledgedTitles} of the titles ",
                $"({setup.PledgedKeys:N0} keys) in pledges of {CheckLedger.TitlesPerPledge} titles, in ",
                $"{setup.PledgeTime.TotalSeconds:0.0} s; it was stopped before measuring. Every key was then checked once to answer ",
                $"live, and locked exactly when pledged.")));
        md.AppendLine(
            "- gRPC: one `GrpcChannel` (h2c, `SocketsHttpHandler` with `EnableMultipleHttp2Connections`) shared by all callers, HTTP/2 " +
            "multiplexing their calls, with the read-scoped API key in `x-api-key`. Requests are built before measuring: 1,024 of them, " +
            "each of keys drawn at random from the registered keys (a quarter of them pledged).");
        md.AppendLine(
            "- eth_call: Nethereum's `QueryHandler<KeyStateFunction>` at the latest block, over one `HttpClient` with no connection cap " +
            "(HTTP/1.1, so one connection per concurrent caller), cycling through the registered keys.");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Closed loop: N callers each send the next request when the previous one answers. Per configuration: a ",
                $"{setup.WarmUp.TotalSeconds:0.#} s warm-up, then {setup.Repeats} runs of {setup.RunDuration.TotalSeconds:0.#} s; the ",
                $"table shows the run with the median throughput (its p50/p99 over every request of the run), and the range of the ",
                $"{setup.Repeats} runs.")));
        md.AppendLine();

        AppendTargets(md, measurements);

        md.AppendLine("### Figures");
        md.AppendLine();
        md.AppendLine(
            "| Path | Keys / request | Callers | Checks/s (requests) | Keys/s | p50 ms | p99 ms | Checks/s, all runs | CPU µs / request " +
            "| KB allocated / request | GC pause, % of run |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measurements)
        {
            var median = m.Median;
            md.AppendLine(Invariant(
                BenchmarksFile.Joined(
                    $"| {m.Path.Name} | {m.Path.KeysPerRequest} | {m.Callers} | {median.RequestsPerSecond:N0} | ",
                    $"{median.KeysPerSecond:N0} | {median.P50Milliseconds:0.000} | {median.P99Milliseconds:0.000} | ",
                    $"{m.SlowestRequestsPerSecond:N0}–{m.FastestRequestsPerSecond:N0} | {median.CpuMicrosecondsPerRequest:N0} | ",
                    $"{median.BytesPerRequest / 1024:N1} | {100 * median.GcPause / median.Elapsed:0.0} |")));
        }
        md.AppendLine();
        md.AppendLine(
            "CPU µs, KB allocated and GC pause are this process's (callers and node together, plus the node's background sync polling;");
        md.AppendLine(
            "anvil's own process not included), divided over the run's requests: less sensitive to other load than throughput. With one");
        md.AppendLine("caller the CPU figure is inflated by thread-pool and socket threads spinning while they wait for the next request.");
        md.AppendLine();
        return md.ToString();
    }

    private static void AppendTargets(StringBuilder md, IReadOnlyList<CheckMeasurement> measurements)
    {
        CheckMeasurement[] Of(string path) => [.. measurements.Where(m => m.Path.Name == path)];
        var single = Of(CheckBenchmarkCommand.SingleKeyPath);
        var batch = Of(CheckBenchmarkCommand.BatchPath);
        var ethCall = Of(CheckBenchmarkCommand.EthCallPath);

        // Throughput and p99 must hold together, at one concurrency (Little's law rules out both at 64 callers: 64 / 20,000/s = 3.2 ms
        // mean).
        var singleMet = single.Where(
            m => m.Median.RequestsPerSecond >= SingleKeyChecksTarget && m.Median.P99Milliseconds <= SingleKeyP99TargetMilliseconds)
            .OrderByDescending(m => m.Median.RequestsPerSecond).FirstOrDefault();
        var singleBest = singleMet ?? single.OrderByDescending(m => m.Median.RequestsPerSecond).First();
        var batchBest = batch.OrderByDescending(m => m.Median.KeysPerSecond).First();
        var ahead = CheckBenchmarkCommand.Concurrency.Select(c =>
        {
            var eth = ethCall.Single(m => m.Callers == c).Median.KeysPerSecond;
            return (Callers: c, Eth: eth,
                Single: single.Single(m => m.Callers == c).Median.KeysPerSecond,
                Batch: batch.Single(m => m.Callers == c).Median.KeysPerSecond);
        }).ToList();
        var singleAhead = ahead.All(a => a.Single > a.Eth);
        var batchAhead = ahead.All(a => a.Batch > a.Eth);

        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| Target | Measured | Met? |");
        md.AppendLine("|---|---|:---:|");
        md.AppendLine(Invariant(
            BenchmarksFile.Joined(
                $"| Single-key checks ≥ {SingleKeyChecksTarget:N0}/s with p99 ≤ {SingleKeyP99TargetMilliseconds:0} ms (both at one ",
                $"concurrency) | best: {singleBest.Median.RequestsPerSecond:N0}/s, p99 {singleBest.Median.P99Milliseconds:0.00} ms at ",
                $"{singleBest.Callers} callers | {Met(singleMet is not null)} |")));
        md.AppendLine(Invariant(
            BenchmarksFile.Joined(
                $"| Batched 100-key checks ≥ {BatchKeysTarget:N0} keys/s | best: {batchBest.Median.KeysPerSecond:N0} keys/s at ",
                $"{batchBest.Callers} callers | {Met(batchBest.Median.KeysPerSecond >= BatchKeysTarget)} |")));
        md.AppendLine(Invariant(
            BenchmarksFile.Joined(
                $"| Single-key gRPC ahead of eth_call at equal concurrency | ",
                $"{string.Join("; ", ahead.Select(a => $"{a.Callers}: {a.Single:N0} vs {a.Eth:N0}/s ({a.Single / a.Eth:0.0}×)"))} | ",
                $"{Met(singleAhead)} |")));
        md.AppendLine(Invariant(
            BenchmarksFile.Joined(
                $"| Batched gRPC ahead of eth_call at equal concurrency (keys/s) | ",
                $"{string.Join("; ", ahead.Select(a => $"{a.Callers}: {a.Batch:N0} vs {a.Eth:N0} ({a.Batch / a.Eth:0}×)"))} | ",
                $"{Met(batchAhead)} |")));
        md.AppendLine();
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

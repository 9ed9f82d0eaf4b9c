using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Diagnostics.NETCore.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Storage;
using static OffshoreLedger.Benchmarks.BenchmarksFile;

namespace OffshoreLedger.Benchmarks.Memory;

/// <summary>
/// <c>memory [--titles N] [--output FILE]</c>: fills a fresh development chain with titles, then lets a fresh node in a
/// process of its own sync and index them, and reads its resident memory; writes the "Node memory" section.
/// </summary>
public static class MemoryBenchmarkCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- memory";
    public const string Heading = "## Node memory";
    public const int DefaultTitles = 100_000;

    /// <summary>Issue 16's targets, in MB (10^6 bytes): ≤ 250 MB up to 100,000 titles, ≤ 300 MB at 1,000,000.</summary>
    private static double RssTargetMb(int titles) => titles > 100_000 ? 300 : 250;

    private const double BytesPerMib = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var usage =
            $"Usage: {Command} [--titles N (default {DefaultTitles:N0})] [--window-blocks N (the node's Chain:LogWindowBlocks; default: " +
            "the node's own)] [--titles-per-block N (default " +
            $"{TitleFactory.DefaultTitlesPerBlock}; more makes a large chain faster to build)] [--output FILE]";
        if (BenchmarkArguments.Parse(args, usage, "--titles", "--window-blocks", "--titles-per-block") is not { } arguments) return 2;
        var titles = arguments.Int("--titles", DefaultTitles);
        var windowBlocks = arguments.Int("--window-blocks", 0);
        var titlesPerBlock = arguments.Int("--titles-per-block", TitleFactory.DefaultTitlesPerBlock);

        Console.WriteLine("Starting a fresh development chain and consortium…");
        await using var chain = await AnvilChain.StartAsync(
            new AnvilOptions { GasLimit = TitleFactory.BlockGasLimit(titlesPerBlock) }, cancellationToken);
        var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
        var environment = await BenchmarkEnvironment.CaptureAsync(chain, cancellationToken);
        var loadBefore = LoadAverage();

        // Sample trades first, through members' nodes (stopped before the bulk): what VerifyTrade asks about at this scale.
        var consortiumSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Console.WriteLine($"Putting {SampleTrades} sample trades on the ledger through the trader's, port's and carrier's nodes…");
        var trades = await PrepareTradesAsync(chain, consortium, consortiumSecret, cancellationToken);

        Console.WriteLine($"Registering {titles:N0} titles on the chain ({titlesPerBlock:N0} to a block)…");
        var factory = new TitleFactory(chain, consortium, titlesPerBlock);
        var building = await factory.RegisterAsync(
            titles, new Progress<int>(n => { if (n % 10_000 == 0 || n == titles) Console.WriteLine($"  {n:N0} registered"); }),
            cancellationToken);
        var head = (ulong)(await chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"{titles:N0} titles on chain in {building.TotalSeconds:0.0} s ({titles / building.TotalSeconds:N0}/s); head block ",
                $"{head:N0}.")));

        // The bound for a catch-up: the same logs fetched raw by eth_getLogs (~2,000 logs an answer, as the node asks), counted.
        var raw = await RawLogsAsync(chain, consortium, head, titlesPerBlock, cancellationToken);
        Console.WriteLine(
            Invariant(
            $"Raw eth_getLogs: {raw.Logs:N0} logs in {raw.Time.TotalSeconds:0.0} s ({raw.Logs / raw.Time.TotalSeconds:N0} logs/s)."));

        var directory = Directory.CreateTempSubdirectory("offshore-bench-memory-").FullName;
        try
        {
            var readKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            var settings = await PrepareNodeAsync(chain, consortium, consortiumSecret, directory, readKey, windowBlocks, cancellationToken);
            Console.WriteLine("Starting a fresh auditor's node in its own process; it syncs and indexes the chain…");
            var clock = Stopwatch.StartNew();
            await using var node = await NodeProcess.StartAsync(
                [.. settings, .. BenchmarkLimits.Arguments], TimeSpan.FromSeconds(120), cancellationToken: cancellationToken);
            using var channel = GrpcChannel.ForAddress(node.Url);
            var read = new Metadata { { ApiKeys.Header, readKey } };
            var info = new NodeService.NodeServiceClient(channel);
            // The catch-up proper: from the first answer (the block the node had reached by then) to the head.
            var firstAnswer = TimeSpan.Zero;
            ulong firstBlock = 0;
            async Task<ulong?> SyncedAsync()
            {
                try
                {
                    var answer = await info.GetNodeInfoAsync(new GetNodeInfoRequest(), read, cancellationToken: cancellationToken);
                    return answer.Synced?.BlockNumber;
                }
                catch (RpcException e)
                {
                    throw new InvalidOperationException(
                        $"The node stopped answering while catching up ({e.Status.Detail}); its last output:{Environment.NewLine}{
                            node.RecentOutput()}", e);
                }
            }
            while (await SyncedAsync() is var synced && synced < head)
            {
                if (firstAnswer == TimeSpan.Zero) (firstAnswer, firstBlock) = (clock.Elapsed, synced ?? 0);
                await Task.Delay(50, cancellationToken);
            }
            var sync = clock.Elapsed;
            (long Logs, TimeSpan Time) catchUp = firstAnswer == TimeSpan.Zero
                ? (0L, TimeSpan.Zero)
                : ((long)(raw.Logs * (double)(head - Math.Max(
                    firstBlock, consortium.DeploymentBlock)) / (head - consortium.DeploymentBlock)), sync - firstAnswer);
            Console.WriteLine(
                Invariant($"Synced to block {head:N0} in {sync.TotalSeconds:0.0} s ({titles / sync.TotalSeconds:N0} titles/s)."));
            await CheckIndexedAsync(new TitleService.TitleServiceClient(channel), read, (ulong)titles, cancellationToken);

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var idle = ProcessMemory.Of(node.Id);
            await InduceFullCollectionAsync(node.Id, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var collected = ProcessMemory.Of(node.Id);
            Console.WriteLine(
                Invariant(
                BenchmarksFile.Joined(
                    $"Node RSS idle after sync {idle.RssMib:N0} MiB, after a full GC {collected.RssMib:N0} MiB (anonymous ",
                    $"{collected.AnonMib:N0}, file-backed {collected.FileMib:N0}); peak {collected.PeakMib:N0} MiB.")));

            // A restart on the populated store (the process killed, as a crash would): time to the first check answered.
            await node.DisposeAsync();
            var restartClock = Stopwatch.StartNew();
            await using var restarted = await NodeProcess.StartAsync(
                [.. settings, .. BenchmarkLimits.Arguments], TimeSpan.FromSeconds(120), cancellationToken: cancellationToken);
            using var restartedChannel = GrpcChannel.ForAddress(restarted.Url);
            await CheckIndexedAsync(new TitleService.TitleServiceClient(restartedChannel), read, (ulong)titles, cancellationToken);
            var restart = restartClock.Elapsed;
            Console.WriteLine(
                Invariant($"Restarted on its store: first check answered {restart.TotalSeconds:0.00} s after the process start."));

            Console.WriteLine("Reads at this scale, from this process (the node's callers are not in its process)…");
            Console.WriteLine(
                $"  idle releases before the reads: {restarted.AllOutput().Split('\n').Count(l => l.Contains(IdleMemoryRelease.LogMark))}");
            var reads = await ScaleReads.MeasureAsync(restartedChannel, read, factory.SampleKeys, trades, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var afterReads = ProcessMemory.Of(restarted.Id);
            // A node that stays idle hands back what the load grew (IdleMemoryRelease, after a whole quiet interval).
            var trace = new List<double> { afterReads.RssMib };
            for (var second = 4; second <= IdleAfterReads.TotalSeconds; second++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                trace.Add(ProcessMemory.Of(restarted.Id).RssMib);
            }
            Console.WriteLine(
                Invariant($"  RSS MiB each second from 3 s after the reads: {string.Join(' ', trace.Select(r => r.ToString("0")))}"));
            var idleAfterReads = ProcessMemory.Of(restarted.Id);
            var releases = restarted.AllOutput().Split('\n').Where(l => l.Contains(IdleMemoryRelease.LogMark, StringComparison.Ordinal)
                || l.Contains(IdleMemoryRelease.LookMark, StringComparison.Ordinal));
            foreach (var line in releases) Console.WriteLine($"  node: {line.Trim()}");
            Console.WriteLine(
                Invariant(
                    $"Restarted node's RSS after the reads: {afterReads.RssMib:N0} MiB 3 s after, {idleAfterReads.RssMib:N0} MiB {
                        IdleAfterReads.TotalSeconds:N0} s after."));

            var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
            var section = Render(
                environment, command, $"{loadBefore} before measuring, {LoadAverage()} after", titles, titlesPerBlock, head, building, sync,
                idle, collected, raw, catchUp, restart, reads, afterReads, idleAfterReads);
            await WriteSectionAsync(arguments.Output, section, cancellationToken);
            return 0;
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* a leftover temporary directory is harmless */ }
        }
    }

    private static async Task<IEnumerable<string>> PrepareNodeAsync(
        AnvilChain chain, DevConsortium consortium, string consortiumSecret, string directory, string readKey, int windowBlocks,
        CancellationToken cancellationToken)
    {
        var identity = NodeIdentity.Write(directory, chain.Accounts[consortium.Member("auditor").Account].PrivateKey, consortiumSecret);
        // The sample trades' parties are known to it, as to the devnet's banks.
        var settings = identity.Settings(
                chain.RpcUrl, consortium.ContractAddress, consortium.DeploymentBlock, directory, [new("bench-read", readKey, Scopes.Read)])
            with { Counterparties = SampleCounterparties.For(consortium.Member("trader").Address) };
        return windowBlocks == 0
            ? settings.ToArguments().Append(IdleReleaseLogged)
            : settings.ToArguments().Append(IdleReleaseLogged)
                .Append($"--{ChainOptions.Section}:{nameof(ChainOptions.LogWindowBlocks)}={windowBlocks}");
    }

    private const int SampleTrades = 10;

    /// <summary>The node's idle memory releases are logged (the node's processes log warnings only).</summary>
    private static readonly string IdleReleaseLogged = $"--Logging:LogLevel:{typeof(IdleMemoryRelease).FullName}=Debug";

    /// <summary>
    /// <see cref="SampleTrades"/> trades put on the ledger as the verification benchmark does (the port attests, the carrier
    /// issues the B/L's title to the trader, who anchors five documents), through members' nodes in this process that stop
    /// once done; the requests a bank's VerifyTrade receives for them.
    /// </summary>
    private static async Task<VerifyTradeRequest[]> PrepareTradesAsync(
        AnvilChain chain, DevConsortium consortium, string consortiumSecret, CancellationToken cancellationToken)
    {
        await using var members = DevnetNodes.Join(chain, consortium, consortiumSecret);
        var trader = await members.StartMemberAsync("trader", null, cancellationToken);
        var port = await members.StartMemberAsync("port", null, cancellationToken);
        var carrier = await members.StartMemberAsync("carrier", null, cancellationToken);
        var trades = new VerifyTradeRequest[SampleTrades];
        for (var i = 0; i < trades.Length; i++)
        {
            using var files = SampleTrade.Fresh();
            trades[i] = await BenchmarkTrades.PrepareAsync(files, trader, port, carrier, cancellationToken);
        }
        return trades;
    }

    /// <summary>Every log of the contract up to <paramref name="head"/>, fetched in ~2,000-log windows and counted, timed.</summary>
    private static async Task<(long Logs, TimeSpan Time)> RawLogsAsync(
        AnvilChain chain, DevConsortium consortium, ulong head, int titlesPerBlock, CancellationToken cancellationToken)
    {
        using var reader = new Ledger.Replay.EthLogReader(new Uri(chain.RpcUrl), consortium.ContractAddress);
        var blocksPerAnswer = (ulong)Math.Max(1, 2_000 / titlesPerBlock);
        var clock = Stopwatch.StartNew();
        long logs = 0;
        for (var from = consortium.DeploymentBlock; from <= head; from += blocksPerAnswer)
        {
            logs += await reader.CountLogsAsync(from, Math.Min(head, from + blocksPerAnswer - 1), cancellationToken);
        }
        return (logs, clock.Elapsed);
    }

    /// <summary>The index holds every title: the first and the last are live.</summary>
    private static async Task CheckIndexedAsync(
        TitleService.TitleServiceClient titles, Metadata read, ulong count, CancellationToken cancellationToken)
    {
        var response = await titles.CheckCollateralAsync(
            new CheckCollateralRequest { TitleIds = { 1UL, count } }, read, cancellationToken: cancellationToken);
        if (response.Titles.Any(t => t.Status != Api.V1.TitleStatus.Live)) throw new InvalidOperationException(
            $"The node does not index every title: {response}");
    }

    /// <summary>
    /// A blocking full garbage collection in the node's process, from outside: an EventPipe session with the runtime's
    /// GCHeapCollect keyword makes the runtime collect, as dotnet-gcdump does.
    /// </summary>
    private static async Task InduceFullCollectionAsync(int pid, CancellationToken cancellationToken)
    {
        const long GcKeyword = 0x1, GcHeapCollectKeyword = 0x800000;
        var client = new DiagnosticsClient(pid);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
            requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await session.StopAsync(cancellationToken);
        await drain;
    }

    /// <summary>The memory fixes one by one (see the section's "Before and after"): node, titles, VmRSS MiB after a full GC.</summary>
    private static readonly (string Node, int Titles, double RssMib)[] History =
    [
        ("Before (4744f8b), `Chain:LogWindowBlocks=50` (20,000 logs an answer)", 100_000, 1_100),
        ("Before (4744f8b), `Chain:LogWindowBlocks=50`", 20_000, 441),
        ("Keys as 32-byte values, shared strings, 16 MB events memtable (c607fa6), same window", 20_000, 401),
        ("+ log window adapting to ~2,000 logs an answer (default settings from here on)", 20_000, 309),
        ("+ one aggressive compacting GC when a long catch-up reaches the head", 20_000, AggressiveAt20k),
        ("Read model in memory, the last measurement (2026-11-29)", 100_000, 380),
        ("Read model on disk (5b51d91, load 5)", 100_000, 402),
        ("+ catch-up step buffers trimmed, the log reader's buffer let go (quiet)", 100_000, 372),
        ("+ glibc's thresholds fixed at 128 KiB (`NativeHeap`), the node of 8 December 00:06 UTC (quiet)", 100_000, 188),
    ];

    private const double AggressiveAt20k = 218;

    /// <summary>How long the restarted node is left idle after the reads: two of its idle-release intervals and a margin.</summary>
    private static readonly TimeSpan IdleAfterReads = IdleMemoryRelease.Interval * 2 + TimeSpan.FromSeconds(5);

    private static string Render(
        BenchmarkEnvironment environment, string command, string loadAverage, int titles, int titlesPerBlock, ulong head, TimeSpan building,
        TimeSpan sync, ProcessMemory idle, ProcessMemory collected, (long Logs, TimeSpan Time) raw, (long Logs, TimeSpan Time) caughtUp,
        TimeSpan restart, ScaleReads reads, ProcessMemory afterReads, ProcessMemory idleAfterReads)
    {
        var catchUp = caughtUp.Time > TimeSpan.Zero ? caughtUp.Logs / caughtUp.Time.TotalSeconds : 0;
        var rawRate = raw.Logs / raw.Time.TotalSeconds;
        var md = new StringBuilder();
        // Each scale has its own section: the default's, and "at 10,000 titles", "at 1,000,000 titles" beside it.
        md.AppendLine(titles == DefaultTitles ? Heading : Invariant($"{Heading} at {titles:N0} titles"));
        md.AppendLine();
        md.AppendLine(
            "Generated — rerun the command instead of editing. The resident memory of a node that has synced and indexed a chain");
        md.AppendLine("holding many titles. Since issue 16 its read model is on disk (RocksDB column families and a 32 MiB block cache),");
        md.AppendLine("so memory no longer grows with the ledger; a restarted node serves from its store at once.");
        md.AppendLine();
        AppendRunFacts(
            md, environment, command, loadAverage,
            "this tool (which builds the chain), the node (its own process) and anvil (its own process)");
        md.AppendLine();
        md.AppendLine("### Setup");
        md.AppendLine();
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- First, {SampleTrades} sample trades through the trader's, port's and carrier's nodes (in this tool's process, ",
                $"stopped before the bulk): the port attests, the carrier issues the B/L's title to the trader, who anchors five ",
                $"documents. They are what VerifyTrade asks about below.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- A fresh development chain and consortium. The carrier's registrations (to the trader, on one lot the port attested) ",
                $"are pre-signed ({nameof(Node.Chain.TransactionSigner)}, NBitcoin.Secp256k1, both cores) and sent as JSON-RPC batches ",
                $"with automine off, {titlesPerBlock:N0} to a block (`evm_mine`): {titles:N0} titles of ",
                $"{TitleFactory.KeysPerTitle} random keys each ({titles * TitleFactory.KeysPerTitle:N0} keys), in ",
                $"{building.TotalSeconds:0.0} s ({titles / building.TotalSeconds:N0} titles/s), up to block {head:N0}. The contract's ",
                $"`counts()` confirms every one.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Then a fresh node (the auditor's, default settings; its `eth_getLogs` window adapts to the chain's density: ",
                $"~{Ledger.Replay.LogWindow.DefaultTargetLogs:N0} logs an answer, at least one block) starts in a process of its own ",
                $"(`dotnet OffshoreLedger.Node.dll`, server GC, as deployed), ",
                $"syncs from the deployment block and indexes every event; it took {sync.TotalSeconds:0.0} s from process start to the ",
                $"head ({titles / sync.TotalSeconds:N0} titles/s), and answers the first and the last title as live.")));
        md.AppendLine(
            "- Memory is the node process's `/proc/PID/status`: VmRSS 3 s after it synced (idle), and again after a blocking full GC " +
            "induced from outside (an EventPipe session with the runtime's GCHeapCollect keyword, as dotnet-gcdump does); VmHWM is the " +
            "peak, reached while syncing.");
        md.AppendLine();
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| Target | Measured | Met? |");
        md.AppendLine("|---|---|:---:|");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Node RSS ≤ {RssTargetMb(titles):N0} MB after indexing {titles:N0} titles (after a full GC) | ",
                $"{collected.RssMib * BytesPerMib / 1e6:N0} MB = {collected.RssMib:N0} MiB (idle before the GC: {idle.RssMib:N0} MiB) | ",
                $"{Met(collected.RssMib * BytesPerMib / 1e6 <= RssTargetMb(titles))} |")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Node RSS ≤ {RssTargetMb(titles):N0} MB synced, idle, after a check load (the restarted node, idle ",
                $"{IdleAfterReads.TotalSeconds:N0} s after the reads below; no GC induced from outside) | ",
                $"{idleAfterReads.RssMib * BytesPerMib / 1e6:N0} MB = {idleAfterReads.RssMib:N0} MiB (3 s after: {afterReads.RssMib:N0} ",
                $"MiB) | {Met(idleAfterReads.RssMib * BytesPerMib / 1e6 <= RssTargetMb(titles))} |")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| A fresh node's catch-up ≥ 80 % of the raw eth_getLogs rate (same run) | ",
                $"{catchUp:N0} logs/s ({caughtUp.Logs:N0} logs from its first answer to the head in {caughtUp.Time.TotalSeconds:0.0} s) ",
                $"vs {rawRate:N0} logs/s raw ({raw.Logs:N0} in {raw.Time.TotalSeconds:0.0} s): {catchUp / rawRate:P0} | ",
                $"{Met(catchUp >= 0.8 * rawRate)} |")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Restart to serving ≤ 5 s (first check answered, process killed and started again on its store) | ",
                $"{restart.TotalSeconds:0.00} s | {Met(restart.TotalSeconds <= 5)} |")));
        var (bestCallers, best) = reads.BestCheckWithin(p99Milliseconds: 2);
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Single-key check ≥ 20,000/s with p99 ≤ 2 ms, callers in their own process: the fastest caller count within ",
                $"the p99 bound (the issue sets it at 1,000,000 titles) | ",
                $"{best.RequestsPerSecond:N0}/s, p99 {best.P99Milliseconds:0.00} ms ({bestCallers} callers) | ",
                $"{Met(best.RequestsPerSecond >= 20_000 && best.P99Milliseconds <= 2)} |")));
        md.AppendLine();
        md.AppendLine("### Reads at this scale");
        md.AppendLine();
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"The restarted node, asked by this tool's process over gRPC (h2c, a read-scoped API key) for ",
                $"{ScaleReads.Run.TotalSeconds:0} s a path after a 1 s warm-up, each caller sending its next request when the last is ",
                $"answered. Keys and titles are drawn from every {TitleFactory.SampleEvery}th registration; VerifyTrade asks about ",
                $"{SampleTrades} sample trades put on the ledger before the bulk (each must PASS). Title history and VerifyTrade at ",
                $"1,000,000 titles are to be within 1.5× of their 10,000-title values: run this command with `--titles 10000` and ",
                $"`--titles 1000000` and compare.")));
        md.AppendLine();
        foreach (var line in reads.TableLines()) md.AppendLine(line);
        md.AppendLine();
        md.AppendLine("### Figures");
        md.AppendLine();
        md.AppendLine("| When | VmRSS MiB | of which anonymous (heaps) | of which file-backed (code, mapped files) | Peak (VmHWM) MiB |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(
            Invariant($"| Idle, 3 s after sync | {idle.RssMib:N0} | {idle.AnonMib:N0} | {idle.FileMib:N0} | {idle.PeakMib:N0} |"));
        md.AppendLine(
            Invariant(
            $"| After a full GC | {collected.RssMib:N0} | {collected.AnonMib:N0} | {collected.FileMib:N0} | {collected.PeakMib:N0} |"));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Restarted on its store, idle 3 s after the reads above | {afterReads.RssMib:N0} | {afterReads.AnonMib:N0} | ",
                $"{afterReads.FileMib:N0} | {afterReads.PeakMib:N0} |")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| Restarted on its store, idle {IdleAfterReads.TotalSeconds:N0} s after the reads above | {idleAfterReads.RssMib:N0} | ",
                $"{idleAfterReads.AnonMib:N0} | {idleAfterReads.FileMib:N0} | {idleAfterReads.PeakMib:N0} |")));
        md.AppendLine();
        md.AppendLine("### Before and after");
        md.AppendLine();
        md.AppendLine(
            "Fixed figures from this command on 2026-11-29 (busy machine, load average 10–18; memory is little affected by load).");
        md.AppendLine("Before, the node kept every collateral key as a 66-character hex string, RocksDB's 64 MB memtables, a fixed");
        md.AppendLine("2,000-block log window (given 50 blocks here, or it would have fetched all 100,000 logs in one answer), and the");
        md.AppendLine("heap it grew while catching up. Each step is the node as committed, measured at 20,000 titles; the last column is");
        md.AppendLine("VmRSS after the induced full GC.");
        md.AppendLine();
        md.AppendLine("| Node | Titles | VmRSS MiB |");
        md.AppendLine("|---|---:|---:|");
        foreach (var (node, count, rss) in History) md.AppendLine(Invariant($"| {node} | {count:N0} | {rss:N0} |"));
        md.AppendLine(Invariant($"| This run | {titles:N0} | {collected.RssMib:N0} |"));
        md.AppendLine();
        md.AppendLine("Until issue 16 every title cost ~1.7 KB of live index in memory (the projection, and the decoded events kept for");
        md.AppendLine("history and watchers): 380 MiB at 100,000 titles (2026-11-29) and growing with the ledger. Since, the read model");
        md.AppendLine("is in RocksDB column families behind a 32 MiB block cache, all memtables together are capped at 32 MiB, and the");
        md.AppendLine(
            "live managed heap of a synced node is ~13 MB at 100,000 titles (dotnet-gcdump). What remained was native: glibc's");
        md.AppendLine(
            "malloc raises its mmap threshold each time RocksDB frees a large block (a step's write batch), keeping ~100 MiB of");
        md.AppendLine(
            "freed memory in its heap after a 100,000-title catch-up; the node now fixes both thresholds at start (`NativeHeap`),");
        md.AppendLine(
            "at 4 MiB since 8 December: at 128 KiB every memtable block was mapped afresh and faulted in page by page (a fifth");
        md.AppendLine(
            "of a catch-up's CPU in the kernel, perf); at 50,000 titles 4 MiB caught up ~45 % faster for ~9 MiB more after a GC.");
        md.AppendLine(
            "Other scales (`--titles 10000`, `--titles 1000000`) write sections of their own, named for their scale.");
        md.AppendLine();
        return md.ToString();
    }
}

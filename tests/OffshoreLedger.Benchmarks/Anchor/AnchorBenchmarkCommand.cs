using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Benchmarks.Check;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using static OffshoreLedger.Benchmarks.BenchmarksFile;
using ApiInclusionProof = OffshoreLedger.Api.V1.InclusionProof;
using InclusionProof = OffshoreLedger.Client.Merkle.InclusionProof;

namespace OffshoreLedger.Benchmarks.Anchor;

/// <summary>
/// One anchoring run: documents hashed by their owner, anchored through AnchorDocuments until every root is confirmed, then every proof
/// fetched.
/// </summary>
/// <param name="Documents">Documents anchored.</param>
/// <param name="Anchored">From the first document hashed to the last AnchorDocuments answered with its root confirmed on chain.</param>
/// <param name="ProofsFetched">Then fetching every document's proof by GetDocumentProof and checking it leads to its root.</param>
/// <param name="Transactions">Distinct roots, i.e. anchor transactions.</param>
/// <param name="ProcessCpu">CPU time of this process (caller and node) while anchoring.</param>
public sealed record AnchorRun(int Documents, TimeSpan Anchored, TimeSpan ProofsFetched, int Transactions, TimeSpan ProcessCpu)
{
    public double DocumentsPerSecond => Documents / Anchored.TotalSeconds;
    public double ProofsPerSecond => Documents / ProofsFetched.TotalSeconds;
}

/// <summary>
/// <c>anchor [--scale F] [--seconds N] [--output FILE]</c>: documents anchored per second end to end (hash, tree, transaction,
/// proofs ready) for 10,000 and 100,000 documents, and VerifyDocument per second and p50 over gRPC at 1, 16 and 64 callers,
/// against an in-process node on its own development chain; writes the "Document anchoring and verification" section.
/// </summary>
public static class AnchorBenchmarkCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- anchor";
    public const string Heading = "## Document anchoring and verification";

    public static readonly int[] DocumentCounts = [10_000, 100_000];
    public static readonly int[] VerifyConcurrency = [1, 16, 64];
    public const int Repeats = 3;
    public const int DocumentsPerRequest = 1_000;
    public const int RequestsInFlight = 16;
    public const int ProofFetchersInFlight = 16;

    public const double AnchoredTarget = 17_000;
    public const double VerifiedTarget = 3_000;
    public const double VerifyP50TargetMilliseconds = 1.0;

    public const string VerifyStoredPath = "VerifyDocument, hash only (the node's own stored proof)";
    public const string VerifyHandedPath = "VerifyDocument, hash + proof + root handed over";

    private const string InvoiceNumber = "LCC-INV-2026-0311";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var usage =
            $"Usage: {Command} [--scale F (fraction of the document counts, default 1)] [--seconds N (per verify run, default 3)] " +
            "[--output FILE]";
        if (BenchmarkArguments.Parse(args, usage, "--scale", "--seconds") is not { } arguments) return 2;
        var scale = arguments.Double("--scale", 1.0);
        var runDuration = TimeSpan.FromSeconds(arguments.Double("--seconds", 3.0));
        var warmUp = TimeSpan.FromSeconds(Math.Max(0.5, runDuration.TotalSeconds / 3));
        var counts = DocumentCounts.Select(c => Math.Max(DocumentsPerRequest, (int)(c * scale))).ToArray();

        Console.WriteLine("Starting the trader's node on a fresh development chain…");
        await using var nodes = await DevnetNodes.StartAsync("trader", null, cancellationToken);
        var node = nodes.First;
        var environment = await BenchmarkEnvironment.CaptureAsync(nodes.Devnet.Chain, cancellationToken);
        var documents = new DocumentService.DocumentServiceClient(node.Channel);
        var template = await File.ReadAllTextAsync(
            Path.Combine(BenchmarkEnvironment.RepositoryRoot, "client-sdk", "samples", "sales-invoice.json"), cancellationToken);
        if (!template.Contains(InvoiceNumber, StringComparison.Ordinal)) throw new InvalidOperationException(
            "The sample invoice changed: its number is the placeholder.");

        var loadBefore = LoadAverage();
        var hashing = HashingAlone(template);
        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"Hashing alone, one thread: {hashing.Wall.TotalMicroseconds / HashingSample:0.0} µs per document ",
                $"({hashing.Cpu.TotalMicroseconds / HashingSample:0.0} µs CPU).")));
        Console.WriteLine("Warm-up: anchoring 2,000 documents…");
        await AnchorAsync(documents, node, template, "warm-up", 2 * DocumentsPerRequest, cancellationToken);

        var anchoring = new List<(int Count, List<AnchorRun> Runs)>();
        Anchored? last = null;
        foreach (var count in counts)
        {
            var runs = new List<AnchorRun>();
            for (var r = 0; r < Repeats; r++)
            {
                var (run, anchored) = await AnchorAsync(documents, node, template, $"{count}-{r}", count, cancellationToken);
                runs.Add(run);
                last = anchored;
                Console.WriteLine(
                    Invariant(
                    BenchmarksFile.Joined(
                        $"{count,7:N0} documents, run {r + 1}: {run.DocumentsPerSecond,8:N0} anchored/s ",
                        $"({run.Anchored.TotalSeconds:0.00} s, {run.Transactions} transactions); proofs fetched ",
                        $"{run.ProofsPerSecond:N0}/s")));
            }
            anchoring.Add((count, runs));
        }

        var verifyPaths = VerifyPaths(documents, node.Read, last!);
        var verifying = new List<CheckMeasurement>();
        foreach (var path in verifyPaths)
        {
            foreach (var callers in VerifyConcurrency)
            {
                await LoadGenerator.RunAsync(path.Call, callers, 1, warmUp, cancellationToken);
                var runs = new List<LoadRun>(Repeats);
                for (var r = 0; r < Repeats; r++)
                {
                    var run = await LoadGenerator.RunAsync(path.Call, callers, 1, runDuration, cancellationToken);
                    runs.Add(run);
                    Console.WriteLine(
                        Invariant(
                        BenchmarksFile.Joined(
                            $"{path.Name,-56} {callers,3} callers  run {r + 1}: {run.RequestsPerSecond,8:N0}/s  p50 ",
                            $"{run.P50Milliseconds:0.000} ms  p99 {run.P99Milliseconds:0.000} ms")));
                }
                verifying.Add(new CheckMeasurement(path, callers, runs));
            }
        }

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var section = Render(
            environment, command, $"{loadBefore} before measuring, {LoadAverage()} after", hashing, anchoring, verifying, warmUp,
            runDuration);
        await WriteSectionAsync(arguments.Output, section, cancellationToken);
        return 0;
    }

    /// <summary>The documents of the last run, for verification: hash, root and proof of each.</summary>
    private sealed record Anchored(DocumentHash[] Hashes, ByteString[] Roots, ApiInclusionProof[] Proofs);

    private static async Task<(AnchorRun Run, Anchored Anchored)> AnchorAsync(
        DocumentService.DocumentServiceClient client, BenchmarkNode node, string template, string label, int count,
        CancellationToken cancellationToken)
    {
        var hashes = new DocumentHash[count];
        var roots = new ByteString[count];
        var proofs = new ApiInclusionProof[count];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        // The owner hashes each document (canonical JSON, SHA-256) and sends only hashes, DocumentsPerRequest to a request.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, (count + DocumentsPerRequest - 1) / DocumentsPerRequest),
            new ParallelOptions { MaxDegreeOfParallelism = RequestsInFlight, CancellationToken = cancellationToken },
            async (r, ct) =>
            {
                var (from, to) = (r * DocumentsPerRequest, Math.Min(count, (r + 1) * DocumentsPerRequest));
                var request = new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString() };
                for (var i = from; i < to; i++)
                {
                    hashes[i] = DocumentHasher.Hash(template.Replace(InvoiceNumber, $"BENCH-{label}-{i:D7}", StringComparison.Ordinal));
                    request.DocumentHashes.Add(ByteString.CopyFrom(hashes[i].Value));
                }
                var response = await client.AnchorDocumentsAsync(request, node.Write, cancellationToken: ct);
                if (response.Receipt.State != WriteState.Confirmed) throw new InvalidOperationException(
                    $"AnchorDocuments ended {response.Receipt.State}.");
                for (var i = from; i < to; i++) roots[i] = response.MerkleRoot;
            });
        var anchored = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        // Proofs are stored before the root is sent, so they are ready once it is confirmed: fetch and check every one.
        start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = ProofFetchersInFlight, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var response = await client.GetDocumentProofAsync(
                    new GetDocumentProofRequest { DocumentHash = ByteString.CopyFrom(hashes[i].Value) }, node.Read, cancellationToken: ct);
                if (response.MerkleRoot != roots[i]
                    || !MerkleProofVerifier.Verify(
                    hashes[i].Value, FromProto(response.Proof), roots[i].Span, (long)response.Proof.TreeSize))
                {
                    throw new InvalidOperationException($"Document {hashes[i]}'s proof does not lead to its anchored root.");
                }
                proofs[i] = response.Proof;
            });
        var fetched = Stopwatch.GetElapsedTime(start);
        return (new AnchorRun(count, anchored, fetched, roots.Distinct().Count(), cpu), new Anchored(hashes, roots, proofs));
    }

    private static CheckPath[] VerifyPaths(DocumentService.DocumentServiceClient client, Metadata read, Anchored anchored)
    {
        const int Pool = 4_096;
        var random = new Random(4_096);
        var picks = Enumerable.Range(0, Pool).Select(_ => random.Next(anchored.Hashes.Length)).ToArray();
        var byHash = picks.Select(i => new VerifyDocumentRequest { DocumentHash = ByteString.CopyFrom(anchored.Hashes[i].Value) })
            .ToArray();
        var handed = picks.Select(i => new VerifyDocumentRequest
        {
            DocumentHash = ByteString.CopyFrom(anchored.Hashes[i].Value), MerkleRoot = anchored.Roots[i], Proof = anchored.Proofs[i],
        }).ToArray();
        var options = new CallOptions(read);
        CheckPath Path(string name, VerifyDocumentRequest[] requests) => new(name, 1, async (_, sequence) =>
        {
            var response = await client.VerifyDocumentAsync(requests[sequence % Pool], options);
            if (!response.Anchored) throw new InvalidOperationException("VerifyDocument answered an anchored document as not anchored.");
        });
        return [Path(VerifyStoredPath, byHash), Path(VerifyHandedPath, handed)];
    }

    private const int HashingSample = 10_000;

    /// <summary>
    /// The caller's share, alone: hashing documents on one thread (JIT warmed first), wall time and the process's CPU time.
    /// </summary>
    private static (TimeSpan Wall, TimeSpan Cpu) HashingAlone(string template)
    {
        for (var i = 0; i < 500; i++) DocumentHasher.Hash(template.Replace(InvoiceNumber, $"WARM-{i:D7}", StringComparison.Ordinal));
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < HashingSample; i++) DocumentHasher.Hash(
            template.Replace(InvoiceNumber, $"ALONE-{i:D7}", StringComparison.Ordinal));
        var wall = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpuBefore);
    }

    private static InclusionProof FromProto(ApiInclusionProof proof) =>
        new((long)proof.LeafIndex, (long)proof.TreeSize, proof.AuditPath.Select(p => new ReadOnlyMemory<byte>(p.ToByteArray())));

    private static string Render(
        BenchmarkEnvironment environment, string command, string loadAverage, (TimeSpan Wall, TimeSpan Cpu) hashing,
        List<(int Count, List<AnchorRun> Runs)> anchoring,
        List<CheckMeasurement> verifying, TimeSpan warmUp, TimeSpan runDuration)
    {
        var md = new StringBuilder();
        md.AppendLine(Heading);
        md.AppendLine();
        md.AppendLine("Generated — rerun the command instead of editing. A document owner anchors its documents through its node's");
        md.AppendLine(
            "`AnchorDocuments` (only hashes leave the owner; the node batches them into Merkle trees and anchors each root in one");
        md.AppendLine("transaction), and anyone verifies a document through `VerifyDocument`.");
        md.AppendLine();
        AppendRunFacts(
            md, environment, command, loadAverage,
            "the caller, the node (Kestrel, RocksDB, outbox and chain sync, in the same process) and anvil (its own process)");
        md.AppendLine();
        md.AppendLine("### Setup");
        md.AppendLine();
        md.AppendLine(
            "- The trader's node, started in-process by `LedgerNodeApp.BuildAsync` on a fresh development chain (anvil automine, " +
            "`Devnet:Member=trader`, logging at Warning), with the default anchoring options (batches of up to 10,000 documents or 200 " +
            "ms).");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Anchoring, end to end: the caller hashes each document (a copy of `client-sdk/samples/sales-invoice.json` with its ",
                $"own invoice number: RFC 8785 canonical JSON, SHA-256, as the SDK does) and sends the hashes {DocumentsPerRequest:N0} ",
                $"to an `AnchorDocuments` request, {RequestsInFlight} requests in flight. The clock stops when the last request ",
                $"answers; each answers only once its batch's root is **confirmed** (mined, and applied by the node's index), and the ",
                $"node stores every proof before it sends the root, so every proof is then retrievable.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- The caller's hashing alone, on one thread before the runs: {hashing.Wall.TotalMicroseconds / HashingSample:0.0} µs ",
                $"per document of wall time, {hashing.Cpu.TotalMicroseconds / HashingSample:0.0} µs of CPU (the idle node's polling ",
                $"included); it is part of every anchoring run's time and CPU.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Then every document's proof is fetched with `GetDocumentProof` ({ProofFetchersInFlight} in flight) and checked to ",
                $"lead to the root its request returned (timed separately: proofs fetched/s).")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Each count is anchored {Repeats} times (fresh documents each time) after a 2,000-document warm-up; the table shows ",
                $"the median run and the range.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Verification: closed loop, N callers on one h2c channel, each sending the next `VerifyDocument` when the previous ",
                $"answers, over 4,096 documents of the last anchoring run; per configuration a {warmUp.TotalSeconds:0.#} s warm-up, ",
                $"then {Repeats} runs of {runDuration.TotalSeconds:0.#} s (the median run shown).")));
        md.AppendLine();

        var anchorMedians = anchoring.Select(
            a => (a.Count, Median: a.Runs.OrderBy(r => r.DocumentsPerSecond).ElementAt(a.Runs.Count / 2), a.Runs)).ToList();
        var verifyMet = verifying.Where(
            m => m.Median.RequestsPerSecond >= VerifiedTarget && m.Median.P50Milliseconds <= VerifyP50TargetMilliseconds)
            .OrderByDescending(m => m.Median.RequestsPerSecond).FirstOrDefault();
        var verifyBest = verifyMet ?? verifying.OrderByDescending(m => m.Median.RequestsPerSecond).First();
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| Target | Measured | Met? |");
        md.AppendLine("|---|---|:---:|");
        foreach (var (count, median, _) in anchorMedians)
        {
            md.AppendLine(
                Invariant(
                BenchmarksFile.Joined(
                    $"| ≥ {AnchoredTarget:N0} documents anchored/s end to end, {count:N0} documents | {median.DocumentsPerSecond:N0}/s ",
                    $"| {Met(median.DocumentsPerSecond >= AnchoredTarget)} |")));
        }
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| ≥ {VerifiedTarget:N0} verifications/s with p50 ≤ {VerifyP50TargetMilliseconds:0} ms (at one concurrency) | best: ",
                $"{verifyBest.Median.RequestsPerSecond:N0}/s, p50 {verifyBest.Median.P50Milliseconds:0.000} ms ({verifyBest.Path.Name}, ",
                $"{verifyBest.Callers} callers) | {Met(verifyMet is not null)} |")));
        md.AppendLine();

        md.AppendLine("### Anchoring");
        md.AppendLine();
        md.AppendLine(
            "| Documents | Anchored/s (median run) | Anchored/s, all runs | Seconds | Anchor transactions | CPU ms / 1,000 documents " +
            "(caller and node) | Proofs fetched and checked/s |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (count, m, runs) in anchorMedians)
        {
            md.AppendLine(Invariant(
                BenchmarksFile.Joined(
                    $"| {count:N0} | {m.DocumentsPerSecond:N0} | ",
                    $"{runs.Min(r => r.DocumentsPerSecond):N0}–{runs.Max(r => r.DocumentsPerSecond):N0} | ",
                    $"{m.Anchored.TotalSeconds:0.00} | {m.Transactions} | {m.ProcessCpu.TotalMilliseconds * 1000 / count:N0} | ",
                    $"{m.ProofsPerSecond:N0} |")));
        }
        md.AppendLine();
        var largest = anchorMedians[^1].Median;
        var cpuPerDocument = largest.ProcessCpu.TotalMicroseconds / largest.Documents;
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"Anchoring is CPU-bound: at {cpuPerDocument:N0} µs of CPU per document (caller and node together, anvil apart), ",
                $"{Environment.ProcessorCount} cores given wholly to this process would anchor at most ",
                $"~{Environment.ProcessorCount * 1_000_000 / cpuPerDocument:N0} documents/s; the caller's hashing is ",
                $"~{hashing.Cpu.TotalMicroseconds / HashingSample:0} µs of it. The wall-clock rate above is lower by whatever share of ",
                $"the cores other work took (see the load average).")));
        md.AppendLine();
        md.AppendLine("### Verification");
        md.AppendLine();
        md.AppendLine(
            "| Path | Callers | Verifications/s | p50 ms | p99 ms | Verifications/s, all runs | CPU µs / request | KB allocated / " +
            "request |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in verifying)
        {
            var median = m.Median;
            md.AppendLine(Invariant(
                BenchmarksFile.Joined(
                    $"| {m.Path.Name} | {m.Callers} | {median.RequestsPerSecond:N0} | {median.P50Milliseconds:0.000} | ",
                    $"{median.P99Milliseconds:0.000} | {m.SlowestRequestsPerSecond:N0}–{m.FastestRequestsPerSecond:N0} | ",
                    $"{median.CpuMicrosecondsPerRequest:N0} | {median.BytesPerRequest / 1024:N1} |")));
        }
        md.AppendLine();
        return md.ToString();
    }
}

using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Benchmarks.Check;
using static OffshoreLedger.Benchmarks.BenchmarksFile;

namespace OffshoreLedger.Benchmarks.Memory;

/// <summary>
/// What a bank asks of a node holding the whole ledger, sent from the benchmark's process (a bank's checking service is
/// never in the node's process): single-key checks of random registered keys at 1 to 64 callers, then title and key
/// histories and trade verifications (sample trades put on the ledger before the bulk of titles) one at a time. Each path is
/// warmed up, then run for <see cref="Run"/>.
/// </summary>
public sealed record ScaleReads(
    IReadOnlyList<(int Callers, LoadRun Run)> Checks, LoadRun TitleHistory, LoadRun KeyHistory, LoadRun VerifyTrade)
{
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly int[] Callers = [1, 4, 8, 16, 32, 64];

    /// <summary>
    /// The fastest single-key check run whose p99 is within <paramref name="p99Milliseconds"/> (a rate under a latency bound:
    /// by Little's law 64 callers at 20,000/s wait 3.2 ms on average, so the bound decides how many may be in flight); the
    /// fastest run of all when none is within it.
    /// </summary>
    public (int Callers, LoadRun Run) BestCheckWithin(double p99Milliseconds) =>
        Checks.Where(c => c.Run.P99Milliseconds <= p99Milliseconds).DefaultIfEmpty(Checks.MaxBy(c => c.Run.RequestsPerSecond))
            .MaxBy(c => c.Run.RequestsPerSecond);

    public static async Task<ScaleReads> MeasureAsync(
        GrpcChannel channel, Metadata read, IReadOnlyList<byte[]> sampleKeys, IReadOnlyList<VerifyTradeRequest> trades,
        CancellationToken cancellationToken)
    {
        var titles = new TitleService.TitleServiceClient(channel);
        var verification = new VerificationService.VerificationServiceClient(channel);
        var keys = sampleKeys.Select(ByteString.CopyFrom).ToArray();
        // Request n asks about sample (n × 7,919) mod the samples: spread over the ledger, never twice in a row. Sample i is
        // the first key of title 1 + i × SampleEvery.
        int SampleAt(long sequence) => (int)((ulong)(sequence * 7_919) % (ulong)keys.Length);
        ByteString KeyAt(long sequence) => keys[SampleAt(sequence)];
        ulong TitleAt(long sequence) => 1 + (ulong)SampleAt(sequence) * TitleFactory.SampleEvery;

        async Task Check(int caller, long sequence)
        {
            var answer = await titles.CheckCollateralAsync(
                new CheckCollateralRequest { Keys = { KeyAt(sequence) } }, read, cancellationToken: cancellationToken);
            if (answer.Keys.Count != 1 || answer.Keys[0].TitleId == 0) throw new InvalidOperationException(
                $"A registered key was not found: {answer}");
        }

        async Task TitleHistory(int caller, long sequence)
        {
            var answer = await titles.GetTitleHistoryAsync(
                new GetTitleHistoryRequest { TitleId = TitleAt(sequence) }, read, cancellationToken: cancellationToken);
            if (answer.Events.Count == 0) throw new InvalidOperationException($"Title {TitleAt(sequence)} has no history.");
        }

        async Task KeyHistory(int caller, long sequence)
        {
            var answer = await titles.GetKeyHistoryAsync(
                new GetKeyHistoryRequest { Key = KeyAt(sequence) }, read, cancellationToken: cancellationToken);
            if (answer.Events.Count == 0) throw new InvalidOperationException("A registered key has no history.");
        }

        async Task Verify(int caller, long sequence)
        {
            var answer = await verification.VerifyTradeAsync(
                trades[(int)(sequence % trades.Count)], read, cancellationToken: cancellationToken);
            if (answer.Verdict != CheckOutcome.Pass) throw new InvalidOperationException($"A sample trade does not pass: {answer}");
        }

        var checks = new List<(int, LoadRun)>();
        foreach (var callers in Callers)
        {
            checks.Add((callers, await MeasureAsync(Check, callers, cancellationToken)));
            Print("CheckCollateral, 1 key", callers, checks[^1].Item2);
        }
        var titleHistory = await MeasureAsync(TitleHistory, 1, cancellationToken);
        Print("GetTitleHistory", 1, titleHistory);
        var keyHistory = await MeasureAsync(KeyHistory, 1, cancellationToken);
        Print("GetKeyHistory", 1, keyHistory);
        var verify = await MeasureAsync(Verify, 1, cancellationToken);
        Print("VerifyTrade", 1, verify);
        return new ScaleReads(checks, titleHistory, keyHistory, verify);
    }

    private static async Task<LoadRun> MeasureAsync(Func<int, long, Task> call, int callers, CancellationToken cancellationToken)
    {
        await LoadGenerator.RunAsync(call, callers, 1, WarmUp, cancellationToken);
        return await LoadGenerator.RunAsync(call, callers, 1, Run, cancellationToken);
    }

    private static void Print(string path, int callers, LoadRun run) => Console.WriteLine(
        Invariant(
            $"  {path,-24} {callers,3} callers: {run.RequestsPerSecond,8:N0}/s  p50 {run.P50Milliseconds:0.000} ms  p99 {
                run.P99Milliseconds:0.000} ms"));

    /// <summary>The section's table of these reads.</summary>
    public IEnumerable<string> TableLines()
    {
        yield return "| Read (from the benchmark's process) | Callers | Requests/s | p50 ms | p99 ms |";
        yield return "|---|---:|---:|---:|---:|";
        foreach (var (callers, run) in Checks) yield return Row("CheckCollateral, 1 random registered key", callers, run);
        yield return Row("GetTitleHistory, a random title", 1, TitleHistory);
        yield return Row("GetKeyHistory, a random key", 1, KeyHistory);
        yield return Row("VerifyTrade, a sample trade (three flows, six documents with proofs)", 1, VerifyTrade);
    }

    private static string Row(string path, int callers, LoadRun run) =>
        Invariant($"| {path} | {callers} | {run.RequestsPerSecond:N0} | {run.P50Milliseconds:0.000} | {run.P99Milliseconds:0.000} |");
}

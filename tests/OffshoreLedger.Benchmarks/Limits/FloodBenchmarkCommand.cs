using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using static OffshoreLedger.Benchmarks.BenchmarksFile;

namespace OffshoreLedger.Benchmarks.Limits;

/// <summary>
/// <c>flood [--rate N] [--steady N] [--seconds N] [--output FILE]</c>: one caller floods <c>CheckCollateral</c> at ten times
/// its configured rate limit while another makes steady checks; reports the steady caller's latency quiet and under the
/// flood, and how the flood was answered. Writes the "Caller limits under a flood" section of BENCHMARKS.md.
/// </summary>
public static class FloodBenchmarkCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- flood";
    public const string Heading = "## Caller limits under a flood";
    public const double RatioTarget = 2;
    private const int FloodFactor = 10, KeysPerCheck = 10, MaxFloodInFlight = 512;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var arguments = BenchmarkArguments.Parse(args,
            $"Usage: {Command} [--rate N (the callers' limit, calls/s, default 100)] [--steady N (the steady caller's calls/s, default " +
            "50)] [--seconds N (per phase, default 20)] [--output FILE]",
            "--rate", "--steady", "--seconds");
        if (arguments is null) return 2;
        var rate = arguments.Int("--rate", 100);
        var steadyRate = arguments.Int("--steady", 50);
        var phase = TimeSpan.FromSeconds(arguments.Double("--seconds", 20));

        // The limit under test: both callers get the same; the burst is one second's worth, so the flood meets the rate at once.
        var limits = new Dictionary<string, string?>
        {
            ["Limits:CallsPerSecond"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:Burst"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var nodes = await DevnetNodes.StartAsync("bank A", limits, cancellationToken);
        var bank = nodes.First;
        var environment = await BenchmarkEnvironment.CaptureAsync(nodes.Devnet.Chain, cancellationToken);
        await nodes.SyncedToHeadAsync(bank, cancellationToken);

        // Two callers, each with its own API key and its own source address: distinct to a node that partitions by the
        // authenticated key's name and to one that partitions by remote address.
        using var floodChannel = From(bank.Url, "127.0.0.1");
        using var steadyChannel = From(bank.Url, "127.0.0.2");
        var flooder = new TitleService.TitleServiceClient(floodChannel);
        var steady = new TitleService.TitleServiceClient(steadyChannel);
        var request = new CheckCollateralRequest
        {
            Keys = { Enumerable.Range(0, KeysPerCheck).Select(_ => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32))) },
        };
        _ = await steady.CheckCollateralAsync(request, bank.Write, cancellationToken: cancellationToken);

        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"Limit {rate} calls/s per caller. Warm-up, then {phase.TotalSeconds:0.#} s quiet and {phase.TotalSeconds:0.#} s under ",
                $"a flood of {rate * FloodFactor} calls/s…")));
        var loadBefore = LoadAverage();
        await SteadyAsync(
            steady, request, bank.Write, steadyRate, TimeSpan.FromSeconds(Math.Min(3, phase.TotalSeconds)), cancellationToken);
        var quiet = await SteadyAsync(steady, request, bank.Write, steadyRate, phase, cancellationToken);
        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"quiet:  {quiet.Latencies.Count} steady checks, p50 {Percentile(quiet.Latencies, 0.5):0.000} ms, p99 ",
                $"{Percentile(quiet.Latencies, 0.99):0.000} ms, {quiet.Refused} refused")));

        using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flood = FloodAsync(flooder, request, bank.Read, rate * FloodFactor, stopFlood.Token);
        var underFlood = await SteadyAsync(steady, request, bank.Write, steadyRate, phase, cancellationToken);
        await stopFlood.CancelAsync();
        var flooded = await flood;
        var loadAfter = LoadAverage();
        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"flood:  {underFlood.Latencies.Count} steady checks, p50 {Percentile(underFlood.Latencies, 0.5):0.000} ms, p99 ",
                $"{Percentile(underFlood.Latencies, 0.99):0.000} ms, {underFlood.Refused} refused")));
        Console.WriteLine(
            Invariant(
            BenchmarksFile.Joined(
                $"flooder: {flooded.Sent:N0} sent in {flooded.Elapsed.TotalSeconds:0.0} s, {flooded.Answered:N0} answered, ",
                $"{flooded.Exhausted:N0} RESOURCE_EXHAUSTED, {flooded.Other:N0} other, {flooded.NotSent:N0} not sent ",
                $"({MaxFloodInFlight} in flight)")));

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var section = Render(
            environment, command, $"{loadBefore} before measuring, {loadAfter} after", rate, steadyRate, phase, quiet, underFlood, flooded);
        await WriteSectionAsync(arguments.Output, section, cancellationToken);
        return 0;
    }

    private sealed record SteadyRun(List<double> Latencies, int Refused);

    private sealed record FloodRun(long Sent, long Answered, long Exhausted, long Other, long NotSent, TimeSpan Elapsed);

    /// <summary>
    /// Checks at a fixed pace, one at a time (each starts on its schedule unless the previous one ran late), each call's latency recorded.
    /// </summary>
    private static async Task<SteadyRun> SteadyAsync(
        TitleService.TitleServiceClient client, CheckCollateralRequest request, Metadata key, int perSecond, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var refused = 0;
        var start = Stopwatch.GetTimestamp();
        var calls = (int)(duration.TotalSeconds * perSecond);
        for (var i = 0; i < calls; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await client.CheckCollateralAsync(request, key, cancellationToken: cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                refused++;
            }
        }
        return new SteadyRun(latencies, refused);
    }

    /// <summary>
    /// Calls at <paramref name="perSecond"/> without waiting for answers (at most <see cref="MaxFloodInFlight"/> outstanding), until
    /// stopped.
    /// </summary>
    private static async Task<FloodRun> FloodAsync(
        TitleService.TitleServiceClient client, CheckCollateralRequest request, Metadata key, int perSecond, CancellationToken stop)
    {
        long sent = 0, answered = 0, exhausted = 0, other = 0, notSent = 0;
        using var inFlight = new SemaphoreSlim(MaxFloodInFlight);
        var pending = new List<Task>();
        async Task OneAsync()
        {
            try
            {
                await client.CheckCollateralAsync(request, key);
                Interlocked.Increment(ref answered);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                Interlocked.Increment(ref exhausted);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref other);
            }
            finally
            {
                inFlight.Release();
            }
        }
        var start = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond);
            for (; sent + notSent < due; )
            {
                if (!inFlight.Wait(0))
                {
                    notSent++;
                    continue;
                }
                sent++;
                pending.Add(OneAsync());
            }
            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(pending);
        return new FloodRun(sent, answered, exhausted, other, notSent, elapsed);
    }

    /// <summary>A channel whose connections come from <paramref name="sourceAddress"/> (any of 127/8 on Linux).</summary>
    private static GrpcChannel From(string url, string sourceAddress) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });

    private static string Render(
        BenchmarkEnvironment environment, string command, string loadAverage, int rate, int steadyRate, TimeSpan phase, SteadyRun quiet,
        SteadyRun underFlood, FloodRun flooded)
    {
        var md = new StringBuilder();
        md.AppendLine(Heading);
        md.AppendLine();
        md.AppendLine(
            "Generated — rerun the command instead of editing. One caller floods `CheckCollateral` at ten times its rate limit while");
        md.AppendLine(
            "another makes steady checks: the per-caller limits (`Limits:` settings) should keep the flood from costing the other");
        md.AppendLine("caller more than twice its quiet latency, and the flood should be refused cheaply with RESOURCE_EXHAUSTED.");
        md.AppendLine();
        AppendRunFacts(
            md, environment, command, loadAverage, "both callers, bank A's node (Kestrel, in this process) and anvil (its own process)");
        md.AppendLine();
        md.AppendLine("### Setup");
        md.AppendLine();
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Bank A's node on a fresh development chain with `Limits:CallsPerSecond={rate}` and `Limits:Burst={rate}` for every ",
                $"caller (other limits at their defaults).")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- Two callers, each with its own API key and its own source address (127.0.0.1 and 127.0.0.2), over h2c. Each check ",
                $"asks about {KeysPerCheck} random keys, answered from the index.")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"- The steady caller checks at {steadyRate} calls/s on a fixed schedule, one call at a time (a call that runs late ",
                $"delays the next): a warm-up, {phase.TotalSeconds:0.#} s alone (quiet), then {phase.TotalSeconds:0.#} s while the ",
                $"flooder sends {rate * FloodFactor} calls/s on a fixed schedule without waiting for answers (at most ",
                $"{MaxFloodInFlight} in flight; calls beyond that are counted as not sent).")));
        md.AppendLine();
        md.AppendLine("### Results");
        md.AppendLine();
        md.AppendLine("| steady caller | checks answered | refused | p50 | p99 |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| quiet | {quiet.Latencies.Count:N0} | {quiet.Refused:N0} | {Percentile(quiet.Latencies, 0.5):0.000} ms | ",
                $"{Percentile(quiet.Latencies, 0.99):0.000} ms |")));
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| under the flood | {underFlood.Latencies.Count:N0} | {underFlood.Refused:N0} | ",
                $"{Percentile(underFlood.Latencies, 0.5):0.000} ms | {Percentile(underFlood.Latencies, 0.99):0.000} ms |")));
        md.AppendLine();
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"The flooder sent {flooded.Sent:N0} checks in {flooded.Elapsed.TotalSeconds:0.0} s ",
                $"({flooded.Sent / flooded.Elapsed.TotalSeconds:N0}/s): {flooded.Answered:N0} answered, **{flooded.Exhausted:N0} ",
                $"refused with RESOURCE_EXHAUSTED**, {flooded.Other:N0} other errors, {flooded.NotSent:N0} not sent (in-flight cap).")));
        md.AppendLine();
        md.AppendLine("### Target");
        md.AppendLine();
        var ratio = Percentile(underFlood.Latencies, 0.99) / Percentile(quiet.Latencies, 0.99);
        md.AppendLine("| target | measured | met |");
        md.AppendLine("| --- | ---: | :---: |");
        md.AppendLine(
            Invariant(
            BenchmarksFile.Joined(
                $"| the steady caller's p99 under a flood at 10× the limit ≤ {RatioTarget:0}× its quiet p99 | {ratio:0.00}× | ",
                $"{Met(ratio <= RatioTarget)} |")));
        return md.ToString();
    }
}

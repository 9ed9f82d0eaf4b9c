using OffshoreLedger.Benchmarks.Anchor;
using OffshoreLedger.Benchmarks.Check;
using OffshoreLedger.Benchmarks.Gas;
using OffshoreLedger.Benchmarks.Limits;
using OffshoreLedger.Benchmarks.Memory;
using OffshoreLedger.Benchmarks.Replay;
using OffshoreLedger.Benchmarks.Verification;
using OffshoreLedger.Benchmarks.Writes;

// Ctrl-C cancels the run so the chain is disposed and anvil stopped; a second Ctrl-C is not held back.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// Every benchmark, in the order `all` runs them; each writes its own report (BENCHMARKS.md sections, contracts/GAS.md).
(string Name, string Arguments, Func<string[], CancellationToken, Task<int>> Run)[] benchmarks =
[
    ("gas", "[--output FILE]", GasReportCommand.RunAsync),
    ("check", "[--seconds N] [--telemetry on|metrics|off] [--output FILE]", CheckBenchmarkCommand.RunAsync),
    (TelemetryOverheadCommand.Command, "[--rounds N] [--seconds N] [--output FILE]", TelemetryOverheadCommand.RunAsync),
    ("anchor", "[--scale F] [--seconds N] [--output FILE]", AnchorBenchmarkCommand.RunAsync),
    ("writes", "[--scale F] [--output FILE]", WritesBenchmarkCommand.RunAsync),
    ("memory", "[--titles N] [--output FILE]", MemoryBenchmarkCommand.RunAsync),
    ("verify", "[--trades N] [--seconds N] [--output FILE]", VerificationBenchmarkCommand.RunAsync),
    ("replay", "[--titles N] [--runs N] [--output FILE]", ReplayBenchmarkCommand.RunAsync),
    ("flood", "[--rate N] [--steady N] [--seconds N] [--output FILE]", FloodBenchmarkCommand.RunAsync),
];

var usage = "Usage: dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- COMMAND\n"
    + string.Join('\n', benchmarks.Select(b => $"  {b.Name} {b.Arguments}"))
    + "\n  all    every benchmark above in turn, each with its defaults";

try
{
    if (args is ["all"])
    {
        foreach (var (name, _, run) in benchmarks)
        {
            Console.WriteLine($"==== {name} ====");
            var code = await run([], cancellation.Token);
            if (code != 0) return code;
        }
        return 0;
    }
    if (args is [var command, .. var rest] && benchmarks.FirstOrDefault(b => b.Name == command) is { Run: { } selected })
    {
        return await selected(rest, cancellation.Token);
    }
    Console.Error.WriteLine(usage);
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; anvil stopped.");
    return 130;
}

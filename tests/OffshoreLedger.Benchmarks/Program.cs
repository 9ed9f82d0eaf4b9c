using OffshoreLedger.Benchmarks.Check;
using OffshoreLedger.Benchmarks.Gas;
using OffshoreLedger.Benchmarks.Replay;

// Ctrl-C cancels the run so the chain is disposed and anvil stopped; a second Ctrl-C is not held back.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

const string Usage = """
    Usage: dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- gas [--output FILE]
           dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- check [--seconds N] [--output FILE]
           dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- replay [--titles N] [--runs N] [--output FILE]
    """;

try
{
    return args switch
    {
        ["gas", .. var rest] => await GasReportCommand.RunAsync(rest, cancellation.Token),
        ["check", .. var rest] => await CheckBenchmarkCommand.RunAsync(rest, cancellation.Token),
        ["replay", .. var rest] => await ReplayBenchmarkCommand.RunAsync(rest, cancellation.Token),
        _ => Fail(Usage),
    };
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; anvil stopped.");
    return 130;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

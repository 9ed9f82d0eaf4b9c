using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks.Gas;

/// <summary><c>gas [--output FILE]</c>: measures on its own anvil chain and writes contracts/GAS.md.</summary>
public static class GasReportCommand
{
    public const string Command = "dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- gas";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = args switch
        {
            [] => Path.Combine(BenchmarkEnvironment.RepositoryRoot, "contracts", "GAS.md"),
            ["--output", var path] => Path.GetFullPath(path),
            _ => null,
        };
        if (output is null)
        {
            Console.Error.WriteLine($"Usage: {Command} [--output FILE]");
            return 2;
        }

        // Disposing the chain stops anvil on every way out, including cancellation and failures.
        await using var chain = await AnvilChain.StartAsync(cancellationToken: cancellationToken);
        var consortium = await DevConsortium.DeployAsync(chain, GasScenario.Members, cancellationToken);
        var measurements = await GasScenario.RunAsync(consortium, chain, cancellationToken);
        var environment = await BenchmarkEnvironment.CaptureAsync(chain, cancellationToken);

        var command = args.Length == 0 ? Command : $"{Command} {string.Join(' ', args)}";
        var report = GasReportDocument.Render(environment, measurements, command);
        await File.WriteAllTextAsync(output, report, cancellationToken);
        Console.Write(report);
        Console.WriteLine();
        Console.WriteLine($"Written to {output}");
        return 0;
    }
}

using Xunit.Abstractions;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The seed of a randomised test: fresh each run, or the one in <c>OFFSHORELEDGER_TEST_SEED</c> to replay a failure.
/// It is written to the test's output either way.
/// </summary>
public static class TestSeed
{
    public const string EnvironmentVariable = "OFFSHORELEDGER_TEST_SEED";

    public static int Next(ITestOutputHelper output)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay with {EnvironmentVariable}={seed})");
        return seed;
    }
}

using System.Text.Json;
using OffshoreLedger.Cli;

namespace OffshoreLedger.Node.Tests;

/// <summary>What one in-process run of the <c>offshore</c> CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the CLI in-process as one participant: its node URL and API key come from the environment, as in the walkthrough.
/// </summary>
public sealed class CliParticipant(string url, string apiKey, string home, string? caFile = null)
{
    public static CliParticipant For(RunningNode node, string home, string? apiKey = null) =>
        new(node.Url, apiKey ?? node.WriteKey, home, node.CertificateAuthorityFile);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OFFSHORE_NODE"] = url,
            ["OFFSHORE_API_KEY"] = apiKey,
            // A home of its own, so no developer's ~/.config/offshore-ledger/cli.json leaks in.
            ["HOME"] = home,
            ["NO_COLOR"] = "1",
            ["OFFSHORE_CA_FILE"] = caFile,
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}

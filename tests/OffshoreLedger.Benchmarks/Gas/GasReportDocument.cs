using System.Globalization;
using System.Text;

namespace OffshoreLedger.Benchmarks.Gas;

/// <summary>Renders a gas report as the Markdown of contracts/GAS.md.</summary>
public static class GasReportDocument
{
    public static string Render(BenchmarkEnvironment environment, IReadOnlyList<GasMeasurement> measurements, string command)
    {
        var targeted = measurements.Where(m => m.Target is not null).ToList();
        var missed = targeted.Count(m => m.Met == false);
        var md = new StringBuilder();
        md.AppendLine("# Gas report");
        md.AppendLine();
        md.AppendLine(
            "Generated — do not edit by hand. Gas of each OffshoreLedger operation, read as `gasUsed` from the receipt of a real");
        md.AppendLine("transaction on a local anvil chain (so it includes the 21,000 base cost and calldata). Gas is deterministic for a");
        md.AppendLine("given bytecode, chain state and hardfork, so one run suffices; the machine below affects only how long it took.");
        md.AppendLine("Every measurement follows a warm-up, so the packed counters slot is already non-zero (a running consortium).");
        md.AppendLine(
            "Every pledge carries the trader's EIP-712 consent (OpenZeppelin EIP712/ECDSA recovery, a nonce used in the member's own " +
            "slot);");
        md.AppendLine(
            "the fixed expiry (2100-01-01, for identical calldata run to run) lies beyond the 400-day default maximum term, so the");
        md.AppendLine("scenario's governance first lifts the maximum. The consented-pledge targets are issue 13's: 70,000 for one title,");
        md.AppendLine("15,000 for each additional title.");
        md.AppendLine();
        md.AppendLine($"- Command: `{command}`");
        md.AppendLine($"- Date: {environment.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        md.AppendLine($"- Machine: {environment.Machine}; {environment.Runtime}");
        md.AppendLine($"- Compiler: solc {environment.Solc} (settings in `contracts/build.mjs`); contract {environment.Bytecode}");
        md.AppendLine($"- Chain: anvil {environment.Anvil}, hardfork {environment.Hardfork}");
        md.AppendLine($"- Commit: {environment.Commit}");
        md.AppendLine();
        md.AppendLine(missed == 0
            ? $"All {targeted.Count} targeted rows meet their target."
            : $"{missed} of {targeted.Count} targeted rows miss their target.");
        md.AppendLine();
        md.AppendLine("| Operation | Gas | Target | Met? |");
        md.AppendLine("|---|---:|---:|:---:|");
        foreach (var m in measurements)
        {
            var operation = m.Note is null ? m.Operation : $"{m.Operation} <br>_{m.Note}_";
            var target = m.Target is null ? "—" : "≤ " + Number(m.Target.Limit);
            var met = m.Met switch { true => "yes", false => "**no**", null => "—" };
            md.AppendLine($"| {operation} | {Number(m.Gas)} | {target} | {met} |");
        }
        return md.ToString();
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

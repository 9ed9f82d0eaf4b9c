using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace OffshoreLedger.Benchmarks;

/// <summary>
/// BENCHMARKS.md: one section per command, found by its <c>## </c> heading and replaced in place; other sections are kept.
/// Also the lines every section opens with (command, date, machine, versions, commit, load average).
/// </summary>
public static class BenchmarksFile
{
    private const string FileHeader = """
        # Benchmarks

        Measurements of the node, each section written by one command of `tests/OffshoreLedger.Benchmarks` (rerun the
        command rather than editing its section by hand; other sections are left as they are). Gas per operation is in
        `contracts/GAS.md`. `dotnet run -c Release --project tests/OffshoreLedger.Benchmarks -- all` runs every benchmark in turn.

        """;

    public static string DefaultPath => Path.Combine(BenchmarkEnvironment.RepositoryRoot, "BENCHMARKS.md");

    /// <summary>The 1, 5 and 15-minute load averages: other work on the machine shows here, and in the figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Writes <paramref name="section"/> into the file at <paramref name="path"/>, replacing the section of the same heading.
    /// </summary>
    public static async Task WriteSectionAsync(string path, string section, CancellationToken cancellationToken)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
        await File.WriteAllTextAsync(path, Merge(existing, section), cancellationToken);
        Console.WriteLine();
        Console.Write(section);
        Console.WriteLine();
        Console.WriteLine($"Written to {path}");
    }

    /// <summary>
    /// <paramref name="existing"/> with the section of <paramref name="section"/>'s heading (its first line) replaced or appended.
    /// </summary>
    public static string Merge(string? existing, string section)
    {
        var heading = section.Replace("\r\n", "\n").Split('\n')[0].TrimEnd();
        if (string.IsNullOrWhiteSpace(existing)) return FileHeader + Environment.NewLine + section;
        var lines = existing.Replace("\r\n", "\n").Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == heading);
        if (start < 0) return existing.TrimEnd() + Environment.NewLine + Environment.NewLine + section;
        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var before = string.Join('\n', lines.Take(start)).TrimEnd();
        var after = end < 0 ? "" : string.Join('\n', lines.Skip(end));
        return (before.Length == 0 ? "" : before + "\n\n") + section + (after.Length == 0 ? "" : Environment.NewLine + after);
    }

    /// <summary>The opening list every section shares: how to rerun it, and what it ran on.</summary>
    public static void AppendRunFacts(
        StringBuilder md, BenchmarkEnvironment environment, string command, string loadAverage, string sharing)
    {
        md.AppendLine($"- Command: `{command}`");
        md.AppendLine($"- Date: {environment.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        md.AppendLine(
            $"- Machine: {environment.Machine}; {environment.Runtime}, " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC")}");
        md.AppendLine(
            $"- Chain: anvil {environment.Anvil}, hardfork {environment.Hardfork}; contract {environment.Bytecode} (solc " +
            $"{environment.Solc})");
        md.AppendLine($"- Commit: {environment.Commit}");
        md.AppendLine($"- **One machine for everything: {sharing} share the {Environment.ProcessorCount} cores.**");
        md.AppendLine(
            $"- Load average (1 / 5 / 15 min): {loadAverage}. Anything above ~2 is other work competing for the same cores (builds and " +
            "tests beside the benchmark); such figures are a floor, to be rerun on a quiet machine.");
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One text written in parts on several source lines: each part is formatted as the whole would be.</summary>
    public static FormattableString Joined(params FormattableString[] parts) =>
        FormattableStringFactory.Create(string.Concat(parts.Select((_, i) => $"{{{i}}}")), parts);

    public static string Met(bool met) => met ? "yes" : "**no**";

    /// <summary>The median of the values (the upper one of an even count, so always a measured value).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Nearest-rank percentile of unsorted values.</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>Options every benchmark command takes: <c>--output FILE</c> and the command's own <c>--name value</c> pairs.</summary>
public sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values = [];

    public string Output { get; private set; } = BenchmarksFile.DefaultPath;

    /// <summary>Parses <paramref name="args"/>; null (after printing the usage) when one is not understood.</summary>
    public static BenchmarkArguments? Parse(string[] args, string usage, params string[] known)
    {
        var parsed = new BenchmarkArguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--output" && i + 1 < args.Length) parsed.Output = Path.GetFullPath(args[++i]);
            else if (known.Contains(args[i]) && i + 1 < args.Length) parsed._values[args[i]] = args[++i];
            else
            {
                Console.Error.WriteLine(usage);
                return null;
            }
        }
        return parsed;
    }

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            && parsed > 0 ? parsed : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var value) && double.TryParse(value, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed : fallback;
}

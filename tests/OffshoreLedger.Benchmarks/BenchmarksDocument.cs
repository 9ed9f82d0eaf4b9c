namespace OffshoreLedger.Benchmarks;

/// <summary>BENCHMARKS.md: one section per benchmark command, each replaced in place when its command runs again.</summary>
public static class BenchmarksDocument
{
    private const string FileHeader = """
        # Benchmarks

        Measurements of the node, each section written by one command of `tests/OffshoreLedger.Benchmarks` (rerun the
        command rather than editing its section by hand; other sections are left as they are). Gas per operation is in
        `contracts/GAS.md`.

        """;

    /// <summary><paramref name="existing"/> with the section under <paramref name="heading"/> replaced (or appended), or a new file holding it.</summary>
    public static string Merge(string? existing, string section, string heading)
    {
        if (string.IsNullOrWhiteSpace(existing)) return FileHeader + Environment.NewLine + section;
        var lines = existing.Replace("\r\n", "\n").Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == heading);
        if (start < 0) return existing.TrimEnd() + Environment.NewLine + Environment.NewLine + section;
        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var before = string.Join('\n', lines.Take(start)).TrimEnd();
        var after = end < 0 ? "" : string.Join('\n', lines.Skip(end));
        return (before.Length == 0 ? "" : before + "\n\n") + section + (after.Length == 0 ? "" : Environment.NewLine + after);
    }

    /// <summary>The 1, 5 and 15-minute load averages: other work on the machine shows here, and in the figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

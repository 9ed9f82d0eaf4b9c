using System.Diagnostics;

namespace OffshoreLedger.Node.Tests.Http;

/// <summary>
/// The published contract cannot break by accident (issue 17, item 7): `buf breaking` (pinned in proto/package-lock.json,
/// rules in proto/buf.yaml) compares the working tree's proto files with those on the main branch.
/// </summary>
public sealed class ApiCompatibilityTests : IDisposable
{
    private static readonly string Root = RepositoryPaths.Root;
    private static readonly string ProtoDir = Path.Combine(Root, "proto");
    private readonly string _scratch = Directory.CreateTempSubdirectory("offshore-buf-").FullName;

    [Fact]
    public async Task The_proto_contract_has_no_breaking_change_against_main()
    {
        var against = $"{Path.Combine(Root, ".git")}#ref={MainRef()},subdir=proto";
        var (exitCode, output) = await BufAsync(ProtoDir, "breaking", "--against", against);
        Assert.True(exitCode == 0, $"buf breaking against {MainRef()} found breaking changes:\n{output}");
    }

    [Fact]
    public async Task The_check_catches_a_removed_field()
    {
        // The same check on a copy of the contract with one response field deleted must fail and name it.
        CopyDirectory(ProtoDir, _scratch, skip: "node_modules");
        var titles = Path.Combine(_scratch, "offshore_ledger", "v1", "titles.proto");
        var text = await File.ReadAllTextAsync(titles);
        var field = text.Split('\n').First(l => l.TrimStart().StartsWith("uint64 title_id = ", StringComparison.Ordinal));
        await File.WriteAllTextAsync(titles, text.Replace(field + "\n", string.Empty, StringComparison.Ordinal));

        var (exitCode, output) = await BufAsync(_scratch, "breaking", "--against", ProtoDir);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("title_id", output, StringComparison.Ordinal);
    }

    public void Dispose() => TemporaryDirectory.Delete(_scratch);

    /// <summary>The local main branch in a clone of it; origin's main in a checkout of another branch or commit.</summary>
    private static string MainRef()
    {
        foreach (var candidate in new[] { "refs/heads/main", "refs/remotes/origin/main" })
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "--verify", "--quiet", candidate])
            {
                WorkingDirectory = Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            git.WaitForExit();
            if (git.ExitCode == 0) return candidate;
        }
        throw new InvalidOperationException(
            "Neither main nor origin/main exists in this clone: fetch main to check the contract against it.");
    }

    private static async Task<(int ExitCode, string Output)> BufAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(ProtoDir, "node_modules", ".bin", "buf"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var buf = Process.Start(start)!;
        var stdout = buf.StandardOutput.ReadToEndAsync();
        var stderr = buf.StandardError.ReadToEndAsync();
        await buf.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (buf.ExitCode, await stdout + await stderr);
    }

    private static void CopyDirectory(string from, string to, string skip)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(skip + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

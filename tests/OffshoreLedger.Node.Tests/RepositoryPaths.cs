namespace OffshoreLedger.Node.Tests;

/// <summary>Where the tests find the repository's own files (the proto contract, its checked-in OpenAPI document).</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds OffshoreLedger.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OffshoreLedger.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (OffshoreLedger.sln) is not above the test's directory.");
    }
}

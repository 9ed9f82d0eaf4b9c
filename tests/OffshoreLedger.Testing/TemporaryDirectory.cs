namespace OffshoreLedger.Testing;

/// <summary>A new folder under the system's temporary folder, deleted with everything in it on disposal.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose() => Delete(Path);

    /// <summary>
    /// Deletes <paramref name="path"/> and its contents if it exists; a file still held open elsewhere is left, not an error.
    /// </summary>
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}

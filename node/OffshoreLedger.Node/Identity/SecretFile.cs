using System.Text;

namespace OffshoreLedger.Node.Identity;

/// <summary>
/// Writes a file only its owner can read or write (0600): keystores, passphrases, the consortium secret, API keys and
/// private keys of certificates. The file is created with that mode, so its content is never readable by others, not
/// even for a moment.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.Write(content);
        }
        // A file that already existed keeps the mode it had: narrow it too.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly);
    }
}

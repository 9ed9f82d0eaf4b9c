using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// A development node's API keys in their own file (0600), <c>api-keys.txt</c>: lines <c>write KEY</c>, <c>read KEY</c>
/// and <c>admin KEY</c> (the node's operators: dead-lettered writes). <c>devnet.json</c> and the console of
/// <c>consortium-init</c> name the file, never the keys.
/// </summary>
public sealed record DevnetApiKeys(string Write, string Read, string Admin)
{
    public const string FileName = "api-keys.txt";

    public void Save(string file) => SecretFile.Write(file, $"write {Write}\nread {Read}\nadmin {Admin}\n");

    public static DevnetApiKeys Load(string file)
    {
        var keys = File.ReadAllLines(file).Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        return keys.TryGetValue("write", out var write) && keys.TryGetValue("read", out var read)
            && keys.TryGetValue("admin", out var admin)
            ? new DevnetApiKeys(write, read, admin)
            : throw new InvalidDataException(
                $"{file} must hold the lines 'write KEY', 'read KEY' and 'admin KEY' (an older devnet: start it with --reset).");
    }
}

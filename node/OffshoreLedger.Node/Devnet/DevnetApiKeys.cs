using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// A development node's two API keys in their own file (0600), <c>api-keys.txt</c>: a line <c>write KEY</c> and a line
/// <c>read KEY</c>. <c>devnet.json</c> and the console of <c>consortium-init</c> name the file, never the keys.
/// </summary>
public sealed record DevnetApiKeys(string Write, string Read)
{
    public const string FileName = "api-keys.txt";

    public void Save(string file) => SecretFile.Write(file, $"write {Write}\nread {Read}\n");

    public static DevnetApiKeys Load(string file)
    {
        var keys = File.ReadAllLines(file).Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return keys.TryGetValue("write", out var write) && keys.TryGetValue("read", out var read)
            ? new DevnetApiKeys(write, read)
            : throw new InvalidDataException($"{file} must hold a line 'write KEY' and a line 'read KEY'.");
    }
}

using OffshoreLedger.Node.Identity;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OffshoreLedger.Node.Titles;

/// <summary>
/// Commits to a bank's financing references: HMAC-SHA256 under a 32-byte key only this node holds, kept beside the
/// organisation's keystore (<c>financing-key</c>, mode 0600, made on first start). A plain hash of a reference such as
/// <c>BKA-TF-2026-443041</c> falls to a few hundred thousand guesses; without the key, no guess can be tested. Refused
/// and blocked attempts carry the same commitment, so they publish nothing more.
/// </summary>
public sealed class FinancingCommitments
{
    public const string KeyFileName = "financing-key";
    private readonly byte[] _key;

    public FinancingCommitments(IOptions<IdentityOptions> options)
        : this(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Value.KeystoreFile))!, KeyFileName))
    {
    }

    public FinancingCommitments(string keyFile)
    {
        KeyFile = keyFile;
        _key = LoadOrCreate(keyFile);
    }

    public string KeyFile { get; }

    /// <summary>The 32-byte commitment that goes on chain for <paramref name="reference"/>.</summary>
    public byte[] Commit(string reference) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(reference));

    private static byte[] LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            var key = RandomNumberGenerator.GetBytes(32);
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, create);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key)));
                return key;
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process of this node made it first: use theirs.
            }
        }
        var text = File.ReadAllText(file).Trim();
        var bytes = Convert.FromHexString(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text);
        return bytes.Length >= 32
            ? bytes : throw new InvalidOperationException($"{file}: a financing key must be at least 32 bytes of hex.");
    }
}

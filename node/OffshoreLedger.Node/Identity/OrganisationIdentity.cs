using Microsoft.Extensions.Options;
using Nethereum.KeyStore;
using Nethereum.Web3.Accounts;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Node.Identity;

/// <summary>
/// The organisation's signing account, decrypted from its keystore at start-up, and the consortium secret.
/// Neither ever comes from plain configuration.
/// </summary>
public sealed class OrganisationIdentity
{
    public OrganisationIdentity(IOptions<IdentityOptions> options, ChainId chainId)
    {
        var o = options.Value;
        var passphrase = ReadPassphrase(o);
        var json = File.ReadAllText(o.KeystoreFile);
        var privateKey = new KeyStoreService().DecryptKeyStoreFromJson(passphrase, json);
        Account = new Account(privateKey, (long)chainId.Value);
        ConsortiumSecret = ConsortiumSecret.FromHex(File.ReadAllText(o.ConsortiumSecretFile).Trim());
    }

    public Account Account { get; }

    public string Address => Account.Address;

    public ConsortiumSecret ConsortiumSecret { get; }

    private static string ReadPassphrase(IdentityOptions options)
    {
        if (!string.IsNullOrEmpty(options.PassphraseFile)) return File.ReadAllText(options.PassphraseFile).TrimEnd('\r', '\n');
        if (!string.IsNullOrEmpty(options.PassphraseEnvironmentVariable)
            && Environment.GetEnvironmentVariable(options.PassphraseEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        throw new InvalidOperationException(
            "Identity: set PassphraseFile or PassphraseEnvironmentVariable (naming a set variable) for the keystore.");
    }

    /// <summary>
    /// Writes an encrypted keystore (scrypt) for a private key, e.g. for a development member. A lower
    /// <paramref name="scryptCost"/> than the standard 262,144 suits only development keys: it makes starting many
    /// local nodes quick, and guessing the passphrase cheaper.
    /// </summary>
    public static void WriteKeystore(string file, string privateKeyHex, string passphrase, int scryptCost = 262_144)
    {
        var account = new Account(privateKeyHex);
        var privateKey = Convert.FromHexString(
            privateKeyHex.StartsWith("0x", StringComparison.Ordinal) ? privateKeyHex[2..] : privateKeyHex);
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            passphrase, privateKey, account.Address,
            new Nethereum.KeyStore.Model.ScryptParams { Dklen = 32, N = scryptCost, R = 8, P = 1 });
        SecretFile.Write(file, json);
    }
}

/// <summary>The chain id, read from the chain at start-up.</summary>
public sealed record ChainId(ulong Value);

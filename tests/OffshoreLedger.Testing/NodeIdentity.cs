using System.Security.Cryptography;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Testing;

/// <summary>
/// A test node's identity folder (<c>DATA/identity</c>): its encrypted keystore, the keystore's passphrase and the
/// consortium's key secret, each in a file of its own as an operator keeps them.
/// </summary>
public sealed record NodeIdentity(string KeystoreFile, string PassphraseFile, string ConsortiumSecretFile)
{
    /// <summary>
    /// A light scrypt cost: tests and benchmarks start and restart many nodes, and these are public development keys.
    /// Never for real keys.
    /// </summary>
    public const int DevelopmentScryptCost = 4_096;

    /// <summary>Where the identity files of the node whose data is in <paramref name="dataDirectory"/> live (nothing is written).</summary>
    public static NodeIdentity In(string dataDirectory)
    {
        var identity = Path.Combine(dataDirectory, "identity");
        return new NodeIdentity(
            Path.Combine(identity, "keystore.json"), Path.Combine(identity, "passphrase"), Path.Combine(identity, "consortium-secret"));
    }

    /// <summary>
    /// The settings of a node with this identity on the consortium at <paramref name="contractAddress"/>: plaintext on
    /// loopback port 0 (the bound URL is reported), its store in <paramref name="dataDirectory"/><c>/store</c>.
    /// </summary>
    public NodeSettings Settings(
        string rpcUrl, string contractAddress, ulong deploymentBlock, string dataDirectory, IReadOnlyList<NodeApiKey> apiKeys) => new()
    {
        Url = "http://127.0.0.1:0",
        RpcUrl = rpcUrl,
        ContractAddress = contractAddress,
        DeploymentBlock = deploymentBlock,
        StoreDirectory = Path.Combine(dataDirectory, "store"),
        KeystoreFile = KeystoreFile,
        PassphraseFile = PassphraseFile,
        ConsortiumSecretFile = ConsortiumSecretFile,
        ApiKeys = apiKeys,
    };

    /// <summary>
    /// Writes the identity of the account with <paramref name="privateKeyHex"/> into <paramref name="dataDirectory"/>: a keystore
    /// encrypted with <paramref name="passphrase"/> (a random one if null) and <paramref name="consortiumSecret"/>.
    /// </summary>
    public static NodeIdentity Write(string dataDirectory, string privateKeyHex, string consortiumSecret, string? passphrase = null)
    {
        var identity = In(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(identity.KeystoreFile)!);
        passphrase ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        SecretFile.Write(identity.PassphraseFile, passphrase);
        OrganisationIdentity.WriteKeystore(identity.KeystoreFile, privateKeyHex, passphrase, DevelopmentScryptCost);
        SecretFile.Write(identity.ConsortiumSecretFile, consortiumSecret);
        return identity;
    }
}

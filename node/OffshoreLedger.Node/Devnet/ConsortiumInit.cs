using System.Security.Cryptography;
using System.Text.Json;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Transport;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// Prepares a development consortium on a chain running elsewhere (docker-compose's anvil): deploys the contract,
/// enrols the members through governance, and writes each node's folder: an encrypted keystore, its passphrase,
/// the shared consortium secret, its development API keys (every secret 0600), a TLS certificate from a development
/// CA (<c>tls/</c>, and the CA's <c>ca.pem</c> for clients) and a <c>node.json</c> configuration that serves TLS with
/// it. API keys go to <c>api-keys.txt</c> only, never to the console (whose output ends up in container logs).
/// Idempotent: a folder that already describes a deployed contract is left as it is.
/// </summary>
public static class ConsortiumInit
{
    public const string Usage = "consortium-init --rpc URL --accounts ANVIL_CONFIG_OUT_FILE --out DIR";

    public static async Task<int> RunAsync(
        string rpcUrl, string accountsFile, string outDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(outDirectory, "consortium.json");
        var chain = await RemoteDevChain.ConnectAsync(rpcUrl, accountsFile, cancellationToken);
        if (File.Exists(marker))
        {
            var existing = JsonDocument.Parse(await File.ReadAllTextAsync(marker, cancellationToken))
                .RootElement.GetProperty("contractAddress").GetString()!;
            if (await chain.Web3For(0).Eth.GetCode.SendRequestAsync(existing) is { Length: > 2 })
            {
                output.WriteLine($"The consortium in {outDirectory} is deployed at {existing}; nothing to do.");
                return 0;
            }
            output.WriteLine($"{existing} holds no contract on this chain (a new chain?): deploying afresh.");
        }

        var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // The CA's key stays in the init's own folder; each node's folder gets the CA certificate only.
        using var authority = DevelopmentCertificateAuthority.LoadOrCreate(Path.Combine(outDirectory, "ca"), "OffshoreLedger compose CA");
        foreach (var name in LocalConsortium.NodeMembers)
        {
            var member = consortium.Member(name);
            var service = name.Replace(' ', '-').ToLowerInvariant();
            var folder = Path.Combine(outDirectory, service);
            Directory.CreateDirectory(folder);
            var passphrase = Secret();
            SecretFile.Write(Path.Combine(folder, "passphrase"), passphrase);
            OrganisationIdentity.WriteKeystore(
                Path.Combine(folder, "keystore.json"), chain.Accounts[member.Account].PrivateKey, passphrase, 4_096);
            SecretFile.Write(Path.Combine(folder, "consortium-secret"), secret);
            var keys = new DevnetApiKeys(Secret(), Secret(), Secret());
            keys.Save(Path.Combine(folder, DevnetApiKeys.FileName));
            // Named for the compose service (the host name other containers dial), localhost and loopback.
            var (certificate, key) = authority.IssueServerCertificate(Path.Combine(folder, "tls"), service, service);
            File.Copy(
                authority.CertificateFile, Path.Combine(folder, DevelopmentCertificateAuthority.CertificateFileName), overwrite: true);
            var configuration = new
            {
                Chain = new { consortium.ContractAddress, DeploymentBlock = consortium.DeploymentBlock },
                Node = new { Tls = new { CertificateFile = certificate, KeyFile = key } },
                Identity = new
                {
                    KeystoreFile = Path.Combine(folder, "keystore.json"),
                    PassphraseFile = Path.Combine(folder, "passphrase"),
                    ConsortiumSecretFile = Path.Combine(folder, "consortium-secret"),
                },
                Auth = new
                {
                    ApiKeys = new[]
                    {
                        new { Name = "devnet-write", Sha256 = ApiKeys.Hash(keys.Write), Scopes = new[] { Scopes.Write } },
                        new { Name = "devnet-read", Sha256 = ApiKeys.Hash(keys.Read), Scopes = new[] { Scopes.Read } },
                        new { Name = "devnet-admin", Sha256 = ApiKeys.Hash(keys.Admin), Scopes = new[] { Scopes.Admin } },
                    },
                },
            };
            await File.WriteAllTextAsync(
                Path.Combine(folder, "node.json"),
                JsonSerializer.Serialize(configuration, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            output.WriteLine($"{name,-8} {member.Address}  API keys in {Path.Combine(folder, DevnetApiKeys.FileName)}");
        }
        await File.WriteAllTextAsync(
            marker, JsonSerializer.Serialize(
                new { contractAddress = consortium.ContractAddress, deploymentBlock = consortium.DeploymentBlock }), cancellationToken);
        output.WriteLine(
            $"Deployed OffshoreLedger at {consortium.ContractAddress} (block {consortium.DeploymentBlock}); node folders in " +
            $"{outDirectory}.");
        return 0;
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

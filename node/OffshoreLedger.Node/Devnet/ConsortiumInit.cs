using System.Security.Cryptography;
using System.Text.Json;
using OffshoreLedger.Contracts.Devnet;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// Prepares a development consortium on a chain running elsewhere (docker-compose's anvil): deploys the contract,
/// enrols the members through governance, and writes each node's folder: an encrypted keystore, its passphrase,
/// the shared consortium secret, a <c>node.json</c> configuration and its development API keys. Idempotent: a
/// folder that already describes a deployed contract is left as it is.
/// </summary>
public static class ConsortiumInit
{
    public const string Usage = "consortium-init --rpc URL --accounts ANVIL_CONFIG_OUT_FILE --out DIR";

    public static async Task<int> RunAsync(string rpcUrl, string accountsFile, string outDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(outDirectory, "consortium.json");
        var chain = await RemoteDevChain.ConnectAsync(rpcUrl, accountsFile, cancellationToken);
        if (File.Exists(marker))
        {
            var existing = JsonDocument.Parse(await File.ReadAllTextAsync(marker, cancellationToken)).RootElement.GetProperty("contractAddress").GetString()!;
            if (await chain.Web3For(0).Eth.GetCode.SendRequestAsync(existing) is { Length: > 2 })
            {
                output.WriteLine($"The consortium in {outDirectory} is deployed at {existing}; nothing to do.");
                return 0;
            }
            output.WriteLine($"{existing} holds no contract on this chain (a new chain?): deploying afresh.");
        }

        var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        foreach (var name in LocalConsortium.NodeMembers)
        {
            var member = consortium.Member(name);
            var folder = Path.Combine(outDirectory, name.Replace(' ', '-').ToLowerInvariant());
            Directory.CreateDirectory(folder);
            var passphrase = Secret();
            await File.WriteAllTextAsync(Path.Combine(folder, "passphrase"), passphrase, cancellationToken);
            OrganisationIdentity.WriteKeystore(Path.Combine(folder, "keystore.json"), chain.Accounts[member.Account].PrivateKey, passphrase, 4_096);
            await File.WriteAllTextAsync(Path.Combine(folder, "consortium-secret"), secret, cancellationToken);
            var (write, read) = (Secret(), Secret());
            await File.WriteAllTextAsync(Path.Combine(folder, "api-keys.txt"), $"write {write}\nread {read}\n", cancellationToken);
            var configuration = new
            {
                Chain = new { consortium.ContractAddress, DeploymentBlock = consortium.DeploymentBlock },
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
                        new { Name = "devnet-write", Sha256 = ApiKeys.Hash(write), Scopes = new[] { Scopes.Write } },
                        new { Name = "devnet-read", Sha256 = ApiKeys.Hash(read), Scopes = new[] { Scopes.Read } },
                    },
                },
            };
            await File.WriteAllTextAsync(Path.Combine(folder, "node.json"), JsonSerializer.Serialize(configuration, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            output.WriteLine($"{name,-8} {member.Address}  write key {write}  read key {read}");
        }
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new { contractAddress = consortium.ContractAddress, deploymentBlock = consortium.DeploymentBlock }), cancellationToken);
        output.WriteLine($"Deployed OffshoreLedger at {consortium.ContractAddress} (block {consortium.DeploymentBlock}); node folders in {outDirectory}.");
        return 0;
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

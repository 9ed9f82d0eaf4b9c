using System.Security.Cryptography;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// <c>--dev</c> with no chain configured: start anvil, deploy the consortium, enrol the development members through
/// governance, and configure this node as one of them (bank A unless <c>Devnet:Member</c>
/// names another), with an encrypted keystore, a consortium secret and fresh API keys in its data directory.
/// </summary>
public sealed class DevnetBootstrap : IAsyncDisposable
{
    private readonly bool _ownsDataDirectory;

    private DevnetBootstrap(
        AnvilChain chain, DevConsortium consortium, DevParticipant self, string writeKey, string readKey, string dataDirectory,
        bool ownsDataDirectory)
    {
        _ownsDataDirectory = ownsDataDirectory;
        Chain = chain;
        Consortium = consortium;
        Self = self;
        WriteApiKey = writeKey;
        ReadApiKey = readKey;
        DataDirectory = dataDirectory;
    }

    public AnvilChain Chain { get; }
    public DevConsortium Consortium { get; }
    public DevParticipant Self { get; }
    public string WriteApiKey { get; }
    public string ReadApiKey { get; }
    public string DataDirectory { get; }

    /// <summary>
    /// Starts the development chain and configures <paramref name="builder"/> for it when no chain is configured and
    /// <paramref name="development"/> (<c>--dev</c>) asks for one. A missing chain is never silently replaced: without
    /// <c>--dev</c> it stops the node, since a node on a fresh chain would answer "clear" for every title.
    /// </summary>
    public static async Task<DevnetBootstrap?> StartIfRequestedAsync(
        WebApplicationBuilder builder, bool development, CancellationToken cancellationToken = default)
    {
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration["Chain:RpcUrl"])) return null;
        if (!development)
        {
            throw new NodeStartupException(
                "Chain:RpcUrl is not set, so this node has no chain to follow. Set Chain:RpcUrl (with Chain:ContractAddress and " +
                    "Chain:DeploymentBlock) "
                + "for the consortium's chain, or start with --dev for a throw-away local development chain (or run the 'devnet' " +
                    "command).");
        }

        // Devnet:BlockTimeSeconds and Devnet:GasLimit give the development chain block times and room, as a production chain has
        // (benchmarks).
        var chain = await AnvilChain.StartAsync(new AnvilOptions
        {
            BlockTimeSeconds = configuration.GetValue("Devnet:BlockTimeSeconds", 0),
            GasLimit = configuration.GetValue("Devnet:GasLimit", new AnvilOptions().GasLimit),
        }, cancellationToken);
        try
        {
            var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
            var memberName = configuration["Devnet:Member"] ?? "bank A";
            var self = consortium.Member(memberName);
            // A data directory of its own is deleted with the chain: its store follows a chain that no longer exists.
            var configuredDirectory = configuration["Storage:DataDirectory"];
            var ownsDataDirectory = string.IsNullOrEmpty(configuredDirectory);
            var dataDirectory = ownsDataDirectory ? Directory.CreateTempSubdirectory("offshore-node-").FullName : configuredDirectory!;
            var identity = Path.Combine(dataDirectory, "identity");
            Directory.CreateDirectory(identity);
            var passphrase = Secret();
            var passphraseFile = Path.Combine(identity, "passphrase");
            SecretFile.Write(passphraseFile, passphrase);
            var keystore = Path.Combine(identity, "keystore.json");
            OrganisationIdentity.WriteKeystore(keystore, chain.Accounts[self.Account].PrivateKey, passphrase);
            var secretFile = Path.Combine(identity, "consortium-secret");
            SecretFile.Write(secretFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

            var writeKey = Secret();
            var readKey = Secret();
            builder.Configuration.AddInMemoryCollection(new NodeSettings
            {
                RpcUrl = chain.RpcUrl,
                ContractAddress = consortium.ContractAddress,
                DeploymentBlock = consortium.DeploymentBlock,
                StoreDirectory = Path.Combine(dataDirectory, "store"),
                KeystoreFile = keystore,
                PassphraseFile = passphraseFile,
                ConsortiumSecretFile = secretFile,
                ApiKeys = [new("devnet-write", writeKey, Scopes.Write), new("devnet-read", readKey, Scopes.Read)],
                Counterparties = SampleCounterparties.For(consortium.Member("trader").Address),
                // The one node of --dev keeps the node's own management address (default or configured).
                ManagementUrl = builder.Configuration[$"{Telemetry.ManagementOptions.Section}:Url"] ?? new Telemetry.ManagementOptions()
                    .Url,
            }.ToConfiguration());
            return new DevnetBootstrap(chain, consortium, self, writeKey, readKey, dataDirectory, ownsDataDirectory);
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    public void WriteWelcome(TextWriter output, IEnumerable<string> urls)
    {
        DevnetTable.Write(output, Chain, Consortium);
        output.WriteLine($"This node serves as '{Self.Name}' ({Self.RoleName}, {Self.Address}) on {string.Join(", ", urls)} (gRPC, h2c).");
        output.WriteLine($"  API key with write scope: {WriteApiKey}");
        output.WriteLine($"  API key with read scope:  {ReadApiKey}");
        output.WriteLine($"  Data directory: {DataDirectory}{(_ownsDataDirectory ? " (deleted when the node stops)" : "")}");
        output.WriteLine("Press Ctrl-C to stop the node and the chain.");
    }

    /// <summary>Stops the chain and deletes the data directory this bootstrap made; the node using it must be stopped first.</summary>
    public async ValueTask DisposeAsync()
    {
        await Chain.DisposeAsync();
        if (!_ownsDataDirectory) return;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

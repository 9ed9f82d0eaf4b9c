namespace OffshoreLedger.Node.Hosting;

/// <summary>The node program's own flags (<c>--help</c>, <c>--dev</c>), taken out before the rest becomes configuration.</summary>
public static class NodeCommandLine
{
    public const string DevFlag = "--dev";

    public static bool AsksForHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// Removes <c>--dev</c>: left in, the configuration reader would take the next argument as its value.
    /// </summary>
    public static (string[] HostArguments, bool Development) TakeDevFlag(string[] args) =>
        (args.Where(a => a != DevFlag).ToArray(), args.Contains(DevFlag));

    public const string Help = """
        OffshoreLedger node: a gRPC node of the shared ledger, signing for one organisation.

        Usage:
          OffshoreLedger.Node [--dev] [--Section:Key=Value ...]   run a node (settings below)
          OffshoreLedger.Node devnet [--data DIR] [--reset] [--chain-port N] [--base-port N]
                                                                 the development consortium: a local chain and six TLS nodes
          OffshoreLedger.Node consortium-init --rpc URL --accounts ANVIL_CONFIG_OUT_FILE --out DIR
                                                                 deploy and enrol a development consortium on a running chain
                                                                 (docker-compose's init); API keys go to files, never to the console
          OffshoreLedger.Node healthcheck [URL] [--ca FILE]      ask a node's gRPC health service; without URL, the node's own
                                                                 configured address and scheme, trusting its own certificate
          OffshoreLedger.Node --help | -h                        this text

          --dev   no Chain:RpcUrl: start a throw-away local development chain (anvil) for this node alone.
                  Without --dev, a node with no Chain:RpcUrl refuses to start.

        Main settings (appsettings.json, environment variables such as Chain__RpcUrl, --Chain:RpcUrl=..., or a JSON
        file named by OFFSHORELEDGER_CONFIG_FILE):
          Chain:RpcUrl, Chain:ContractAddress, Chain:DeploymentBlock   the consortium chain and contract (required)
          Chain:RpcUrls:N                                              more endpoints of the chain, failed over to
          Chain:ChainId                                                lets a first start proceed while the chain is down
          Chain:ConfirmationDepth, Chain:StaleAfterSeconds             indexing depth, when answers are marked stale
          Storage:DataDirectory                                        the RocksDB store
          Identity:KeystoreFile                                        the organisation's encrypted signing key
          Identity:PassphraseFile | Identity:PassphraseEnvironmentVariable   where its passphrase is
          Identity:ConsortiumSecretFile                                the consortium's shared key secret
          Auth:ApiKeys:N:Name, :Sha256, :Scopes:M                      API keys as SHA-256 hashes with scopes
          Urls                                                         listeners (default https://127.0.0.1:50051 with
                                                                       a certificate, else http://127.0.0.1:50051)
          Node:Tls:CertificateFile, Node:Tls:KeyFile                   TLS from PEM files (no password in configuration)
          Node:Tls:ClientCaFile                                        mTLS: accept only client certificates of this CA
          Node:AllowPlaintext=true                                     allow plaintext on a non-loopback address
          Auth:ClientCertificates:N:Name, :Subject, :Scopes:M          mTLS callers: a certificate subject (CN) and its scopes
          Limits:CallsPerSecond, :Burst, :MaxConcurrentCalls           per-caller limits (also :MaxWatchersPerCaller, ...)
          Outbox:MaxAttempts, :BackoffMilliseconds                     when a write the chain keeps refusing is dead-lettered
          Outbox:ReplaceAfterSeconds, :FeeBumpPercent                  when a transaction stuck in the pool is replaced

        See README.md for every setting.
        """;
}

using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Storage;
using System.Globalization;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Transport;
using OffshoreLedger.Node.Verification;

namespace OffshoreLedger.Node.Hosting;

/// <summary>An API key a node accepts: its name, the key itself (only its hash is configured) and its scope.</summary>
public sealed record NodeApiKey(string Name, string Key, string Scope);

/// <summary>
/// A node's settings as configuration keys: the one place that knows how a node is configured, used by the
/// development consortium, the tools and the tests alike (command-line <c>--Key=Value</c> or in-memory).
/// </summary>
public sealed record NodeSettings
{
    public string? Url { get; init; }
    public required string RpcUrl { get; init; }
    public required string ContractAddress { get; init; }
    public required ulong DeploymentBlock { get; init; }
    public required string StoreDirectory { get; init; }
    public required string KeystoreFile { get; init; }
    public required string PassphraseFile { get; init; }
    public required string ConsortiumSecretFile { get; init; }
    public IReadOnlyList<NodeApiKey> ApiKeys { get; init; } = [];
    public int? PollIntervalMilliseconds { get; init; }
    public IReadOnlyList<CounterpartyOptions> Counterparties { get; init; } = [];

    /// <summary>
    /// The management listener (metrics, probes, status). Unset: a free loopback port, as the nodes these settings describe
    /// (development consortium, tools, tests) share one machine and would collide on the default 9464.
    /// </summary>
    public string? ManagementUrl { get; init; }

    /// <summary>TLS: the node's certificate and key (PEM files); both or neither.</summary>
    public string? TlsCertificateFile { get; init; }
    public string? TlsKeyFile { get; init; }

    public Dictionary<string, string?> ToConfiguration()
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{ChainOptions.Section}:{nameof(ChainOptions.RpcUrl)}"] = RpcUrl,
            [$"{ChainOptions.Section}:{nameof(ChainOptions.ContractAddress)}"] = ContractAddress,
            [$"{ChainOptions.Section}:{nameof(ChainOptions.DeploymentBlock)}"] = DeploymentBlock.ToString(CultureInfo.InvariantCulture),
            [$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] = StoreDirectory,
            [$"{IdentityOptions.Section}:{nameof(IdentityOptions.KeystoreFile)}"] = KeystoreFile,
            [$"{IdentityOptions.Section}:{nameof(IdentityOptions.PassphraseFile)}"] = PassphraseFile,
            [$"{IdentityOptions.Section}:{nameof(IdentityOptions.ConsortiumSecretFile)}"] = ConsortiumSecretFile,
        };
        if (Url is not null) settings["Urls"] = Url;
        settings[$"{Telemetry.ManagementOptions.Section}:{nameof(Telemetry.ManagementOptions.Url)}"] = ManagementUrl
            ?? "http://127.0.0.1:0";
        if (TlsCertificateFile is not null) settings[TransportOptions.Key("Tls:CertificateFile")] = TlsCertificateFile;
        if (TlsKeyFile is not null) settings[TransportOptions.Key("Tls:KeyFile")] = TlsKeyFile;
        if (PollIntervalMilliseconds is { } poll)
        {
            settings[$"{ChainOptions.Section}:{nameof(ChainOptions.PollIntervalMilliseconds)}"] =
                poll.ToString(CultureInfo.InvariantCulture);
        }
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var prefix = $"{AuthOptions.Section}:{nameof(AuthOptions.ApiKeys)}:{i}";
            settings[$"{prefix}:{nameof(ApiKeyOptions.Name)}"] = ApiKeys[i].Name;
            settings[$"{prefix}:{nameof(ApiKeyOptions.Sha256)}"] = Auth.ApiKeys.Hash(ApiKeys[i].Key);
            settings[$"{prefix}:{nameof(ApiKeyOptions.Scopes)}:0"] = ApiKeys[i].Scope;
        }
        for (var i = 0; i < Counterparties.Count; i++)
        {
            var prefix = $"{VerificationOptions.Section}:{nameof(VerificationOptions.Counterparties)}:{i}";
            settings[$"{prefix}:{nameof(CounterpartyOptions.Name)}"] = Counterparties[i].Name;
            if (Counterparties[i].Lei is { } lei) settings[$"{prefix}:{nameof(CounterpartyOptions.Lei)}"] = lei;
            if (Counterparties[i].RegistrationId is { } registration)
            {
                settings[$"{prefix}:{nameof(CounterpartyOptions.RegistrationId)}"] = registration;
            }
            if (Counterparties[i].Member is { } member) settings[$"{prefix}:{nameof(CounterpartyOptions.Member)}"] = member;
        }
        return settings;
    }

    /// <summary>The same settings as command-line arguments (<c>--Section:Key=Value</c>).</summary>
    public IEnumerable<string> ToArguments() => ToConfiguration().Select(s => $"--{s.Key}={s.Value}");
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace OffshoreLedger.Node.Auth;

/// <summary>
/// The API keys (and mTLS client certificates) this node accepts, by the SHA-256 of the key (the key itself is never stored). Follows the
/// configuration as it changes (a configuration file is re-read when it changes), so keys are added, rotated and
/// revoked without a restart; a changed configuration that fails validation is refused whole and the keys in force stay
/// (and the refusal is logged). At start, <see cref="AuthOptionsValidation"/> stops the node instead.
/// </summary>
/// <remarks>It follows the configuration itself rather than an options monitor, which would throw a failed validation
/// into whatever thread reported the change.</remarks>
public sealed partial class ApiKeys : IDisposable
{
    public const string Header = "x-api-key";

    private readonly IDisposable? _subscription;
    private readonly ILogger<ApiKeys> _logger;
    private volatile IReadOnlyDictionary<string, Caller> _byHash;
    private volatile IReadOnlyDictionary<string, Caller> _bySubject;

    public ApiKeys(IOptions<AuthOptions> options, IConfiguration configuration, ILogger<ApiKeys> logger)
    {
        _logger = logger;
        (_byHash, _bySubject) = (Table(options.Value), Certificates(options.Value));
        _subscription = ChangeToken.OnChange(
            configuration.GetReloadToken,
            () => Reload(configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()));
    }

    public static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>The caller a presented key belongs to, or null for an unknown key.</summary>
    public Caller? Find(string apiKey) => _byHash.GetValueOrDefault(Hash(apiKey));

    /// <summary>
    /// The caller a client certificate belongs to, by its subject's common name, or null. Kestrel has already accepted
    /// the certificate only if it chains to the organisation's CA (<c>Node:Tls:ClientCaFile</c>); without that setting no
    /// certificate is asked for, so none reaches here.
    /// </summary>
    public Caller? Find(X509Certificate2 certificate) =>
        _bySubject.GetValueOrDefault(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));

    private void Reload(AuthOptions options)
    {
        // The monitor hands over the new value unvalidated; validate it as start-up does.
        var failures = AuthOptionsValidation.Failures(options);
        if (failures.Count > 0)
        {
            LogReloadRefused(_logger, string.Join("; ", failures));
            return;
        }
        (_byHash, _bySubject) = (Table(options), Certificates(options));
        LogReloaded(_logger, options.ApiKeys.Count);
    }

    private static Dictionary<string, Caller> Table(AuthOptions options) => options.ApiKeys.ToDictionary(
        k => k.Sha256.ToLowerInvariant(),
        k => new Caller(k.Name, k.Scopes.Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal)));

    private static Dictionary<string, Caller> Certificates(AuthOptions options) => options.ClientCertificates.ToDictionary(
        c => c.Subject,
        c => new Caller(c.Name, c.Scopes.Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal)),
        StringComparer.Ordinal);

    public void Dispose() => _subscription?.Dispose();

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "API keys reloaded: {Count} in force")]
    private static partial void LogReloaded(ILogger logger, int count);

    [LoggerMessage(
        EventId = 1102, Level = LogLevel.Error, Message = "Changed API key configuration refused, the keys in force stay: {Failures}")]
    private static partial void LogReloadRefused(ILogger logger, string failures);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Node.Transport;

/// <summary>
/// TLS by default off loopback: checks every address the node will listen on before anything starts, and serves TLS
/// (and optionally requests client certificates) from the PEM files in <c>Node:Tls</c>.
/// </summary>
public sealed class TransportSecurity
{
    public const string PlaintextLoopbackUrl = "http://127.0.0.1:50051";
    public const string TlsLoopbackUrl = "https://127.0.0.1:50051";

    private readonly TransportOptions _options;
    private X509Certificate2? _certificate;
    private ClientCertificateTrust? _clientTrust;

    private TransportSecurity(TransportOptions options) => _options = options;

    public static TransportSecurity From(IConfiguration configuration) =>
        new(configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() ?? new TransportOptions());

    /// <summary>The address when none is configured: loopback, with TLS when a certificate is configured.</summary>
    public string DefaultUrl => _options.Tls.Enabled ? TlsLoopbackUrl : PlaintextLoopbackUrl;

    /// <summary>
    /// Whether the node serves TLS (a certificate in <c>Node:Tls</c>). Then its listeners also speak HTTP/1.1 (ALPN picks),
    /// which browsers need; a plaintext listener speaks HTTP/2 only, as gRPC without TLS requires.
    /// </summary>
    public bool ServesTls => _options.Tls.Enabled;

    /// <summary>Every address the node is told to listen on: <c>Urls</c> (else the default) and Kestrel's configured endpoints.</summary>
    public IReadOnlyList<ListenerAddress> Listeners(IConfiguration configuration)
    {
        var urls = configuration["Urls"] is { Length: > 0 } configured ? configured : DefaultUrl;
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(endpoints)
            .Select(ListenerAddress.Parse)];
    }

    /// <summary>
    /// Refuses, naming the setting, a plaintext listener off loopback and TLS without a certificate, and loads the
    /// certificate files now, so a bad one stops the node before anything starts.
    /// </summary>
    public void Check(IConfiguration configuration)
    {
        var listeners = Listeners(configuration);
        if (!_options.AllowPlaintext && listeners.FirstOrDefault(l => !l.IsTls && !l.IsLoopback) is { } exposed)
        {
            throw new NodeStartupException(
                $"The node would listen without TLS on {exposed.Url}, which other machines can reach. Serve TLS instead (an https:// URL " +
                    "with "
                + $"{TransportOptions.Key("Tls:CertificateFile")} and {TransportOptions.Key("Tls:KeyFile")}), or, to accept plaintext on " +
                    "a network you trust, "
                + $"set {TransportOptions.Key(nameof(TransportOptions.AllowPlaintext))}=true.");
        }
        var endpointCertificates = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(e => e.GetSection("Certificate").Exists());
        if (!_options.Tls.Enabled && !endpointCertificates && listeners.FirstOrDefault(l => l.IsTls) is { } tls)
        {
            throw new NodeStartupException(
                $"{tls.Url} serves TLS but no certificate is configured: set {TransportOptions.Key("Tls:CertificateFile")} and " +
                    $"{TransportOptions.Key("Tls:KeyFile")} (PEM files).");
        }
        if (_options.Tls.Enabled && string.IsNullOrEmpty(_options.Tls.KeyFile))
        {
            throw new NodeStartupException(
                $"{TransportOptions.Key("Tls:CertificateFile")} is set but {TransportOptions.Key("Tls:KeyFile")} is not: name the " +
                "certificate's private key (PEM).");
        }
        if (!_options.Tls.Enabled && !string.IsNullOrEmpty(_options.Tls.ClientCaFile))
        {
            throw new NodeStartupException(
                $"{TransportOptions.Key("Tls:ClientCaFile")} needs TLS: set {TransportOptions.Key("Tls:CertificateFile")} and " +
                $"{TransportOptions.Key("Tls:KeyFile")} too.");
        }
        if (!_options.Tls.Enabled) return;
        _certificate = LoadServerCertificate(_options.Tls);
        _clientTrust = string.IsNullOrEmpty(_options.Tls.ClientCaFile)
            ? null : new ClientCertificateTrust(LoadAuthorities(_options.Tls.ClientCaFile));
    }

    /// <summary>Makes https listeners serve the configured certificate and, with a client CA, validate client certificates.</summary>
    public void Configure(KestrelServerOptions kestrel)
    {
        if (_certificate is not { } certificate) return;
        var trust = _clientTrust;
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            if (trust is null) return;
            // Asked for, not required: a caller without a certificate still authenticates with an API key.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = trust.Accepts;
        });
    }

    private static X509Certificate2 LoadServerCertificate(TlsOptions tls)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile);
            // Through PKCS#12, so the private key is usable by the TLS stack on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new NodeStartupException(
                $"Cannot load the node's TLS certificate from {TransportOptions.Key("Tls:CertificateFile")} ({tls.CertificateFile}) and " +
                    $"{TransportOptions.Key("Tls:KeyFile")} ({tls.KeyFile}): {ex.Message}");
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string file)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new NodeStartupException(
                $"Cannot read the client CA from {TransportOptions.Key("Tls:ClientCaFile")} ({file}): {ex.Message}");
        }
        return authorities.Count > 0
            ? authorities
            : throw new NodeStartupException($"{TransportOptions.Key("Tls:ClientCaFile")} ({file}) holds no PEM certificate.");
    }
}

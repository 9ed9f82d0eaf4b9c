using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Transport;

/// <summary>
/// A development CA for <c>devnet</c> and <c>consortium-init</c>: made here with <see cref="CertificateRequest"/> (no
/// openssl, nothing downloaded), kept as <c>ca.pem</c> and <c>ca-key.pem</c> (0600), and issuing one TLS server
/// certificate per node. Clients trust <c>ca.pem</c>. For development only: a real consortium member uses its own CA.
/// </summary>
public sealed class DevelopmentCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.pem";
    public const string KeyFileName = "ca-key.pem";

    /// <summary>A node's certificate is reissued when it has less than this left.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly X509Certificate2 _certificate;

    private DevelopmentCertificateAuthority(X509Certificate2 certificate, string certificateFile)
    {
        _certificate = certificate;
        CertificateFile = certificateFile;
    }

    /// <summary>The CA's certificate (PEM), for clients to trust.</summary>
    public string CertificateFile { get; }

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it there first if it is not there.</summary>
    public static DevelopmentCertificateAuthority LoadOrCreate(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var (certificateFile, keyFile) = (Path.Combine(directory, CertificateFileName), Path.Combine(directory, KeyFileName));
        if (File.Exists(certificateFile) && File.Exists(keyFile))
        {
            var loaded = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (loaded.NotAfter - RenewBefore > DateTime.Now) return new DevelopmentCertificateAuthority(loaded, certificateFile);
            loaded.Dispose();
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={name}, O=OffshoreLedger development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5));
        SecretFile.Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        return new DevelopmentCertificateAuthority(certificate, certificateFile);
    }

    /// <summary>
    /// A TLS server certificate for <paramref name="hostNames"/> plus localhost, 127.0.0.1 and ::1, written as
    /// <c>node.pem</c> and <c>node-key.pem</c> (0600) in <paramref name="directory"/>; one this CA issued that is still
    /// valid for a while is kept.
    /// </summary>
    public (string CertificateFile, string KeyFile) IssueServerCertificate(string directory, string commonName, params string[] hostNames)
    {
        Directory.CreateDirectory(directory);
        var (certificateFile, keyFile) = (Path.Combine(directory, "node.pem"), Path.Combine(directory, "node-key.pem"));
        if (IsCurrent(certificateFile, keyFile)) return (certificateFile, keyFile);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={commonName}, O=OffshoreLedger development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase)) names.AddDnsName(host);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        var notAfter = DateTimeOffset.UtcNow.AddDays(825) < _certificate.NotAfter
            ? DateTimeOffset.UtcNow.AddDays(825) : new DateTimeOffset(_certificate.NotAfter);
        using var certificate = request.Create(
            _certificate, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        SecretFile.Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        return (certificateFile, keyFile);
    }

    public void Dispose() => _certificate.Dispose();

    private bool IsCurrent(string certificateFile, string keyFile)
    {
        if (!File.Exists(certificateFile) || !File.Exists(keyFile)) return false;
        try
        {
            using var existing = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (existing.NotAfter - RenewBefore <= DateTime.Now) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(existing);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// A certificate authority made by the test itself, independently of the node's own development CA, so the node's
/// TLS is checked against certificates it did not produce: server certificates for the node, client certificates
/// for mTLS, and a second, unrelated CA to be refused.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    public TestCertificateAuthority(string name)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
    }

    /// <summary>The CA's certificate (with its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the CA certificate as PEM and returns the file.</summary>
    public string WriteCertificate(string directory)
    {
        var file = Path.Combine(directory, $"ca-{Certificate.Thumbprint[..8]}.pem");
        File.WriteAllText(file, Certificate.ExportCertificatePem());
        return file;
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost, written as PEM certificate and key files.</summary>
    public (string CertificateFile, string KeyFile) WriteServerCertificate(string directory, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(name, key, "1.3.6.1.5.5.7.3.1");
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = Issue(request);
        var (certificateFile, keyFile) = (Path.Combine(directory, $"{name}.pem"), Path.Combine(directory, $"{name}-key.pem"));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    /// <summary>A client certificate (client-auth usage) with its private key, for mTLS.</summary>
    public X509Certificate2 ClientCertificate(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Issue(Leaf(commonName, key, "1.3.6.1.5.5.7.3.2"));
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Through PKCS#12, so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private static CertificateRequest Leaf(string commonName, ECDsa key, string usage)
    {
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        return request;
    }

    private X509Certificate2 Issue(CertificateRequest request)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        return request.Create(
            Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(12));
    }
}

/// <summary>gRPC channels whose TLS trusts one CA only (not the system store), optionally presenting a client certificate.</summary>
public static class TlsChannels
{
    public static Grpc.Net.Client.GrpcChannel Trusting(string url, X509Certificate2? authority, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (authority is null || certificate is null) return errors == System.Net.Security.SslPolicyErrors.None;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        return Grpc.Net.Client.GrpcChannel.ForAddress(url, new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler });
    }
}

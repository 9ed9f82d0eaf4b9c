using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OffshoreLedger.Client.Connection;

/// <summary>TLS that trusts one CA file (a custom root, not the system store) and still checks the host name.</summary>
internal static class CertificateAuthorityTrust
{
    public static SocketsHttpHandler Handler(string certificateAuthorityFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(certificateAuthorityFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException(
                $"Cannot read the CA file {certificateAuthorityFile}: {ex.Message}", nameof(certificateAuthorityFile), ex);
        }
        if (authorities.Count == 0) throw new ArgumentException(
            $"The CA file {certificateAuthorityFile} holds no PEM certificate.", nameof(certificateAuthorityFile));

        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            // The platform judged the chain against the system store; only that judgement is replaced, never the name check.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        return handler;
    }
}

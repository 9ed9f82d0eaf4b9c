using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OffshoreLedger.Node.Transport;

namespace OffshoreLedger.Node.Hosting;

/// <summary>
/// <c>healthcheck [URL] [--ca FILE]</c>: asks a node's standard gRPC health service whether it is serving, for container
/// health checks (the runtime image has no other gRPC client). Without a URL it follows the node's own configuration
/// (the config file, environment and arguments the node reads): its first listener's scheme and port, on loopback
/// when it listens on every interface, trusting exactly the certificate the node serves. <c>--ca</c> trusts a CA
/// instead. Exit 0 when serving, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? url = null, caFile = null;
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--ca" && i + 1 < args.Count) caFile = args[++i];
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) settings.Add(args[i]);
            else url ??= args[i];
        }
        try
        {
            var configuration = NodeConfiguration(settings);
            var target = url ?? Dial(TransportSecurity.From(configuration).Listeners(configuration)[0]);
            var tls = configuration.GetSection(TransportOptions.Section).Get<TransportOptions>()?.Tls ?? new TlsOptions();
            using var handler = Handler(caFile, tls.CertificateFile);
            using var channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions { HttpHandler = handler });
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            output.WriteLine(response.Status);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Grpc.Core.RpcException ex)
        {
            output.WriteLine(ex.Status.StatusCode);
            return 1;
        }
        catch (Exception ex)
            when (ex is IOException or InvalidDataException or FormatException or System.Security.Cryptography.CryptographicException
            or NodeStartupException)
        {
            error.WriteLine($"healthcheck: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The settings the node itself reads: its config file, environment variables, then the arguments.</summary>
    private static IConfiguration NodeConfiguration(IEnumerable<string> args)
    {
        var builder = new ConfigurationBuilder();
        if (Environment.GetEnvironmentVariable(LedgerNodeApp.ConfigFileVariable) is { Length: > 0 } file) builder.AddJsonFile(
            Path.GetFullPath(file), optional: false);
        return builder.AddEnvironmentVariables("ASPNETCORE_").AddEnvironmentVariables().AddCommandLine([.. args]).Build();
    }

    /// <summary>Where to reach a listener from the same machine: a wildcard host becomes loopback.</summary>
    private static string Dial(ListenerAddress listener)
    {
        var url = listener.Url;
        var host = listener.Host is "*" or "+" or "0.0.0.0" or "[::]" ? "127.0.0.1" : listener.Host;
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return $"{listener.Scheme}://{host}{authority[listener.Host.Length..]}";
    }

    private static SocketsHttpHandler Handler(string? caFile, string? ownCertificateFile)
    {
        var handler = new SocketsHttpHandler();
        if (caFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }
        else if (ownCertificateFile is { Length: > 0 })
        {
            // The probe runs beside the node: it trusts exactly the certificate the node is configured to serve.
            var served = new X509Certificate2Collection();
            served.ImportFromPemFile(ownCertificateFile);
            var own = served[0].RawData;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                && certificate.GetRawCertData().AsSpan().SequenceEqual(own);
        }
        return handler;
    }
}

namespace OffshoreLedger.Node.Transport;

/// <summary>How the node's listeners are secured (<c>Node:*</c>). Holds file names only: never a key or a password.</summary>
public sealed class TransportOptions
{
    public const string Section = "Node";

    /// <summary>Serve plaintext (h2c) on a non-loopback address anyway; off by default: off loopback the node serves TLS.</summary>
    public bool AllowPlaintext { get; set; }

    public TlsOptions Tls { get; set; } = new();

    /// <summary>The configuration key of <paramref name="property"/>, e.g. <c>Node:Tls:CertificateFile</c>, for messages.</summary>
    public static string Key(string property) => $"{Section}:{property}";
}

/// <summary>TLS from PEM files (<c>Node:Tls:*</c>).</summary>
public sealed class TlsOptions
{
    /// <summary>The node's certificate (PEM); the first certificate in the file is served.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM, unencrypted: protect the file, 0600, rather than putting a password in configuration).</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// The organisation's CA (PEM, one or more certificates). When set, the node asks callers for a client certificate
    /// and refuses, at the TLS handshake, any that does not chain to this CA (only this CA: not the system store).
    /// Callers without a certificate are still served and authenticate with an API key.
    /// </summary>
    public string? ClientCaFile { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificateFile);
}

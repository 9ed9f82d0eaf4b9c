namespace OffshoreLedger.Client.Connection;

/// <summary>How to reach one OffshoreLedger node.</summary>
public sealed record LedgerClientOptions
{
    /// <summary>The node's gRPC address, e.g. <c>http://127.0.0.1:50051</c> (h2c) or <c>https://node.bank.example:50051</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>The API key sent in the <c>x-api-key</c> header.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The deadline of each call (a watch stream has none).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call when the node is unreachable (UNAVAILABLE), with exponential backoff; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry's backoff; each further one doubles, up to two seconds.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The HTTP handler, e.g. one that pins the node's TLS certificate. Defaults to the platform's certificate
    /// validation, or to <see cref="CertificateAuthorityFile"/> when that is given (not both).
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>
    /// A PEM file of the CA (or CAs) that issued the node's TLS certificate, e.g. an organisation's own CA or the
    /// development CA of <c>devnet</c>: the node's certificate must chain to it (instead of the system's trust store)
    /// and name the host dialled.
    /// </summary>
    public string? CertificateAuthorityFile { get; init; }

    /// <summary>
    /// Send the API key over plaintext <c>http://</c> to a host that is not loopback. Off by default: anyone on the
    /// path could read the key and act with it. Turn on only for a network you trust.
    /// </summary>
    public bool AllowApiKeyOverPlaintext { get; init; }
}

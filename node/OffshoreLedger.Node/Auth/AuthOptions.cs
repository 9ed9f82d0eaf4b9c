using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Auth;

/// <summary>API keys, stored as SHA-256 hashes with their scopes.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>
    /// Client certificates (mTLS, with <c>Node:Tls:ClientCaFile</c>) as an alternative to API keys: a certificate the
    /// organisation's CA issued, whose subject common name is listed here, calls with that entry's name and scopes.
    /// </summary>
    public List<ClientCertificateOptions> ClientCertificates { get; set; } = [];
}

public sealed class ClientCertificateOptions
{
    public string Name { get; set; } = "";

    /// <summary>The certificate subject's common name (CN), e.g. <c>back-office</c>.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Any of <c>read</c>, <c>write</c>, <c>admin</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}

public sealed class ApiKeyOptions
{
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key; the key itself is never stored.</summary>
    [Required, RegularExpression("^[0-9a-f]{64}$")]
    public string Sha256 { get; set; } = "";

    /// <summary>Any of <c>read</c>, <c>write</c>, <c>admin</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}

using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Identity;

/// <summary>Where the organisation's signing key is: an encrypted keystore and its passphrase's location.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>A Web3 Secret Storage (keystore v3) file.</summary>
    [Required]
    public string KeystoreFile { get; set; } = "";

    /// <summary>A file holding the passphrase (preferred: mount it as a secret).</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Or the name of an environment variable holding it.</summary>
    public string? PassphraseEnvironmentVariable { get; set; }

    /// <summary>A file holding the consortium's shared key secret (hex), used to derive collateral keys.</summary>
    [Required]
    public string ConsortiumSecretFile { get; set; } = "";
}

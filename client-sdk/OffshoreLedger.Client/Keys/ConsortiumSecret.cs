namespace OffshoreLedger.Client.Keys;

/// <summary>
/// The consortium's shared secret that collateral keys are keyed with. Without it a key reveals
/// nothing and no identifier can be guessed and tested against the chain.
/// </summary>
/// <remarks>
/// Load it from a secret store or an encrypted keystore, never from an options class or a plain
/// configuration string. <see cref="ToString"/> never prints it.
/// </remarks>
public sealed class ConsortiumSecret
{
    /// <summary>The shortest secret accepted: 32 bytes, the HMAC-SHA256 block strength.</summary>
    public const int MinimumLength = 32;

    private readonly byte[] _bytes;

    /// <summary>Creates a secret from raw bytes (copied).</summary>
    /// <param name="secret">At least 32 bytes, not all the same.</param>
    /// <exception cref="ArgumentException">Too short, or a placeholder such as 32 zero bytes.</exception>
    public ConsortiumSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumLength)
        {
            throw new ArgumentException($"A consortium secret is at least {MinimumLength} bytes; got {secret.Length}.", nameof(secret));
        }

        if (secret.IndexOfAnyExcept(secret[0]) < 0)
        {
            throw new ArgumentException("A consortium secret of one repeated byte is a placeholder, not a secret.", nameof(secret));
        }

        _bytes = secret.ToArray();
    }

    /// <summary>Length of the secret in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Creates a secret from hex digits (a 0x prefix is allowed).</summary>
    /// <param name="hex">At least 64 hex digits.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="FormatException">Not hex.</exception>
    public static ConsortiumSecret FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        return new ConsortiumSecret(Convert.FromHexString(digits.Trim()));
    }

    /// <summary>Creates a secret from base64.</summary>
    /// <param name="base64">The secret in base64.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="FormatException">Not base64.</exception>
    public static ConsortiumSecret FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return new ConsortiumSecret(Convert.FromBase64String(base64.Trim()));
    }

    /// <summary>Says what this is without revealing it.</summary>
    /// <returns>A fixed, redacted text.</returns>
    public override string ToString() => $"ConsortiumSecret({Length} bytes, redacted)";

    internal ReadOnlySpan<byte> Bytes => _bytes;
}

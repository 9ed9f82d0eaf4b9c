namespace OffshoreLedger.Client.Canonical;

/// <summary>The SHA-256 of a document's canonical JSON: what is anchored on chain instead of the document.</summary>
public sealed class DocumentHash : IEquatable<DocumentHash>
{
    /// <summary>Length of the hash in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _value;

    /// <summary>Wraps 32 hash bytes.</summary>
    /// <param name="value">The hash.</param>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public DocumentHash(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException($"A document hash is {Length} bytes, not {value.Length}.", nameof(value));
        }

        _value = value.ToArray();
    }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Parses 64 hex digits, with or without a 0x prefix.</summary>
    /// <param name="hex">The hash in hex.</param>
    /// <returns>The hash.</returns>
    public static DocumentHash FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return new DocumentHash(Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex));
    }

    /// <summary>Lower-case hex without prefix.</summary>
    /// <returns>64 hex digits.</returns>
    public string ToHex() => Convert.ToHexStringLower(_value);

    /// <inheritdoc />
    public bool Equals(DocumentHash? other) => other is not null && _value.AsSpan().SequenceEqual(other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DocumentHash);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_value, 0);

    /// <inheritdoc />
    public override string ToString() => "0x" + ToHex();
}

namespace OffshoreLedger.Client.Keys;

/// <summary>
/// A 32-byte keyed hash that identifies one financeable thing on chain, and what kind of thing it is.
/// Two documents describe the same collateral when they share a key.
/// </summary>
public sealed class CollateralKey : IEquatable<CollateralKey>
{
    /// <summary>Length of a key in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _value;

    /// <summary>Wraps 32 key bytes of a known kind (for keys read back from the chain or the wire).</summary>
    /// <param name="kind">What the key stands for.</param>
    /// <param name="value">The 32 bytes.</param>
    /// <exception cref="ArgumentException">Not 32 bytes, or an unspecified kind.</exception>
    public CollateralKey(CollateralKeyKind kind, ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException($"A collateral key is {Length} bytes, not {value.Length}.", nameof(value));
        }

        if (kind == CollateralKeyKind.Unspecified || !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"'{kind}' is not a collateral key kind.", nameof(kind));
        }

        Kind = kind;
        _value = value.ToArray();
    }

    /// <summary>What the key stands for.</summary>
    public CollateralKeyKind Kind { get; }

    /// <summary>The 32 key bytes, as stored on chain.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Lower-case hex of the key bytes, with a 0x prefix as chain tools expect.</summary>
    /// <returns>"0x" and 64 hex digits.</returns>
    public string ToHex() => "0x" + Convert.ToHexStringLower(_value);

    /// <summary>Two keys are equal when kind and bytes are.</summary>
    /// <param name="other">The other key.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(CollateralKey? other) =>
        other is not null && Kind == other.Kind && _value.AsSpan().SequenceEqual(other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CollateralKey);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, BitConverter.ToInt32(_value, 0));

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{ToHex()}";
}

namespace OffshoreLedger.Client.Merkle;

/// <summary>A 32-byte SHA-256 hash of a Merkle tree node: a tree's root, as anchored on chain.</summary>
public sealed class MerkleHash : IEquatable<MerkleHash>
{
    /// <summary>Length of the hash in bytes.</summary>
    public const int Length = TreeHasher.HashLength;

    private readonly byte[] _value;

    /// <summary>Wraps 32 hash bytes.</summary>
    /// <param name="value">The hash.</param>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public MerkleHash(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException($"A Merkle hash is {Length} bytes, not {value.Length}.", nameof(value));
        }

        _value = value.ToArray();
    }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Parses 64 hex digits, with or without a 0x prefix.</summary>
    /// <param name="hex">The hash in hex.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="FormatException">Not hex.</exception>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public static MerkleHash FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return new MerkleHash(Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex));
    }

    /// <summary>Lower-case hex without prefix.</summary>
    /// <returns>64 hex digits.</returns>
    public string ToHex() => Convert.ToHexStringLower(_value);

    /// <inheritdoc />
    public bool Equals(MerkleHash? other) => other is not null && _value.AsSpan().SequenceEqual(other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MerkleHash);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_value, 0);

    /// <summary>Lower-case hex with a 0x prefix, as chain tools show a bytes32.</summary>
    /// <returns>"0x" and 64 hex digits.</returns>
    public override string ToString() => "0x" + ToHex();
}

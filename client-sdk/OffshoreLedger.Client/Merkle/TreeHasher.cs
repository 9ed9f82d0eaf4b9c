using System.Buffers;
using System.Security.Cryptography;

namespace OffshoreLedger.Client.Merkle;

/// <summary>
/// RFC 6962 section 2.1 hashing with SHA-256. The 0x00 and 0x01 prefixes keep leaves and interior nodes
/// in separate domains, so no leaf can pass for a node (a second-preimage attack on the tree).
/// </summary>
internal static class TreeHasher
{
    public const int HashLength = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Document hashes are 32 bytes; anything up to this size is hashed from the stack.
    private const int StackLeafLimit = 256;

    /// <summary>SHA-256(0x00 || leaf) into <paramref name="destination"/>.</summary>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        var length = leaf.Length + 1;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLeafLimit ? stackalloc byte[StackLeafLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer[0] = LeafPrefix;
            leaf.CopyTo(buffer[1..]);
            SHA256.HashData(buffer[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>SHA-256(0x01 || left || right) into <paramref name="destination"/>, which may overlap either child.</summary>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashLength)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashLength)..]);
        SHA256.HashData(buffer, destination);
    }
}

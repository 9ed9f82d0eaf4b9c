using System.Security.Cryptography;

namespace OffshoreLedger.Client.Tests.Merkle;

/// <summary>
/// RFC 6962 section 2.1 transcribed as literally as possible (MTH and PATH by recursion, hashing inline), to
/// check the library against an implementation that shares none of its code.
/// </summary>
internal static class RecursiveMerkleOracle
{
    public static byte[] LeafHash(byte[] leaf) => SHA256.HashData([0x00, .. leaf]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[n]).</summary>
    public static byte[] TreeHash(byte[][] leaves)
    {
        var n = leaves.Length;
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return LeafHash(leaves[0]);
        }

        var k = LargestPowerOfTwoBelow(n);
        return NodeHash(TreeHash(leaves[..k]), TreeHash(leaves[k..]));
    }

    /// <summary>PATH(m, D[n]).</summary>
    public static List<byte[]> AuditPath(int m, byte[][] leaves)
    {
        var n = leaves.Length;
        if (n == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        return m < k
            ? [.. AuditPath(m, leaves[..k]), TreeHash(leaves[k..])]
            : [.. AuditPath(m - k, leaves[k..]), TreeHash(leaves[..k])];
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}

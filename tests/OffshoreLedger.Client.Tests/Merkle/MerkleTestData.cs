namespace OffshoreLedger.Client.Tests.Merkle;

internal static class MerkleTestData
{
    /// <summary>The leaves of the Certificate Transparency reference tree (certificate-transparency, merkle_tree_test).</summary>
    public static readonly byte[][] ReferenceLeaves =
    [
        .. new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(hex => Convert.FromHexString(hex)),
    ];

    /// <summary>Between 1 and 48 random bytes per leaf, so leaves are not all the same length.</summary>
    /// <summary>
    /// <paramref name="count"/> distinct leaves of 1 to 48 random bytes. Distinct, as documents' hashes are: two equal
    /// neighbours (two one-byte leaves collide once in 256) make a proof verify at either position, which the index
    /// tests would read as a verifier fault.
    /// </summary>
    public static byte[][] RandomLeaves(int count, Random random)
    {
        var seen = new HashSet<string>();
        var leaves = new List<byte[]>(count);
        while (leaves.Count < count)
        {
            var leaf = RandomBytes(random.Next(1, 49), random);
            if (seen.Add(Convert.ToHexString(leaf))) leaves.Add(leaf);
        }
        return [.. leaves];
    }

    public static byte[] RandomBytes(int length, Random random)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A copy with one random bit of one random byte flipped.</summary>
    public static byte[] WithOneBitFlipped(ReadOnlySpan<byte> bytes, Random random)
    {
        var copy = bytes.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    public static string[] Hex(IEnumerable<ReadOnlyMemory<byte>> hashes) => [.. hashes.Select(h => Convert.ToHexStringLower(h.Span))];

    public static string[] Hex(IEnumerable<byte[]> hashes) => [.. hashes.Select(h => Convert.ToHexStringLower(h))];
}

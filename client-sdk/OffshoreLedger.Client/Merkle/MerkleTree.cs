using System.Security.Cryptography;
using OffshoreLedger.Client.Canonical;

namespace OffshoreLedger.Client.Merkle;

/// <summary>
/// An RFC 6962 Merkle tree (section 2.1) over an ordered list of leaves, with SHA-256: the tree over n leaves
/// splits at the largest power of two smaller than n, so nothing is padded or duplicated.
/// Every level is hashed once when the tree is built; proofs are read from the stored levels.
/// </summary>
public sealed class MerkleTree
{
    /// <summary>The most leaves one tree holds (2^25, about 33 million).</summary>
    public const int MaxLeafCount = 1 << 25;

    private const int HashLength = TreeHasher.HashLength;

    // levels[0] holds the leaf hashes, each further level the parents of the one below, 32 bytes apiece,
    // packed. A level of odd width carries its last node up unchanged: that is exactly RFC 6962's split
    // at the largest power of two, seen bottom-up.
    private readonly byte[][] _levels;

    private MerkleTree(byte[] leafHashes, int leafCount)
    {
        LeafCount = leafCount;
        if (leafCount == 0)
        {
            _levels = [];
            Root = new MerkleHash(SHA256.HashData(ReadOnlySpan<byte>.Empty));
            return;
        }

        var built = new List<byte[]> { leafHashes };
        var level = leafHashes;
        var width = leafCount;
        while (width > 1)
        {
            var parentWidth = (width + 1) / 2;
            var parent = new byte[parentWidth * HashLength];
            for (var i = 0; i + 1 < width; i += 2)
            {
                TreeHasher.HashChildren(
                    level.AsSpan(i * HashLength, HashLength),
                    level.AsSpan((i + 1) * HashLength, HashLength),
                    parent.AsSpan(i / 2 * HashLength, HashLength));
            }

            if (width % 2 == 1)
            {
                level.AsSpan((width - 1) * HashLength, HashLength).CopyTo(parent.AsSpan((parentWidth - 1) * HashLength));
            }

            built.Add(parent);
            level = parent;
            width = parentWidth;
        }

        _levels = [.. built];
        Root = new MerkleHash(level);
    }

    /// <summary>
    /// The tree head MTH: for no leaves, SHA-256 of the empty string; for one, the leaf hash; otherwise the
    /// node hash of the two subtrees.
    /// </summary>
    public MerkleHash Root { get; }

    /// <summary>The number of leaves.</summary>
    public int LeafCount { get; }

    /// <summary>Builds the tree over raw leaves, in order; each leaf is hashed as SHA-256(0x00 || leaf).</summary>
    /// <param name="leaves">The leaf data, in order. May be empty (the RFC defines that root).</param>
    /// <returns>The tree.</returns>
    /// <exception cref="ArgumentException">A leaf is null, or more than <see cref="MaxLeafCount"/> leaves.</exception>
    public static MerkleTree FromLeaves(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var leafHashes = AllocateLeafLevel(leaves.Count, nameof(leaves));
        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i] ?? throw new ArgumentException($"Leaf {i} is null.", nameof(leaves));
            TreeHasher.HashLeaf(leaf, leafHashes.AsSpan(i * HashLength, HashLength));
        }

        return new MerkleTree(leafHashes, leaves.Count);
    }

    /// <summary>Builds the tree whose leaves are the 32 bytes of each document hash, in order.</summary>
    /// <param name="documents">The document hashes, in order. May be empty; <see cref="DocumentBatch"/> is not.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="ArgumentException">A document hash is null, or more than <see cref="MaxLeafCount"/> of them.</exception>
    public static MerkleTree FromDocuments(IReadOnlyList<DocumentHash> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var leafHashes = AllocateLeafLevel(documents.Count, nameof(documents));
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i] ?? throw new ArgumentException($"Document hash {i} is null.", nameof(documents));
            TreeHasher.HashLeaf(document.Value, leafHashes.AsSpan(i * HashLength, HashLength));
        }

        return new MerkleTree(leafHashes, documents.Count);
    }

    /// <summary>The RFC 6962 audit path of one leaf, bottom-up, with the leaf's index and the tree size.</summary>
    /// <param name="index">The leaf's position, from 0.</param>
    /// <returns>The proof that the leaf is in this tree.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No leaf at that index.</exception>
    public InclusionProof ProofFor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);

        // A node without a sibling was carried up unchanged and adds nothing to the path.
        var pathLength = 0;
        for (int level = 0, position = index; level < _levels.Length - 1; level++, position >>= 1)
        {
            if ((position ^ 1) < Width(level))
            {
                pathLength++;
            }
        }

        var path = new byte[pathLength * HashLength];
        var written = 0;
        for (int level = 0, position = index; level < _levels.Length - 1; level++, position >>= 1)
        {
            var sibling = position ^ 1;
            if (sibling < Width(level))
            {
                _levels[level].AsSpan(sibling * HashLength, HashLength).CopyTo(path.AsSpan(written * HashLength));
                written++;
            }
        }

        return InclusionProof.FromPackedPath(index, LeafCount, path);
    }

    private int Width(int level) => _levels[level].Length / HashLength;

    private static byte[] AllocateLeafLevel(int count, string parameterName) =>
        count <= MaxLeafCount
            ? new byte[count * HashLength]
            : throw new ArgumentException($"A tree holds at most {MaxLeafCount} leaves, not {count}.", parameterName);
}

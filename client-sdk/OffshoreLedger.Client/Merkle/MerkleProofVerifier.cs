using OffshoreLedger.Client.Canonical;

namespace OffshoreLedger.Client.Merkle;

/// <summary>
/// Checks inclusion proofs offline with the algorithm of RFC 9162 section 2.1.3.2, which works for any tree
/// size. A malformed proof (index not below the size, a path too short or too long, a hash that is not
/// 32 bytes, a missing argument) is simply not valid: the verifier answers false and never throws.
/// </summary>
public static class MerkleProofVerifier
{
    private const int HashLength = TreeHasher.HashLength;

    /// <summary>
    /// Whether <paramref name="leaf"/> sits at the proof's index in the tree with root <paramref name="root"/>.
    /// The root does not commit to the tree size (the proof for leaf 0 of 3 leaves also passes with a claimed
    /// size of 4), so when the anchored leaf count is known, prefer the overload that checks it.
    /// </summary>
    /// <param name="leaf">The leaf data, before the 0x00 leaf prefix is hashed in.</param>
    /// <param name="proof">The inclusion proof.</param>
    /// <param name="root">The 32-byte root.</param>
    /// <returns>True when the proof leads from the leaf to the root.</returns>
    public static bool Verify(ReadOnlySpan<byte> leaf, InclusionProof? proof, ReadOnlySpan<byte> root)
    {
        if (proof is null)
        {
            return false;
        }

        Span<byte> leafHash = stackalloc byte[HashLength];
        TreeHasher.HashLeaf(leaf, leafHash);
        return VerifyLeafHash(leafHash, proof, root);
    }

    /// <summary>
    /// Whether <paramref name="leaf"/> sits at the proof's index in the tree of <paramref name="treeSize"/>
    /// leaves with root <paramref name="root"/>: the proof's own tree size must match the trusted one.
    /// </summary>
    /// <param name="leaf">The leaf data, before the 0x00 leaf prefix is hashed in.</param>
    /// <param name="proof">The inclusion proof.</param>
    /// <param name="root">The 32-byte root.</param>
    /// <param name="treeSize">The leaf count anchored with the root.</param>
    /// <returns>True when the proof is for that tree size and leads from the leaf to the root.</returns>
    public static bool Verify(ReadOnlySpan<byte> leaf, InclusionProof? proof, ReadOnlySpan<byte> root, long treeSize) =>
        proof is not null && proof.TreeSize == treeSize && Verify(leaf, proof, root);

    /// <summary>
    /// Whether a document is in the anchored batch with root <paramref name="root"/> and
    /// <paramref name="anchoredLeafCount"/> documents, as the anchor contract records them.
    /// </summary>
    /// <param name="document">The document's hash, which is the leaf.</param>
    /// <param name="proof">The inclusion proof handed out with the document.</param>
    /// <param name="root">The anchored root.</param>
    /// <param name="anchoredLeafCount">The leaf count anchored with the root.</param>
    /// <returns>True when the proof shows the document in that batch.</returns>
    public static bool Verify(DocumentHash? document, InclusionProof? proof, MerkleHash? root, long anchoredLeafCount) =>
        document is not null && root is not null && Verify(document.Value, proof, root.Value, anchoredLeafCount);

    private static bool VerifyLeafHash(ReadOnlySpan<byte> leafHash, InclusionProof proof, ReadOnlySpan<byte> root)
    {
        if (root.Length != HashLength || proof.LeafIndex < 0 || proof.LeafIndex >= proof.TreeSize)
        {
            return false;
        }

        // fn walks the leaf's position up the tree, sn the last position at the same level.
        var fn = proof.LeafIndex;
        var sn = proof.TreeSize - 1;
        Span<byte> r = stackalloc byte[HashLength];
        leafHash.CopyTo(r);

        for (var i = 0; i < proof.PathLength; i++)
        {
            var p = proof.PathHash(i);
            if (sn == 0 || p.Length != HashLength)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                TreeHasher.HashChildren(p, r, r);

                // A right-most node without a sibling was carried up unchanged: skip those levels.
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                TreeHasher.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }
}

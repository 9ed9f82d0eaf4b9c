using OffshoreLedger.Client.Canonical;

namespace OffshoreLedger.Client.Merkle;

/// <summary>
/// The documents one anchor transaction covers: their hashes in order, the Merkle root that goes on chain
/// with the leaf count, and each document's inclusion proof. A batch is never empty, since anchoring
/// nothing proves nothing.
/// </summary>
public sealed class DocumentBatch
{
    private readonly MerkleTree _tree;

    /// <summary>Builds the tree over the document hashes, in the order given.</summary>
    /// <param name="documents">The document hashes; leaf i is document i.</param>
    /// <exception cref="ArgumentException">No documents, a null one, or more than <see cref="MerkleTree.MaxLeafCount"/>.</exception>
    public DocumentBatch(IEnumerable<DocumentHash> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var hashes = documents.ToArray();
        if (hashes.Length == 0)
        {
            throw new ArgumentException("An anchor batch needs at least one document; anchoring nothing is refused.", nameof(documents));
        }

        _tree = MerkleTree.FromDocuments(hashes);
        Documents = Array.AsReadOnly(hashes);
    }

    /// <summary>The document hashes, in leaf order.</summary>
    public IReadOnlyList<DocumentHash> Documents { get; }

    /// <summary>The root to anchor.</summary>
    public MerkleHash Root => _tree.Root;

    /// <summary>The number of documents, anchored with the root as the tree size.</summary>
    public int LeafCount => _tree.LeafCount;

    /// <summary>The inclusion proof to hand out with one document.</summary>
    /// <param name="index">The document's position in <see cref="Documents"/>.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No document at that position.</exception>
    public InclusionProof ProofFor(int index) => _tree.ProofFor(index);
}

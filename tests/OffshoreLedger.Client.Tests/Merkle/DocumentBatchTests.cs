using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using static OffshoreLedger.Client.Tests.Merkle.MerkleTestData;

namespace OffshoreLedger.Client.Tests.Merkle;

public class DocumentBatchTests
{
    private static DocumentHash[] RandomDocuments(int count, Random random) =>
        [.. Enumerable.Range(0, count).Select(_ => new DocumentHash(RandomBytes(DocumentHash.Length, random)))];

    [Fact]
    public void Batch_of_no_documents_is_refused_because_anchoring_nothing_is_an_error() =>
        Assert.Throws<ArgumentException>(() => new DocumentBatch([]));

    [Fact]
    public void Batch_with_a_missing_document_is_refused() =>
        Assert.Throws<ArgumentException>(() => new DocumentBatch([.. RandomDocuments(2, new Random(5)), null!]));

    [Fact]
    public void Every_document_proves_into_the_batch_root_with_the_anchored_leaf_count()
    {
        var documents = RandomDocuments(1000, new Random(6));

        var batch = new DocumentBatch(documents);

        Assert.Equal(MerkleTree.FromDocuments(documents).Root, batch.Root);
        Assert.Equal(1000, batch.LeafCount);
        Assert.Equal(documents, batch.Documents);
        Assert.All(Enumerable.Range(0, 1000), index =>
            Assert.True(MerkleProofVerifier.Verify(documents[index], batch.ProofFor(index), batch.Root, batch.LeafCount)));
    }

    [Fact]
    public void Document_does_not_prove_into_a_batch_it_is_not_in()
    {
        var random = new Random(7);
        var batch = new DocumentBatch(RandomDocuments(10, random));
        var outsider = RandomDocuments(1, random)[0];

        Assert.All(Enumerable.Range(0, 10), index =>
            Assert.False(MerkleProofVerifier.Verify(outsider, batch.ProofFor(index), batch.Root, batch.LeafCount)));
    }

    [Fact]
    public void Batch_of_one_document_anchors_its_leaf_hash_and_proves_with_an_empty_path()
    {
        var document = DocumentHash.FromHex("0x" + new string('1', 64));

        var batch = new DocumentBatch([document]);

        Assert.Equal(RecursiveMerkleOracle.LeafHash(document.Value.ToArray()), batch.Root.Value.ToArray());
        Assert.Empty(batch.ProofFor(0).AuditPath);
        Assert.True(MerkleProofVerifier.Verify(document, batch.ProofFor(0), batch.Root, 1));
    }
}

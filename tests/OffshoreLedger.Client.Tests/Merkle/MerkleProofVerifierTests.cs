using CsCheck;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using static OffshoreLedger.Client.Tests.Merkle.MerkleTestData;
using Oracle = OffshoreLedger.Client.Tests.Merkle.RecursiveMerkleOracle;

namespace OffshoreLedger.Client.Tests.Merkle;

public class MerkleProofVerifierTests
{
    private static readonly Gen<(int Size, int Seed)> RandomTree = Gen.Select(Gen.Int[1, 300], Gen.Int);

    [Fact]
    public void Every_proof_of_every_leaf_verifies_in_random_trees_of_up_to_300_leaves() =>
        RandomTree.Sample((size, seed) =>
        {
            var leaves = RandomLeaves(size, new Random(seed));
            var tree = MerkleTree.FromLeaves(leaves);

            for (var index = 0; index < size; index++)
            {
                var proof = tree.ProofFor(index);
                Assert.True(MerkleProofVerifier.Verify(leaves[index], proof, tree.Root.Value));
                Assert.True(MerkleProofVerifier.Verify(leaves[index], proof, tree.Root.Value, size));
            }
        }, iter: 100);

    [Fact]
    public void Reference_vectors_verify_against_the_reference_roots()
    {
        for (var size = 1; size <= ReferenceLeaves.Length; size++)
        {
            var leaves = ReferenceLeaves[..size];
            var root = Oracle.TreeHash(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = new InclusionProof(index, size, [.. Oracle.AuditPath(index, leaves).Select(h => (ReadOnlyMemory<byte>)h)]);

                Assert.True(MerkleProofVerifier.Verify(leaves[index], proof, root, size));
            }
        }
    }

    [Fact]
    public void Flipping_a_bit_of_the_leaf_or_of_any_path_hash_makes_the_proof_fail() =>
        RandomTree.Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = RandomLeaves(size, random);
            var tree = MerkleTree.FromLeaves(leaves);

            for (var index = 0; index < size; index++)
            {
                var proof = tree.ProofFor(index);
                Assert.False(MerkleProofVerifier.Verify(WithOneBitFlipped(leaves[index], random), proof, tree.Root.Value));

                for (var element = 0; element < proof.AuditPath.Count; element++)
                {
                    var path = proof.AuditPath.ToArray();
                    path[element] = WithOneBitFlipped(path[element].Span, random);

                    Assert.False(MerkleProofVerifier.Verify(leaves[index], new InclusionProof(index, size, path), tree.Root.Value));
                }
            }
        }, iter: 100);

    [Fact]
    public void Changing_the_index_makes_the_proof_fail() =>
        RandomTree.Where((size, _) => size > 1).Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = RandomLeaves(size, random);
            var tree = MerkleTree.FromLeaves(leaves);

            for (var index = 0; index < size; index++)
            {
                var proof = tree.ProofFor(index);
                var otherIndex = (index + random.Next(1, 2 * size)) % (2 * size);
                var moved = new InclusionProof(otherIndex, size, proof.AuditPath);

                Assert.False(MerkleProofVerifier.Verify(leaves[index], moved, tree.Root.Value));
                Assert.False(
                    MerkleProofVerifier.Verify(leaves[index], new InclusionProof(index ^ 1, size, proof.AuditPath), tree.Root.Value));
            }
        }, iter: 100);

    [Fact]
    public void Changing_the_tree_size_makes_the_proof_fail_against_the_anchored_leaf_count() =>
        RandomTree.Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = RandomLeaves(size, random);
            var tree = MerkleTree.FromLeaves(leaves);

            for (var index = 0; index < size; index++)
            {
                var proof = tree.ProofFor(index);
                var otherSize = size + random.Next(1, 2 * size) * (random.Next(2) == 0 ? 1 : -1);
                var resized = new InclusionProof(index, otherSize, proof.AuditPath);

                Assert.False(MerkleProofVerifier.Verify(leaves[index], resized, tree.Root.Value, size));
                Assert.False(MerkleProofVerifier.Verify(leaves[index], proof, tree.Root.Value, otherSize));
            }
        }, iter: 100);

    [Fact]
    public void Root_alone_does_not_pin_the_tree_size_so_the_anchored_leaf_count_must_be_checked()
    {
        // Leaf 0 of 3 and leaf 0 of 4 take the same turns (right, right), so a size-3 proof relabelled as size 4
        // still reaches the size-3 root. The contract anchors the leaf count with the root for this reason.
        var tree = MerkleTree.FromLeaves(ReferenceLeaves[..3]);
        var relabelled = new InclusionProof(0, 4, tree.ProofFor(0).AuditPath);

        Assert.True(MerkleProofVerifier.Verify(ReferenceLeaves[0], relabelled, tree.Root.Value));
        Assert.False(MerkleProofVerifier.Verify(ReferenceLeaves[0], relabelled, tree.Root.Value, tree.LeafCount));
    }

    [Fact]
    public void Proofs_never_verify_against_the_root_of_another_tree() =>
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 300], Gen.Int).Sample((size, otherSize, seed) =>
        {
            var random = new Random(seed);
            var leaves = RandomLeaves(size, random);
            var tree = MerkleTree.FromLeaves(leaves);
            var unrelated = MerkleTree.FromLeaves(RandomLeaves(otherSize, random));
            var extended = MerkleTree.FromLeaves([.. leaves, RandomBytes(32, random)]);

            for (var index = 0; index < size; index++)
            {
                var proof = tree.ProofFor(index);
                Assert.False(MerkleProofVerifier.Verify(leaves[index], proof, unrelated.Root.Value));
                Assert.False(MerkleProofVerifier.Verify(leaves[index], proof, extended.Root.Value));
            }
        }, iter: 100);

    [Fact]
    public void Interior_node_presented_as_a_leaf_does_not_verify()
    {
        // The second-preimage attack that the 0x00/0x01 prefixes stop: claim that the two child hashes under
        // node g of a four-leaf tree are one leaf of a two-leaf tree, with g's sibling h as the path.
        var leaves = ReferenceLeaves[..4];
        var tree = MerkleTree.FromLeaves(leaves);
        var forgedLeaf = Oracle.LeafHash(leaves[0]).Concat(Oracle.LeafHash(leaves[1])).ToArray();
        var forgedProof = new InclusionProof(0, 2, [Oracle.TreeHash(leaves[2..4])]);

        Assert.False(MerkleProofVerifier.Verify(forgedLeaf, forgedProof, tree.Root.Value));
    }

    public static TheoryData<string, InclusionProof?, int> MalformedProofs()
    {
        // The proof of leaf 2 in the 5-leaf reference tree, bent out of shape.
        var good = MerkleTree.FromLeaves(ReferenceLeaves[..5]).ProofFor(2);
        ReadOnlyMemory<byte>[] path = [.. good.AuditPath];
        return new()
        {
            { "no proof", null, 32 },
            { "index equal to the size", new InclusionProof(5, 5, path), 32 },
            { "index past the size", new InclusionProof(long.MaxValue, 5, path), 32 },
            { "negative index", new InclusionProof(-1, 5, path), 32 },
            { "negative size", new InclusionProof(2, -5, path), 32 },
            { "size of zero", new InclusionProof(0, 0, []), 32 },
            { "empty path", new InclusionProof(2, 5, []), 32 },
            { "one hash short", new InclusionProof(2, 5, path[..^1]), 32 },
            { "one hash extra", new InclusionProof(2, 5, [.. path, path[0]]), 32 },
            { "many hashes extra", new InclusionProof(2, 5, [.. Enumerable.Repeat(path[0], 1000)]), 32 },
            { "31-byte hash", new InclusionProof(2, 5, [path[0], path[1][..31], path[2]]), 32 },
            { "33-byte hash", new InclusionProof(2, 5, [path[0], new byte[33], path[2]]), 32 },
            { "empty hash", new InclusionProof(2, 5, [path[0], ReadOnlyMemory<byte>.Empty, path[2]]), 32 },
            { "65-byte hash", new InclusionProof(2, 5, [path[0], new byte[65], path[2]]), 32 },
            { "1 MB hash", new InclusionProof(2, 5, [new byte[1 << 20], path[1], path[2]]), 32 },
            { "31-byte root", good, 31 },
            { "33-byte root", good, 33 },
            { "empty root", good, 0 },
            { "1 MB root", good, 1 << 20 },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedProofs))]
    public void Malformed_proof_is_answered_false_without_throwing(string shape, InclusionProof? proof, int rootLength)
    {
        var root = MerkleTree.FromLeaves(ReferenceLeaves[..5]).Root.Value.ToArray();
        Array.Resize(ref root, rootLength);

        Assert.False(MerkleProofVerifier.Verify(ReferenceLeaves[2], proof, root), shape);
        Assert.False(MerkleProofVerifier.Verify(ReferenceLeaves[2], proof, root, 5), shape);
    }

    [Fact]
    public void Document_without_a_proof_root_or_hash_is_answered_false()
    {
        var batch = new DocumentBatch([DocumentHash.FromHex(new string('a', 64))]);

        Assert.False(MerkleProofVerifier.Verify(null, batch.ProofFor(0), batch.Root, 1));
        Assert.False(MerkleProofVerifier.Verify(batch.Documents[0], null, batch.Root, 1));
        Assert.False(MerkleProofVerifier.Verify(batch.Documents[0], batch.ProofFor(0), null, 1));
        Assert.True(MerkleProofVerifier.Verify(batch.Documents[0], batch.ProofFor(0), batch.Root, 1));
    }
}

using System.Security.Cryptography;
using CsCheck;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using static OffshoreLedger.Client.Tests.Merkle.MerkleTestData;
using Oracle = OffshoreLedger.Client.Tests.Merkle.RecursiveMerkleOracle;

namespace OffshoreLedger.Client.Tests.Merkle;

public class MerkleTreeTests
{
    [Theory]
    [InlineData(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef")]
    [InlineData(7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void Root_of_the_reference_tree_matches_the_certificate_transparency_vector(int size, string expectedRoot)
    {
        var leaves = ReferenceLeaves[..size];

        var tree = MerkleTree.FromLeaves(leaves);

        Assert.Equal(expectedRoot, tree.Root.ToHex());
        Assert.Equal(expectedRoot, Convert.ToHexStringLower(Oracle.TreeHash(leaves)));
        Assert.Equal(size, tree.LeafCount);
    }

    [Fact]
    public void Root_of_no_leaves_is_sha256_of_the_empty_string() =>
        Assert.Equal(new MerkleHash(SHA256.HashData([])), MerkleTree.FromLeaves([]).Root);

    [Theory]
    [InlineData(
        0, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(
        5, 8, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 3, new[] { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" })]
    [InlineData(
        1, 5, new[] { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(0, 1, new string[0])]
    public void Audit_path_in_the_reference_tree_matches_the_certificate_transparency_vector(int index, int size, string[] expectedPath)
    {
        var proof = MerkleTree.FromLeaves(ReferenceLeaves[..size]).ProofFor(index);

        Assert.Equal(expectedPath, Hex(proof.AuditPath));
        Assert.Equal(expectedPath, Hex(Oracle.AuditPath(index, ReferenceLeaves[..size])));
        Assert.Equal(index, proof.LeafIndex);
        Assert.Equal(size, proof.TreeSize);
    }

    [Theory]
    [InlineData(0, new[] { "b", "h", "l" })]
    [InlineData(3, new[] { "c", "g", "l" })]
    [InlineData(4, new[] { "f", "j", "k" })]
    [InlineData(6, new[] { "i", "k" })]
    public void Audit_path_in_the_seven_leaf_example_of_rfc_6962_section_2_1_3_names_the_expected_nodes(int index, string[] expectedNodes)
    {
        // Node names as in the RFC's figure; each node is computed by the recursive oracle over its own leaves.
        var d = ReferenceLeaves[..7];
        var nodes = new Dictionary<string, byte[]>
        {
            ["a"] = Oracle.TreeHash(d[0..1]), ["b"] = Oracle.TreeHash(d[1..2]), ["c"] = Oracle.TreeHash(d[2..3]),
            ["d"] = Oracle.TreeHash(d[3..4]), ["e"] = Oracle.TreeHash(d[4..5]), ["f"] = Oracle.TreeHash(d[5..6]),
            ["g"] = Oracle.TreeHash(d[0..2]), ["h"] = Oracle.TreeHash(d[2..4]), ["i"] = Oracle.TreeHash(d[4..6]),
            ["j"] = Oracle.TreeHash(d[6..7]), ["k"] = Oracle.TreeHash(d[0..4]), ["l"] = Oracle.TreeHash(d[4..7]),
        };

        var proof = MerkleTree.FromLeaves(d).ProofFor(index);

        Assert.Equal(Hex(expectedNodes.Select(name => nodes[name])), Hex(proof.AuditPath));
    }

    [Fact]
    public void Root_and_every_audit_path_match_the_recursive_definition_for_every_size_up_to_64()
    {
        var random = new Random(6962);
        for (var size = 1; size <= 64; size++)
        {
            var leaves = RandomLeaves(size, random);
            var tree = MerkleTree.FromLeaves(leaves);

            Assert.Equal(Oracle.TreeHash(leaves), tree.Root.Value.ToArray());
            for (var index = 0; index < size; index++)
            {
                Assert.Equal(Hex(Oracle.AuditPath(index, leaves)), Hex(tree.ProofFor(index).AuditPath));
            }
        }
    }

    [Fact]
    public void Root_and_audit_paths_match_the_recursive_definition_for_random_sizes_up_to_300() =>
        Gen.Select(Gen.Int[1, 300], Gen.Int).Sample((size, seed) =>
        {
            var random = new Random(seed);
            var leaves = RandomLeaves(size, random);
            var index = random.Next(size);

            var tree = MerkleTree.FromLeaves(leaves);

            Assert.Equal(Oracle.TreeHash(leaves), tree.Root.Value.ToArray());
            Assert.Equal(Hex(Oracle.AuditPath(index, leaves)), Hex(tree.ProofFor(index).AuditPath));
        }, iter: 200);

    [Fact]
    public void Leaves_longer_than_the_stack_buffer_hash_the_same_as_the_definition()
    {
        var random = new Random(1);
        byte[][] leaves = [RandomBytes(255, random), RandomBytes(256, random), RandomBytes(257, random), RandomBytes(100_000, random)];

        Assert.Equal(Oracle.TreeHash(leaves), MerkleTree.FromLeaves(leaves).Root.Value.ToArray());
    }

    [Fact]
    public void Tree_of_document_hashes_uses_the_32_hash_bytes_as_leaves()
    {
        var random = new Random(2);
        var documents = Enumerable.Range(0, 5).Select(_ => new DocumentHash(RandomBytes(32, random))).ToArray();

        var tree = MerkleTree.FromDocuments(documents);

        Assert.Equal(MerkleTree.FromLeaves([.. documents.Select(d => d.Value.ToArray())]).Root, tree.Root);
    }

    [Fact]
    public void Leaf_equal_to_two_concatenated_child_hashes_does_not_hash_like_their_parent_node()
    {
        byte[] left = [0x01];
        byte[] right = [0x02];
        var forgedLeaf = Oracle.LeafHash(left).Concat(Oracle.LeafHash(right)).ToArray();

        var parent = MerkleTree.FromLeaves([left, right]).Root;
        var lonelyLeaf = MerkleTree.FromLeaves([forgedLeaf]).Root;

        Assert.NotEqual(parent, lonelyLeaf);
        Assert.Equal(Oracle.NodeHash(Oracle.LeafHash(left), Oracle.LeafHash(right)), parent.Value.ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public void Proof_for_a_position_outside_the_tree_is_refused(int index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.FromLeaves(ReferenceLeaves[..3]).ProofFor(index));

    [Fact]
    public void Proof_in_a_tree_of_no_leaves_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.FromLeaves([]).ProofFor(0));

    [Fact]
    public void Null_leaf_is_refused_with_its_position() =>
        Assert.Contains("Leaf 1", Assert.Throws<ArgumentException>(() => MerkleTree.FromLeaves([[0x00], null!])).Message);
}

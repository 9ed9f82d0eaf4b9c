using OffshoreLedger.Client.Merkle;
using static OffshoreLedger.Client.Tests.Merkle.MerkleTestData;

namespace OffshoreLedger.Client.Tests.Merkle;

public class InclusionProofTests
{
    private const string Hash0 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
    private const string Hash1 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
    private const string Hash2 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";

    private static readonly InclusionProof ReferenceProof = MerkleTree.FromLeaves(ReferenceLeaves).ProofFor(0);

    [Fact]
    public void Hex_form_is_index_and_size_as_big_endian_64_bit_integers_then_the_path() =>
        Assert.Equal("0000000000000000" + "0000000000000008" + Hash0 + Hash1 + Hash2, ReferenceProof.ToHex());

    [Fact]
    public void Json_form_names_index_size_and_the_path_in_hex() =>
        Assert.Equal($$"""{"leafIndex":0,"treeSize":8,"auditPath":["{{Hash0}}","{{Hash1}}","{{Hash2}}"]}""", ReferenceProof.ToJson());

    [Fact]
    public void Every_proof_of_a_tree_survives_the_hex_and_json_round_trips()
    {
        var tree = MerkleTree.FromLeaves(RandomLeaves(77, new Random(3)));
        for (var index = 0; index < tree.LeafCount; index++)
        {
            var proof = tree.ProofFor(index);

            Assert.Equal(proof, InclusionProof.FromHex(proof.ToHex()));
            Assert.Equal(proof, InclusionProof.FromJson(proof.ToJson()));
        }
    }

    [Fact]
    public void Proof_of_the_only_leaf_has_an_empty_path_in_both_forms()
    {
        var proof = MerkleTree.FromLeaves([[0x2a]]).ProofFor(0);

        Assert.Equal("00000000000000000000000000000001", proof.ToHex());
        Assert.Equal(proof, InclusionProof.FromHex("0x00000000000000000000000000000001"));
        Assert.Equal(proof, InclusionProof.FromJson("""{"leafIndex":0,"treeSize":1,"auditPath":[]}"""));
    }

    [Theory]
    [InlineData("not hex")]
    [InlineData("000")]
    [InlineData("0000000000000000000000000000000800")]
    [InlineData("8000000000000000000000000000000800000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public void Hex_that_is_not_a_header_and_whole_hashes_is_refused(string hex) =>
        Assert.Throws<FormatException>(() => InclusionProof.FromHex(hex));

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"treeSize":8,"auditPath":[]}""")]
    [InlineData("""{"leafIndex":0,"auditPath":[]}""")]
    [InlineData("""{"leafIndex":0,"treeSize":8}""")]
    [InlineData("""{"leafIndex":0.5,"treeSize":8,"auditPath":[]}""")]
    [InlineData("""{"leafIndex":"0","treeSize":8,"auditPath":[]}""")]
    [InlineData("""{"leafIndex":0,"treeSize":99999999999999999999,"auditPath":[]}""")]
    [InlineData("""{"leafIndex":0,"treeSize":8,"auditPath":[1]}""")]
    [InlineData("""{"leafIndex":0,"treeSize":8,"auditPath":["zz"]}""")]
    public void Json_that_is_not_a_proof_is_refused(string json) =>
        Assert.Throws<FormatException>(() => InclusionProof.FromJson(json));

    [Fact]
    public void Json_with_a_short_hash_parses_and_is_left_for_the_verifier_to_refuse()
    {
        var proof = InclusionProof.FromJson($$"""{"leafIndex":0,"treeSize":8,"auditPath":["{{Hash0}}","{{Hash1}}","{{Hash2[..62]}}"]}""");

        Assert.Equal(31, proof.AuditPath[2].Length);
        Assert.False(MerkleProofVerifier.Verify(ReferenceLeaves[0], proof, MerkleTree.FromLeaves(ReferenceLeaves).Root.Value));
        Assert.Throws<InvalidOperationException>(proof.ToHex);
    }

    [Fact]
    public void Proof_keeps_its_own_copy_of_the_path_it_was_given()
    {
        var hash = Convert.FromHexString(Hash0);
        var proof = new InclusionProof(0, 2, [hash]);

        hash[0] ^= 0xff;

        Assert.Equal(Hash0, Convert.ToHexStringLower(proof.AuditPath[0].Span));
    }

    [Fact]
    public void Proofs_differing_only_in_one_path_byte_are_not_equal()
    {
        var path = ReferenceProof.AuditPath.ToArray();
        path[1] = WithOneBitFlipped(path[1].Span, new Random(4));

        Assert.NotEqual(ReferenceProof, new InclusionProof(0, 8, path));
        Assert.Equal(ReferenceProof, new InclusionProof(0, 8, ReferenceProof.AuditPath));
    }
}

using OffshoreLedger.Client.Merkle;

namespace OffshoreLedger.Client.Tests.Merkle;

public class MerkleHashTests
{
    private const string Root = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

    [Fact]
    public void Hash_reads_with_or_without_0x_and_prints_lower_case_with_it()
    {
        var hash = MerkleHash.FromHex("0x" + Root.ToUpperInvariant());

        Assert.Equal(MerkleHash.FromHex(Root), hash);
        Assert.Equal(Root, hash.ToHex());
        Assert.Equal("0x" + Root, hash.ToString());
        Assert.Equal(MerkleHash.FromHex(Root).GetHashCode(), hash.GetHashCode());
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void Hash_of_any_other_length_than_32_bytes_is_refused(int length) =>
        Assert.Throws<ArgumentException>(() => new MerkleHash(new byte[length]));

    [Fact]
    public void Hashes_differing_in_the_last_byte_are_not_equal()
    {
        var bytes = Convert.FromHexString(Root);
        bytes[^1] ^= 1;

        Assert.NotEqual(MerkleHash.FromHex(Root), new MerkleHash(bytes));
    }
}

using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using OffshoreLedger.Contracts.Consent;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>
/// Consents and carrier issuances are signed and recovered with NBitcoin.Secp256k1 instead of Nethereum's BouncyCastle
/// signer: the signatures must be byte-identical to Nethereum's, the recovered signer the same, and a signature the
/// contract's ECDSA refuses (high s, a v other than 27/28) recovers no one. Pure logic: random keys and digests.
/// </summary>
public sealed class ConsentSignatureTests
{
    private const int Cases = 300;

    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public void Signatures_are_byte_identical_to_Nethereums_and_recover_the_same_signer()
    {
        var random = new Random(20261207);
        for (var i = 0; i < Cases; i++)
        {
            var key = EthECKey.GenerateKey();
            var digest = new byte[32];
            random.NextBytes(digest);

            var ours = PledgeConsent.Sign(digest, key.GetPrivateKey());
            var nethereums = EthECDSASignature.CreateStringSignature(key.SignAndCalculateV(digest)).HexToByteArray();

            Assert.Equal(nethereums.ToHex(), ours.ToHex());
            Assert.Equal(key.GetPublicAddress(), PledgeConsent.Recover(digest, ours), ignoreCase: true);
        }
    }

    [Fact]
    public void A_signature_over_other_terms_recovers_someone_else()
    {
        var key = EthECKey.GenerateKey();
        var digest = Enumerable.Range(1, 32).Select(b => (byte)b).ToArray();
        var signature = PledgeConsent.Sign(digest, key.GetPrivateKey());
        digest[0] ^= 1;

        Assert.NotEqual(key.GetPublicAddress().ToLowerInvariant(), PledgeConsent.Recover(digest, signature));
    }

    [Fact]
    public void High_s_and_bad_v_recover_no_one_as_the_contract_refuses_them()
    {
        var key = EthECKey.GenerateKey();
        var digest = Enumerable.Range(1, 32).Select(b => (byte)(b * 7)).ToArray();
        var signature = PledgeConsent.Sign(digest, key.GetPrivateKey());
        Assert.NotNull(PledgeConsent.Recover(digest, signature));

        // The same signature's twin (n - s, v flipped) is valid ECDSA, but malleable: OpenZeppelin's ECDSA refuses it.
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var twin = (byte[])signature.Clone();
        var highS = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        twin.AsSpan(32, 32).Clear();
        highS.CopyTo(twin.AsSpan(64 - highS.Length));
        twin[64] = (byte)(signature[64] == 27 ? 28 : 27);
        Assert.Null(PledgeConsent.Recover(digest, twin));

        var badV = (byte[])signature.Clone();
        badV[64] = 1;
        Assert.Null(PledgeConsent.Recover(digest, badV));
        Assert.Null(PledgeConsent.Recover(digest, signature[..64]));
    }
}

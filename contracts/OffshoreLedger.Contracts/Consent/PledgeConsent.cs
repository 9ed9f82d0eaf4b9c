using System.Numerics;
using System.Text;
using NBitcoin.Secp256k1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Consent;

/// <summary>
/// What a borrower consents to: the contract's EIP-712 <c>PledgeConsent</c> — <paramref name="Bank"/> may pledge exactly
/// these titles and keys until <paramref name="Expiry"/>, once (<paramref name="Nonce"/>), if it does so by
/// <paramref name="Deadline"/>. A zero <paramref name="FinancingCommitment"/> leaves the bank's commitment open.
/// </summary>
public sealed record PledgeConsentTerms(
    string Bank,
    IReadOnlyList<ulong> TitleIds,
    IReadOnlyList<byte[]> Keys,
    byte[] FinancingCommitment,
    ulong Expiry,
    ulong Nonce,
    ulong Deadline);

/// <summary>The EIP-712 domain of one deployment: a consent signed for one chain or contract is void on any other.</summary>
public sealed record ConsentDomain(BigInteger ChainId, string Contract);

/// <summary>
/// Computes the digest a borrower signs, exactly as <c>CollateralLedger.pledgeConsentDigest</c> does (a test compares
/// the two on a real chain), and signs it with a member key.
/// </summary>
public static class PledgeConsent
{
    public const string TypeString =
        "PledgeConsent(address bank,uint64[] titleIds,bytes32[] keys,bytes32 financingCommitment,uint40 expiry,uint64 nonce,uint40 " +
            "deadline)";

    private const string DomainTypeString = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    /// <summary>The EIP-712 digest: keccak256(0x1901 ‖ domain separator ‖ struct hash).</summary>
    public static byte[] Digest(PledgeConsentTerms terms, ConsentDomain domain)
    {
        var titles = new byte[32 * terms.TitleIds.Count];
        for (var i = 0; i < terms.TitleIds.Count; i++) Word(terms.TitleIds[i]).CopyTo(titles, 32 * i);
        var keys = new byte[32 * terms.Keys.Count];
        for (var i = 0; i < terms.Keys.Count; i++) Bytes32(terms.Keys[i]).CopyTo(keys, 32 * i);

        var structHash = Keccak(Concat(
            Keccak(Encoding.ASCII.GetBytes(TypeString)),
            AddressWord(terms.Bank),
            Keccak(titles),
            Keccak(keys),
            Bytes32(terms.FinancingCommitment),
            Word(terms.Expiry),
            Word(terms.Nonce),
            Word(terms.Deadline)));
        return Keccak(Concat([0x19, 0x01], DomainSeparator(domain), structHash));
    }

    public static byte[] DomainSeparator(ConsentDomain domain) => Keccak(Concat(
        Keccak(Encoding.ASCII.GetBytes(DomainTypeString)),
        Keccak(Encoding.UTF8.GetBytes("OffshoreLedger")),
        Keccak(Encoding.UTF8.GetBytes("1")),
        Word(domain.ChainId),
        AddressWord(domain.Contract)));

    /// <summary>
    /// A 65-byte signature r ‖ s ‖ v (v 27 or 28, low s), as the contract's ECDSA recovery takes it. Signed with
    /// NBitcoin.Secp256k1 (RFC 6979 nonces, low s: the same bytes as Nethereum's <c>EthECKey</c>, a test compares them)
    /// at a fraction of the BouncyCastle signer's CPU (BENCHMARKS.md, "Writes": signing): a holder's node signs one per pledge.
    /// </summary>
    public static byte[] Sign(byte[] digest, string privateKeyHex)
    {
        using var key = ECPrivKey.Create(privateKeyHex.HexToByteArray());
        if (digest.Length != 32 || !key.TrySignRecoverable(digest, out var signature) || signature is null)
        {
            throw new ArgumentException("A digest is 32 bytes.", nameof(digest));
        }
        var bytes = new byte[65];
        signature.WriteToSpanCompact(bytes.AsSpan(0, 64), out var recoveryId);
        bytes[64] = (byte)(27 + recoveryId);
        return bytes;
    }

    /// <summary>
    /// The signer of a digest (an address, 0x and lower case), to check a signature before sending it on chain; null
    /// when no key could have made it (a v other than 27 or 28, r or s out of range, a high s the contract refuses).
    /// </summary>
    public static string? Recover(byte[] digest, byte[] signature)
    {
        if (digest.Length != 32 || signature.Length != 65 || signature[64] is not (27 or 28)) return null;
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(signature.AsSpan(0, 64), signature[64] - 27, out var recoverable)
            || recoverable is null
            || recoverable.ToSignature().s.IsHigh
            || !ECPubKey.TryRecover(Context.Instance, recoverable, digest, out var publicKey)
            || publicKey is null)
        {
            return null;
        }
        Span<byte> uncompressed = stackalloc byte[65];
        publicKey.WriteToSpan(compressed: false, uncompressed, out _);
        return "0x" + Sha3Keccack.Current.CalculateHash(uncompressed[1..].ToArray())[12..].ToHex();
    }

    /// <summary>The contract's <c>Consent</c> argument for a signed consent.</summary>
    public static ConsentData Argument(PledgeConsentTerms terms, byte[] signature) => new()
    {
        FinancingCommitment = Bytes32(terms.FinancingCommitment), Nonce = terms.Nonce, Deadline = terms.Deadline, Signature = signature,
    };

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Word(BigInteger value)
    {
        var word = new byte[32];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > 32) throw new ArgumentOutOfRangeException(nameof(value));
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] Word(ulong value) => Word(new BigInteger(value));

    private static byte[] AddressWord(string address)
    {
        var bytes = address.HexToByteArray();
        if (bytes.Length != 20) throw new ArgumentException($"Not an address: {address}", nameof(address));
        var word = new byte[32];
        bytes.CopyTo(word, 12);
        return word;
    }

    private static byte[] Bytes32(byte[] value) =>
        value.Length == 32 ? value : throw new ArgumentException($"Expected 32 bytes, got {value.Length}.", nameof(value));
}

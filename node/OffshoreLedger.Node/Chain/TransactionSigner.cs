using System.Numerics;
using NBitcoin.Secp256k1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.RLP;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// Signs the organisation's transactions with NBitcoin.Secp256k1, a C# port of libsecp256k1, instead of Nethereum's
/// BouncyCastle signer, which was the write path's bottleneck (BENCHMARKS.md, "Writes: registrations, pledges and
/// signing", compares the two).
/// Nethereum still builds and RLP-encodes the transaction; only the ECDSA signature is computed here. Both sign with
/// RFC 6979 deterministic nonces and low S, so the signed bytes are identical to Nethereum's (a test proves it).
/// </summary>
public sealed class TransactionSigner : IDisposable
{
    private readonly ECPrivKey _key;
    private readonly BigInteger _chainId;

    public TransactionSigner(string privateKeyHex, BigInteger chainId)
    {
        _key = ECPrivKey.Create(privateKeyHex.HexToByteArray());
        _chainId = chainId;
    }

    /// <summary>A legacy transaction with EIP-155 replay protection, as hex without 0x (what the node sends).</summary>
    public string SignLegacy(string to, BigInteger value, BigInteger nonce, BigInteger gasPrice, BigInteger gasLimit, string data)
    {
        var transaction = new LegacyTransactionChainId(to, value, nonce, gasPrice, gasLimit, data, _chainId);
        var (r, s, recoveryId) = Sign(transaction.RawHash);
        transaction.SetSignature(new Signature(r, s, (_chainId * 2 + 35 + recoveryId).ToBytesForRLPEncoding()));
        return transaction.GetRLPEncoded().ToHex();
    }

    /// <summary>An EIP-1559 (type 2) transaction without an access list, as hex without 0x.</summary>
    public string Sign1559(
        string to, BigInteger value, BigInteger nonce, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas, BigInteger gasLimit,
        string data)
    {
        var transaction = new Transaction1559(_chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, []);
        var (r, s, recoveryId) = Sign(transaction.RawHash);
        // The y-parity as an RLP integer: 0 is the empty string.
        transaction.SetSignature(new Signature(r, s, recoveryId == 0 ? [] : [(byte)recoveryId]));
        return transaction.GetRLPEncoded().ToHex();
    }

    private (byte[] R, byte[] S, int RecoveryId) Sign(byte[] hash)
    {
        if (!_key.TrySignRecoverable(hash, out var signature) || signature is null) throw new InvalidOperationException(
            "secp256k1 could not sign the transaction hash.");
        Span<byte> compact = stackalloc byte[64];
        signature.WriteToSpanCompact(compact, out var recoveryId);
        // R and S are RLP integers: big-endian without leading zeros, as Nethereum encodes them.
        return (Minimal(compact[..32]), Minimal(compact[32..]), recoveryId);
    }

    private static byte[] Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return value[start..].ToArray();
    }

    public void Dispose() => _key.Dispose();
}

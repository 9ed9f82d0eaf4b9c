using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Digests;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// A hash chain over a contract's raw logs, in chain order: d₀ = 32 zero bytes,
/// dᵢ = keccak256(dᵢ₋₁ ‖ block number (8 bytes, big-endian) ‖ log index (4 bytes) ‖ transaction hash ‖ topics ‖ data).
/// Two auditors who replayed the same history get the same digest whatever windows they read it in; a history that
/// differs in one log (added, dropped, reordered or altered) gets another.
/// </summary>
public sealed class HistoryDigest
{
    // One Keccak instance, reset by each DoFinal: half the cost of Nethereum's per-call Sha3Keccack.
    private readonly KeccakDigest _keccak = new(256);
    private readonly byte[] _value = new byte[32];
    private byte[] _buffer = new byte[1024];

    /// <summary>Logs chained so far.</summary>
    public long Count { get; private set; }

    /// <summary>The digest so far, 0x-hex.</summary>
    public string Value => Hex.Of(_value);

    public void Append(ChainLog log)
    {
        var size = 32 + 12 + 32 + 32 * log.Topics.Length + log.Data.Length;
        if (_buffer.Length < size) _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        var span = _buffer.AsSpan();
        _value.CopyTo(span);
        BinaryPrimitives.WriteUInt64BigEndian(span[32..], log.BlockNumber);
        BinaryPrimitives.WriteUInt32BigEndian(span[40..], log.LogIndex);
        var at = 44 + Hex.Decode(log.TransactionHash, span[44..]);
        foreach (var topic in log.Topics)
        {
            topic.CopyTo(span[at..]);
            at += topic.Length;
        }
        log.Data.CopyTo(span[at..]);
        at += log.Data.Length;
        _keccak.BlockUpdate(_buffer, 0, at);
        _keccak.DoFinal(_value, 0);
        Count++;
    }

    /// <summary>The digest of <paramref name="logs"/> from the start of a history.</summary>
    public static string Of(IEnumerable<ChainLog> logs)
    {
        var digest = new HistoryDigest();
        foreach (var log in logs) digest.Append(log);
        return digest.Value;
    }
}

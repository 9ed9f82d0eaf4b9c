using System.Buffers.Binary;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// A <see cref="ChainLog"/> as stored bytes: fixed-width fields and raw hashes, topics and data, about a third of the
/// JSON a client library's log object makes and read back without a parser. Version 1:
/// <c>0x01 ‖ block u64 ‖ log index u32 ‖ block time u64 ‖ block hash 32 ‖ transaction hash 32 ‖ address 20 ‖
/// topic count u8 ‖ topics 32 each ‖ data</c> (big-endian; the data runs to the end).
/// </summary>
public static class ChainLogCodec
{
    public const byte Version = 1;
    private const int Hash = 32, AddressLength = 20;
    private const int Fixed = 1 + 8 + 4 + 8 + Hash + Hash + AddressLength + 1;

    public static byte[] Encode(ChainLog log)
    {
        if (log.Topics.Length > 4) throw new ArgumentException("A log has at most four topics.", nameof(log));
        var bytes = new byte[Fixed + Hash * log.Topics.Length + log.Data.Length];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], log.BlockNumber);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], log.LogIndex);
        BinaryPrimitives.WriteUInt64BigEndian(span[13..], log.BlockTimestamp);
        var at = 21;
        at += Exactly(log.BlockHash, span.Slice(at, Hash), "block hash");
        at += Exactly(log.TransactionHash, span.Slice(at, Hash), "transaction hash");
        at += Exactly(log.Address, span.Slice(at, AddressLength), "address");
        span[at++] = (byte)log.Topics.Length;
        foreach (var topic in log.Topics)
        {
            if (topic.Length != Hash) throw new ArgumentException("A topic is 32 bytes.", nameof(log));
            topic.CopyTo(span.Slice(at, Hash));
            at += Hash;
        }
        log.Data.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>Whether <paramref name="stored"/> is in this encoding (and not, say, the JSON an older node stored).</summary>
    public static bool IsEncoded(ReadOnlySpan<byte> stored) => stored.Length >= Fixed && stored[0] == Version;

    public static ChainLog Decode(ReadOnlySpan<byte> stored)
    {
        if (!IsEncoded(stored)) throw new FormatException("Not a stored log of version 1.");
        var at = 21;
        var blockHash = Hex.Of(stored.Slice(at, Hash).ToArray());
        at += Hash;
        var transactionHash = Hex.Of(stored.Slice(at, Hash).ToArray());
        at += Hash;
        var address = Hex.Of(stored.Slice(at, AddressLength).ToArray());
        at += AddressLength;
        var topics = new byte[stored[at++]][];
        for (var i = 0; i < topics.Length; i++, at += Hash) topics[i] = stored.Slice(at, Hash).ToArray();
        return new ChainLog(
            address, BinaryPrimitives.ReadUInt64BigEndian(stored[1..]), blockHash, BinaryPrimitives.ReadUInt32BigEndian(stored[9..]),
            transactionHash, topics, stored[at..].ToArray(), BinaryPrimitives.ReadUInt64BigEndian(stored[13..]));
    }

    private static int Exactly(string hex, Span<byte> destination, string what)
    {
        var written = Hex.Decode(hex, destination);
        return written == destination.Length
            ? written : throw new ArgumentException($"The log's {what} '{hex}' is not {destination.Length} bytes.");
    }
}

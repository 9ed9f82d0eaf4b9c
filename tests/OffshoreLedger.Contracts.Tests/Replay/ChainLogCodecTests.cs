using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Replay;

/// <summary>The compact stored form of a log: every field back as it went in, and a malformed log refused, not truncated.</summary>
public sealed class ChainLogCodecTests
{
    private static string HexOf(Random random, int bytes)
    {
        var value = new byte[bytes];
        random.NextBytes(value);
        return Hex.Of(value);
    }

    private static ChainLog RandomLog(Random random)
    {
        var topics = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Hex.Bytes(HexOf(random, 32))).ToArray();
        return new ChainLog(
            HexOf(random, 20), (ulong)random.NextInt64(), HexOf(random, 32), (uint)random.Next(), HexOf(random, 32), topics,
            Hex.Bytes(HexOf(random, random.Next(0, 600))), (ulong)random.NextInt64());
    }

    [Fact]
    public void Random_logs_come_back_field_for_field()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 500; i++)
        {
            var log = RandomLog(random);
            var stored = ChainLogCodec.Encode(log);
            Assert.True(ChainLogCodec.IsEncoded(stored));
            var back = ChainLogCodec.Decode(stored);

            Assert.Equal((log.Address, log.BlockNumber, log.BlockHash, log.LogIndex, log.TransactionHash, log.BlockTimestamp),
                (back.Address, back.BlockNumber, back.BlockHash, back.LogIndex, back.TransactionHash, back.BlockTimestamp));
            Assert.Equal(log.Topics.Select(Hex.Of), back.Topics.Select(Hex.Of));
            Assert.Equal(Hex.Of(log.Data), Hex.Of(back.Data));
        }
    }

    [Fact]
    public void A_log_that_cannot_be_stored_exactly_is_refused_and_json_is_not_taken_for_the_compact_form()
    {
        var log = RandomLog(new Random(7));
        Assert.Throws<ArgumentException>(
            () => ChainLogCodec.Encode(log with { Topics = [.. Enumerable.Range(0, 5).Select(_ => new byte[32])] }));
        Assert.Throws<ArgumentException>(() => ChainLogCodec.Encode(log with { BlockHash = "0x1234" }));
        Assert.Throws<ArgumentException>(() => ChainLogCodec.Encode(log with { Topics = [new byte[31]] }));
        Assert.False(ChainLogCodec.IsEncoded("{\"address\":\"0x00\"}"u8));
    }
}

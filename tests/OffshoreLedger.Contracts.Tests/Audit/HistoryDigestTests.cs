using Nethereum.Util;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>The digest as a pure function of the raw logs.</summary>
public sealed class HistoryDigestTests
{
    private static readonly IReadOnlyList<ChainLog> History = [.. Enumerable.Range(1, 6).Select(i => Log(i, (byte)i))];

    [Fact]
    public void The_same_logs_give_the_same_digest_however_they_are_appended()
    {
        var incremental = new HistoryDigest();
        foreach (var log in History) incremental.Append(log);

        Assert.Equal(HistoryDigest.Of(History), incremental.Value);
        Assert.Equal(
            HistoryDigest.Of(History),
            HistoryDigest.Of([.. History.Select(l => l with { Topics = [.. l.Topics.Select(t => t.ToArray())] })]));
        Assert.Matches("^0x[0-9a-f]{64}$", incremental.Value);
    }

    [Fact]
    public void The_digest_is_keccak_of_the_previous_digest_the_position_the_transaction_the_topics_and_the_data()
    {
        byte[] Link(byte[] previous, ChainLog log) => Sha3Keccack.Current.CalculateHash(
        [
            .. previous, .. BitConverter.GetBytes(log.BlockNumber).Reverse(), .. BitConverter.GetBytes(log.LogIndex).Reverse(),
            .. Convert.FromHexString(log.TransactionHash[2..]), .. log.Topics.SelectMany(t => t), .. log.Data,
        ]);

        var expected = Link(Link(new byte[32], History[0]), History[1]);

        Assert.Equal(Hex.Of(expected), HistoryDigest.Of(History.Take(2)));
        Assert.Equal(Hex.Of(new byte[32]), HistoryDigest.Of([]));
    }

    [Fact]
    public void One_log_altered_dropped_added_or_moved_gives_another_digest()
    {
        var original = HistoryDigest.Of(History);
        var data = History.ToList();
        data[3] = data[3] with { Data = [.. data[3].Data[..^1], 0xFF] };
        var topic = History.ToList();
        topic[2] = topic[2] with { Topics = [topic[2].Topics[0], Enumerable.Repeat((byte)7, 32).ToArray()] };
        var swapped = History.ToList();
        (swapped[1], swapped[2]) = (swapped[2], swapped[1]);

        string[] variants =
        [
            HistoryDigest.Of(data),
            HistoryDigest.Of(topic),
            HistoryDigest.Of(History.Where((_, i) => i != 4)),
            HistoryDigest.Of([.. History, Log(7, 7)]),
            HistoryDigest.Of(swapped),
            HistoryDigest.Of([.. History.Take(5), History[5] with { LogIndex = 1 }]),
        ];

        Assert.All(variants, v => Assert.NotEqual(original, v));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void The_block_time_is_not_part_of_the_digest()
    {
        // A node that omits blockTimestamp and one that sends it serve the same history.
        Assert.Equal(HistoryDigest.Of(History), HistoryDigest.Of([.. History.Select(l => l with { BlockTimestamp = 0 })]));
    }

    private static ChainLog Log(int block, byte seed) => new(
        "0x5fbdb2315678afecb367f032d93f642f64180aa3", (ulong)block, $"0x{block:x64}", 0, $"0x{block * 7:x64}",
        [Enumerable.Repeat(seed, 32).ToArray(), Enumerable.Repeat((byte)(seed + 1), 32).ToArray()],
        Enumerable.Repeat((byte)(seed * 3), 64).ToArray(),
        1_800_000_000UL + (ulong)block);
}

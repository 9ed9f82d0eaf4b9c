using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Replay;

/// <summary>The one window rule of the node's sync and the auditor's replay, as pure logic.</summary>
public sealed class LogWindowTests
{
    [Fact]
    public void Windows_follow_the_density_toward_the_target_at_most_four_times_larger_or_smaller_and_stay_under_the_ceiling()
    {
        var window = new LogWindow(targetLogs: 500, initialBlocks: 100, maxBlocks: 1_000);
        Assert.Equal(100UL, window.Blocks);

        window.Answered(100, 0);
        Assert.Equal(400UL, window.Blocks);
        window.Answered(400, 0);
        Assert.Equal(1_000UL, window.Blocks);

        // 50 logs a block: 10 blocks would hold the target, but one step shrinks at most fourfold.
        window.Answered(1_000, 50_000);
        Assert.Equal(250UL, window.Blocks);
        window.Answered(250, 12_500);
        Assert.Equal(62UL, window.Blocks);
        window.Answered(62, 3_100);
        Assert.Equal(15UL, window.Blocks);
        window.Answered(15, 750);
        Assert.Equal(10UL, window.Blocks);

        Assert.Equal(109UL, window.End(100, 5_000));
        Assert.Equal(104UL, window.End(100, 104));
    }

    [Fact]
    public void A_refused_window_is_halved_and_never_asked_for_as_large_again_and_one_block_cannot_shrink()
    {
        var window = new LogWindow(targetLogs: 500, initialBlocks: 64, maxBlocks: 500_000);
        Assert.True(window.Refused(64));
        Assert.Equal(32UL, window.Blocks);
        window.Answered(32, 0);
        Assert.Equal(32UL, window.Blocks);

        Assert.True(window.Refused(2));
        Assert.Equal(1UL, window.Blocks);
        Assert.False(window.Refused(1));
        Assert.Equal(1UL, window.Blocks);
    }

    [Fact]
    public void An_answer_too_large_makes_the_next_window_one_block_read_whole_with_no_ceiling()
    {
        var window = new LogWindow(targetLogs: 500, initialBlocks: 256, maxBlocks: 500_000, maxAnswerBytes: 1_000);
        Assert.Equal(1_000, window.AnswerLimit(0, 255));
        Assert.Equal(int.MaxValue, window.AnswerLimit(7, 7));

        window.TooLarge();
        Assert.Equal(1UL, window.Blocks);
        // The busy stretch ends: windows open up again, past the size that was too large.
        for (var i = 0; i < 5; i++) window.Answered(window.Blocks, 0);
        Assert.Equal(1_024UL, window.Blocks);
    }

    [Fact]
    public void The_first_window_is_one_block_so_a_busy_chain_is_never_fetched_whole_and_a_sparse_one_opens_up_in_a_few_calls()
    {
        // A block of a busy consortium chain holds thousands of logs: a first window of many blocks would be parsed whole in
        // memory (16 blocks of 2,000 logs grew a fresh node to a 1 GiB peak, BENCHMARKS.md "Node memory").
        var busy = new LogWindow(targetLogs: 500, maxBlocks: 2_000);
        Assert.Equal(1UL, busy.Blocks);
        busy.Answered(1, 2_000);
        Assert.Equal(1UL, busy.Blocks);

        // An empty stretch: 1, 4, 16, … up to the ceiling within six answers.
        var sparse = new LogWindow(targetLogs: 500, maxBlocks: 2_000);
        var calls = 0;
        for (; sparse.Blocks < 2_000; calls++) sparse.Answered(sparse.Blocks, 0);
        Assert.Equal(6, calls);
    }
}

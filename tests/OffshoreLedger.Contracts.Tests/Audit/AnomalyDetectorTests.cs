using OffshoreLedger.Ledger.Audit;
using static OffshoreLedger.Contracts.Tests.Audit.HistoryBuilder;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>
/// The anomaly detectors as pure functions over hand-written event lists, at the default thresholds unless a test says otherwise.
/// </summary>
public sealed class AnomalyDetectorTests
{
    private static readonly AnomalyThresholds Defaults = AnomalyThresholds.Default;

    [Fact]
    public void Three_pledges_of_one_title_within_a_week_are_two_rapid_cycles()
    {
        var events = new HistoryBuilder()
            .Register(1, "trader", "bl-1")
            .At(1).Pledge(1, "bank A", [1]).At(5).Release(1, "bank A", 1)
            .At(6).Pledge(2, "bank B", [1]).At(30).Release(2, "bank B", 1)
            .At(31).Pledge(3, "bank A", [1])
            .Events;

        var cycle = Assert.Single(RapidPledgeCycles.Find(events, Defaults));

        Assert.Equal(1UL, cycle.TitleId);
        Assert.Equal(2, cycle.Cycles);
        Assert.Equal([1UL, 2, 3], cycle.Pledges.Select(p => p.PledgeId));
        Assert.Equal(30, cycle.SpanHours);
        Assert.Equal(Party("bank B"), cycle.Pledges[1].Pledgee);
        Assert.NotNull(cycle.Pledges[1].Released);
        Assert.Null(cycle.Pledges[2].Released);
    }

    [Fact]
    public void One_refinancing_or_re_pledges_spread_over_weeks_are_not_rapid_cycles()
    {
        var refinanced = new HistoryBuilder()
            .Register(1, "trader", "bl-1")
            .At(1).Pledge(1, "bank A", [1]).At(2).Release(1, "bank A", 1).At(3).Pledge(2, "bank B", [1])
            .Events;
        var slow = new HistoryBuilder()
            .Register(1, "trader", "bl-1")
            .At(0).Pledge(1, "bank A", [1]).At(100).Release(1, "bank A", 1)
            .At(200).Pledge(2, "bank B", [1]).At(300).Release(2, "bank B", 1)
            .At(400).Pledge(3, "bank A", [1])
            .Events;

        Assert.Empty(RapidPledgeCycles.Find(refinanced, Defaults));
        Assert.Empty(RapidPledgeCycles.Find(slow, Defaults));
        // The thresholds decide: one turn counts when the minimum is one.
        Assert.Single(RapidPledgeCycles.Find(refinanced, Defaults with { RapidCycleMinimum = 1 }));
    }

    [Fact]
    public void A_title_pledged_through_one_of_its_keys_cycles_like_one_pledged_by_id()
    {
        var events = new HistoryBuilder()
            .Register(7, "trader", "bl-7", "container-7")
            .At(1).Pledge(1, "bank A", [], "container-7").At(2).Release(1, "bank A", 7)
            .At(3).Pledge(2, "bank B", [7]).At(4).Release(2, "bank B", 7)
            .At(5).Pledge(3, "bank A", [], "bl-7")
            .Events;

        Assert.Equal(7UL, Assert.Single(RapidPledgeCycles.Find(events, Defaults)).TitleId);
    }

    [Fact]
    public void A_title_endorsed_round_to_its_first_holder_within_a_month_is_a_circular_transfer()
    {
        var events = new HistoryBuilder()
            .Register(1, "trader A", "bl-1")
            .At(10).Transfer(1, "trader A", "trader B")
            .At(20).Transfer(1, "trader B", "trader C")
            .At(30).Transfer(1, "trader C", "trader A")
            .Events;

        var circle = Assert.Single(CircularTransfers.Find(events, Defaults));

        Assert.Equal([Party("trader A"), Party("trader B"), Party("trader C"), Party("trader A")], circle.Holders);
        Assert.Equal(3, circle.Transfers.Count);
        Assert.Equal(20, circle.SpanHours);
    }

    [Fact]
    public void A_return_after_the_window_a_chain_without_return_and_a_transfer_to_oneself_are_not_circular()
    {
        var late = new HistoryBuilder()
            .Register(1, "trader A", "bl-1")
            .At(0).Transfer(1, "trader A", "trader B").At(31 * 24).Transfer(1, "trader B", "trader A")
            .Events;
        var onward = new HistoryBuilder()
            .Register(1, "trader A", "bl-1")
            .At(1).Transfer(1, "trader A", "trader B").At(2).Transfer(1, "trader B", "trader C").At(3).Transfer(1, "trader C", "trader D")
            .Events;
        var toItself = new HistoryBuilder()
            .Register(1, "trader A", "bl-1")
            .At(1).Transfer(1, "trader A", "trader A").At(2).Transfer(1, "trader A", "trader A")
            .Events;

        Assert.Empty(CircularTransfers.Find(late, Defaults));
        Assert.Empty(CircularTransfers.Find(onward, Defaults));
        Assert.Empty(CircularTransfers.Find(toItself, Defaults));
    }

    [Fact]
    public void Back_and_forth_twice_is_two_circles_that_do_not_overlap()
    {
        var events = new HistoryBuilder()
            .Register(1, "trader A", "bl-1")
            .At(1).Transfer(1, "trader A", "trader B").At(2).Transfer(1, "trader B", "trader A")
            .At(3).Transfer(1, "trader A", "trader B").At(4).Transfer(1, "trader B", "trader A")
            .Events;

        var circles = CircularTransfers.Find(events, Defaults);

        Assert.Equal(2, circles.Count);
        Assert.All(circles, c => Assert.Equal(3, c.Holders.Count));
    }

    [Fact]
    public void One_holders_titles_at_three_banks_within_three_days_are_pledges_at_many_banks()
    {
        var events = new HistoryBuilder()
            .Register(1, "trader", "bl-1").Register(2, "trader", "bl-2").Register(3, "trader", "bl-3").Register(4, "other trader", "bl-4")
            .At(1).Pledge(1, "bank A", [1])
            .At(20).Pledge(2, "bank B", [2])
            .At(50).Pledge(3, "bank C", [3, 4])
            .Events;

        var finding = Assert.Single(PledgesAtManyBanks.Find(events, Defaults));

        Assert.Equal(Party("trader"), finding.Holder);
        Assert.Equal([Party("bank A"), Party("bank B"), Party("bank C")], finding.Banks);
        Assert.Equal(49, finding.SpanHours);
        // Only the holder's own titles of the mixed pledge count towards it.
        Assert.Equal([3UL], finding.Pledges[^1].TitleIds);
    }

    [Fact]
    public void Three_banks_over_five_days_or_two_banks_at_once_are_not_pledges_at_many_banks()
    {
        var spread = new HistoryBuilder()
            .Register(1, "trader", "bl-1").Register(2, "trader", "bl-2").Register(3, "trader", "bl-3")
            .At(0).Pledge(1, "bank A", [1]).At(60).Pledge(2, "bank B", [2]).At(120).Pledge(3, "bank C", [3])
            .Events;
        var twoBanks = new HistoryBuilder()
            .Register(1, "trader", "bl-1").Register(2, "trader", "bl-2").Register(3, "trader", "bl-3")
            .At(0).Pledge(1, "bank A", [1]).At(1).Pledge(2, "bank B", [2]).At(2).Pledge(3, "bank A", [3])
            .Events;

        Assert.Empty(PledgesAtManyBanks.Find(spread, Defaults));
        Assert.Empty(PledgesAtManyBanks.Find(twoBanks, Defaults));
    }

    [Fact]
    public void A_title_counts_for_its_holder_at_the_time_it_was_pledged()
    {
        var events = new HistoryBuilder()
            .Register(1, "trader", "bl-1").Register(2, "trader", "bl-2").Register(3, "seller", "bl-3")
            .At(1).Transfer(3, "seller", "trader")
            .At(2).Pledge(1, "bank A", [1]).At(3).Pledge(2, "bank B", [2]).At(4).Pledge(3, "bank C", [3])
            .Events;

        Assert.Equal(Party("trader"), Assert.Single(PledgesAtManyBanks.Find(events, Defaults)).Holder);
    }

    [Fact]
    public void Thresholds_change_by_name_and_refuse_unknown_names_and_bad_values()
    {
        var changed = Defaults.With("manyBanksMinimum=4").With("rapidCycleWindowHours=12.5");

        Assert.Equal(4, changed.ManyBanksMinimum);
        Assert.Equal(12.5, changed.RapidCycleWindowHours);
        Assert.Throws<ArgumentException>(() => Defaults.With("manyBanks=4"));
        Assert.Throws<ArgumentException>(() => Defaults.With("manyBanksMinimum=2.5"));
        Assert.Throws<ArgumentException>(() => Defaults.With("rapidCycleWindowHours=-1"));
    }
}

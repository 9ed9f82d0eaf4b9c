using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>When a quiet node hands memory back (<see cref="IdleMemoryRelease"/>), as pure logic.</summary>
public sealed class IdleWatchTests
{
    [Fact]
    public void A_busy_spell_ends_once_at_the_first_quiet_interval_and_a_node_that_stays_quiet_is_left_alone()
    {
        var watch = new IdleWatch(workCollections: 3);
        Assert.False(watch.SpellEnded(collections: 7)); // the first look: nothing to compare with
        Assert.False(watch.SpellEnded(collections: 7)); // quiet from the start
        Assert.False(watch.SpellEnded(collections: 8)); // following the head: a collection now and then

        // A burst of reads: a hundred collections an interval; nothing released while the node is busy.
        Assert.False(watch.SpellEnded(collections: 158));
        Assert.False(watch.SpellEnded(collections: 328));

        // The first quiet interval ends the spell; staying quiet does not release again, nor does the release's own collection.
        Assert.True(watch.SpellEnded(collections: 328));
        Assert.False(watch.SpellEnded(collections: 329));
        Assert.False(watch.SpellEnded(collections: 329));

        // The next spell ends the same way.
        Assert.False(watch.SpellEnded(collections: 400));
        Assert.True(watch.SpellEnded(collections: 401));
    }

    [Fact]
    public void Fewer_collections_than_the_threshold_are_not_a_spell()
    {
        var watch = new IdleWatch(workCollections: 3);
        Assert.False(watch.SpellEnded(collections: 0));
        Assert.False(watch.SpellEnded(collections: 2));
        Assert.False(watch.SpellEnded(collections: 4));
        Assert.False(watch.SpellEnded(collections: 7)); // exactly the threshold: work
        Assert.True(watch.SpellEnded(collections: 7));
    }
}

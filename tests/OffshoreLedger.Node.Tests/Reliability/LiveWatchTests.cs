using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// A watcher that asks for live events only, on a node that has just started and still reads its history one block at a
/// time: it must be sent what happens after it asked, never the history the node is still applying.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class LiveWatchTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_live_watcher_on_a_node_still_catching_up_is_sent_only_what_comes_after_it_asked()
    {
        await LedgerRequests.ReadyAsync(fixture);
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        // History: titles in blocks of their own, which the new node reads one block per step.
        for (var i = 0; i < 20; i++) await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(carrier.Address), carrier.Write);
        await ChainTruth.SettledAsync(fixture, carrier, Bounded);

        await using var bank = await RunningNode.StartAsync(
            fixture, "bank A", extraSettings: new Dictionary<string, string?> { ["Chain:LogWindowBlocks"] = "1" });
        using var watching = new CancellationTokenSource(Bounded);
        using var stream = bank.Titles.WatchTitleEvents(new WatchTitleEventsRequest(), bank.Read, cancellationToken: watching.Token);
        await stream.ResponseHeadersAsync;
        await bank.SyncedToHeadAsync(fixture);

        var live = (await carrier.Titles.RegisterTitleAsync(LedgerRequests.Title(carrier.Address), carrier.Write)).TitleId;

        Assert.True(await stream.ResponseStream.MoveNext(watching.Token));
        Assert.Equal(live, stream.ResponseStream.Current.Event.Registered?.TitleId);
    }
}

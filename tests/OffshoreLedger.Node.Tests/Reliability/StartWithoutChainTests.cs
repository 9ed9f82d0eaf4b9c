using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// A node starts while its chain is down: restarted on its store (which holds the chain id) or started fresh with
/// Chain:ChainId, it serves reads from its index marked stale, accepts writes into the outbox, and once the chain is
/// back every write lands exactly once.
/// </summary>
[Collection(ChainOutageCollection.Name)]
public sealed class StartWithoutChainTests(StoppableChainFixture fixture)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_restarted_while_its_chain_is_down_serves_stale_reads_and_queues_writes_that_land_once_it_returns()
    {
        var data = Directory.CreateTempSubdirectory("offshore-start-without-chain-").FullName;
        try
        {
            ulong title;
            await LedgerRequests.ReadyAsync(fixture);
            await using (var first = await RunningNode.StartAsync(fixture, "carrier", data))
            {
                title = (await first.Titles.RegisterTitleAsync(LedgerRequests.Title(first.Address), first.Write)).TitleId;
                await ChainTruth.SettledAsync(fixture, first, Bounded);
            }
            var nonce = await ChainTruth.NonceAsync(fixture, fixture.Chain.Accounts[fixture.Consortium.Member("carrier").Account].Address);
            await fixture.Chain.StopAsync();
            RegisterTitleRequest queued;
            Task<RegisterTitleResponse> queuedCall;
            await using var trader = await RunningNode.StartAsync(fixture, "carrier", data);
            // A fresh node that has never seen the chain starts too, given the chain id.
            await using var fresh = await RunningNode.StartAsync(fixture, "bank A", extraSettings: new Dictionary<string, string?>
            {
                ["Chain:ChainId"] = fixture.Chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            try
            {
                var read = await trader.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title } }, trader.Read);
                var freshInfo = await fresh.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), fresh.Read);
                queued = LedgerRequests.Title(trader.Address);
                queuedCall = trader.Titles.RegisterTitleAsync(queued, trader.Write, deadline: DateTime.UtcNow + 2 * Bounded).ResponseAsync;
                var store = trader.Services.GetRequiredService<OutboxStore>();
                await ChainTruth.UntilAsync(
                    () => Task.FromResult(store.FindOutbox(queued.RequestId) is not null), Bounded, () => "The write was not queued.");

                Assert.True(read.AsOf.Stale);
                Assert.Equal(title, Assert.Single(read.Titles).TitleId);
                Assert.Equal(TitleStatus.Live, read.Titles[0].Status);
                Assert.False(freshInfo.ChainReachable);
                Assert.Equal((ulong)fixture.Chain.ChainId, freshInfo.ChainId);
                Assert.False(queuedCall.IsCompleted);
            }
            finally
            {
                await fixture.Chain.StartAgainAsync();
            }

            var landed = await queuedCall;
            await ChainTruth.SettledAsync(fixture, trader, Bounded);
            var after = await trader.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { landed.TitleId } }, trader.Read);

            Assert.Equal(WriteState.Confirmed, landed.Receipt.State);
            Assert.False(after.AsOf.Stale);
            Assert.Equal(nonce + 1, await ChainTruth.NonceAsync(fixture, trader.Address));
            Assert.Single(
                (await ChainTruth.EventsAsync(fixture)).Select(e => e.Event)
                .OfType<OffshoreLedger.Contracts.Bindings.TitleRegisteredEvent>(),
                e => e.Keys.Any(k => OffshoreLedger.Ledger.Replay.Hex.Of(k) == LedgerRequests.KeyOf(queued)));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); }
            catch (IOException) { /* a leftover temp folder is harmless */ }
        }
    }
}

using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using Xunit.Abstractions;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>A thousand pledges add a thousand blocks: the contention test has a chain of its own, so the shared one stays small.</summary>
[CollectionDefinition(Name)]
public sealed class ContentionCollection : ICollectionFixture<ConsortiumFixture>
{
    public const string Name = "contention";
}

/// <summary>
/// Two bank nodes race for the same cargo: 1,000 pledges over 100 titles, ten per title, five from each bank, all in
/// flight at once in random order. The chain decides: exactly one pledge per title is granted, every other caller is
/// told TITLE_ALREADY_PLEDGED with the pledge that won, and the chain and both banks' indexes agree.
/// </summary>
[Collection(ContentionCollection.Name)]
public sealed class ContentionTests(ConsortiumFixture fixture, ITestOutputHelper output)
{
    private const int Titles = 100, PledgesPerTitle = 10;
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    private sealed record Attempt(RunningNode Bank, ulong TitleId, PledgeRequest Request);

    [Fact]
    public async Task Of_1000_conflicting_pledges_from_two_banks_exactly_one_per_title_is_granted_and_all_others_are_TITLE_ALREADY_PLEDGED()
    {
        var seed = TestSeed.Next(output);
        var random = new Random(seed);
        await using var trader = await RunningNode.StartAsync(fixture, "carrier"); // issue 14: the bound carrier's node issues titles
        await LedgerRequests.ReadyAsync(fixture);
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var titles = (await Task.WhenAll(Enumerable.Range(0, Titles)
                .Select(_ => trader.Titles.RegisterTitleAsync(LedgerRequests.Title(trader.Address), trader.Write).ResponseAsync)))
            .Select(r => r.TitleId).ToList();
        await bankA.SyncedToHeadAsync(fixture);
        await bankB.SyncedToHeadAsync(fixture);

        // All at once, shuffled: each title five times from each bank.
        var attempts = titles
            .SelectMany(
                t => Enumerable.Range(0, PledgesPerTitle).Select(i => new Attempt(i % 2 == 0 ? bankA : bankB, t, LedgerRequests.Pledge(t))))
            .OrderBy(_ => random.Next())
            .ToList();
        // Each attempt carries the trader's consent to its bank, signed just before it is sent: the contract takes a
        // member's consents within a window of 128 unused nonces, so at most 64 are outstanding at once.
        using var outstanding = new SemaphoreSlim(64);
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            await outstanding.WaitAsync();
            try
            {
                var request = await a.Request.ConsentedAsync(fixture, a.Bank, borrower: trader.Address);
                return (a, Granted: await a.Bank.Titles.PledgeAsync(request, a.Bank.Write, deadline: DateTime.UtcNow + Bounded),
                    Refused: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (a, Granted: (PledgeResponse?)null, Refused: ex);
            }
            finally
            {
                outstanding.Release();
            }
        }));

        // Exactly one granted per title; every other caller told TITLE_ALREADY_PLEDGED, naming the winner.
        var granted = outcomes.Where(o => o.Granted is not null).ToList();
        Assert.Equal(Titles, granted.Count);
        Assert.Equal(titles.Order(), granted.Select(g => g.a.TitleId).Order());
        var winner = granted.ToDictionary(g => g.a.TitleId, g => (Bank: g.a.Bank.Address, g.Granted!.PledgeId));
        foreach (var (attempt, _, refused) in outcomes.Where(o => o.Granted is null))
        {
            Assert.Equal(StatusCode.FailedPrecondition, refused!.StatusCode);
            var info = refused.GetRpcStatus()!.GetDetail<ErrorInfo>();
            Assert.Equal(ErrorReason.TitleAlreadyPledged.Name(), info.Reason);
            Assert.Equal(winner[attempt.TitleId].PledgeId.ToString(), info.Metadata["pledgeId"]);
            Assert.Equal(winner[attempt.TitleId].Bank, info.Metadata["pledgee"], ignoreCase: true);
        }
        output.WriteLine($"granted: bank A {granted.Count(g => g.a.Bank == bankA)}, bank B {granted.Count(g => g.a.Bank == bankB)}");

        // The chain holds the same: one Pledged per title, nine blocked attempts each; both indexes equal a rebuild.
        await ChainTruth.SettledAsync(fixture, bankA, Bounded);
        await ChainTruth.SettledAsync(fixture, bankB, Bounded);
        var events = await ChainTruth.EventsAsync(fixture);
        var ledger = new LedgerProjection();
        ledger.ApplyAll(events);
        foreach (var title in titles)
        {
            var pledged = Assert.Single(events.Select(e => e.Event).OfType<PledgedEvent>(), p => p.TitleIds.Contains(title));
            Assert.Equal(winner[title].PledgeId, pledged.PledgeId);
            Assert.Equal(Hex.Address(winner[title].Bank), ledger.Title(title)!.Pledgee);
            Assert.Equal(
                PledgesPerTitle - 1, events.Select(e => e.Event).OfType<PledgeBlockedEvent>().Count(b => b.TitleIds.Contains(title)));
        }
        var rebuilt = ChainTruth.Rebuild(events);
        Assert.Equal(rebuilt, ChainTruth.IndexOf(bankA));
        Assert.Equal(rebuilt, ChainTruth.IndexOf(bankB));
    }
}

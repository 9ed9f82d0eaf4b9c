using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Tests;

[Collection(ChainCollection.Name)]
public sealed class DoubleFinancingTests(ChainFixture fixture)
{
    [Fact]
    public async Task Pledge_of_a_key_already_pledged_by_another_bank_is_blocked_and_recorded()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1", "container-1");
        var first = await c.PledgeAsync(c.BankA, [title], []);

        // Bank B reaches for the same cargo through one of its container keys.
        var second = await c.PledgeAsync(c.BankB, [], ["container-1"]);

        Assert.True(first.Granted);
        Assert.False(second.Granted);
        Assert.NotNull(second.Blocked);
        Assert.Equal(first.PledgeId, second.Blocked.ConflictingPledgeId);
        Assert.Equal(c.BankB.Address, second.Blocked.Bank, ignoreCase: true);
        Assert.Equal(TestConsortium.Key("container-1"), second.Blocked.Keys.Single());
        var state = await c.TitleAsync(title);
        Assert.Equal(first.PledgeId, state.PledgeId);
        Assert.Equal(c.BankA.Address, state.Pledgee, ignoreCase: true);
    }

    [Fact]
    public async Task Pledge_of_a_free_invoice_key_blocks_a_second_bank()
    {
        var c = await fixture.FreshConsortiumAsync();
        var first = await c.PledgeAsync(c.BankA, [], ["invoice-7"]);

        var second = await c.PledgeAsync(c.BankB, [], ["invoice-7"]);

        Assert.True(first.Granted);
        Assert.Equal(first.PledgeId, second.Blocked?.ConflictingPledgeId);
        var key = await c.KeyStateAsync("invoice-7");
        Assert.Equal(first.PledgeId, key.PledgeId);
        Assert.Equal(c.BankA.Address, key.Pledgee, ignoreCase: true);
    }

    [Fact]
    public async Task Overlapping_pledge_is_all_or_none_and_leaves_no_partial_lock()
    {
        var c = await fixture.FreshConsortiumAsync();
        var t1 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var t2 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");
        var t3 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-3");
        var first = await c.PledgeAsync(c.BankA, [t2], []);

        // Bank B asks for t1, t2 and t3 and a free invoice key at once: t2 is taken, so nothing may be locked.
        var second = await c.PledgeAsync(c.BankB, [t1, t3], ["invoice-1", "bl-2"]);

        Assert.False(second.Granted);
        Assert.Equal(first.PledgeId, second.Blocked?.ConflictingPledgeId);
        Assert.Equal(0UL, (await c.TitleAsync(t1)).PledgeId);
        Assert.Equal(0UL, (await c.TitleAsync(t3)).PledgeId);
        Assert.Equal(0UL, (await c.KeyStateAsync("invoice-1")).PledgeId);
        var counts = await c.Ledger.QueryAsync<CountsFunction, CountsOutput>(new());
        Assert.Equal(1UL, counts.Pledges);
    }

    [Fact]
    public async Task Pledge_covers_titles_and_keys_atomically_when_all_are_free()
    {
        var c = await fixture.FreshConsortiumAsync();
        var t1 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1", "container-1");
        var t2 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");

        var pledge = await c.PledgeAsync(c.BankA, [t1], ["bl-2", "invoice-1"]);

        Assert.True(pledge.Granted);
        Assert.Equal(pledge.PledgeId, (await c.TitleAsync(t1)).PledgeId);
        Assert.Equal(pledge.PledgeId, (await c.TitleAsync(t2)).PledgeId);
        Assert.Equal(pledge.PledgeId, (await c.KeyStateAsync("container-1")).PledgeId);
        Assert.Equal(pledge.PledgeId, (await c.KeyStateAsync("invoice-1")).PledgeId);
    }

    [Fact]
    public async Task Release_by_the_pledgee_lets_another_bank_pledge()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var first = await c.PledgeAsync(c.BankA, [title], ["invoice-1"]);

        await c.BankA.Ledger.SendAsync(
            new ReleaseFunction { PledgeId = first.PledgeId, TitleIds = [title], Keys = [TestConsortium.Key("invoice-1")] });
        var second = await c.PledgeAsync(c.BankB, [title], ["invoice-1"]);

        Assert.True(second.Granted);
        Assert.NotEqual(first.PledgeId, second.PledgeId);
        Assert.Equal(c.BankB.Address, (await c.TitleAsync(title)).Pledgee, ignoreCase: true);
    }

    [Fact]
    public async Task Release_by_another_bank_before_expiry_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);

        var error = await Refusal.ExpectAsync("NotPledgee", () =>
            c.BankB.Ledger.SendAsync(new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [title] }));

        Assert.Equal(pledge.PledgeId, (ulong)error.AsInteger("pledgeId"));
        Assert.Equal(pledge.PledgeId, (await c.TitleAsync(title)).PledgeId);
    }

    [Fact]
    public async Task Release_naming_a_unit_outside_the_pledge_is_refused_whole()
    {
        var c = await fixture.FreshConsortiumAsync();
        var t1 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var t2 = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");
        var pledge = await c.PledgeAsync(c.BankA, [t1], []);

        await Refusal.ExpectAsync("NotInPledge", () =>
            c.BankA.Ledger.SendAsync(new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [t1, t2] }));

        Assert.Equal(pledge.PledgeId, (await c.TitleAsync(t1)).PledgeId);
    }

    [Fact]
    public async Task Expired_pledge_can_be_released_by_anyone_and_then_re_pledged()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], [], TimeSpan.FromHours(1));
        await Refusal.ExpectAsync("NotPledgee", () =>
            c.Outsider.Ledger.SendAsync(new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [title] }));

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(2));
        await c.Outsider.Ledger.SendAsync(new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [title] });
        var second = await c.PledgeAsync(c.BankB, [title], []);

        Assert.True(second.Granted);
    }

    [Fact]
    public async Task Pledge_with_an_expiry_in_the_past_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var now = await c.ChainTimeAsync();

        await Refusal.ExpectAsync("InvalidExpiry", () => c.BankA.Ledger.SendAsync(new PledgeFunction
        {
            FinancingReference = TestConsortium.Key("loan"), Expiry = now - 10, TitleIds = [title],
        }));
    }

    [Fact]
    public async Task Pledge_of_a_surrendered_title_or_its_burned_key_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        await c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title });

        await Refusal.ExpectAsync("TitleNotLive", () => c.PledgeAsync(c.BankA, [title], []));
        await Refusal.ExpectAsync("KeyBurned", () => c.PledgeAsync(c.BankA, [], ["bl-1"]));
    }

    [Fact]
    public async Task The_carriers_title_supersedes_a_lock_on_one_of_its_keys_pledged_on_its_own()
    {
        // Before issue 14 a free-key pledge refused the title (KeyPledged): that let a bank squat a bill's keys. Now
        // the bound carrier's issuance wins, the free-key lock is superseded (an event its bank sees), and the title
        // starts unencumbered, so it cannot be used to double-finance behind the bank's back either.
        var c = await fixture.FreshConsortiumAsync();
        var pledge = await c.PledgeAsync(c.BankA, [], ["container-9"]);
        Assert.True(pledge.Granted);

        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 10, "bl-9", "container-9");

        var key = await c.KeyStateAsync("container-9");
        Assert.Equal(title, key.TitleId);
        Assert.Equal(0UL, (await c.TitleAsync(title)).PledgeId);
        await Refusal.ExpectAsync("NotInPledge", () => c.BankA.Ledger.SendAsync(new ReleaseFunction
        {
            PledgeId = pledge.PledgeId, TitleIds = [], Keys = [TestConsortium.Key("container-9")],
        }));
    }

    [Fact]
    public async Task A_bank_cannot_pledge_the_same_title_twice_either()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var first = await c.PledgeAsync(c.BankA, [title], []);

        var again = await c.PledgeAsync(c.BankA, [title], []);

        Assert.Equal(first.PledgeId, again.Blocked?.ConflictingPledgeId);
    }
}

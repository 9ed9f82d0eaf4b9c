using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Tests;

[Collection(ChainCollection.Name)]
public sealed class TitleLifecycleTests(ChainFixture fixture)
{
    [Fact]
    public async Task Registration_records_holder_lot_quantity_and_every_key()
    {
        var c = await fixture.FreshConsortiumAsync();

        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 250, "bl-1", "container-1", "container-2");

        var state = await c.TitleAsync(title);
        Assert.Equal((byte)TitleStatus.Live, state.Status);
        Assert.Equal(c.Trader.Address, state.Holder, ignoreCase: true);
        Assert.Equal(TestConsortium.Lot("lot-1"), state.LotKey);
        Assert.Equal(250UL, state.Quantity);
        foreach (var key in new[] { "bl-1", "container-1", "container-2" })
        {
            Assert.Equal(title, (await c.KeyStateAsync(key)).TitleId);
        }
        Assert.Equal(250UL, (await c.LotAsync("lot-1")).LiveQuantity);
    }

    [Fact]
    public async Task A_second_bill_of_lading_for_the_same_containers_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var original = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 100, "bl-1", "container-1", "container-2");

        var error = await Refusal.ExpectAsync("KeyAlreadyLive", () =>
            TestConsortium.RegisterAsync(c.Trader2, c.Trader2, "lot-1", 100, "bl-forged", "container-2"));

        Assert.Equal(TestConsortium.Key("container-2"), (byte[])error.Arguments["key"]!);
        Assert.Equal(original, (ulong)error.AsInteger("titleId"));
        Assert.Equal(0UL, (await c.KeyStateAsync("bl-forged")).TitleId);
        Assert.Equal(100UL, (await c.LotAsync("lot-1")).LiveQuantity);
    }

    [Fact]
    public async Task A_key_listed_twice_in_one_registration_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();

        await Refusal.ExpectAsync("KeyAlreadyLive", () => TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 1, "bl-1", "bl-1"));
    }

    [Fact]
    public async Task Surrendered_keys_can_never_be_registered_again()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1", "container-1");
        await c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title });

        var error = await Refusal.ExpectAsync("KeyBurned", () =>
            TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-2", 100, "bl-2", "container-1"));

        Assert.Equal(title, (ulong)error.AsInteger("titleId"));
        Assert.Equal((byte)TitleStatus.Surrendered, (await c.KeyStateAsync("container-1")).TitleStatus);
        Assert.Equal(0UL, (await c.LotAsync("lot-1")).LiveQuantity);
    }

    [Fact]
    public async Task Holder_transfers_an_unpledged_title_and_loses_control_of_it()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1");

        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address });

        Assert.Equal(c.Trader2.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
        await Refusal.ExpectAsync("NotHolder", () =>
            c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader.Address }));
    }

    [Fact]
    public async Task Transfer_or_surrender_of_a_pledged_title_by_its_holder_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);

        var transfer = await Refusal.ExpectAsync("TitlePledged", () =>
            c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address }));
        await Refusal.ExpectAsync("TitlePledged", () => c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title }));

        Assert.Equal(pledge.PledgeId, (ulong)transfer.AsInteger("pledgeId"));
        Assert.Equal(c.Trader.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
    }

    [Fact]
    public async Task After_a_completed_enforcement_the_pledgee_may_transfer_a_pledged_title_and_the_lock_stays()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);
        await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(73));

        await c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankA.Address });

        var state = await c.TitleAsync(title);
        Assert.Equal(c.BankA.Address, state.Holder, ignoreCase: true);
        Assert.Equal(pledge.PledgeId, state.PledgeId);
    }

    [Fact]
    public async Task After_a_completed_enforcement_the_pledgee_may_surrender_a_pledged_title_which_ends_the_lock()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);
        await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(73));

        await c.BankA.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title });

        var state = await c.TitleAsync(title);
        Assert.Equal((byte)TitleStatus.Surrendered, state.Status);
        Assert.Equal(0UL, state.PledgeId);
    }

    [Fact]
    public async Task Transfer_to_a_non_member_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-1");

        await Refusal.ExpectAsync("NotMember", () =>
            c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Outsider.Address }));
    }

    [Fact]
    public async Task Unknown_titles_and_malformed_registrations_are_refused()
    {
        var c = await fixture.FreshConsortiumAsync();

        await Refusal.ExpectAsync("UnknownTitle", () => c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = 42 }));
        await Refusal.ExpectAsync("InvalidQuantity", () => TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 0, "bl-1"));
        await Refusal.ExpectAsync("InvalidKeyCount", () => TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 1));
        await Refusal.ExpectAsync(
            "InvalidKey",
            () => c.Carrier.Ledger.SendAsync(
                RegisterTitleFunction.OneLot(
                "CARR", TestConsortium.Lot("lot-1"), c.Trader.Address, 1, TestConsortium.MetricTonnes, [new byte[32]])));
        await Refusal.ExpectAsync("NotMember", () => TestConsortium.RegisterAsync(c.Trader, c.Outsider, "lot-1", 1, "bl-1"));
        await Refusal.ExpectAsync("UnitMismatch", async () =>
        {
            await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 1, "bl-2");
            await c.Carrier.Ledger.SendAsync(
                RegisterTitleFunction.OneLot(
                    "CARR", TestConsortium.Lot("lot-1"), c.Trader.Address, 1, TestConsortium.Unit("KGM"), [TestConsortium.Key("bl-3")]));
        });
    }

    [Fact]
    public async Task A_title_carries_at_most_256_keys_and_a_pledge_at_most_500_units()
    {
        var c = await fixture.FreshConsortiumAsync();
        var keys = Enumerable.Range(0, 257).Select(i => $"container-{i}").ToArray();

        await Refusal.ExpectAsync("InvalidKeyCount", () => TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1, keys));
        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1, keys[..256]);
        await Refusal.ExpectAsync("InvalidBatchSize", () =>
            c.PledgeAsync(c.BankA, [title], [.. Enumerable.Range(0, 500).Select(i => $"invoice-{i}")]));

        Assert.Equal(title, (await c.KeyStateAsync("container-255")).TitleId);
        Assert.Equal(0UL, (await c.TitleAsync(title)).PledgeId);
    }

    [Fact]
    public async Task A_copied_root_is_the_copiers_own_anchor_and_spoils_nothing()
    {
        var c = await fixture.FreshConsortiumAsync();
        var root = TestConsortium.Key("batch-1");

        // Attack: the trader sees the port's pending anchor and front-runs it with another leaf count.
        await c.Trader.Ledger.SendAsync(new AnchorFunction { Root = root, LeafCount = 1001 });
        await c.Port.Ledger.SendAsync(new AnchorFunction { Root = root, LeafCount = 1000 });

        var ports = await c.Ledger.QueryAsync<AnchorOfFunction, AnchorOutput>(
            new() { Root = root, LeafCount = 1000, Submitter = c.Port.Address });
        Assert.True(ports.AnchoredAt > 0);
        var copy = await c.Ledger.QueryAsync<AnchorOfFunction, AnchorOutput>(
            new() { Root = root, LeafCount = 1000, Submitter = c.Trader.Address });
        Assert.Equal(0UL, copy.AnchoredAt);
        await Refusal.ExpectAsync("AnchorExists", () => c.Port.Ledger.SendAsync(new AnchorFunction { Root = root, LeafCount = 1000 }));
        await Refusal.ExpectAsync(
            "InvalidLeafCount",
            () => c.Trader.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("batch-2"), LeafCount = 0 }));
    }
}

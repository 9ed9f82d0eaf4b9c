using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Contracts.Tests;

[Collection(ChainCollection.Name)]
public sealed class OverIssueTests(ChainFixture fixture)
{
    [Fact]
    public async Task Titles_beyond_the_attested_quantity_are_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var now = await c.ChainTimeAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 1000, now - 3600);
        await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 600, "bl-1");
        await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 400, "bl-2");

        var error = await Refusal.ExpectAsync("LotQuantityExceeded", () =>
            TestConsortium.RegisterAsync(c.Carrier, c.Trader2, "lot-1", 1, "bl-3"));

        Assert.Equal(1000UL, (ulong)error.AsInteger("liveQuantity"));
        var lot = await c.LotAsync("lot-1");
        Assert.Equal(1000UL, lot.LiveQuantity);
        Assert.False(lot.OverIssued);
        Assert.Equal(0UL, (await c.KeyStateAsync("bl-3")).TitleId);
    }

    [Fact]
    public async Task Surrender_frees_quantity_for_a_new_title_in_the_lot()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 1000, await c.ChainTimeAsync() - 60);
        var first = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1000, "bl-1");
        await c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = first });

        var second = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1000, "bl-2");

        Assert.Equal((byte)TitleStatus.Live, (await c.TitleAsync(second)).Status);
    }

    [Fact]
    public async Task A_correction_below_the_live_total_marks_the_lot_and_blocks_pledges()
    {
        // Issue 14: titles name attested lots only, so a lot is over-issued when a governed correction lowers its
        // attested quantity below what live titles book.
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 2000, await c.ChainTimeAsync() - 60);
        var t1 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 700, "bl-1");
        var t2 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader2, "lot-1", 700, "bl-2");
        var clean = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-2", 700, "bl-3");

        var receipt = await c.CorrectAsync(
            new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-1"), Quantity = 1000 });

        var marked = LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<LotOverIssuedEvent>().Single();
        Assert.Equal(1400UL, marked.LiveQuantity);
        Assert.True((await c.LotAsync("lot-1")).OverIssued);
        await Refusal.ExpectAsync("LotOverIssuedError", () => c.PledgeAsync(c.BankA, [t1], []));
        await Refusal.ExpectAsync("LotOverIssuedError", () => c.PledgeAsync(c.BankB, [], ["bl-2"]));
        Assert.Equal(0UL, (await c.TitleAsync(t2)).PledgeId);
        Assert.True((await c.PledgeAsync(c.BankA, [clean], [])).Granted);
        await Refusal.ExpectAsync("LotQuantityExceeded", () => TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1, "bl-4"));
    }

    [Fact]
    public async Task A_correction_at_or_above_the_live_total_does_not_mark_the_lot()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 5000, await c.ChainTimeAsync() - 60);
        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 1000, "bl-1");

        var receipt = await c.CorrectAsync(
            new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-1"), Quantity = 1000 });

        Assert.Empty(LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<LotOverIssuedEvent>());
        var lot = await c.LotAsync("lot-1");
        Assert.Equal(1000UL, lot.AttestedQuantity);
        Assert.False(lot.OverIssued);
        Assert.True((await c.PledgeAsync(c.BankA, [title], [])).Granted);
    }

    [Fact]
    public async Task A_lot_is_attested_once_with_a_plausible_time_and_a_document_hash()
    {
        var c = await fixture.FreshConsortiumAsync();
        var now = await c.ChainTimeAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 1000, now - 60);

        await Refusal.ExpectAsync("LotAlreadyAttested", () => TestConsortium.AttestAsync(c.Port, "lot-1", 5000, now - 60));
        await Refusal.ExpectAsync("InvalidLoadingTime", () => TestConsortium.AttestAsync(c.Port, "lot-2", 10, now + 86_400));
        await Refusal.ExpectAsync("InvalidDocumentHash", () => c.Port.Ledger.SendAsync(new AttestLoadingFunction
        {
            LotKey = TestConsortium.Lot("lot-3"), Locode = LedgerCode.ToBytes(TestConsortium.PortOfLoading), Quantity = 1,
            Unit = TestConsortium.MetricTonnes, LoadedAt = now - 60, DocumentHash = new byte[32],
        }));
        var lot = await c.LotAsync("lot-1");
        Assert.Equal(1000UL, lot.AttestedQuantity);
        Assert.Equal(c.Port.Address, lot.Port, ignoreCase: true);
        Assert.Equal(TestConsortium.Key("attestation:lot-1"), lot.DocumentHash);
    }
}

using System.Numerics;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>Issue 14 on a real chain: who may issue a title, who creates a lot, and what neither can poison.</summary>
[Collection(ChainCollection.Name)]
public sealed class IssuanceAttackTests(ChainFixture fixture)
{
    private static RegisterTitleFunction Issue(Actor holder, string lot, ulong quantity, params string[] keys) =>
        RegisterTitleFunction.OneLot(
            TestConsortium.CarrierCode, TestConsortium.Lot(lot), holder.Address, quantity, TestConsortium.MetricTonnes,
            [.. keys.Select(TestConsortium.Key)]);

    private static async Task<TestConsortium> WithAttestedLotAsync(ChainFixture fixture, string lot, ulong quantity)
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, lot, quantity, await c.ChainTimeAsync() - 60);
        return c;
    }

    [Fact]
    public async Task A_trader_cannot_issue_a_title_for_paper_it_wrote_itself()
    {
        var c = await WithAttestedLotAsync(fixture, "lot-1", 20_000);

        await Refusal.ExpectAsync("NotCarrierFor", () => c.Trader.Ledger.SendAsync(Issue(c.Trader, "lot-1", 20_000, "bl-1")));
        // Nor with its own signature dressed as the carrier's.
        var issue = Issue(c.Trader, "lot-1", 20_000, "bl-1").Issue;
        var deadline = await c.ChainTimeAsync() + 3_600;
        var forged = CarrierIssue.Sign(issue, deadline, c.Domain, c.Trader.PrivateKey);
        await Refusal.ExpectAsync("NotCarrierFor", () => c.Trader.Ledger.SendAsync(
            new RegisterTitleWithCarrierSignatureFunction { Issue = issue, Deadline = deadline, Signature = forged }));

        Assert.Equal(0UL, (await c.KeyStateAsync("bl-1")).TitleId);
    }

    [Fact]
    public async Task The_bound_carrier_issues_and_the_holder_may_carry_its_signature()
    {
        var c = await WithAttestedLotAsync(fixture, "lot-1", 20_000);

        var direct = await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 5_000, "bl-1"));
        var registered = LedgerEvents.Decode(direct).Select(e => e.Event).OfType<TitleRegisteredEvent>().Single();
        Assert.Equal(c.Carrier.Address, registered.Issuer, ignoreCase: true);
        Assert.False(registered.CarrierSigned);

        var issue = Issue(c.Trader, "lot-1", 5_000, "bl-2").Issue;
        var deadline = await c.ChainTimeAsync() + 3_600;
        var signature = CarrierIssue.Sign(issue, deadline, c.Domain, c.Carrier.PrivateKey);
        // A fresh message per send: Nethereum records the sender on the message it sends.
        RegisterTitleWithCarrierSignatureFunction Signed() => new() { Issue = issue, Deadline = deadline, Signature = signature };
        // Only the holder named may carry it.
        await Refusal.ExpectAsync("NotHolderSubmitting", () => c.Trader2.Ledger.SendAsync(Signed()));
        var carried = LedgerEvents.Decode(await c.Trader.Ledger.SendAsync(Signed())).Select(e => e.Event).OfType<TitleRegisteredEvent>()
            .Single();
        Assert.Equal(c.Carrier.Address, carried.Issuer, ignoreCase: true);
        Assert.True(carried.CarrierSigned);
        // The keys burn on use: the signature cannot register twice.
        await Refusal.ExpectAsync("KeyAlreadyLive", () => c.Trader.Ledger.SendAsync(Signed()));
    }

    [Fact]
    public async Task Lots_exist_only_once_their_port_of_loading_attested_them()
    {
        var c = await fixture.FreshConsortiumAsync();

        // Pre-attestation over-issue: a registration before the port's attestation is refused, so nothing marks the lot.
        await Refusal.ExpectAsync("LotNotAttested", () => c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 10, "bl-1")));
        // A foreign port's attestation: the port is bound to SGSIN, not to the B/L's port of loading.
        var loadedAt = await c.ChainTimeAsync() - 60;
        await Refusal.ExpectAsync("NotPortOfLoading", () => c.Port.Ledger.SendAsync(new AttestLoadingFunction
        {
            LotKey = TestConsortium.Lot("lot-1"), Locode = LedgerCode.ToBytes("CNTAO"), Quantity = 10, Unit = TestConsortium.MetricTonnes,
            LoadedAt = loadedAt, DocumentHash = TestConsortium.Key("att"),
        }));
        // Quantity overflow: beyond 2^48 is refused at attestation and at issuance.
        await Refusal.ExpectAsync("QuantityTooLarge", () => TestConsortium.AttestAsync(c.Port, "lot-1", ulong.MaxValue, 1));
        await TestConsortium.AttestAsync(c.Port, "lot-1", 1UL << 48, await c.ChainTimeAsync() - 60);
        await Refusal.ExpectAsync("QuantityTooLarge", () => c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", ulong.MaxValue, "bl-1")));
        // Unit squatting: the port fixed the unit; a title in another unit is refused and the lot's unit stays.
        var inKilograms = RegisterTitleFunction.OneLot(
            TestConsortium.CarrierCode, TestConsortium.Lot("lot-1"), c.Trader.Address, 10, TestConsortium.Unit("KGM"),
            [TestConsortium.Key("bl-1")]);
        await Refusal.ExpectAsync("UnitMismatch", () => c.Carrier.Ledger.SendAsync(inKilograms));
        Assert.Equal(TestConsortium.MetricTonnes, (await c.LotAsync("lot-1")).Unit);
        Assert.False((await c.LotAsync("lot-1")).OverIssued);
    }

    [Fact]
    public async Task A_banks_free_key_pledge_cannot_squat_a_bills_keys()
    {
        var c = await WithAttestedLotAsync(fixture, "lot-1", 100);
        // Attack: a bank, with a colluding trader's consent, pledges the B/L's key before the carrier issues.
        var squat = await c.PledgeAsync(c.BankB, [], ["bl-1"], borrower: c.Trader2);
        Assert.True(squat.Granted);

        var receipt = await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 100, "bl-1"));

        var events = LedgerEvents.Decode(receipt).Select(e => e.Event).ToList();
        Assert.Equal(squat.PledgeId, events.OfType<KeyLockSupersededEvent>().Single().PledgeId);
        var title = events.OfType<TitleRegisteredEvent>().Single().TitleId;
        Assert.Equal(0UL, (await c.TitleAsync(title)).PledgeId);
        Assert.True((await c.PledgeAsync(c.BankA, [title], [])).Granted);
    }

    [Fact]
    public async Task A_second_bill_for_one_shipment_under_another_lot_finds_no_room()
    {
        var c = await WithAttestedLotAsync(fixture, "lot-1", 20_000);
        await TestConsortium.AttestAsync(c.Port, "lot-2", 20_000, await c.ChainTimeAsync() - 60);
        await c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 20_000, "bl-1", "container-1"));

        // The same containers under another lot collide on their keys.
        await Refusal.ExpectAsync(
            "KeyAlreadyLive", () => c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-2", 20_000, "bl-2", "container-1")));
        // And the first lot has no room left for a second bill.
        await Refusal.ExpectAsync("LotQuantityExceeded", () => c.Carrier.Ledger.SendAsync(Issue(c.Trader, "lot-1", 1, "bl-3")));
    }

    [Fact]
    public async Task A_bill_under_several_hs_headings_books_each_lot_and_over_issue_is_per_lot()
    {
        var c = await WithAttestedLotAsync(fixture, "lot-copper", 100);
        await TestConsortium.AttestAsync(c.Port, "lot-zinc", 50, await c.ChainTimeAsync() - 60);
        var issue = RegisterTitleFunction.OneLot(
            TestConsortium.CarrierCode, TestConsortium.Lot("lot-copper"), c.Trader.Address, 100, TestConsortium.MetricTonnes,
            [TestConsortium.Key("bl-1")]);
        issue.Issue.LotKeys.Add(TestConsortium.Lot("lot-zinc"));
        issue.Issue.Quantities.Add(60);
        await Refusal.ExpectAsync("LotQuantityExceeded", () => c.Carrier.Ledger.SendAsync(issue));

        issue.Issue.Quantities[1] = 50;
        var title = LedgerEvents.Decode(await c.Carrier.Ledger.SendAsync(issue)).Select(e => e.Event).OfType<TitleRegisteredEvent>()
            .Single().TitleId;
        var lots = await c.Ledger.QueryAsync<TitleLotsFunction, TitleLotsOutput>(new() { TitleId = title });
        Assert.Equal([100UL, 50UL], lots.Quantities);
        Assert.Equal(50UL, (await c.LotAsync("lot-zinc")).LiveQuantity);

        await c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title });
        Assert.Equal(0UL, (await c.LotAsync("lot-zinc")).LiveQuantity);
        Assert.Equal(0UL, (await c.LotAsync("lot-copper")).LiveQuantity);
    }

    [Fact]
    public async Task A_quantity_word_with_bits_above_64_registers_nothing()
    {
        // The contract hashes the signed arrays straight from calldata; a quantity is checked as a uint64 only when read.
        // Attack: the holder carries the carrier's signature over 5,000 t with the quantity's word dirtied above bit 64,
        // and the carrier sends such a word itself: each must be refused, not booked.
        var c = await WithAttestedLotAsync(fixture, "lot-1", 20_000);
        var issue = Issue(c.Trader, "lot-1", 5_000, "bl-1").Issue;
        var deadline = await c.ChainTimeAsync() + 3_600;
        var carried = new RegisterTitleWithCarrierSignatureFunction
        {
            Issue = issue, Deadline = deadline, Signature = CarrierIssue.Sign(issue, deadline, c.Domain, c.Carrier.PrivateKey),
        }.GetCallData();
        var direct = Issue(c.Trader, "lot-1", 5_000, "bl-1").GetCallData();

        await Assert.ThrowsAsync<RpcResponseException>(
            () => RawCalldata.CallAsync(c, c.Trader, RawCalldata.WithBitAbove64(carried, 5_000)));
        await Assert.ThrowsAsync<RpcResponseException>(
            () => RawCalldata.CallAsync(c, c.Carrier, RawCalldata.WithBitAbove64(direct, 5_000)));

        // The same calls with the clean word register title 1 (so the refusals above are the dirty word's doing).
        Assert.Equal(BigInteger.One, RawCalldata.Word(await RawCalldata.CallAsync(c, c.Trader, carried)));
        Assert.Equal(BigInteger.One, RawCalldata.Word(await RawCalldata.CallAsync(c, c.Carrier, direct)));
    }
}

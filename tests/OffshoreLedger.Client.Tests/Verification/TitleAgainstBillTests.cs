using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Verification;

namespace OffshoreLedger.Client.Tests.Verification;

/// <summary>
/// Issue 14, point 6 as pure logic: a title is what its B/L says, heading by heading. The node's verification (tested on
/// a real chain in MultiLotVerificationTests) reports these contradictions in title_live, loading_attested and
/// goods_and_quantity.
/// </summary>
public sealed class TitleAgainstBillTests
{
    private const string Carrier = "0x00000000000000000000000000000000000000ca";
    private const string Lot1 = "0x1111111111111111111111111111111111111111111111111111111111111111";
    private const string Lot2 = "0x2222222222222222222222222222222222222222222222222222222222222222";

    /// <summary>The test B/L with a second heading (7403.19, two items of 15 and 5 bundles) after its 20 bundles of 7403.11.</summary>
    private static BillOfLading TwoHeadings()
    {
        var bill = TestDocuments.BillOfLading();
        var other = bill.ConsignmentItems[0] with { HsCode = "7403.19", Quantity = new Measure(15, "BE") };
        return bill with { ConsignmentItems = [bill.ConsignmentItems[0], other,
            other with { HsCode = "740319", Quantity = new Measure(5, "BE") }] };
    }

    private static IReadOnlyList<BillLot> Lots(BillOfLading bill) => TitleAgainstBill.Lots(bill, [Lot1, Lot2]);

    private static RegisteredTitle Title(params (string Lot, ulong Quantity)[] lots) =>
        new(7, "BE", [.. lots.Select(l => new TitleLot(l.Lot, l.Quantity))], Carrier);

    [Fact]
    public void A_bill_pairs_each_heading_with_its_lot_key_in_derivation_order_summing_its_items()
    {
        var bill = TwoHeadings();
        var deriver = new CollateralKeyDeriver(
            ConsortiumSecret.FromHex(
                string.Concat(Enumerable.Range(0, 32).Select(i => i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))));
        var derived = deriver.KeysFor(bill)
            .Where(k => k.Kind == CollateralKeyKind.ShipmentLot).Select(k => "0x" + Convert.ToHexStringLower(k.Value)).ToList();

        var lots = TitleAgainstBill.Lots(bill, derived);

        Assert.Equal([("740311", 20m, "BE"), ("740319", 20m, "BE")], lots.Select(l => (l.Heading, l.Quantity, l.Unit!)));
        Assert.Equal(derived, lots.Select(l => l.LotKey));
        // The lot a port attests for the second heading is the key paired with it.
        var attested = deriver.LotKey(new ShipmentLot
        {
            VesselImoNumber = bill.VesselImoNumber, VoyageNumber = bill.VoyageNumber, PortOfLoading = bill.PortOfLoading,
            HsCode = "7403.19",
        });
        Assert.Equal("0x" + Convert.ToHexStringLower(attested.Value), lots[1].LotKey);
    }

    [Fact]
    public void A_title_booking_each_heading_on_its_lot_issued_by_the_bound_carrier_matches()
    {
        var found = TitleAgainstBill.Contradictions(Lots(TwoHeadings()), Title((Lot1, 20), (Lot2, 20)), "MAEU", Carrier);

        Assert.Empty(found);
    }

    [Fact]
    public void A_title_one_heading_short_contradicts_its_bill_naming_the_heading()
    {
        var found = TitleAgainstBill.Contradictions(Lots(TwoHeadings()), Title((Lot1, 20), (Lot2, 5)), "MAEU", Carrier);

        Assert.Equal("title 7 is for 5 BE, the B/L states 20 BE under HS 740319 (lot 0x22222222…)", Assert.Single(found));
    }

    [Fact]
    public void A_title_with_a_lot_swapped_for_another_contradicts_on_both_lots()
    {
        const string Other = "0x3333333333333333333333333333333333333333333333333333333333333333";

        var found = TitleAgainstBill.Contradictions(Lots(TwoHeadings()), Title((Lot1, 20), (Other, 20)), "MAEU", Carrier);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, f => f.Contains("books nothing on the B/L's lot 0x22222222…", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("on lot 0x33333333…, which is not one of the B/L's lots", StringComparison.Ordinal));
    }

    [Fact]
    public void The_whole_cargo_on_one_of_two_lots_contradicts_even_though_the_total_agrees()
    {
        var found = TitleAgainstBill.Contradictions(Lots(TwoHeadings()), Title((Lot1, 40)), "MAEU", Carrier);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, f => f.StartsWith("title 7 is for 40 BE, the B/L states 20 BE under HS 740311", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("title 7 books nothing on the B/L's lot 0x22222222…", StringComparison.Ordinal));
    }

    [Fact]
    public void A_title_in_another_unit_or_by_another_issuer_contradicts_its_bill()
    {
        var lots = Lots(TwoHeadings());
        var inTonnes = Title((Lot1, 20), (Lot2, 20)) with { Unit = "TNE" };
        var byTrader = Title((Lot1, 20), (Lot2, 20)) with { Issuer = "0x00000000000000000000000000000000000000aa" };

        Assert.Equal("title 7 is in TNE, the B/L in BE", Assert.Single(TitleAgainstBill.Contradictions(lots, inTonnes, "MAEU", Carrier)));
        Assert.Equal($"title 7 was issued by 0x00000000000000000000000000000000000000aa, not by {Carrier}, the carrier bound to MAEU",
            Assert.Single(TitleAgainstBill.Contradictions(lots, byTrader, "MAEU", Carrier)));
        Assert.Equal("no carrier member is bound to the B/L's carrier code MAEU",
            Assert.Single(TitleAgainstBill.Contradictions(lots, Title((Lot1, 20), (Lot2, 20)), "MAEU", null)));
    }

    [Fact]
    public void A_bill_whose_headings_are_in_several_units_cannot_be_one_title()
    {
        var bill = TwoHeadings();
        bill = bill with { ConsignmentItems = [bill.ConsignmentItems[0],
            bill.ConsignmentItems[1] with { Quantity = new Measure(20, "TNE") }, bill.ConsignmentItems[2]] };

        var found = TitleAgainstBill.Contradictions(Lots(bill), Title((Lot1, 20), (Lot2, 20)), "MAEU", Carrier);

        Assert.Contains(found, f => f.StartsWith("the B/L states its goods in several units", StringComparison.Ordinal));
    }

    [Fact]
    public void Lot_keys_that_do_not_pair_with_the_headings_give_no_lots()
    {
        Assert.Empty(TitleAgainstBill.Lots(TwoHeadings(), [Lot1]));
    }

    [Fact]
    public void Goods_and_quantity_fails_with_the_ledger_titles_contradictions_and_keeps_its_evidence()
    {
        var bill = TestDocuments.BillOfLading();
        var trade = new TradeDocumentSet { BillOfLading = bill };
        var evidence = new CheckEvidence("title 7 registered, issued by " + Carrier, Member: Carrier);
        var comparison = new TitleComparison(["title 7 is for 5 BE, the B/L states 20 BE under HS 740311 (lot 0x11111111…)"], [evidence]);

        var check = TradeDocumentChecks.GoodsAndQuantity(trade, new VerificationPolicy(), comparison);

        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Contains("title 7 is for 5 BE", check.Reason);
        Assert.Equal(evidence, Assert.Single(check.Evidence));
        Assert.NotEqual(
            CheckOutcome.Fail,
            TradeDocumentChecks.GoodsAndQuantity(trade, new VerificationPolicy(), comparison with { Contradictions = [] }).Outcome);
    }
}

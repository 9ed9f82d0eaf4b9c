using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Tests;

/// <summary>
/// One fictitious copper trade (Singapore to Rotterdam) whose documents the tests alter. Party LEIs
/// are made up with valid check digits; they name no real company.
/// </summary>
internal static class TestDocuments
{
    public const string SellerLei = "984500LC0PPERMET0124";
    public const string BuyerLei = "894500RHEINCU0RP0204";

    public static readonly Party Seller = new()
    {
        Name = "Lion City Copper Trading Pte. Ltd.",
        Lei = SellerLei,
        CountryCode = "SG",
    };

    public static readonly Party Buyer = new()
    {
        Name = "Rheinkupfer GmbH",
        Lei = BuyerLei,
        CountryCode = "DE",
    };

    public static readonly Party Smelter = new()
    {
        Name = "Straits Smelting Sdn. Bhd.",
        RegistrationId = "199801012345",
        CountryCode = "MY",
    };

    public static BillOfLading BillOfLading() => new()
    {
        TransportDocumentReference = "MAEU250123456",
        CarrierCode = "MAEU",
        CarrierCodeListProvider = "NMFTA",
        Shipper = Seller,
        IsToOrder = true,
        NotifyParty = Buyer,
        VesselImoNumber = "9321483",
        VesselName = "King of the Seas",
        VoyageNumber = "2103S",
        PortOfLoading = "SGSIN",
        PortOfDischarge = "NLRTM",
        ShippedOnBoardDate = new DateOnly(2026, 3, 1),
        Containers =
        [
            new ShippingContainer { ContainerNumber = "MSKU1234565", SealNumbers = ["ML-SG1234567"] },
            new ShippingContainer { ContainerNumber = "CSQU3054383", SealNumbers = ["ML-SG1234568", "SGC-009911"] },
        ],
        ConsignmentItems =
        [
            new ConsignmentItem
            {
                GoodsDescription = "Copper cathodes, grade A, LME registered brand",
                HsCode = "7403.11.00",
                Quantity = new Measure(20, "BE"),
                GrossWeight = new Measure(50_100.5m, "KGM"),
            },
        ],
    };

    public static CommercialInvoice Invoice() => new()
    {
        Seller = Seller,
        Buyer = Buyer,
        InvoiceNumber = "LCC-INV-2026-0042",
        IssueDate = new DateOnly(2026, 3, 2),
        Lines =
        [
            new InvoiceLine
            {
                Description = "Copper cathodes, grade A",
                HsCode = "740311",
                Quantity = new Measure(50, "TNE"),
                AmountMinor = 48_750_000_00,
            },
        ],
        TotalAmountMinor = 48_750_000_00,
        Currency = "USD",
        Incoterm = "CIF",
        BillOfLadingReference = "MAEU250123456",
    };

    public static SettlementRecord Settlement() => new()
    {
        Uetr = "eb6305c9-1f7f-49de-aed0-16487c27b42d",
        Debtor = Buyer,
        Creditor = Seller,
        AmountMinor = 48_750_000_00,
        Currency = "USD",
        ValueDate = new DateOnly(2026, 4, 1),
        InvoiceReferences = ["LCC-INV-2026-0042"],
    };

    public static LoadingAttestation Attestation() => new()
    {
        AttestationReference = "PSA-TALLY-2026-000731",
        Lot = new ShipmentLot
        {
            VesselImoNumber = "IMO 9321483",
            VoyageNumber = "2103S",
            PortOfLoading = "SGSIN",
            HsCode = "7403.11",
        },
        Quantity = new Measure(50.1005m, "TNE"),
        LoadedAt = new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.FromHours(8)),
        AttestingMember = "port-of-singapore",
    };
}

namespace OffshoreLedger.Client.Documents;

/// <summary>
/// A bill of lading: the carrier's receipt for the cargo and the document of title to it, with the
/// fields of a DCSA eBL 3.0 transport document that matter for financing.
/// </summary>
public sealed record BillOfLading : ITradeDocument
{
    /// <inheritdoc />
    public TradeDocumentType DocumentType => TradeDocumentType.BillOfLading;

    /// <summary>The B/L number the carrier gave the document (DCSA transportDocumentReference).</summary>
    public required string TransportDocumentReference { get; init; }

    /// <summary>The carrier's code: an NMFTA SCAC such as MAEU, or an SMDG code.</summary>
    public required string CarrierCode { get; init; }

    /// <summary>Who issued <see cref="CarrierCode"/>: NMFTA (SCAC) or SMDG; absent means NMFTA.</summary>
    public string? CarrierCodeListProvider { get; init; }

    /// <summary>The party that handed the cargo to the carrier.</summary>
    public required Party Shipper { get; init; }

    /// <summary>The named consignee; absent on a to-order B/L.</summary>
    public Party? Consignee { get; init; }

    /// <summary>True when the B/L is made out "to order" and passes by endorsement.</summary>
    public bool IsToOrder { get; init; }

    /// <summary>The party the carrier tells on arrival.</summary>
    public Party? NotifyParty { get; init; }

    /// <summary>IMO number of the sea-going vessel, seven digits (an "IMO" prefix is allowed).</summary>
    public required string VesselImoNumber { get; init; }

    /// <summary>Name of the vessel as printed.</summary>
    public required string VesselName { get; init; }

    /// <summary>The carrier's export voyage number, for example 2103S.</summary>
    public required string VoyageNumber { get; init; }

    /// <summary>Port of loading as a UN/LOCODE, for example SGSIN.</summary>
    public required string PortOfLoading { get; init; }

    /// <summary>Port of discharge as a UN/LOCODE, for example NLRTM.</summary>
    public required string PortOfDischarge { get; init; }

    /// <summary>The date the cargo was shipped on board; banks finance shipped B/Ls only.</summary>
    public DateOnly? ShippedOnBoardDate { get; init; }

    /// <summary>The containers carried, in document order.</summary>
    public IReadOnlyList<ShippingContainer> Containers { get; init; } = [];

    /// <summary>The goods carried, in document order.</summary>
    public IReadOnlyList<ConsignmentItem> ConsignmentItems { get; init; } = [];
}

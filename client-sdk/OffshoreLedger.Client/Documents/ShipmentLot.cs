namespace OffshoreLedger.Client.Documents;

/// <summary>
/// One commodity loaded on one voyage of one vessel at one port: the unit a port attests and whose
/// quantity the live titles may not exceed.
/// </summary>
public sealed record ShipmentLot
{
    /// <summary>IMO number of the vessel.</summary>
    public required string VesselImoNumber { get; init; }

    /// <summary>The carrier's export voyage number.</summary>
    public required string VoyageNumber { get; init; }

    /// <summary>Port of loading as a UN/LOCODE.</summary>
    public required string PortOfLoading { get; init; }

    /// <summary>HS code of the commodity; the lot is keyed on its first six digits.</summary>
    public required string HsCode { get; init; }
}

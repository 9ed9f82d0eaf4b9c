namespace OffshoreLedger.Client.Documents;

/// <summary>A container carried under a bill of lading, with the seals fixed to its doors.</summary>
public sealed record ShippingContainer
{
    /// <summary>ISO 6346 container number, for example CSQU3054383.</summary>
    public required string ContainerNumber { get; init; }

    /// <summary>Seal numbers as printed; carrier, shipper or customs seals.</summary>
    public IReadOnlyList<string> SealNumbers { get; init; } = [];
}

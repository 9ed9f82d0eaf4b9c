namespace OffshoreLedger.Client.Documents;

/// <summary>A port member's statement that a shipment lot was loaded, and how much.</summary>
public sealed record LoadingAttestation : ITradeDocument
{
    /// <inheritdoc />
    public TradeDocumentType DocumentType => TradeDocumentType.LoadingAttestation;

    /// <summary>The port's own reference for this attestation (tally or loading report number).</summary>
    public required string AttestationReference { get; init; }

    /// <summary>The lot that was loaded.</summary>
    public required ShipmentLot Lot { get; init; }

    /// <summary>The quantity loaded, in the unit the titles of the lot use.</summary>
    public required Measure Quantity { get; init; }

    /// <summary>When loading completed.</summary>
    public required DateTimeOffset LoadedAt { get; init; }

    /// <summary>Organisation id of the PORT member attesting.</summary>
    public required string AttestingMember { get; init; }
}

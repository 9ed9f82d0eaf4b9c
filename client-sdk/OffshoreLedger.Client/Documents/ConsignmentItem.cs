namespace OffshoreLedger.Client.Documents;

/// <summary>One kind of goods on a bill of lading, as the DCSA consignment item describes it.</summary>
public sealed record ConsignmentItem
{
    /// <summary>The goods as described on the document.</summary>
    public required string GoodsDescription { get; init; }

    /// <summary>Harmonized System code, 6 to 10 digits (dots and spaces allowed as printed).</summary>
    public required string HsCode { get; init; }

    /// <summary>How much was shipped, for example 1,200 BG (bags) or 24 TNE.</summary>
    public required Measure Quantity { get; init; }

    /// <summary>Gross weight, in KGM, TNE or LBR.</summary>
    public required Measure GrossWeight { get; init; }
}

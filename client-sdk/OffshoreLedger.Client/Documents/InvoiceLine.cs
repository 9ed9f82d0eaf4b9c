namespace OffshoreLedger.Client.Documents;

/// <summary>One line of a commercial invoice.</summary>
public sealed record InvoiceLine
{
    /// <summary>The goods as described on the line.</summary>
    public required string Description { get; init; }

    /// <summary>Harmonized System code of the goods, if the line gives one.</summary>
    public string? HsCode { get; init; }

    /// <summary>How much is invoiced on this line.</summary>
    public required Measure Quantity { get; init; }

    /// <summary>Line amount in minor units of the invoice currency (cents for USD).</summary>
    public required long AmountMinor { get; init; }
}

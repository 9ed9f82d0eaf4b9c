namespace OffshoreLedger.Client.Documents;

/// <summary>A seller's commercial invoice to a buyer for goods shipped under a bill of lading.</summary>
public sealed record CommercialInvoice : ITradeDocument
{
    /// <inheritdoc />
    public TradeDocumentType DocumentType => TradeDocumentType.CommercialInvoice;

    /// <summary>The seller; needs an LEI or a registration id so keys can name it.</summary>
    public required Party Seller { get; init; }

    /// <summary>The buyer; needs an LEI or a registration id so keys can name it.</summary>
    public required Party Buyer { get; init; }

    /// <summary>The seller's invoice number.</summary>
    public required string InvoiceNumber { get; init; }

    /// <summary>The date the invoice was issued.</summary>
    public required DateOnly IssueDate { get; init; }

    /// <summary>The invoice lines.</summary>
    public IReadOnlyList<InvoiceLine> Lines { get; init; } = [];

    /// <summary>Total amount due in minor units of <see cref="Currency"/> (cents for USD, yen for JPY).</summary>
    public required long TotalAmountMinor { get; init; }

    /// <summary>ISO 4217 alphabetic currency code, for example USD.</summary>
    public required string Currency { get; init; }

    /// <summary>Incoterms 2020 rule, for example FOB or CIF.</summary>
    public required string Incoterm { get; init; }

    /// <summary>The B/L number (transport document reference) of the shipment invoiced.</summary>
    public string? BillOfLadingReference { get; init; }
}

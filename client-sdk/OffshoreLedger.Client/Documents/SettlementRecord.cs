namespace OffshoreLedger.Client.Documents;

/// <summary>
/// A payment between banks for a trade, in the terms of an ISO 20022 credit transfer (pacs.008).
/// </summary>
public sealed record SettlementRecord : ITradeDocument
{
    /// <inheritdoc />
    public TradeDocumentType DocumentType => TradeDocumentType.SettlementRecord;

    /// <summary>Unique end-to-end transaction reference: a version 4 UUID.</summary>
    public required string Uetr { get; init; }

    /// <summary>The payer.</summary>
    public required Party Debtor { get; init; }

    /// <summary>The payee.</summary>
    public required Party Creditor { get; init; }

    /// <summary>Settled amount in minor units of <see cref="Currency"/>.</summary>
    public required long AmountMinor { get; init; }

    /// <summary>ISO 4217 alphabetic currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>Interbank settlement (value) date.</summary>
    public required DateOnly ValueDate { get; init; }

    /// <summary>Invoice numbers the payment settles (structured remittance, referred documents).</summary>
    public IReadOnlyList<string> InvoiceReferences { get; init; } = [];
}

namespace OffshoreLedger.Client.Documents;

/// <summary>A trade document the ledger can hash and derive collateral keys from.</summary>
public interface ITradeDocument
{
    /// <summary>What kind of document this is; part of its canonical JSON so two kinds never share a hash.</summary>
    TradeDocumentType DocumentType { get; }
}

/// <summary>The kinds of trade document the ledger understands.</summary>
public enum TradeDocumentType
{
    /// <summary>A bill of lading (the cargo title).</summary>
    BillOfLading = 1,

    /// <summary>A seller's commercial invoice.</summary>
    CommercialInvoice = 2,

    /// <summary>A payment between banks (ISO 20022 style).</summary>
    SettlementRecord = 3,

    /// <summary>A port's statement that a lot was loaded.</summary>
    LoadingAttestation = 4,
}

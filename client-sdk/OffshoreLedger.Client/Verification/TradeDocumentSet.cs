using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Verification;

/// <summary>
/// The documents of one offshore resale whose content is known. A document given only by its hash is null here
/// (or absent from <see cref="Settlements"/>), and the checks that need it warn.
/// </summary>
public sealed record TradeDocumentSet
{
    /// <summary>The trader's purchase invoice (supplier → trader).</summary>
    public CommercialInvoice? PurchaseInvoice { get; init; }

    /// <summary>The trader's sales invoice (trader → buyer).</summary>
    public CommercialInvoice? SalesInvoice { get; init; }

    /// <summary>The bill of lading of the cargo resold.</summary>
    public BillOfLading? BillOfLading { get; init; }

    /// <summary>The port's loading attestation document, when given.</summary>
    public LoadingAttestation? LoadingAttestation { get; init; }

    /// <summary>Settlement records whose content is known.</summary>
    public IReadOnlyList<SettlementRecord> Settlements { get; init; } = [];

    /// <summary>How many settlements were given only by their hash.</summary>
    public int SettlementsByHashOnly { get; init; }

    /// <summary>The invoices whose content is known, with their role in the trade.</summary>
    /// <returns>Role and invoice, purchase first.</returns>
    public IEnumerable<(string Role, CommercialInvoice Invoice)> Invoices()
    {
        if (PurchaseInvoice is not null) yield return ("purchase invoice", PurchaseInvoice);
        if (SalesInvoice is not null) yield return ("sales invoice", SalesInvoice);
    }
}

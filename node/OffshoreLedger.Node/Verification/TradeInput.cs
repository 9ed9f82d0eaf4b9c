using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Verification;
using InclusionProof = OffshoreLedger.Client.Merkle.InclusionProof;

namespace OffshoreLedger.Node.Verification;

/// <summary>
/// One document of a trade as the verifier sees it: its hash, its content when given, its collateral keys (derived
/// from the content, or given with the hash) and, for a document anchored elsewhere, the proof its owner handed over.
/// </summary>
public sealed record TradeDocumentInput(
    string Role, byte[] Hash, ITradeDocument? Document, IReadOnlyList<TradeKey> Keys, InclusionProof? Proof, byte[]? MerkleRoot);

/// <summary>A collateral key with its kind when known (null for keys given with a hash only).</summary>
public sealed record TradeKey(byte[] Value, Client.Keys.CollateralKeyKind? Kind);

/// <summary>A trade to verify, validated: its documents and the bank asking.</summary>
public sealed record TradeInput(
    TradeDocumentInput? PurchaseInvoice,
    TradeDocumentInput? SalesInvoice,
    TradeDocumentInput BillOfLading,
    TradeDocumentInput? LoadingAttestation,
    IReadOnlyList<TradeDocumentInput> Settlements,
    string Bank)
{
    public IEnumerable<TradeDocumentInput> Documents() =>
        new[] { PurchaseInvoice, SalesInvoice, BillOfLading, LoadingAttestation }.OfType<TradeDocumentInput>().Concat(Settlements);

    /// <summary>The documents whose content is known, for the document checks.</summary>
    public TradeDocumentSet DocumentSet() => new()
    {
        PurchaseInvoice = PurchaseInvoice?.Document as CommercialInvoice,
        SalesInvoice = SalesInvoice?.Document as CommercialInvoice,
        BillOfLading = BillOfLading.Document as BillOfLading,
        LoadingAttestation = LoadingAttestation?.Document as LoadingAttestation,
        Settlements = [.. Settlements.Select(s => s.Document).OfType<SettlementRecord>()],
        SettlementsByHashOnly = Settlements.Count(s => s.Document is null),
    };
}

/// <summary>A trade's verdict: the worst outcome of its checks, with every check.</summary>
public sealed record TradeVerdict(CheckOutcome Verdict, IReadOnlyList<TradeCheck> Checks, ulong TitleId, Storage.SyncCursor? AsOf);

using Microsoft.Extensions.Options;
using OffshoreLedger.Client.Merkle;
using OffshoreLedger.Client.Verification;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Node.Verification;

/// <summary>
/// Verifies a trade against one consistent view of the ledger: the ledger checks (<see cref="TradeLedgerChecks"/>)
/// and the document checks (<see cref="TradeDocumentChecks"/>), in <see cref="TradeCheckNames.All"/> order. Read-only.
/// </summary>
public sealed class TradeVerifier(LedgerIndex index, DocumentVault vault, IOptions<VerificationOptions> options)
{
    public TradeVerdict Verify(TradeInput trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var settings = options.Value;
        var policy = settings.Policy();
        var documents = trade.DocumentSet();
        // The proofs this node keeps, read before taking the index's lock.
        var proofs = trade.Documents()
            .ToDictionary<TradeDocumentInput, TradeDocumentInput, DocumentProof?>(d => d, ProofOf, ReferenceEqualityComparer.Instance);
        var (ledgerChecks, loadedAt, titleId, comparison, synced) = index.Read((ledger, history, s) =>
        {
            var checks = new TradeLedgerChecks(ledger, history, trade, proofs, settings.Counterparties);
            return (checks.Run(), checks.LoadedAt, checks.TitleId, checks.Comparison, s);
        });
        List<TradeCheck> all =
        [
            .. ledgerChecks,
            // Issue 14: the documents agree with each other, and the title on the ledger with the B/L.
            TradeDocumentChecks.GoodsAndQuantity(documents, policy, comparison),
            TradeDocumentChecks.Settlements(documents),
            TradeDocumentChecks.DateOrder(documents, loadedAt, policy),
            TradeDocumentChecks.Margin(documents, policy),
        ];
        var ordered = all.OrderBy(c => Order[c.Name]).ToList();
        return new TradeVerdict(ordered.Max(c => c.Outcome), ordered, titleId, synced);
    }

    private static readonly Dictionary<string, int> Order = TradeCheckNames.All.Select((name, i) => (name, i))
        .ToDictionary(p => p.name, p => p.i);

    private DocumentProof? ProofOf(TradeDocumentInput document)
    {
        if (document.Proof is not null && document.MerkleRoot is not null) return new DocumentProof(
            document.MerkleRoot, document.Proof, Given: true);
        return vault.Proof(document.Hash) is { } stored
            ? new DocumentProof(stored.Root, InclusionProof.FromHex(stored.ProofHex), Given: false) : null;
    }
}

/// <summary>The proof of a document's anchoring: handed over with the request, or kept by this node.</summary>
public sealed record DocumentProof(byte[] Root, InclusionProof Proof, bool Given);

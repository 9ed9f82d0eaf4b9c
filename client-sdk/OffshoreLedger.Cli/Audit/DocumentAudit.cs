using OffshoreLedger.Cli.Input;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Client.Validation;
using OffshoreLedger.Client.Verification;
using OffshoreLedger.Ledger.Audit;

namespace OffshoreLedger.Cli.Audit;

/// <summary>The auditee's trade documents from a folder: invoices and settlement records, and the files not read as either.</summary>
public sealed record AuditeeDocuments(
    string Folder, IReadOnlyList<(string File, CommercialInvoice Invoice)> Invoices,
    IReadOnlyList<(string File, SettlementRecord Settlement)> Settlements,
    IReadOnlyList<SkippedFile> Skipped);

/// <summary>
/// Settlements against their invoices, from the auditee's documents: the chain holds only keyed hashes, so amounts,
/// currencies and parties can only be compared off chain. Each settlement is matched to the invoices it references
/// (<see cref="SettlementMatcher"/>); with the consortium secret, its key and its invoices' keys are looked up in the
/// replayed history.
/// </summary>
public static class DocumentAudit
{
    /// <summary>
    /// Reads every *.json file under <paramref name="folder"/>; anything not a valid trade document is skipped with its reason.
    /// </summary>
    public static AuditeeDocuments Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new CliInputException($"--documents: {folder} is not a folder");
        var invoices = new List<(string, CommercialInvoice)>();
        var settlements = new List<(string, SettlementRecord)>();
        var skipped = new List<SkippedFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                switch (DocumentFile.Load(path, null).Document)
                {
                    case CommercialInvoice invoice:
                        invoices.Add((path, invoice));
                        break;
                    case SettlementRecord settlement:
                        settlements.Add((path, settlement));
                        break;
                }
            }
            catch (CliInputException ex)
            {
                // A proof, a config file or a broken document: the auditor should see it was not read, not lose the audit.
                skipped.Add(
                    new SkippedFile(
                        path, ex.Message.StartsWith(path, StringComparison.Ordinal) ? ex.Message[(path.Length + 2)..] : ex.Message));
            }
        }
        return new AuditeeDocuments(folder, invoices, settlements, skipped);
    }

    public static SettlementAudit Check(AuditeeDocuments documents, ConsortiumSecret? secret, LedgerHistory history)
    {
        var deriver = secret is null ? null : new CollateralKeyDeriver(secret);
        var checks = new List<SettlementCheck>();
        foreach (var (file, settlement) in documents.Settlements)
        {
            var mismatches = new List<DocumentMismatch>();
            var paid = new List<CommercialInvoice>();
            foreach (var reference in settlement.InvoiceReferences)
            {
                var invoice = InvoiceFor(documents, settlement, reference);
                if (invoice is null)
                {
                    mismatches.Add(
                        new DocumentMismatch(
                            "invoiceReferences",
                            $"settlement {settlement.Uetr} references invoice {reference}, which is not among the documents"));
                    continue;
                }
                paid.Add(invoice);
                // Currency and parties are this settlement's own; the amount is the invoice's, over every settlement of it (partial
                // payments add up).
                mismatches.AddRange(
                    SettlementMatcher.Match(invoice, [settlement]).Where(m => m.Field != "amountMinor")
                    .Select(m => new DocumentMismatch(m.Field, m.Reason)));
                var allOfInvoice = documents.Settlements.Select(s => s.Settlement).Where(s => SettlementMatcher.References(s, invoice))
                    .ToList();
                mismatches.AddRange(
                    SettlementMatcher.Match(invoice, allOfInvoice).Where(m => m.Field == "amountMinor")
                    .Select(m => new DocumentMismatch(m.Field, m.Reason)));
            }
            var keys = deriver is null ? [] : KeysOf(deriver, history, settlement, paid);
            checks.Add(new SettlementCheck(
                settlement.Uetr, file, settlement.AmountMinor, settlement.Currency,
                SettlementMatcher.Money(settlement.AmountMinor, settlement.Currency), settlement.InvoiceReferences,
                [.. mismatches.Distinct()], keys));
        }
        return new SettlementAudit(
            documents.Folder, documents.Invoices.Count, documents.Settlements.Count, deriver is not null, checks, documents.Skipped);
    }

    /// <summary>The invoice a reference names; when two sellers use the same number, the one the settlement pays.</summary>
    private static CommercialInvoice? InvoiceFor(AuditeeDocuments documents, SettlementRecord settlement, string reference)
    {
        var number = IdentifierNormalizer.Normalize(reference);
        var named = documents.Invoices.Select(i => i.Invoice).Where(i => IdentifierNormalizer.Normalize(i.InvoiceNumber) == number)
            .ToList();
        return named.FirstOrDefault(i => PartyMatch.Same(i.Seller, settlement.Creditor)) ?? named.FirstOrDefault();
    }

    private static List<KeyOnChain> KeysOf(
        CollateralKeyDeriver deriver, LedgerHistory history, SettlementRecord settlement, IEnumerable<CommercialInvoice> invoices)
    {
        var keys =
            new List<KeyOnChain> { KeyOnChain.Of(
                history, $"settlement {settlement.Uetr}", "settlement", deriver.KeyFor(settlement).ToHex()) };
        foreach (var invoice in invoices.Distinct())
        {
            foreach (var key in deriver.KeysFor(invoice))
            {
                var kind = key.Kind == CollateralKeyKind.Invoice ? "invoice" : "invoiceParticulars";
                keys.Add(KeyOnChain.Of(history, $"invoice {invoice.InvoiceNumber}", kind, key.ToHex()));
            }
        }
        return keys;
    }
}

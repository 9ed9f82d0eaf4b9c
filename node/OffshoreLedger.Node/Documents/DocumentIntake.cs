using System.Text.Json;
using OffshoreLedger.Api.V1;
using TradeDocumentType = OffshoreLedger.Api.V1.TradeDocumentType;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using CollateralKey = OffshoreLedger.Client.Keys.CollateralKey;
using OffshoreLedger.Client.Validation;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Documents;

/// <summary>A document the node accepted: the typed model, its hash and its collateral keys.</summary>
public sealed record AcceptedDocument(ITradeDocument Document, DocumentHash Hash, IReadOnlyList<CollateralKey> Keys);

/// <summary>
/// Turns a <see cref="TradeDocument"/> from a request into a validated model with its hash and keys, or into
/// field violations whose paths start at the request field (e.g. <c>bill_of_lading.type</c>, <c>invoice.json.lines[0].hsCode</c>,
/// and for a DCSA B/L its DCSA path: <c>bill_of_lading.json.utilizedTransportEquipments[0].equipment.equipmentReference</c>).
/// </summary>
public sealed class DocumentIntake(OrganisationIdentity identity, TimeProvider time)
{
    private readonly CollateralKeyDeriver _keys = new(identity.ConsortiumSecret);
    private readonly DocumentValidator _validator = new(time);

    public CollateralKeyDeriver Keys => _keys;

    public AcceptedDocument? Accept(TradeDocument? request, string field, List<(string Field, string Description)> violations)
    {
        if (request is null)
        {
            violations.Add((field, "a document is required"));
            return null;
        }
        // What costs nothing is checked first: the enums and the JSON's length, before any of it is parsed.
        var check = new RequestCheck();
        var known = check.Known(request.Type, $"{field}.type", required: true) & check.Known(
            request.Format, $"{field}.format", required: true);
        check.Length(request.Json, $"{field}.json", RequestCheck.MaxDocumentJsonLength);
        if (known && !Readable(request.Type, request.Format))
        {
            check.Add(
                $"{field}.format",
                "a bill of lading is DOCUMENT_FORMAT_DCSA_EBL_3 or DOCUMENT_FORMAT_OFFSHORE_LEDGER; other documents " +
                "DOCUMENT_FORMAT_OFFSHORE_LEDGER");
        }
        if (check.Violations.Count > 0)
        {
            violations.AddRange(check.Violations);
            return null;
        }

        ITradeDocument document;
        try
        {
            document = (request.Type, request.Format) switch
            {
                (TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3) => DcsaTransportDocumentImporter.Import(request.Json),
                (TradeDocumentType.BillOfLading, _) => DocumentJson.Deserialize<BillOfLading>(request.Json),
                (TradeDocumentType.CommercialInvoice, _) => DocumentJson.Deserialize<CommercialInvoice>(request.Json),
                (TradeDocumentType.SettlementRecord, _) => DocumentJson.Deserialize<SettlementRecord>(request.Json),
                _ => DocumentJson.Deserialize<LoadingAttestation>(request.Json),
            };
        }
        catch (Exception ex)
            when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            violations.Add(($"{field}.json", $"not a readable {request.Type} document: {ex.Message}"));
            return null;
        }

        var result = document switch
        {
            BillOfLading b => _validator.Validate(b),
            CommercialInvoice i => _validator.Validate(i),
            SettlementRecord s => _validator.Validate(s),
            LoadingAttestation a => _validator.Validate(a),
            _ => ValidationResult.Valid,
        };
        if (!result.IsValid)
        {
            violations.AddRange(result.Violations.Select(v => ($"{field}.json.{Sent(request, v.Field)}", v.Reason)));
            return null;
        }
        try
        {
            return new AcceptedDocument(document, DocumentHasher.Hash(document), _keys.KeysFor(document));
        }
        catch (InvalidTradeDocumentException ex)
        {
            // Valid as a document, but an identifier normalises to nothing a key can be derived from (punctuation only, say).
            violations.AddRange(ex.Violations.Select(v => ($"{field}.json.{Sent(request, v.Field)}", v.Reason)));
            return null;
        }
    }

    /// <summary>A violation names the field as the caller sent it: for DCSA input, its path in the DCSA document.</summary>
    private static string Sent(TradeDocument request, string path) => request.Format == DocumentFormat.DcsaEbl3
        ? DcsaFieldPaths.Of(path) : path;

    /// <summary>The formats the node reads each document type in.</summary>
    private static bool Readable(TradeDocumentType type, DocumentFormat format) =>
        format == DocumentFormat.OffshoreLedger || (type == TradeDocumentType.BillOfLading && format == DocumentFormat.DcsaEbl3);
}

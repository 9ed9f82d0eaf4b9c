using System.Text.Json;
using OffshoreLedger.Api.V1;
using TradeDocumentType = OffshoreLedger.Api.V1.TradeDocumentType;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using CollateralKey = OffshoreLedger.Client.Keys.CollateralKey;
using OffshoreLedger.Client.Validation;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Documents;

/// <summary>A document the node accepted: the typed model, its hash and its collateral keys.</summary>
public sealed record AcceptedDocument(ITradeDocument Document, DocumentHash Hash, IReadOnlyList<CollateralKey> Keys);

/// <summary>
/// Turns a <see cref="TradeDocument"/> from a request into a validated model with its hash and keys, or into
/// field violations whose paths start at the request field (e.g. <c>bill_of_lading.json.containers[0]…</c>).
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
        ITradeDocument document;
        try
        {
            document = (request.Type, request.Format) switch
            {
                (TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3) => DcsaTransportDocumentImporter.Import(request.Json),
                (TradeDocumentType.BillOfLading, DocumentFormat.OffshoreLedger) => DocumentJson.Deserialize<BillOfLading>(request.Json),
                (TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger) => DocumentJson.Deserialize<CommercialInvoice>(request.Json),
                (TradeDocumentType.SettlementRecord, DocumentFormat.OffshoreLedger) => DocumentJson.Deserialize<SettlementRecord>(request.Json),
                (TradeDocumentType.LoadingAttestation, DocumentFormat.OffshoreLedger) => DocumentJson.Deserialize<LoadingAttestation>(request.Json),
                (TradeDocumentType.Unspecified, _) => throw new FormatException("type is required"),
                (_, DocumentFormat.Unspecified) => throw new FormatException("format is required"),
                _ => throw new FormatException($"{request.Format} is not a format for {request.Type}"),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
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
            violations.AddRange(result.Violations.Select(v => ($"{field}.json.{v.Field}", v.Reason)));
            return null;
        }
        return new AcceptedDocument(document, DocumentHasher.Hash(document), _keys.KeysFor(document));
    }
}

using System.Text.Json;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;
using DocumentType = OffshoreLedger.Client.Documents.TradeDocumentType;

namespace OffshoreLedger.Cli.Input;

/// <summary>
/// A trade document read from a file, validated here (so a bad file fails before any call, naming the field), with
/// the message to send. The type comes from <c>--type</c>, else from the SDK JSON's <c>"documentType"</c>, else
/// from the document's shape; a DCSA eBL 3.0 transport document is always a bill of lading.
/// </summary>
public sealed record DocumentFile(string Path, ITradeDocument Document, TradeDocument Message)
{
    public const string TypeHelp = "bl (bill of lading), invoice, settlement or attestation; detected from the file when omitted";
    public static readonly string[] TypeNames = ["bl", "invoice", "settlement", "attestation"];
    public static readonly string[] FormatNames = ["dcsa", "sdk"];

    public string TypeName => NameOf(Document.DocumentType);

    public string Description => Describe(Document.DocumentType);

    public static IReadOnlyList<DocumentFile> LoadAll(IEnumerable<string> paths, string? type, string? format = null) =>
        [.. paths.Select(p => Load(p, type, format))];

    public static DocumentFile Load(string path, string? typeOption, string? formatOption = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"{path}: cannot read the file: {ex.Message}");
        }

        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(text);
            root = json.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"{path}: not JSON: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException($"{path}: a document is a JSON object");
        }

        var dcsa = formatOption is null ? LooksLikeDcsa(root) : formatOption == "dcsa";
        var type = ParseType(typeOption) ?? (dcsa ? DocumentType.BillOfLading : DeclaredType(root, path) ?? ShapeType(root))
            ?? throw new CliInputException($"{path}: cannot tell which document this is; give --type ({string.Join(", ", TypeNames)})");
        if (dcsa && type != DocumentType.BillOfLading)
        {
            throw new CliInputException($"{path}: the DCSA format is for bills of lading only, not a {NameOf(type)}");
        }

        ITradeDocument document;
        try
        {
            document = dcsa
                ? DcsaTransportDocumentImporter.Import(root)
                : type switch
                {
                    DocumentType.BillOfLading => DocumentJson.Deserialize<BillOfLading>(text),
                    DocumentType.CommercialInvoice => DocumentJson.Deserialize<CommercialInvoice>(text),
                    DocumentType.SettlementRecord => DocumentJson.Deserialize<SettlementRecord>(text),
                    _ => DocumentJson.Deserialize<LoadingAttestation>(text),
                };
        }
        catch (Exception ex)
            when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new CliInputException($"{path}: not a readable {Describe(type)} ({(dcsa ? "DCSA eBL 3.0" : "SDK JSON")}): {ex.Message}");
        }

        var result = document switch
        {
            BillOfLading b => DocumentValidator.Default.Validate(b),
            CommercialInvoice i => DocumentValidator.Default.Validate(i),
            SettlementRecord s => DocumentValidator.Default.Validate(s),
            LoadingAttestation a => DocumentValidator.Default.Validate(a),
            _ => ValidationResult.Valid,
        };
        if (!result.IsValid)
        {
            throw new CliInputException(
                $"{path}: not a valid {Describe(type)}", [.. result.Violations.Select(v => new FieldProblem(v.Field, v.Reason))]);
        }

        return new DocumentFile(path, document, dcsa ? TradeDocuments.FromDcsa(text) : TradeDocuments.ToMessage(document));
    }

    public static string NameOf(DocumentType type) => type switch
    {
        DocumentType.BillOfLading => "bl",
        DocumentType.CommercialInvoice => "invoice",
        DocumentType.SettlementRecord => "settlement",
        _ => "attestation",
    };

    public static string Describe(DocumentType type) => type switch
    {
        DocumentType.BillOfLading => "bill of lading",
        DocumentType.CommercialInvoice => "commercial invoice",
        DocumentType.SettlementRecord => "settlement record",
        _ => "loading attestation",
    };

    private static DocumentType? ParseType(string? name) => name switch
    {
        null => null,
        "bl" => DocumentType.BillOfLading,
        "invoice" => DocumentType.CommercialInvoice,
        "settlement" => DocumentType.SettlementRecord,
        "attestation" => DocumentType.LoadingAttestation,
        _ => throw new CliInputException($"--type: '{name}' is not one of {string.Join(", ", TypeNames)}"),
    };

    // The SDK's JSON names its type: {"documentType": "commercialInvoice", ...}.
    private static DocumentType? DeclaredType(JsonElement root, string path)
    {
        if (!root.TryGetProperty("documentType", out var declared))
        {
            return null;
        }

        return declared.ValueKind == JsonValueKind.String
            && Enum.TryParse<DocumentType>(declared.GetString(), ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new CliInputException(
                $"{path}: \"documentType\" {declared} is not billOfLading, commercialInvoice, settlementRecord or loadingAttestation");
    }

    private static DocumentType? ShapeType(JsonElement root) =>
        root.TryGetProperty("invoiceNumber", out _) ? DocumentType.CommercialInvoice
        : root.TryGetProperty("uetr", out _) ? DocumentType.SettlementRecord
        : root.TryGetProperty("attestationReference", out _) ? DocumentType.LoadingAttestation
        : root.TryGetProperty("transportDocumentReference", out _) ? DocumentType.BillOfLading
        : null;

    private static bool LooksLikeDcsa(JsonElement root) =>
        root.TryGetProperty("documentParties", out _) || root.TryGetProperty("transports", out _)
        || root.TryGetProperty("utilizedTransportEquipments", out _) || root.TryGetProperty("transportDocumentTypeCode", out _);
}

using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Documents;
using ClientDocumentType = OffshoreLedger.Client.Documents.TradeDocumentType;
using CollateralKey = OffshoreLedger.Client.Keys.CollateralKey;

namespace OffshoreLedger.Client.Connection;

/// <summary>Turns the SDK's document models into the messages a node accepts.</summary>
public static class TradeDocuments
{
    /// <summary>A typed document as a request's <see cref="TradeDocument"/>, in the SDK's JSON form.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The message.</returns>
    public static TradeDocument ToMessage(ITradeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new TradeDocument
        {
            Type = document.DocumentType switch
            {
                ClientDocumentType.BillOfLading => Api.V1.TradeDocumentType.BillOfLading,
                ClientDocumentType.CommercialInvoice => Api.V1.TradeDocumentType.CommercialInvoice,
                ClientDocumentType.SettlementRecord => Api.V1.TradeDocumentType.SettlementRecord,
                ClientDocumentType.LoadingAttestation => Api.V1.TradeDocumentType.LoadingAttestation,
                _ => throw new ArgumentException($"No message type for {document.DocumentType}.", nameof(document)),
            },
            Format = DocumentFormat.OffshoreLedger,
            Json = System.Text.Encoding.UTF8.GetString(DocumentJson.Serialize(document)),
        };
    }

    /// <summary>A DCSA eBL 3.0 transport document (JSON text) as a request's <see cref="TradeDocument"/>.</summary>
    /// <param name="json">The DCSA JSON.</param>
    /// <returns>The message.</returns>
    public static TradeDocument FromDcsa(string json) =>
        new() { Type = Api.V1.TradeDocumentType.BillOfLading, Format = DocumentFormat.DcsaEbl3, Json = json };

    /// <summary>A typed document as a trade verification's document reference.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The reference carrying the document.</returns>
    public static TradeDocumentRef ToReference(ITradeDocument document) => new() { Document = ToMessage(document) };

    /// <summary>A collateral key's 32 bytes as a message field.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The bytes.</returns>
    public static ByteString KeyBytes(CollateralKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ByteString.CopyFrom(key.Value);
    }
}

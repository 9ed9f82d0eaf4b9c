using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Benchmarks;

/// <summary>Sample trades put on the ledger through members' nodes, as the trade verification benchmarks ask about them.</summary>
public static class BenchmarkTrades
{
    /// <summary>One fresh sample trade on the ledger, and the request a bank receives: every document with the trader's proof.</summary>
    public static async Task<VerifyTradeRequest> PrepareAsync(
        SampleTrade files, BenchmarkNode trader, BenchmarkNode port, BenchmarkNode carrier, CancellationToken cancellationToken)
    {
        var attestations = new AttestationService.AttestationServiceClient(port.Channel);
        var attested = await attestations.PublishLoadingAttestationAsync(
            new PublishLoadingAttestationRequest { RequestId = Guid.NewGuid().ToString(),
                Attestation = Sdk(files.Attestation, TradeDocumentType.LoadingAttestation) },
            port.Write, cancellationToken: cancellationToken);
        var bill = TradeDocuments.FromDcsa(await File.ReadAllTextAsync(files.BillOfLading, cancellationToken));
        // Issue 14: the carrier bound to the B/L's carrier code issues its title to the trader, on the lot the port attested.
        await carrier.Index.WaitForBlockAsync(attested.Receipt.BlockNumber, cancellationToken);
        var titles = new TitleService.TitleServiceClient(carrier.Channel);
        await titles.RegisterTitleAsync(
            new RegisterTitleRequest { RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, BillOfLading = bill }, carrier.Write,
            cancellationToken: cancellationToken);
        TradeDocument[] documents =
        [
            Sdk(files.PurchaseInvoice, TradeDocumentType.CommercialInvoice), Sdk(files.SalesInvoice, TradeDocumentType.CommercialInvoice),
            bill,
            Sdk(files.PurchaseSettlement, TradeDocumentType.SettlementRecord),
            Sdk(files.SaleSettlement, TradeDocumentType.SettlementRecord),
        ];
        var documentService = new DocumentService.DocumentServiceClient(trader.Channel);
        var anchored = await documentService.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(), Documents = { documents } }, trader.Write,
            cancellationToken: cancellationToken);
        await trader.Index.WaitForBlockAsync(anchored.Receipt.BlockNumber, cancellationToken);
        var proven = new TradeDocumentRef[documents.Length];
        for (var i = 0; i < documents.Length; i++)
        {
            var proof = await documentService.GetDocumentProofAsync(
                new GetDocumentProofRequest { DocumentHash = anchored.DocumentHashes[i] }, trader.Read,
                cancellationToken: cancellationToken);
            proven[i] = new TradeDocumentRef { Document = documents[i], Proof = proof.Proof, MerkleRoot = proof.MerkleRoot };
        }
        return new VerifyTradeRequest
        {
            PurchaseInvoice = proven[0], SalesInvoice = proven[1], BillOfLading = proven[2], Settlements = { proven[3], proven[4] },
            LoadingAttestation = new TradeDocumentRef { Document = Sdk(files.Attestation, TradeDocumentType.LoadingAttestation) },
        };
    }

    private static TradeDocument Sdk(string path, TradeDocumentType type) =>
        new() { Type = type, Format = DocumentFormat.OffshoreLedger, Json = File.ReadAllText(path) };
}

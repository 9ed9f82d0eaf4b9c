using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;

namespace OffshoreLedger.Node.Tests;

[Collection(NodeCollection.Name)]
public sealed class DocumentAndAttestationTests(ConsortiumFixture fixture)
{
    private static ByteString RandomHash() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static TradeDocument CopperBill() => new()
    {
        Type = TradeDocumentType.BillOfLading,
        Format = DocumentFormat.DcsaEbl3,
        Json = TestBills.FreshCopperBill(),
    };

    [Fact]
    public async Task Documents_anchored_in_one_batch_each_get_a_proof_that_verifies()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var hashes = Enumerable.Range(0, 25).Select(_ => RandomHash()).ToList();

        var anchored = await trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(), Documents = { CopperBill() }, DocumentHashes = { hashes } },
            trader.Write);

        Assert.Equal(WriteState.Confirmed, anchored.Receipt.State);
        Assert.Equal(26, anchored.DocumentHashes.Count);
        foreach (var hash in anchored.DocumentHashes)
        {
            var proof = await trader.Documents.GetDocumentProofAsync(new GetDocumentProofRequest { DocumentHash = hash }, trader.Read);
            Assert.Equal(anchored.MerkleRoot, proof.MerkleRoot);
            Assert.Equal(26UL, proof.Proof.TreeSize);
            var verified = await trader.Documents.VerifyDocumentAsync(new VerifyDocumentRequest { DocumentHash = hash }, trader.Read);
            Assert.True(verified.Anchored);
            Assert.Equal(trader.Address, verified.Submitter, ignoreCase: true);
        }
    }

    [Fact]
    public async Task A_bank_verifies_a_traders_document_with_the_proof_the_trader_handed_over()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var bill = CopperBill();
        var anchored = await trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(), Documents = { bill },
                DocumentHashes = { RandomHash(), RandomHash() } }, trader.Write);
        var proof = await trader.Documents.GetDocumentProofAsync(
            new GetDocumentProofRequest { DocumentHash = anchored.DocumentHashes[0] }, trader.Read);
        await bank.SyncedToHeadAsync(fixture);

        var genuine = await bank.Documents.VerifyDocumentAsync(
            new VerifyDocumentRequest { Document = bill, Proof = proof.Proof, MerkleRoot = proof.MerkleRoot }, bank.Read);
        var altered = bill.Clone();
        altered.Json = altered.Json.Replace("Copper", "Nickel");
        Assert.NotEqual(bill.Json, altered.Json);
        var forged = await bank.Documents.VerifyDocumentAsync(
            new VerifyDocumentRequest { Document = altered, Proof = proof.Proof, MerkleRoot = proof.MerkleRoot }, bank.Read);

        var outside = proof.Proof.Clone();
        outside.LeafIndex = outside.TreeSize;
        var malformed = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bank.Documents.VerifyDocumentAsync(
            new VerifyDocumentRequest { Document = bill, Proof = outside, MerkleRoot = proof.MerkleRoot }, bank.Read).ResponseAsync);

        Assert.True(genuine.Anchored);
        Assert.Equal(Eip55.Of(trader.Address), genuine.Submitter);
        Assert.False(forged.Anchored);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains(malformed.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "proof");
    }

    [Fact]
    public async Task A_document_never_anchored_is_not_found_and_does_not_verify()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var hash = RandomHash();

        var missing = await Assert.ThrowsAsync<RpcException>(
            () => bank.Documents.GetDocumentProofAsync(new GetDocumentProofRequest { DocumentHash = hash }, bank.Read).ResponseAsync);
        var verified = await bank.Documents.VerifyDocumentAsync(new VerifyDocumentRequest { DocumentHash = hash }, bank.Read);

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.False(verified.Anchored);
    }

    [Fact]
    public async Task Anchoring_the_same_documents_again_returns_the_same_root()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var request = new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(),
            DocumentHashes = { RandomHash(), RandomHash(), RandomHash() } };

        var first = await trader.Documents.AnchorDocumentsAsync(request, trader.Write);
        var again = await trader.Documents.AnchorDocumentsAsync(request, trader.Write);

        Assert.Equal(first.MerkleRoot, again.MerkleRoot);
        Assert.Equal(first.Receipt.TransactionHash, again.Receipt.TransactionHash);
    }

    [Fact]
    public async Task Port_attestation_is_listed_and_a_title_beyond_it_is_refused()
    {
        await using var port = await RunningNode.StartAsync(fixture, "port");
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var lot = RandomHash();
        var published = await port.Attestations.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
        {
            RequestId = Guid.NewGuid().ToString(), LotKey = lot, PortOfLoading = TestIssuance.PortOfLoading, Quantity = 1000, Unit = "TNE",
            LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2)), DocumentHash = RandomHash(),
        }, port.Write);
        await trader.SyncedToHeadAsync(fixture);
        await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = lot, Quantity = 1000, Unit = "TNE",
            Keys = { RandomHash() },
        }, trader);

        var over = await Assert.ThrowsAsync<RpcException>(() => TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = lot, Quantity = 1, Unit = "TNE",
            Keys = { RandomHash() },
        }, trader));
        var listed = await trader.Attestations.ListLoadingAttestationsAsync(
            new ListLoadingAttestationsRequest { LotKeys = { lot } }, trader.Read);

        Assert.False(published.RevealedOverIssue);
        Assert.Equal(ErrorReason.LotQuantityExceeded.Name(), over.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        var record = Assert.Single(listed.Attestations);
        Assert.Equal(port.Address, record.Port, ignoreCase: true);
        Assert.Equal(1000UL, record.Quantity);
        Assert.Equal(1000UL, record.LiveQuantity);
        Assert.Equal(published.Receipt.TransactionHash, record.TransactionHash);
    }

    [Fact]
    public async Task A_title_before_the_ports_attestation_is_refused_so_no_attestation_finds_its_lot_over_issued()
    {
        // Issue 14: a title registered before the port attests used to mark the lot over-issued for ever. Now the lot
        // must be attested first; over-issue comes only from a governed correction (OverIssueCorrectionTests).
        var trader = fixture.Consortium.Member("trader");
        var carrier = await TestIssuance.CarrierAsync(fixture);

        var refused = await Assert.ThrowsAsync<RpcException>(() => carrier.Titles.RegisterTitleAsync(new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomHash(), Quantity = 1500, Unit = "TNE",
            Keys = { RandomHash() },
            CarrierCode = TestIssuance.CarrierCode,
        }, carrier.Write).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(ErrorReason.LotNotAttested.Name(), refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Malformed_document_requests_name_the_field()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");

        var empty = await Assert.ThrowsAsync<RpcException>(() => trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = "x" }, trader.Write).ResponseAsync);
        var shortHash = await Assert.ThrowsAsync<RpcException>(() => trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = "x", DocumentHashes = { ByteString.CopyFrom(new byte[31]) } }, trader.Write)
                .ResponseAsync);
        var badDocument = await Assert.ThrowsAsync<RpcException>(() => trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = "x",
                Documents =
                { new TradeDocument { Type = TradeDocumentType.BillOfLading, Format = DocumentFormat.DcsaEbl3, Json = "{}" } } },
                trader.Write).ResponseAsync);

        Assert.Contains(Fields(empty), f => f == "documents");
        Assert.Contains(Fields(shortHash), f => f == "document_hashes[0]");
        Assert.Contains(Fields(badDocument), f => f.StartsWith("documents[0]", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Fields(RpcException exception)
    {
        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        return exception.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field);
    }

    // The canonical hash the node reports is the client library's: a bank can compute it without the node.
    [Fact]
    public async Task The_reported_document_hash_is_the_client_librarys_canonical_hash()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var bill = CopperBill();

        var anchored = await trader.Documents.AnchorDocumentsAsync(
            new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(), Documents = { bill } }, trader.Write);

        var local = DocumentHasher.Hash(Client.Dcsa.DcsaTransportDocumentImporter.Import(bill.Json));
        Assert.Equal(local.Value.ToArray(), anchored.DocumentHashes.Single().ToByteArray());
    }
}

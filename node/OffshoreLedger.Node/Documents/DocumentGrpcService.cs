using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using InclusionProof = OffshoreLedger.Client.Merkle.InclusionProof;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Documents;

/// <summary>Anchoring, proofs and verification. Documents stay in this node; only their hashes leave it.</summary>
public sealed class DocumentGrpcService(
    DocumentVault vault, LedgerIndex index, LedgerChain chain, DocumentIntake intake, DocumentAnchorer anchorer,
    IOptions<AnchoringOptions> options)
    : DocumentService.DocumentServiceBase
{
    public override async Task<AnchorDocumentsResponse> AnchorDocuments(AnchorDocumentsRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        var total = request.Documents.Count + request.DocumentHashes.Count;
        if (total == 0) check.Add("documents", "anchor at least one document or document hash");
        if (total > options.Value.MaxDocumentsPerRequest) check.Add(
            "documents", $"at most {options.Value.MaxDocumentsPerRequest} documents per request, got {total}");
        var accepted = new List<AcceptedDocument>();
        for (var i = 0; i < request.Documents.Count && total <= options.Value.MaxDocumentsPerRequest; i++)
        {
            if (intake.Accept(request.Documents[i], $"documents[{i}]", check.Violations) is { } document) accepted.Add(document);
        }
        check.Keys(request.DocumentHashes, "document_hashes", options.Value.MaxDocumentsPerRequest);
        check.ThrowIfAny();

        // Only whole documents are kept; a request of hashes alone writes nothing (each write is a synced one).
        if (accepted.Count > 0) vault.PutDocuments(
            accepted.Select(d => (d.Hash.Value.ToArray(), DocumentHasher.CanonicalBytes(d.Document))));
        var hashes = accepted.Select(d => d.Hash).Concat(request.DocumentHashes.Select(h => new DocumentHash(h.Span))).ToList();
        var outcome = await anchorer.AnchorAsync(hashes, context.CallerName(), context.CancellationToken);
        var response = new AnchorDocumentsResponse { Receipt = WriteSubmission.Receipt(outcome.Entry),
            MerkleRoot = ByteString.CopyFrom(outcome.Root) };
        response.Receipt.RequestId = request.RequestId;
        response.DocumentHashes.AddRange(hashes.Select(h => ByteString.CopyFrom(h.Value)));
        return response;
    }

    public override Task<GetDocumentProofResponse> GetDocumentProof(GetDocumentProofRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.Bytes32(request.DocumentHash, "document_hash");
        check.ThrowIfAny();
        var hash = request.DocumentHash.ToByteArray();
        var stored = vault.Proof(hash)
            ?? throw RpcErrors.NotFound(ErrorReason.DocumentNotAnchored, "This node has not anchored that document.");
        var treeSize = (uint)InclusionProof.FromHex(stored.ProofHex).TreeSize;
        if (index.Read((ledger, _) => ledger.Anchor(Hex.Of(stored.Root), treeSize, chain.Signer)) is null)
        {
            throw RpcErrors.Pending(ErrorReason.AnchorPending, "The document's batch is not confirmed on chain yet.");
        }
        return Task.FromResult(new GetDocumentProofResponse
        {
            DocumentHash = request.DocumentHash, MerkleRoot = ByteString.CopyFrom(stored.Root),
            Proof = InclusionProofMapping.ToProto(InclusionProof.FromHex(stored.ProofHex)),
        });
    }

    public override Task<VerifyDocumentResponse> VerifyDocument(VerifyDocumentRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        byte[] hash = [];
        if (request.Document is not null && !request.DocumentHash.IsEmpty) check.Add("document", "give a document or its hash, not both");
        else if (request.Document is not null) hash = intake.Accept(request.Document, "document", check.Violations)?.Hash.Value.ToArray()
            ?? [];
        else
        {
            check.Bytes32(request.DocumentHash, "document_hash");
            hash = request.DocumentHash.ToByteArray();
        }
        if (request.Proof is not null)
        {
            check.Bytes32(request.MerkleRoot, "merkle_root");
            check.AuditPath(request.Proof.AuditPath, "proof.audit_path");
            if (InclusionProofMapping.FromProto(request.Proof) is null) check.Add("proof", InclusionProofMapping.Requirement);
        }
        else if (!request.MerkleRoot.IsEmpty) check.Add("proof", "required with merkle_root");
        check.ThrowIfAny();

        var (root, proof) = request.Proof is not null
            ? (request.MerkleRoot.ToByteArray(), InclusionProofMapping.FromProto(request.Proof))
            : vault.Proof(hash) is { } stored ? (stored.Root, InclusionProof.FromHex(stored.ProofHex)) : ([], null);
        // The anchor whose leaf count the proof's tree size names; a root anchored by several members names its first.
        var (anchor, synced) = index.Read((ledger, s) => (
            root.Length == 32 && proof is not null
                ? ledger.AnchorsOf(Hex.Of(root)).FirstOrDefault(a => a.LeafCount == (ulong)proof.TreeSize) : null, s));
        var response = new VerifyDocumentResponse { DocumentHash = ByteString.CopyFrom(hash), AsOf = BlockStamps.Of(synced) };
        if (anchor is null || proof is null || !MerkleProofVerifier.Verify(hash, proof, root, anchor.LeafCount))
        {
            return Task.FromResult(response);
        }

        response.Anchored = true;
        response.MerkleRoot = ByteString.CopyFrom(root);
        response.Proof = InclusionProofMapping.ToProto(proof);
        response.Submitter = ChecksumAddress.Of(anchor.Submitter);
        response.AnchoredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)anchor.AnchoredAt));
        response.BlockNumber = anchor.BlockNumber;
        return Task.FromResult(response);
    }
}

using CheckOutcome = OffshoreLedger.Api.V1.CheckOutcome;
using ClientDocumentType = OffshoreLedger.Client.Documents.TradeDocumentType;
using Google.Protobuf;
using Grpc.Core;
using InclusionProof = OffshoreLedger.Client.Merkle.InclusionProof;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using TradeCheck = OffshoreLedger.Api.V1.TradeCheck;

namespace OffshoreLedger.Node.Verification;

/// <summary>Three-flow trade verification: validates and translates the request, then delegates to <see cref="TradeVerifier"/>.</summary>
public sealed class VerificationGrpcService(TradeVerifier verifier, DocumentIntake intake, OrganisationIdentity identity)
    : VerificationService.VerificationServiceBase
{
    public const int MaxSettlements = 100;

    public override Task<VerifyTradeResponse> VerifyTrade(VerifyTradeRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        // The node judges for its own bank only: a caller naming another (say, the pledgee of the title, to have
        // "pledged elsewhere" read as "pledged to you") is refused. The field stays for old clients that send the node's own.
        if (request.Bank.Length > 0 && !string.Equals(request.Bank, identity.Address, StringComparison.OrdinalIgnoreCase))
        {
            check.Add("bank", $"deprecated: this node verifies for its own organisation ({identity.Address}) only; leave it empty");
        }
        if (request.BillOfLading is null) check.Add("bill_of_lading", "required: the B/L of the cargo resold");
        if (request.Settlements.Count > MaxSettlements) check.Add(
            "settlements", $"at most {MaxSettlements} settlements, got {request.Settlements.Count}");
        var trade = new TradeInput(
            Document(request.PurchaseInvoice, "purchase_invoice", "purchase invoice", ClientDocumentType.CommercialInvoice, check),
            Document(request.SalesInvoice, "sales_invoice", "sales invoice", ClientDocumentType.CommercialInvoice, check),
            Document(request.BillOfLading, "bill_of_lading", "B/L", ClientDocumentType.BillOfLading, check)!,
            Document(
                request.LoadingAttestation, "loading_attestation", "loading attestation", ClientDocumentType.LoadingAttestation, check),
            [.. request.Settlements.Take(MaxSettlements)
                .Select((s, i) => Document(s, $"settlements[{i}]", $"settlement {i + 1}", ClientDocumentType.SettlementRecord, check)!)],
            identity.Address);
        check.ThrowIfAny();

        var verdict = verifier.Verify(trade);
        var response = new VerifyTradeResponse { Verdict = (CheckOutcome)(int)verdict.Verdict, TitleId = verdict.TitleId,
            AsOf = BlockStamps.Of(verdict.AsOf) };
        response.Checks.AddRange(verdict.Checks.Select(ToProto));
        return Task.FromResult(response);
    }

    /// <summary>One document reference, validated: the document (of the expected type) or a hash with optional keys and proof.</summary>
    private TradeDocumentInput? Document(
        TradeDocumentRef? reference, string field, string role, ClientDocumentType expected, RequestCheck check)
    {
        if (reference is null) return null;
        var violations = check.Violations.Count;
        byte[] hash = [];
        List<TradeKey> keys = [];
        Client.Documents.ITradeDocument? document = null;
        if (reference.Document is not null && !reference.DocumentHash.IsEmpty) check.Add(field, "give the document or its hash, not both");
        else if (reference.Document is not null)
        {
            var accepted = intake.Accept(reference.Document, $"{field}.document", check.Violations);
            if (accepted is not null && accepted.Document.DocumentType != expected) check.Add(
                $"{field}.document.type", $"must be a {TypeName(expected)}");
            if (accepted is not null)
            {
                (hash, document) = (accepted.Hash.Value.ToArray(), accepted.Document);
                keys = [.. accepted.Keys.Select(k => new TradeKey(k.Value.ToArray(), k.Kind))];
            }
            if (reference.Keys.Count > 0) check.Add($"{field}.keys", "keys are derived from the document; give them only with a hash");
        }
        else
        {
            check.Bytes32(reference.DocumentHash, $"{field}.document_hash");
            check.Keys(reference.Keys, $"{field}.keys", max: 256);
            hash = reference.DocumentHash.ToByteArray();
            keys = [.. reference.Keys.Select(k => new TradeKey(k.ToByteArray(), null))];
        }
        InclusionProof? proof = null;
        if (reference.Proof is not null)
        {
            check.Bytes32(reference.MerkleRoot, $"{field}.merkle_root");
            check.AuditPath(reference.Proof.AuditPath, $"{field}.proof.audit_path");
            proof = InclusionProofMapping.FromProto(reference.Proof);
            if (proof is null) check.Add($"{field}.proof", InclusionProofMapping.Requirement);
        }
        else if (!reference.MerkleRoot.IsEmpty) check.Add($"{field}.proof", "required with merkle_root");
        return check.Violations.Count > violations
            ? null
            : new TradeDocumentInput(role, hash, document, keys, proof, proof is null ? null : reference.MerkleRoot.ToByteArray());
    }

    private static string TypeName(ClientDocumentType type) => type switch
    {
        ClientDocumentType.BillOfLading => "bill of lading",
        ClientDocumentType.CommercialInvoice => "commercial invoice",
        ClientDocumentType.SettlementRecord => "settlement record",
        _ => "loading attestation",
    };

    private static TradeCheck ToProto(Client.Verification.TradeCheck check)
    {
        var message = new TradeCheck { Name = check.Name, Outcome = (CheckOutcome)(int)check.Outcome, Reason = check.Reason };
        message.Evidence.AddRange(check.Evidence.Select(e => new Evidence
        {
            Description = e.Description,
            TransactionHash = e.TransactionHash is null ? ByteString.Empty : ByteString.CopyFrom(Hex.Bytes(e.TransactionHash)),
            BlockNumber = e.BlockNumber,
            Member = e.Member is null ? "" : ChecksumAddress.Of(e.Member),
            DocumentHash = e.DocumentHash is null ? ByteString.Empty : ByteString.CopyFrom(Hex.Bytes(e.DocumentHash)),
        }));
        return message;
    }
}

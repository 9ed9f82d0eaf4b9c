using Google.Protobuf;
using ApiInclusionProof = OffshoreLedger.Api.V1.InclusionProof;
using InclusionProof = OffshoreLedger.Client.Merkle.InclusionProof;

namespace OffshoreLedger.Node.Documents;

/// <summary>
/// The one mapping between the API's <c>InclusionProof</c> and the SDK's, for every RPC that takes or gives a proof
/// (VerifyDocument, GetDocumentProof, VerifyTrade), so all refuse the same malformed proofs.
/// </summary>
public static class InclusionProofMapping
{
    /// <summary>What a proof must be, for the field violation that names it.</summary>
    public const string Requirement =
        "leaf_index must be below tree_size, tree_size must fit a signed 64-bit integer, and every audit_path element must be 32 bytes";

    /// <summary>
    /// The proof, or null when it cannot be one: the leaf outside the tree, a size beyond 64-bit signed, or a path element not 32 bytes.
    /// </summary>
    public static InclusionProof? FromProto(ApiInclusionProof proof) =>
        proof.LeafIndex >= proof.TreeSize || proof.TreeSize > long.MaxValue || proof.AuditPath.Any(p => p.Length != 32)
            ? null
            : new InclusionProof(
                (long)proof.LeafIndex, (long)proof.TreeSize, proof.AuditPath.Select(p => new ReadOnlyMemory<byte>(p.ToByteArray())));

    public static ApiInclusionProof ToProto(InclusionProof proof)
    {
        var message = new ApiInclusionProof { LeafIndex = (ulong)proof.LeafIndex, TreeSize = (ulong)proof.TreeSize };
        message.AuditPath.AddRange(proof.AuditPath.Select(p => ByteString.CopyFrom(p.Span)));
        return message;
    }
}

using System.Text.Json.Nodes;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Output;

namespace OffshoreLedger.Cli.Input;

/// <summary>
/// The proof a document's owner hands over (written by <c>trader proof --out</c>):
/// <c>{"documentHash", "merkleRoot", "leafIndex", "treeSize", "auditPath": [...]}</c>, bytes as 0x-hex.
/// </summary>
public static class ProofFile
{
    public static JsonObject ToJson(ByteString documentHash, ByteString merkleRoot, InclusionProof proof) => new()
    {
        ["documentHash"] = Views.Hex(documentHash),
        ["merkleRoot"] = Views.Hex(merkleRoot),
        ["leafIndex"] = proof.LeafIndex,
        ["treeSize"] = proof.TreeSize,
        ["auditPath"] = Views.Array(proof.AuditPath, p => Views.Hex(p)),
    };

    public static (ByteString? DocumentHash, ByteString MerkleRoot, InclusionProof Proof) Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new CliInputException($"--proof-file: cannot read {path}: {ex.Message}");
        }

        if (root is not JsonObject proofJson)
        {
            throw new CliInputException($"--proof-file: {path} must hold a JSON object");
        }

        try
        {
            var proof = new InclusionProof { LeafIndex = Field(proofJson, "leafIndex", path).GetValue<ulong>(),
                TreeSize = Field(proofJson, "treeSize", path).GetValue<ulong>() };
            proof.AuditPath.AddRange(
                Field(proofJson, "auditPath", path).AsArray()
                .Select(p => Values.Bytes32(p?.GetValue<string>() ?? "", "--proof-file auditPath")));
            var hash = proofJson["documentHash"]?.GetValue<string>() is { } h ? Values.Bytes32(h, "--proof-file documentHash") : null;
            return (hash, Values.Bytes32(Field(proofJson, "merkleRoot", path).GetValue<string>(), "--proof-file merkleRoot"), proof);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new CliInputException($"--proof-file: {path} is not a proof: {ex.Message}");
        }
    }

    private static JsonNode Field(JsonObject proof, string name, string path) =>
        proof[name] ?? throw new CliInputException($"--proof-file: {path} has no \"{name}\"");
}

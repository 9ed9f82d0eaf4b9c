using System.Security.Cryptography;
using System.Text.Json;
using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Canonical;

/// <summary>
/// Hashes documents as SHA-256 over their RFC 8785 canonical JSON, so the same document hashes the
/// same however it was formatted, and any change to any field changes the hash.
/// </summary>
public static class DocumentHasher
{
    /// <summary>Hashes a typed document (its <see cref="DocumentJson"/> form, canonicalised).</summary>
    /// <param name="document">The document.</param>
    /// <returns>The document hash.</returns>
    public static DocumentHash Hash(ITradeDocument document) => HashCanonical(CanonicalBytes(document));

    /// <summary>Hashes a JSON text as received (any formatting).</summary>
    /// <param name="json">The document's JSON.</param>
    /// <returns>The hash of its canonical form.</returns>
    /// <exception cref="JsonException">The text is not I-JSON.</exception>
    public static DocumentHash Hash(string json) => HashCanonical(JsonCanonicalizer.Canonicalize(json));

    /// <summary>Hashes a UTF-8 JSON text as received (any formatting).</summary>
    /// <param name="utf8Json">The document's JSON, UTF-8 encoded.</param>
    /// <returns>The hash of its canonical form.</returns>
    /// <exception cref="JsonException">The text is not I-JSON.</exception>
    public static DocumentHash Hash(ReadOnlyMemory<byte> utf8Json) => HashCanonical(JsonCanonicalizer.Canonicalize(utf8Json));

    /// <summary>The canonical bytes a typed document is hashed over.</summary>
    /// <param name="document">The document.</param>
    /// <returns>RFC 8785 canonical UTF-8 JSON.</returns>
    public static byte[] CanonicalBytes(ITradeDocument document) =>
        JsonCanonicalizer.Canonicalize(DocumentJson.Serialize(document));

    private static DocumentHash HashCanonical(byte[] canonical) => new(SHA256.HashData(canonical));
}

using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;

namespace OffshoreLedger.Client.Merkle;

/// <summary>
/// An RFC 6962 inclusion proof: where a leaf sits in a tree of a given size, and the audit path of sibling
/// hashes (bottom-up) that leads from the leaf to the root. A proof read from the wire may be malformed;
/// it is <see cref="MerkleProofVerifier"/> that judges it, so this type accepts any index, size and hash
/// lengths, and maps field for field to a message of two uint64s and a repeated bytes.
/// </summary>
public sealed class InclusionProof : IEquatable<InclusionProof>
{
    private const int HashLength = TreeHasher.HashLength;
    private const int HeaderLength = 2 * sizeof(long);

    // The path hashes back to back. Hash i spans [_offsets[i], _offsets[i + 1]), or simply the i-th 32 bytes when
    // _offsets is null because every hash is 32 bytes (always so for proofs a tree hands out). One array per
    // proof keeps handing out a proof for each of a hundred thousand documents cheap.
    private readonly byte[] _packedPath;
    private readonly int[]? _offsets;
    private ReadOnlyCollection<ReadOnlyMemory<byte>>? _auditPath;

    /// <summary>Copies a proof received from elsewhere (for example, a gRPC message).</summary>
    /// <param name="leafIndex">The leaf's position, from 0.</param>
    /// <param name="treeSize">The number of leaves in the tree.</param>
    /// <param name="auditPath">The sibling hashes, bottom-up; each should be 32 bytes.</param>
    public InclusionProof(long leafIndex, long treeSize, IEnumerable<ReadOnlyMemory<byte>> auditPath)
        : this(leafIndex, treeSize, Pack(auditPath))
    {
    }

    private InclusionProof(long leafIndex, long treeSize, (byte[] PackedPath, int[]? Offsets) path)
    {
        LeafIndex = leafIndex;
        TreeSize = treeSize;
        _packedPath = path.PackedPath;
        _offsets = path.Offsets;
    }

    /// <summary>The leaf's position, from 0.</summary>
    public long LeafIndex { get; }

    /// <summary>The number of leaves in the tree the proof is for.</summary>
    public long TreeSize { get; }

    /// <summary>The sibling hashes from the leaf up to the root, lowest first.</summary>
    public ReadOnlyCollection<ReadOnlyMemory<byte>> AuditPath =>
        _auditPath ??= Array.AsReadOnly(Enumerable.Range(0, PathLength).Select(PathHashMemory).ToArray());

    /// <summary>The number of hashes in the audit path.</summary>
    internal int PathLength => _offsets is null ? _packedPath.Length / HashLength : _offsets.Length - 1;

    /// <summary>One hash of the audit path, without allocating.</summary>
    internal ReadOnlySpan<byte> PathHash(int index) => PathHashMemory(index).Span;

    /// <summary>
    /// Parses the compact hex form: leaf index and tree size as 8-byte big-endian integers, then the audit
    /// path's 32-byte hashes, all in hex (an optional 0x prefix is accepted).
    /// </summary>
    /// <param name="hex">The proof in hex.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="FormatException">Not hex, or not a header and whole 32-byte hashes, or a number above 2^63 - 1.</exception>
    public static InclusionProof FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var bytes = Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
        if (bytes.Length < HeaderLength || (bytes.Length - HeaderLength) % HashLength != 0)
        {
            throw new FormatException(
                $"An inclusion proof is {HeaderLength} bytes of index and size and then whole {HashLength}-byte hashes; {bytes.Length} " +
                    "bytes is not.");
        }

        var leafIndex = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var treeSize = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(sizeof(long)));
        if (leafIndex < 0 || treeSize < 0)
        {
            throw new FormatException("An inclusion proof's index and size are at most 2^63 - 1.");
        }

        return FromPackedPath(leafIndex, treeSize, bytes[HeaderLength..]);
    }

    /// <summary>Parses the JSON form, <c>{"leafIndex":5,"treeSize":8,"auditPath":["&lt;64 hex digits&gt;", …]}</c>.</summary>
    /// <param name="json">The proof as JSON.</param>
    /// <returns>The proof; hash lengths and ranges are left for the verifier to judge.</returns>
    /// <exception cref="FormatException">Not JSON of that shape, or a path element that is not hex.</exception>
    public static InclusionProof FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("leafIndex", out var leafIndex) || leafIndex.ValueKind != JsonValueKind.Number
                    || !leafIndex.TryGetInt64(out var index)
                || !root.TryGetProperty("treeSize", out var treeSize) || treeSize.ValueKind != JsonValueKind.Number
                    || !treeSize.TryGetInt64(out var size)
                || !root.TryGetProperty("auditPath", out var path) || path.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("An inclusion proof in JSON has whole-number leafIndex and treeSize and an auditPath array.");
            }

            var hashes = new List<ReadOnlyMemory<byte>>(path.GetArrayLength());
            foreach (var element in path.EnumerateArray())
            {
                var hex = element.ValueKind == JsonValueKind.String
                    ? element.GetString()!
                    : throw new FormatException("Each audit path element is a hex string.");
                hashes.Add(Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex));
            }

            return new InclusionProof(index, size, hashes);
        }
        catch (JsonException exception)
        {
            throw new FormatException("An inclusion proof in JSON must be valid JSON.", exception);
        }
    }

    /// <summary>The compact hex form read by <see cref="FromHex"/>: lower case, no prefix, 32 + 64 per hash digits.</summary>
    /// <returns>The proof in hex.</returns>
    /// <exception cref="InvalidOperationException">The proof has a negative index or size, or a hash that is not 32 bytes, which this form
    /// cannot carry.</exception>
    public string ToHex()
    {
        if (LeafIndex < 0 || TreeSize < 0 || _offsets is not null)
        {
            throw new InvalidOperationException("Only a proof with a non-negative index and size and 32-byte hashes has a hex form.");
        }

        var bytes = new byte[HeaderLength + _packedPath.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, LeafIndex);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(sizeof(long)), TreeSize);
        _packedPath.CopyTo(bytes.AsSpan(HeaderLength));

        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The JSON form read by <see cref="FromJson"/>, with the path as lower-case hex strings.</summary>
    /// <returns>The proof as compact JSON.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("leafIndex", LeafIndex);
            writer.WriteNumber("treeSize", TreeSize);
            writer.WriteStartArray("auditPath");
            for (var i = 0; i < PathLength; i++)
            {
                writer.WriteStringValue(Convert.ToHexStringLower(PathHash(i)));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Two proofs are equal when index, size and every path hash are.</summary>
    /// <param name="other">The other proof.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(InclusionProof? other) =>
        other is not null
        && LeafIndex == other.LeafIndex
        && TreeSize == other.TreeSize
        && PathLength == other.PathLength
        && Enumerable.Range(0, PathLength).All(i => PathHash(i).SequenceEqual(other.PathHash(i)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as InclusionProof);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LeafIndex, TreeSize, PathLength);

    /// <inheritdoc />
    public override string ToString() => $"Inclusion of leaf {LeafIndex} in a tree of {TreeSize} ({PathLength} path hashes)";

    /// <summary>Takes ownership of a packed path of 32-byte hashes, as the tree and the hex form lay it out.</summary>
    internal static InclusionProof FromPackedPath(long leafIndex, long treeSize, byte[] packedPath) =>
        new(leafIndex, treeSize, (packedPath, null));

    // A copy, so later changes to the caller's arrays cannot alter the proof.
    private static (byte[] PackedPath, int[]? Offsets) Pack(IEnumerable<ReadOnlyMemory<byte>> auditPath)
    {
        ArgumentNullException.ThrowIfNull(auditPath);
        var hashes = auditPath.ToArray();
        var packed = new byte[hashes.Sum(hash => hash.Length)];
        var offsets = new int[hashes.Length + 1];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i].Span.CopyTo(packed.AsSpan(offsets[i]));
            offsets[i + 1] = offsets[i] + hashes[i].Length;
        }

        return (packed, hashes.All(hash => hash.Length == HashLength) ? null : offsets);
    }

    private ReadOnlyMemory<byte> PathHashMemory(int index) =>
        _offsets is null
            ? _packedPath.AsMemory(index * HashLength, HashLength)
            : _packedPath.AsMemory(_offsets[index], _offsets[index + 1] - _offsets[index]);
}

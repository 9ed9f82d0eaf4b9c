using System.Buffers.Binary;
using System.Text;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Documents;

/// <summary>
/// The owner's document vault in the node's store (<see cref="LedgerStore"/>, one RocksDB): <c>documents</c> (hash → the
/// owner's canonical document bytes; they never leave the node), <c>proofs</c> (document hash → Merkle root and inclusion
/// proof) and <c>batches</c> (root → leaf count).
/// </summary>
public sealed class DocumentVault(LedgerStore store)
{
    private const string Documents = "documents", Proofs = "proofs", Batches = "batches";

    private readonly LedgerStore _store = store;

    /// <summary>Keeps the owner's documents (canonical bytes by hash); they never leave the node.</summary>
    public void PutDocuments(IEnumerable<(byte[] Hash, byte[] CanonicalJson)> documents)
    {
        using var pass = _store.Use();
        using var batch = new WriteBatch();
        foreach (var (hash, json) in documents) batch.Put(hash, json, _store.Family(Documents));
        _store.WriteSynced(batch);
    }

    public byte[]? Document(byte[] hash) => _store.Get(hash, _store.Family(Documents));

    /// <summary>Records a batch before its root is sent: its leaf count and every document's proof, atomically.</summary>
    public void SaveBatch(byte[] root, long leafCount, IEnumerable<(byte[] DocumentHash, string ProofHex)> proofs)
    {
        using var pass = _store.Use();
        using var batch = new WriteBatch();
        foreach (var (hash, proof) in proofs) batch.Put(hash, (byte[])[.. root, .. Encoding.ASCII.GetBytes(proof)], _store.Family(Proofs));
        batch.Put(root, LedgerStore.BigEndian((ulong)leafCount), _store.Family(Batches));
        _store.WriteSynced(batch);
    }

    /// <summary>The root and inclusion proof (hex form) of a document this node batched.</summary>
    public (byte[] Root, string ProofHex)? Proof(byte[] documentHash)
    {
        var value = _store.Get(documentHash, _store.Family(Proofs));
        return value is null ? null : (value[..32], Encoding.ASCII.GetString(value, 32, value.Length - 32));
    }

    /// <summary>Every batch this node built, by root, with its leaf count.</summary>
    public IReadOnlyList<(byte[] Root, long LeafCount)> BatchRoots()
    {
        var roots = new List<(byte[], long)>();
        using var iterator = _store.NewIterator(_store.Family(Batches));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            roots.Add((iterator.Key(), (long)BinaryPrimitives.ReadUInt64BigEndian(iterator.Value())));
        }
        return roots;
    }
}

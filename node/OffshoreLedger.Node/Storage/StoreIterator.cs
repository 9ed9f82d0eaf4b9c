using RocksDbSharp;

namespace OffshoreLedger.Node.Storage;

/// <summary>A RocksDB iterator that holds the store open (<see cref="StoreGate"/>) until it is disposed.</summary>
internal sealed class StoreIterator : IDisposable
{
    private readonly Iterator _iterator;
    private readonly StoreGate.Pass _pass;
    private bool _disposed;

    internal StoreIterator(Iterator iterator, StoreGate.Pass pass)
    {
        _iterator = iterator;
        _pass = pass;
    }

    public bool Valid() => _iterator.Valid();

    public void Seek(byte[] key) => _iterator.Seek(key);

    public void SeekToFirst() => _iterator.SeekToFirst();

    public void SeekToLast() => _iterator.SeekToLast();

    public void Next() => _iterator.Next();

    public void Prev() => _iterator.Prev();

    public byte[] Key() => _iterator.Key();

    public byte[] Value() => _iterator.Value();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _iterator.Dispose();
        _pass.Dispose();
    }
}

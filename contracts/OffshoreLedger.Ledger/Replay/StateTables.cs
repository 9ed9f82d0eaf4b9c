using System.Diagnostics.CodeAnalysis;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// One table of the ledger's projected state (titles, keys, lots, members…): in memory for an auditor's replay, in a
/// RocksDB column family for a node, which must serve a million titles at once after a restart.
/// </summary>
public interface IStateTable<TKey, TValue> where TKey : notnull
{
    bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value);

    void Set(TKey key, TValue value);

    void Remove(TKey key);

    /// <summary>Every entry; a list (see <see cref="StateTableExtensions.Append"/>) in the order it was appended.</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> All();

    long Count { get; }
}

/// <summary>Where a projection keeps its tables.</summary>
public interface IStateTables
{
    IStateTable<TKey, TValue> Open<TKey, TValue>(string name) where TKey : notnull;
}

/// <summary>Tables in dictionaries: an auditor's replay, a model's reference, a test.</summary>
public sealed class MemoryStateTables : IStateTables
{
    public IStateTable<TKey, TValue> Open<TKey, TValue>(string name) where TKey : notnull => new MemoryTable<TKey, TValue>();

    private sealed class MemoryTable<TKey, TValue> : IStateTable<TKey, TValue> where TKey : notnull
    {
        private readonly Dictionary<TKey, TValue> _entries = [];

        public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

        public void Set(TKey key, TValue value) => _entries[key] = value;

        public void Remove(TKey key) => _entries.Remove(key);

        // Nothing is removed from a list, so a dictionary keeps its entries in the order they were appended.
        public IEnumerable<KeyValuePair<TKey, TValue>> All() => _entries;

        public long Count => _entries.Count;
    }
}

public static class StateTableExtensions
{
    public static TValue? Find<TKey, TValue>(this IStateTable<TKey, TValue> table, TKey key) where TKey : notnull =>
        table.TryGet(key, out var value) ? value : default;

    /// <summary>An entry the contract's rules guarantee exists (a title a pledge names): its absence is a broken history.</summary>
    public static TValue Get<TKey, TValue>(this IStateTable<TKey, TValue> table, TKey key) where TKey : notnull =>
        table.TryGet(key, out var value) ? value : throw new KeyNotFoundException($"No entry {key} in the ledger's state.");

    public static bool Contains<TKey, TValue>(this IStateTable<TKey, TValue> table, TKey key) where TKey : notnull =>
        table.TryGet(key, out _);

    /// <summary>Appends to a table used as a list (keys 0, 1, 2…).</summary>
    public static void Append<TValue>(this IStateTable<ulong, TValue> table, TValue value) => table.Set((ulong)table.Count, value);
}

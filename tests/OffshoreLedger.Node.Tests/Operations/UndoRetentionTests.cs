using System.Buffers.Binary;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>
/// The undo records a node keeps for reorgs (<see cref="UndoLog"/>) on a real RocksDB store: those of steps more than
/// <see cref="UndoLog.RetainedBlocks"/> behind the newest are dropped, whatever order the records came in, and those
/// within reach stay, so a reorg there is still undone step by step.
/// </summary>
public sealed class UndoRetentionTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("offshore-undo-");

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void Records_beyond_the_reach_are_dropped_and_those_within_it_stay()
    {
        using var store = new LedgerStore(_temporary.Path);
        var undo = new UndoLog(store);
        foreach (var end in new ulong[] { 100, 200, 1_100, 1_250 }) Add(store, undo, end);

        // 1,250 - 1,024 = 226: the steps ending at 100 and 200 are out of reach.
        Assert.Equal([1_100UL, 1_250UL], Kept(store));
        using var batch = new WriteBatch();
        Assert.True(undo.TryUndo(batch, fork: 1_100, new SyncCursor(1_250, "0x01"), out var reached));
        Assert.Equal(new SyncCursor(1_100, "0x00"), reached);
    }

    [Fact]
    public void A_record_older_than_those_dropped_before_is_dropped_once_it_is_out_of_reach()
    {
        using var store = new LedgerStore(_temporary.Path);
        var undo = new UndoLog(store);
        Add(store, undo, 100);
        Add(store, undo, 1_200); // drops 100 (before 176)
        // A step ending below what was dropped (the model rebuilt after a deep reorg, then synced again from there).
        Add(store, undo, 150);
        Assert.Equal([150UL, 1_200UL], Kept(store));

        Add(store, undo, 1_300); // out of reach now: everything before 276
        Assert.Equal([1_200UL, 1_300UL], Kept(store));
    }

    [Fact]
    public void Records_are_kept_while_the_newest_is_within_the_first_reach()
    {
        using var store = new LedgerStore(_temporary.Path);
        var undo = new UndoLog(store);
        foreach (var end in new ulong[] { 1, 500, 1_024 }) Add(store, undo, end);

        Assert.Equal([1UL, 500UL, 1_024UL], Kept(store));
    }

    /// <summary>A step's record ending at <paramref name="end"/>, the cursor before it 150 blocks back, as the index writes it.</summary>
    private static void Add(LedgerStore store, UndoLog undo, ulong end)
    {
        using var pass = store.Use();
        using var batch = new WriteBatch();
        undo.Add(batch, end, new UndoLog.Record(new SyncCursor(end - 150, "0x00")));
        store.WriteSynced(batch);
    }

    private static List<ulong> Kept(LedgerStore store)
    {
        var kept = new List<ulong>();
        using var iterator = store.NewIterator(store.ReadModelFamily("undo"));
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next()) kept.Add(BinaryPrimitives.ReadUInt64BigEndian(iterator.Key()));
        return kept;
    }
}

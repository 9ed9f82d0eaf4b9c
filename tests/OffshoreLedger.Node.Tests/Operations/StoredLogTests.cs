using System.Buffers.Binary;
using System.Text;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Storage;
using RocksDbSharp;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>
/// A node upgraded on its data: the logs an older node stored as Nethereum JSON are read beside the compact ones the
/// node stores now, in chain order and field for field (a real RocksDB store; no chain needed).
/// </summary>
public sealed class StoredLogTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("offshore-stored-logs-");

    public void Dispose() => _temporary.Dispose();

    private const string BlockHash = "0x1111111111111111111111111111111111111111111111111111111111111111";
    private const string Topic = "0x2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void Logs_an_older_node_stored_as_json_are_read_beside_compact_ones_in_chain_order()
    {
        const string json =
            $$"""{"removed":false,"type":null,"logIndex":"0x3","transactionHash":"0x33333333333333333333333333333333""" +
            $$"""33333333333333333333333333333333","transactionIndex":"0x""" +
            $$"""0","blockHash":"{{BlockHash}}","blockNumber":"0x7","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","data":"0x""" +
            $$"""abcd","topics":["{{Topic}}"]}""";
        var options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true);
        var families = new ColumnFamilies();
        foreach (var name in new[] { "meta", "events" }) families.Add(name, new ColumnFamilyOptions());
        using (var old = RocksDb.Open(options, _temporary.Path, families))
        {
            var key = new byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(key, 7);
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(8), 3);
            old.Put(key, Encoding.UTF8.GetBytes(json), old.GetColumnFamily("events"));
        }

        using var store = new LedgerStore(_temporary.Path);
        var later = new ChainLog("0x5fbdb2315678afecb367f032d93f642f64180aa3", 9, BlockHash.Replace('1', '4'), 0,
            "0x" + new string('5', 64), [Hex.Bytes(Topic)], [1, 2, 3], 1_765_000_000);
        store.AppendRange([later], new Dictionary<ulong, string> { [9] = later.BlockHash }, new SyncCursor(9, later.BlockHash));

        var logs = store.Logs().ToList();
        Assert.Equal([(7UL, 3U), (9UL, 0U)], logs.Select(l => (l.BlockNumber, l.LogIndex)));
        Assert.Equal(
            ("0x5fbdb2315678afecb367f032d93f642f64180aa3", BlockHash, "0xabcd", Topic),
            (logs[0].Address, logs[0].BlockHash, Hex.Of(logs[0].Data), Hex.Of(logs[0].Topics[0])));
        Assert.Equal(
            (later.TransactionHash, later.BlockTimestamp, "0x010203"),
            (logs[1].TransactionHash, logs[1].BlockTimestamp, Hex.Of(logs[1].Data)));
    }
}

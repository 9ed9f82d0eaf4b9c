using System.Buffers.Binary;
using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Replay;

/// <summary>How far a replay has come.</summary>
public sealed record ReplayProgress(ulong Block, ulong FromBlock, ulong ToBlock, int Events);

/// <summary>The ledger rebuilt from the chain's logs alone, with a digest of the history it saw.</summary>
/// <param name="Ledger">The state, projected from the events.</param>
/// <param name="Events">Every event, in chain order.</param>
/// <param name="Digest">
/// A hash chain over the raw logs (0x-hex): two auditors who replayed the same history get the same digest, and a
/// history differing by one log gets another.
/// </param>
/// <param name="ToBlock">The last block replayed.</param>
public sealed record ReplayResult(LedgerProjection Ledger, IReadOnlyList<LedgerEvent> Events, string Digest, ulong ToBlock);

/// <summary>Rebuilds the ledger from a chain's JSON-RPC and the contract address only: nothing of any node is needed.</summary>
public static class ChainReplay
{
    public static async Task<ReplayResult> RunAsync(
        IWeb3 web3, string contractAddress, ulong fromBlock, int windowBlocks = 2_000,
        IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var ledger = new LedgerProjection();
        var events = new List<LedgerEvent>();
        var digest = new byte[32];
        for (var start = fromBlock; start <= head; start += (ulong)windowBlocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(head, start + (ulong)windowBlocks - 1);
            var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
            {
                Address = [contractAddress],
                FromBlock = new BlockParameter(new HexBigInteger(new BigInteger(start))),
                ToBlock = new BlockParameter(new HexBigInteger(new BigInteger(end))),
            });
            foreach (var log in logs.OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value))
            {
                digest = Chain(digest, log);
                if (LedgerEvents.Decode(log) is { } decoded)
                {
                    ledger.Apply(decoded);
                    events.Add(decoded);
                }
            }
            progress?.Report(new ReplayProgress(end, fromBlock, head, events.Count));
        }
        return new ReplayResult(ledger, events, digest.ToHex(true), head);
    }

    /// <summary>keccak256(previous ‖ block ‖ log index ‖ transaction hash ‖ topics ‖ data).</summary>
    private static byte[] Chain(byte[] previous, FilterLog log)
    {
        var position = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(position, (ulong)log.BlockNumber.Value);
        BinaryPrimitives.WriteUInt32BigEndian(position.AsSpan(8), (uint)log.LogIndex.Value);
        byte[] material =
        [
            .. previous,
            .. position,
            .. log.TransactionHash.HexToByteArray(),
            .. log.Topics.SelectMany(t => t.ToString()!.HexToByteArray()),
            .. (log.Data ?? "0x").HexToByteArray(),
        ];
        return Sha3Keccack.Current.CalculateHash(material);
    }
}

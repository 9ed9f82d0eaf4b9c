using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Index;

/// <summary>The block an answer from the index reflects, as every read RPC states it.</summary>
public static class BlockStamps
{
    /// <summary>The index's block (empty before its first sync); the freshness interceptor adds when it was synced.</summary>
    public static BlockStamp Of(SyncCursor? synced) => synced is null
        ? new BlockStamp()
        : new BlockStamp { BlockNumber = synced.BlockNumber, BlockHash = ByteString.CopyFrom(Hex.Bytes(synced.BlockHash)) };
}

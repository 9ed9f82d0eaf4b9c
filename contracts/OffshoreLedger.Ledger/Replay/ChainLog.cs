namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// One log as <c>eth_getLogs</c> returned it: its raw topics and data, its place in the chain and, when known, its
/// block's time.
/// </summary>
/// <param name="Address">The emitting contract (0x-hex as the node wrote it).</param>
/// <param name="BlockNumber">The block it is in.</param>
/// <param name="BlockHash">That block's hash (0x-hex).</param>
/// <param name="LogIndex">Its position in the block.</param>
/// <param name="TransactionHash">The transaction that emitted it (0x-hex).</param>
/// <param name="Topics">Topic 0 (the event signature) and the indexed arguments, 32 bytes each.</param>
/// <param name="Data">The ABI-encoded non-indexed arguments.</param>
/// <param name="BlockTimestamp">
/// The block's Unix time in seconds: from the log itself where the node includes <c>blockTimestamp</c> (anvil 1.7 and
/// recent geth do), else from the block header, else 0 (not fetched because nothing needed it).
/// </param>
public sealed record ChainLog(
    string Address, ulong BlockNumber, string BlockHash, uint LogIndex, string TransactionHash, byte[][] Topics, byte[] Data,
    ulong BlockTimestamp)
{
    /// <summary>Topic 0 as lower-case 0x-hex, or null for an anonymous log.</summary>
    public string? Signature => Topics.Length > 0 ? Hex.Of(Topics[0]) : null;

    /// <summary>A log as Nethereum hands it over (a receipt's, or JSON an older node stored); its block time is not known.</summary>
    public static ChainLog From(Nethereum.RPC.Eth.DTOs.FilterLog log) => new(
        log.Address, (ulong)log.BlockNumber.Value, log.BlockHash, (uint)log.LogIndex.Value, log.TransactionHash,
        [.. (log.Topics ?? []).Select(t => Hex.Bytes(t.ToString()!))], Hex.Bytes(log.Data ?? "0x"), 0);
}

/// <summary>A range of blocks asked for in one <c>eth_getLogs</c> call, and how many logs it held.</summary>
public sealed record BlockWindow(ulong FromBlock, ulong ToBlock, int Logs);

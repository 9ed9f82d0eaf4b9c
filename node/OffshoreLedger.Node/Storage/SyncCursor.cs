namespace OffshoreLedger.Node.Storage;

/// <summary>The last block the index applied: its number and hash.</summary>
public sealed record SyncCursor(ulong BlockNumber, string BlockHash);

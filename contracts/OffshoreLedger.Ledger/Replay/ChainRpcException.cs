namespace OffshoreLedger.Ledger.Replay;

/// <summary>A JSON-RPC error the chain answered with (for instance a log query over too many blocks or results).</summary>
public sealed class ChainRpcException(long code, string message) : Exception($"JSON-RPC error {code}: {message}")
{
    public long Code { get; } = code;
}

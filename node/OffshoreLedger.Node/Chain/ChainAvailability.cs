using Nethereum.JsonRpc.Client;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// Whether the chain endpoint answers, as the node's loops find out: an outage is logged once when it begins and once
/// when it ends, with its duration, however often the loops poll in between.
/// </summary>
public sealed partial class ChainAvailability(TimeProvider time, ILogger<ChainAvailability> logger)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _downSince;

    /// <summary>True when the failure means the endpoint was not reached or did not answer (not an error it answered with).</summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        RpcResponseException => false,
        WrongChainException => true,
        RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException or System.Net.Sockets.SocketException
            or TimeoutException => true,
        TaskCanceledException => true,
        _ => exception.InnerException is { } inner && IsUnreachable(inner),
    };

    public void Unreachable(string where, Exception exception)
    {
        lock (_lock)
        {
            if (_downSince is not null) return;
            _downSince = time.GetUtcNow();
        }
        LogDown(logger, where, exception.GetBaseException().Message);
    }

    public void Reachable()
    {
        TimeSpan down;
        lock (_lock)
        {
            if (_downSince is not { } since) return;
            _downSince = null;
            down = time.GetUtcNow() - since;
        }
        LogBack(logger, down.TotalSeconds);
    }

    [LoggerMessage(
        EventId = 2201, Level = LogLevel.Warning,
        Message = "Chain unreachable ({Where}: {Reason}); reads answer from the index marked stale, writes wait in the outbox")]
    private static partial void LogDown(ILogger logger, string where, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Chain reachable again after {Seconds:F1} s")]
    private static partial void LogBack(ILogger logger, double seconds);
}

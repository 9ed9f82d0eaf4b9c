using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Limits;

/// <summary>
/// What one caller may take of this node, and the transport's limits. A caller is the name its credentials
/// authenticated (an API key's or a client certificate's), else its remote address.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Calls a caller may make per second, sustained (a token bucket refilled every second).</summary>
    [Range(1, 1_000_000)]
    public int CallsPerSecond { get; set; } = 100;

    /// <summary>Calls a caller may make at once after a quiet spell: the bucket's size.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>Calls of one caller in progress at once; an open watch counts as one for as long as it lasts.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 32;

    /// <summary>Open <c>WatchTitleEvents</c> streams per caller.</summary>
    [Range(1, 1_000)]
    public int MaxWatchersPerCaller { get; set; } = 4;

    /// <summary>
    /// Events a watcher may fall behind the index before its stream is ended with <c>WATCHER_TOO_SLOW</c> (naming the
    /// last block it was sent, to resume from): bounded memory per watcher, and never a silent gap.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WatcherBufferEvents { get; set; } = 10_000;

    /// <summary>HTTP/2 streams (calls) one connection may have open at once (Kestrel).</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>All request headers of one call together, in bytes (Kestrel); gRPC callers send a few hundred.</summary>
    [Range(1_024, 1_048_576)]
    public int MaxRequestHeadersBytes { get; set; } = 16_384;
}

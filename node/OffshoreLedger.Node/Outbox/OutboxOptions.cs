using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Outbox;

/// <summary>How the outbox treats a write the chain keeps answering with an error (an outage counts against no write).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Failed attempts before a write is dead-lettered (out of line, waiting for an operator's retry).</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles with each further one, up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(1, 600_000)]
    public int BackoffMilliseconds { get; set; } = 500;

    [Range(1, 3_600)]
    public int MaxBackoffSeconds { get; set; } = 60;

    /// <summary>
    /// A transaction that is next in nonce order yet still unmined this long after it was sent is replaced: the same
    /// call under the same nonce with fees raised by <see cref="FeeBumpPercent"/> (only one of them can ever be mined).
    /// </summary>
    [Range(1, 86_400)]
    public int ReplaceAfterSeconds { get; set; } = 30;

    /// <summary>How much a replacement raises both fees; chains refuse a replacement below +10%.</summary>
    [Range(11, 1_000)]
    public int FeeBumpPercent { get; set; } = 25;

    /// <summary>
    /// Seconds a JSON-RPC request to the chain may take before the endpoint counts as not answering (then the next endpoint is tried).
    /// </summary>
    [Range(1, 600)]
    public int RpcTimeoutSeconds { get; set; } = 10;

    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(BackoffMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)), MaxBackoffSeconds * 1000.0));
}

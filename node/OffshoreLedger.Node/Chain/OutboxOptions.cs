using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Chain;

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

    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(BackoffMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)), MaxBackoffSeconds * 1000.0));
}

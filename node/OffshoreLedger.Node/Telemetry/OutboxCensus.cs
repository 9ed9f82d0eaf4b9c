using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>The outbox's entries counted by state, and how long the oldest pending one has waited.</summary>
public sealed record OutboxCounts(int Accepted, int Signed, int Sent, int DeadLettered, TimeSpan OldestPendingAge)
{
    public int Pending => Accepted + Signed + Sent;
}

/// <summary>
/// Reads the outbox's state from the store, as the sender leaves it, without touching the sender. Pending and
/// dead-lettered entries each have an index of their own, so neither count reads the whole outbox; the answer is still
/// kept for <see cref="MaxAge"/> (scrapes, probes and the status view all ask).
/// </summary>
public sealed class OutboxCensus(OutboxStore store, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private (OutboxCounts Counts, DateTimeOffset At)? _last;

    public OutboxCounts Count()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_last is { } last && now - last.At < MaxAge) return last.Counts;
        }
        var pending = store.PendingOutbox();
        var deadLettered = store.DeadLetteredCount();
        var oldest = pending.Count == 0 ? TimeSpan.Zero : now - pending.Min(e => e.AcceptedAt);
        var counts = new OutboxCounts(
            pending.Count(e => e.State == OutboxState.Accepted), pending.Count(e => e.State == OutboxState.Signed),
            pending.Count(e => e.State == OutboxState.Sent), deadLettered, oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest);
        lock (_lock) _last = (counts, now);
        return counts;
    }
}

using OffshoreLedger.Node.Chain;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Limits;
using OffshoreLedger.Node.Sync;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// The node's state as gauges, read when scraped: outbox entries by state and the age of the oldest, sync lag in blocks
/// and seconds, the chain head, the index's size and the open watchers.
/// </summary>
public sealed class NodeGauges
{
    public NodeGauges(NodeMetrics metrics, NodeSyncState sync, OutboxCensus outbox, LedgerIndex index, WatcherSlots watchers)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("offshore_ledger.outbox.entries", () =>
        {
            var c = outbox.Count();
            return new[]
            {
                State(c.Accepted, "accepted"), State(c.Signed, "signed"), State(c.Sent, "sent"), State(c.DeadLettered, "dead_lettered"),
            };
        }, "{entry}", "Outbox entries not yet finished, by state; dead-lettered ones wait for an operator.");
        meter.CreateObservableGauge("offshore_ledger.outbox.oldest_age", () => outbox.Count().OldestPendingAge.TotalSeconds, "s",
            "How long the oldest pending outbox entry has waited.");
        meter.CreateObservableGauge(
            "offshore_ledger.chain.head", () => (long)sync.Read().ChainHead, "{block}", "The chain's latest block, as last seen.");
        meter.CreateObservableGauge(
            "offshore_ledger.sync.block", () => (long)sync.Read().SyncedBlock, "{block}", "The latest block the index has applied.");
        meter.CreateObservableGauge("offshore_ledger.sync.lag", () => (long)sync.Read().LagBlocks, "{block}",
            "Blocks between the index and the chain head, less the confirmation depth.");
        meter.CreateObservableGauge("offshore_ledger.sync.lag_time", () => sync.Read().LagTime.TotalSeconds, "s",
            "Seconds since the index was last at the chain head (0 while it is).");
        meter.CreateObservableGauge("offshore_ledger.index.size", () =>
        {
            var (titles, keys, pledges) = index.Read((ledger, _) => ledger.Size);
            return new[]
            {
                new Measurement<long>(titles, new KeyValuePair<string, object?>("kind", "titles")),
                new Measurement<long>(keys, new KeyValuePair<string, object?>("kind", "keys")),
                new Measurement<long>((long)pledges, new KeyValuePair<string, object?>("kind", "pledges")),
            };
        }, "{item}", "Titles, collateral keys and pledges in the local index.");
        meter.CreateObservableGauge("offshore_ledger.watchers", () => watchers.Open, "{watcher}", "Open title-event watchers.");
    }

    private static Measurement<long> State(int count, string state) => new(count, new KeyValuePair<string, object?>("state", state));
}

/// <summary>How far the index has synced, read from the follower and the index (one place for gauges, readiness and status).</summary>
public sealed record SyncState(bool ChainReachable, ulong ChainHead, ulong SyncedBlock, ulong LagBlocks, TimeSpan LagTime, bool Started);

public sealed class NodeSyncState(ChainFollower follower, LedgerIndex index, IOptions<ChainOptions> options, TimeProvider time)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public SyncState Read()
    {
        var head = follower.ChainHead;
        var synced = index.Synced?.BlockNumber ?? 0;
        var target = head > (ulong)options.Value.ConfirmationDepth ? head - (ulong)options.Value.ConfirmationDepth : 0;
        var lag = target > synced ? target - synced : 0;
        var now = time.GetUtcNow();
        var lagTime = follower.CaughtUpAt is { } at
            ? (lag == 0 ? TimeSpan.Zero : now - at)
            : now - _startedAt;
        // Head 0: the follower has not heard from the chain yet.
        return new SyncState(follower.ChainReachable, head, synced, lag, lagTime < TimeSpan.Zero ? TimeSpan.Zero : lagTime, head > 0);
    }
}

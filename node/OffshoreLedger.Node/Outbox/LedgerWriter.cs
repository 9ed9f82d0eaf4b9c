using System.Collections.Concurrent;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Outbox;

/// <summary>A request id reused for a different write.</summary>
public sealed class RequestIdReusedException(string requestId)
    : Exception($"Request id '{requestId}' was already used for a different write.")
{
    public string RequestId { get; } = requestId;
}

/// <summary>
/// Accepts writes into the durable outbox and lets callers wait for their outcome. Idempotent by request id:
/// a retry of the same write returns the first one's outcome and never sends a second transaction.
/// </summary>
public sealed partial class LedgerWriter(OutboxStore store, OutboxSignal signal, TimeProvider time, ILogger<LedgerWriter> logger)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OutboxEntry>> _finished = new();
    private readonly Lock _accepting = new();
    private List<(OutboxEntry Entry, TaskCompletionSource<OutboxEntry> Stored)> _queued = [];
    private bool _committing;

    /// <summary>
    /// Accepts a write under <paramref name="requestId"/>, recording <paramref name="submittedBy"/> (the credentials whose call causes it),
    /// and waits for its outcome.
    /// </summary>
    public async Task<OutboxEntry> SubmitAsync<TFunction>(
        string requestId, string operation, TFunction call, string submittedBy, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        var callData = call.GetCallData().ToHex(true);
        var entry = store.FindOutbox(requestId) ?? await AcceptAsync(new OutboxEntry
        {
            RequestId = requestId, Operation = operation, CallData = callData, AcceptedAt = time.GetUtcNow(), SubmittedBy = submittedBy,
            GasFloor = WriteGas.Floor(call),
        });
        if (entry.CallData != callData || entry.Operation != operation) throw new RequestIdReusedException(requestId);
        return await WaitAsync(entry, cancellationToken);
    }

    /// <summary>
    /// Group commit: the first caller to find no commit under way writes every entry queued by then in one synced batch,
    /// and again while more arrive; the others wait for it. Concurrent callers share one fsync instead of taking turns.
    /// </summary>
    private Task<OutboxEntry> AcceptAsync(OutboxEntry entry)
    {
        var stored = new TaskCompletionSource<OutboxEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_accepting)
        {
            _queued.Add((entry, stored));
            if (_committing) return stored.Task;
            _committing = true;
        }
        while (true)
        {
            List<(OutboxEntry Entry, TaskCompletionSource<OutboxEntry> Stored)> group;
            lock (_accepting)
            {
                if (_queued.Count == 0)
                {
                    _committing = false;
                    break;
                }
                (group, _queued) = (_queued, []);
            }
            Commit(group);
        }
        return stored.Task;
    }

    private void Commit(List<(OutboxEntry Entry, TaskCompletionSource<OutboxEntry> Stored)> group)
    {
        try
        {
            // A request id already stored, or twice in this group (a retry racing the first call), is the same write.
            var known = new Dictionary<string, OutboxEntry>();
            var fresh = new List<OutboxEntry>();
            foreach (var (entry, _) in group)
            {
                if (known.ContainsKey(entry.RequestId)) continue;
                if (store.FindOutbox(entry.RequestId) is { } existing) known[entry.RequestId] = existing;
                else
                {
                    known[entry.RequestId] = entry;
                    fresh.Add(entry);
                }
            }
            foreach (var added in store.AddOutbox(fresh))
            {
                known[added.RequestId] = added;
                LogAccepted(logger, added.Sequence, added.Operation, added.RequestId, added.SubmittedBy ?? "");
            }
            foreach (var (entry, stored) in group) stored.TrySetResult(known[entry.RequestId]);
            if (fresh.Count > 0) signal.Wake();
        }
        catch (Exception ex)
        {
            foreach (var (_, stored) in group) stored.TrySetException(ex);
        }
    }

    private Task<OutboxEntry> WaitAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var finished = _finished.GetOrAdd(
            entry.RequestId, _ => new TaskCompletionSource<OutboxEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        // The entry may have finished (or been dead-lettered) before this waiter registered.
        if (store.FindOutbox(entry.RequestId) is { IsPending: false } done) finished.TrySetResult(done);
        return finished.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Puts a dead-lettered entry back in line with fresh attempts, keeping its state, nonce and signed bytes; returns
    /// the entry as it now stands, or null when there is none under that request id.
    /// </summary>
    public OutboxEntry? Retry(string requestId)
    {
        lock (_accepting)
        {
            var entry = store.FindOutbox(requestId);
            if (entry is not { DeadLetteredAt: not null }) return entry;
            var retried = entry with { DeadLetteredAt = null, Attempts = 0, NextAttemptAt = null };
            store.UpdateOutbox(retried);
            LogRetried(logger, retried.Sequence, retried.Operation, requestId);
            signal.Wake();
            return retried;
        }
    }

    [LoggerMessage(
        EventId = 2102, Level = LogLevel.Information,
        Message = "Write {Sequence} ({Operation}, request {RequestId}) put back in line by an admin")]
    private static partial void LogRetried(ILogger logger, ulong sequence, string operation, string requestId);

    [LoggerMessage(
        EventId = 2101, Level = LogLevel.Information,
        Message = "Write {Sequence} accepted: {Operation} request {RequestId} from {SubmittedBy}")]
    private static partial void LogAccepted(ILogger logger, ulong sequence, string operation, string requestId, string submittedBy);

    /// <summary>Called by the sender when an entry reaches a final state or is dead-lettered.</summary>
    internal void Finished(OutboxEntry entry)
    {
        if (_finished.TryRemove(entry.RequestId, out var waiter)) waiter.TrySetResult(entry);
    }
}

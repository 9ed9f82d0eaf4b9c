using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Merkle;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Documents;

/// <summary>The batch that anchored a request's documents: its root and the anchor transaction's outbox entry.</summary>
public sealed record AnchorOutcome(byte[] Root, OutboxEntry Entry);

/// <summary>
/// Collects document hashes from many requests into one Merkle batch (up to a size, or a short delay), records
/// the batch and every document's proof before anything is sent, then anchors the root through the outbox
/// under a request id derived from the root, so a crash at any point resumes the same batch and never anchors
/// it twice. One transaction anchors thousands of documents.
/// </summary>
public sealed partial class DocumentAnchorer(
    DocumentVault vault, LedgerWriter writer, LedgerIndex index, LedgerChain chain, IOptions<AnchoringOptions> options,
    ILogger<DocumentAnchorer> logger,
    Telemetry.NodeMetrics? metrics = null) : BackgroundService
{
    private sealed record Pending(IReadOnlyList<DocumentHash> Documents, string Caller, TaskCompletionSource<AnchorOutcome> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    /// <summary>Queues documents for anchoring and completes once their root is confirmed on chain.</summary>
    public async Task<AnchorOutcome> AnchorAsync(IReadOnlyList<DocumentHash> documents, string caller, CancellationToken cancellationToken)
    {
        var pending = new Pending(
            documents, caller, new TaskCompletionSource<AnchorOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Batches recorded before a restart whose anchor may not have landed: resume them (idempotent by root).
        foreach (var (root, leafCount) in vault.BatchRoots())
        {
            // Anchors are per submitter: only this node's own anchor of the batch counts, never a copy by another member.
            if (index.Read((ledger, _) => ledger.Anchor(Hex.Of(root), (uint)leafCount, chain.Signer)) is null) await SendAsync(
                root, leafCount, ResumedBatch, stoppingToken);
        }

        var o = options.Value;
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = new List<Pending> { await _queue.Reader.ReadAsync(stoppingToken) };
            using (var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                window.CancelAfter(o.MaxDelayMilliseconds);
                try
                {
                    while (batch.Sum(p => p.Documents.Count) < o.MaxBatchSize)
                    {
                        batch.Add(await _queue.Reader.ReadAsync(window.Token));
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The window closed: anchor what has arrived.
                }
            }
            // The batch is recorded before AnchorBatchAsync first yields; its transaction is then sent and confirmed while
            // the next batch gathers, instead of every batch waiting out the previous one's confirmation.
            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count >= MaxBatchesInFlight) await Task.WhenAny(inFlight);
            inFlight.Add(AnchorBatchAsync(batch, stoppingToken));
        }
    }

    /// <summary>Batches recorded and on their way to the chain at once.</summary>
    private const int MaxBatchesInFlight = 4;

    private async Task AnchorBatchAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            await RecordAndSendAsync(batch, cancellationToken);
        }
        // Anything but the node's own stopping fails the batch's callers, a cancellation from elsewhere (a client's timeout) too.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogAnchorFailed(logger, ex);
            foreach (var pending in batch) pending.Done.TrySetException(ex);
        }
    }

    private async Task RecordAndSendAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        // Documents already in a batch (anchored earlier, or resumed) keep their proof; only new ones form a tree.
        var fresh = batch.SelectMany(p => p.Documents).Distinct().Where(d => vault.Proof(d.Value.ToArray()) is null).ToList();
        var callers = SubmittedBy(batch);
        AnchorOutcome? created = null;
        if (fresh.Count > 0)
        {
            var tree = new DocumentBatch(fresh);
            var root = tree.Root.Value.ToArray();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            vault.SaveBatch(root, tree.LeafCount, fresh.Select((d, i) => (d.Value.ToArray(), tree.ProofFor(i).ToHex())));
            created = new AnchorOutcome(root, await SendAsync(root, tree.LeafCount, callers, cancellationToken));
            metrics?.AnchorBatch(fresh.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        foreach (var pending in batch)
        {
            var first = vault.Proof(pending.Documents[0].Value.ToArray())!.Value.Root;
            if (created is not null && first.AsSpan().SequenceEqual(created.Root)) pending.Done.TrySetResult(created);
            else pending.Done.TrySetResult(
                new AnchorOutcome(
                    first, await SendAsync(
                    first, vault.BatchRoots().Single(b => b.Root.AsSpan().SequenceEqual(first)).LeafCount, callers, cancellationToken)));
        }
    }

    /// <summary>Anchors a recorded root once; the same root always maps to the same outbox request.</summary>
    private Task<OutboxEntry> SendAsync(byte[] root, long leafCount, string submittedBy, CancellationToken cancellationToken) =>
        writer.SubmitAsync(
            "anchor:" + Hex.Of(root), "AnchorDocuments", new AnchorFunction { Root = root, LeafCount = (uint)leafCount }, submittedBy,
            cancellationToken);

    /// <summary>Who an anchor was written for, as the outbox records it: a batch gathers several callers' documents.</summary>
    private static string SubmittedBy(List<Pending> batch)
    {
        var callers = batch.Select(p => p.Caller).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return callers.Count <= MaxCallersNamed
            ? string.Join(",", callers) : $"{string.Join(",", callers.Take(MaxCallersNamed))} and {callers.Count - MaxCallersNamed} more";
    }

    private const int MaxCallersNamed = 8;

    /// <summary>A batch recorded before a restart, resumed by the node itself.</summary>
    private const string ResumedBatch = "node (resumed batch)";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Anchoring a document batch failed")]
    private static partial void LogAnchorFailed(ILogger logger, Exception exception);
}

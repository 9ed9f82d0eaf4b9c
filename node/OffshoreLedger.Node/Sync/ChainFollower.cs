using System.Globalization;
using Microsoft.Extensions.Options;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Sync;

/// <summary>
/// Follows the contract's logs into the store and the index, <see cref="ChainOptions.ConfirmationDepth"/> blocks
/// behind the head. Before each step it checks that the last applied block is still on the chain; if not
/// (a reorg), it rolls the index and the store back to the fork point (<see cref="LedgerIndex.RollBackTo"/>).
/// </summary>
public sealed partial class ChainFollower(
    LedgerStore store, OutboxStore outboxStore, ChainRpc rpc, LedgerIndex index, SyncSignal signal, OutboxSignal outbox,
    IOptions<ChainOptions> options,
    ChainAvailability availability, TimeProvider time, ILogger<ChainFollower> logger, Telemetry.NodeMetrics? metrics = null)
        : BackgroundService
{
    /// <summary>Blocks this close to the head have every log's block hash checked, as reorgs happen there.</summary>
    private const int RecentBlocks = 64;

    /// <summary>
    /// How many blocks the next eth_getLogs asks for: the replay's rule (<see cref="LogWindow"/>), starting at one block, never
    /// past <see cref="ChainOptions.LogWindowBlocks"/>. A window holds any number of logs (2,000 blocks of a busy chain
    /// can hold hundreds of thousands) and every answer is parsed whole in memory, so it follows the chain's density.
    /// </summary>
    private readonly LogWindow _window = new(maxBlocks: (ulong)options.Value.LogWindowBlocks);

    /// <summary>Logs applied since start-up while catching up, until the head is first reached.</summary>
    private long _catchUpLogs;
    private bool _caughtUp;

    /// <summary>
    /// A catch-up this large leaves enough garbage behind to be worth handing back (see <see cref="ReleaseCatchUpMemory"/>):
    /// a few windows' answers. With a bound ten times higher, a node that caught up on 10,000 titles kept more memory than
    /// one that caught up on 100,000 (BENCHMARKS.md, "Node memory at 10,000 titles"); the release costs one collection, once.
    /// </summary>
    private const long CatchUpLogsWorthReleasing = 2_000;

    public bool ChainReachable { get; private set; }

    public ulong ChainHead { get; private set; }

    /// <summary>When a step last found the index at the head (less the confirmation depth); null until the first such step.</summary>
    public DateTimeOffset? CaughtUpAt { get; private set; }

    /// <summary>
    /// Readies the index before the host goes on to start the server (since .NET 10 all of ExecuteAsync runs in the
    /// background). The read model is on disk where the last step left it, so this is immediate; only a store from before
    /// the read model (or of another version) is rebuilt from its stored logs here, once.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        index.Open();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            await FollowAsync(o, stoppingToken);
        }
        finally
        {
            await DiscardAheadAsync();
        }
    }

    private async Task FollowAsync(ChainOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var caughtUp = true;
            try
            {
                caughtUp = await StepAsync(o, stoppingToken);
                ChainReachable = true;
                availability.Reachable();
                if (caughtUp) CaughtUpAt = time.GetUtcNow();
            }
            // Anything but the node stopping is a failed step, tried again: a chain call that timed out throws a
            // TaskCanceledException, which is an OperationCanceledException too, and once stopped the whole node.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                ChainReachable = false;
                if (ChainAvailability.IsUnreachable(ex)) availability.Unreachable("sync", ex);
                else LogSyncFailed(logger, ex);
            }
            if (caughtUp) await signal.WaitAsync(TimeSpan.FromMilliseconds(o.PollIntervalMilliseconds), stoppingToken);
        }
    }

    /// <summary>One step: reorg check, then at most one window of logs. True when nothing is left to fetch.</summary>
    private async Task<bool> StepAsync(ChainOptions o, CancellationToken cancellationToken)
    {
        // The head block and the last applied one in one round trip: following the head, the head is the window's end.
        var cursor = store.Cursor;
        var start = await rpc.BatchAsync(
            cursor is null
                ? [new RpcCall("eth_getBlockByNumber", "latest", false)]
                : [new RpcCall("eth_getBlockByNumber", "latest", false), BlockCall(cursor.BlockNumber)],
            cancellationToken);
        if (start[0].Error is { } headError) throw headError;
        var head = RpcAnswer.Quantity(start[0].Result.GetProperty("number"));
        // The chain answered: it is reachable now, not only once this step is applied (a first step over a long window
        // takes a while, and readiness must say "catching up", not "not answering", meanwhile).
        ChainReachable = true;
        ChainHead = head;
        if (cursor is not null && HashOf(start[1]) != cursor.BlockHash)
        {
            await DiscardAheadAsync();
            await RollBackToForkAsync();
            return false;
        }

        if (head < (ulong)o.ConfirmationDepth) return true;
        var target = head - (ulong)o.ConfirmationDepth;
        var from = cursor is null ? o.DeploymentBlock : cursor.BlockNumber + 1;
        if (from > target) return true;

        // The window read ahead while the last step was applied, if it is this step's; else one read now.
        var window = await TakeAheadAsync(from, target) ?? await ReadWindowAsync(from, _window.End(from, target), cancellationToken);
        if (window is null) return false;
        var to = window.To;
        var logs = window.Logs;
        var hashes = new Dictionary<ulong, string>();
        foreach (var log in logs) hashes[log.BlockNumber] = log.BlockHash;
        // After the logs were read, in one round trip: every recent block a log came from, and the window's last block, as
        // the chain has them now. A log from a block since replaced would poison the index, so such a window is refused.
        List<ulong> recheck = [.. hashes.Keys.Where(number => number + RecentBlocks > head && number != to), to];
        var now = await rpc.BatchAsync([.. recheck.Select(BlockCall)], cancellationToken);
        for (var i = 0; i < recheck.Count - 1; i++)
        {
            if (HashOf(now[i]) != hashes[recheck[i]]) return false;
        }
        var toHash = HashOf(now[^1]);
        if (toHash is null || hashes.GetValueOrDefault(to, toHash) != toHash) return false;
        hashes[to] = toHash;

        var cursorAfter = new SyncCursor(to, toHash);
        // Catching up, the chain serves (and the thread pool parses and decodes) the next window while this one is applied.
        if (to < target) _ahead = ReadWindowAsync(to + 1, _window.End(to + 1, target), cancellationToken);
        // Only steps a reorg could reach keep what they replaced; a catch-up far behind the head writes no undo.
        index.Apply(logs, window.Events, hashes, cursorAfter, undoable: to + UndoLog.RetainedBlocks > head);
        // Writes waiting for this block are answered now rather than at the outbox's next poll.
        outbox.Wake();
        cancellationToken.ThrowIfCancellationRequested();
        if (!_caughtUp)
        {
            _catchUpLogs += logs.Count;
            if (to == target) ReleaseCatchUpMemory();
        }
        return to == target;
    }

    /// <summary>
    /// Once, when a long catch-up first reaches the head: every eth_getLogs answer was parsed whole, and the GC keeps the
    /// heap it grew for them long after they are garbage (BENCHMARKS.md, "Node memory"). One aggressive,
    /// compacting collection returns that memory to the operating system; from here on the node follows the head in small steps.
    /// </summary>
    private void ReleaseCatchUpMemory()
    {
        _caughtUp = true;
        if (_catchUpLogs < CatchUpLogsWorthReleasing) return;
        // The log reader's answer buffer grew to the largest window's answer (tens of MB); following the head needs little.
        _logReader?.Dispose();
        _logReader = null;
        // The catch-up's memtables written out first, so that they too are handed back with the write batches.
        store.FlushMemtables();
        NativeHeap.HandBack();
        LogCatchUpReleased(logger, _catchUpLogs, GC.GetTotalMemory(forceFullCollection: false) / (1024 * 1024));
    }

    private async Task RollBackToForkAsync()
    {
        SyncCursor? fork = null;
        foreach (var (number, hash) in store.BlocksDescending())
        {
            if (await BlockHashAsync(number) == hash)
            {
                fork = new SyncCursor(number, hash);
                break;
            }
        }
        LogReorg(logger, store.Cursor?.BlockNumber ?? 0, fork?.BlockNumber ?? 0);
        metrics?.Reorg((store.Cursor?.BlockNumber ?? 0) - (fork?.BlockNumber ?? 0));
        index.RollBackTo(fork);
        // Our own writes mined after the fork may be gone with it: send the same signed bytes again. Where the
        // transaction survived (re-included), resending is a no-op; where it was dropped, it lands once more.
        foreach (var entry in outboxStore.OutboxMinedAfter(fork?.BlockNumber ?? 0))
        {
            outboxStore.UpdateOutbox(entry with { State = OutboxState.Signed, BlockNumber = null, RefusalName = null });
        }
        outbox.Wake();
    }

    /// <summary>A window of blocks and the contract's logs in it, parsed and decoded.</summary>
    private sealed record LogsWindow(ulong From, ulong To, List<ChainLog> Logs, IReadOnlyList<LedgerEvent> Events);

    /// <summary>The next window, being read while a catch-up step is applied; null when none is.</summary>
    private Task<LogsWindow?>? _ahead;

    /// <summary>
    /// Reads a window and sizes the next by it; null when the endpoint refused it as too large (the next is smaller). Runs
    /// beside the step that applies the window before it, so it touches nothing but the log reader, and nothing else reads
    /// logs meanwhile: the step awaits it (<see cref="TakeAheadAsync"/>) before it reads or sizes another window.
    /// </summary>
    private async Task<LogsWindow?> ReadWindowAsync(ulong from, ulong to, CancellationToken cancellationToken)
    {
        List<ChainLog> logs;
        try
        {
            logs = await ReadLogsAsync(from, to, cancellationToken);
        }
        catch (ChainRpcException) when (to > from)
        {
            // The endpoint caps a log query by blocks or results: a smaller window, at once.
            _window.Refused(to - from + 1);
            return null;
        }
        catch (LogAnswerTooLargeException)
        {
            // Busy blocks after a sparse stretch: not all of them in memory at once.
            _window.TooLarge();
            return null;
        }
        _window.Answered(to - from + 1, logs.Count);
        return new LogsWindow(from, to, logs, LedgerEvents.Decode(logs));
    }

    /// <summary>
    /// The window read ahead, if it starts at <paramref name="from"/> and ends by <paramref name="target"/>; else null
    /// (a reorg or a failed step moved the cursor, or the read failed: the step reads afresh).
    /// </summary>
    private async Task<LogsWindow?> TakeAheadAsync(ulong from, ulong target)
    {
        if (_ahead is null) return null;
        var ahead = _ahead;
        _ahead = null;
        try
        {
            return await ahead is { } window && window.From == from && window.To <= target ? window : null;
        }
        catch (Exception)
        {
            // Failed, timed out or cancelled: the step reads afresh, and a stopping node's read sees its own cancellation.
            return null;
        }
    }

    /// <summary>Waits for the window read ahead, if any, and drops it (its failure or cancellation included).</summary>
    private Task DiscardAheadAsync() => TakeAheadAsync(0, 0);

    /// <summary>
    /// The contract's logs of a window, read and parsed as the auditor's replay reads them (<see cref="EthLogReader"/>:
    /// straight from the answer's bytes, no client DTOs), from the endpoint that answered the step's first batch.
    /// </summary>
    private async Task<List<ChainLog>> ReadLogsAsync(ulong from, ulong to, CancellationToken cancellationToken)
    {
        var endpoint = rpc.Current;
        if (_logReader is null || _logReaderEndpoint != endpoint)
        {
            _logReader?.Dispose();
            _logReader = new EthLogReader(endpoint, options.Value.ContractAddress!, _logHttp);
            _logReaderEndpoint = endpoint;
        }
        return EthLogReader.ParseLogs(
            (await _logReader.GetLogsAnswerAsync(from, to, cancellationToken, _window.AnswerLimit(from, to))).Span);
    }

    private readonly HttpClient _logHttp = new() { Timeout = rpc.Timeout };
    private EthLogReader? _logReader;
    private Uri? _logReaderEndpoint;

    public override void Dispose()
    {
        _logReader?.Dispose();
        _logHttp.Dispose();
        base.Dispose();
    }

    private async Task<string?> BlockHashAsync(ulong number) => HashOf(await rpc.CallAsync(BlockCall(number), CancellationToken.None));

    private static RpcCall BlockCall(ulong number) =>
        new("eth_getBlockByNumber", "0x" + number.ToString("x", CultureInfo.InvariantCulture), false);

    /// <summary>A block's hash from its eth_getBlockByNumber answer; null for a block the chain does not have.</summary>
    private static string? HashOf(RpcAnswer block)
    {
        if (block.Error is { } error) throw error;
        return block.IsNull ? null : block.Result.GetProperty("hash").GetString();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Chain sync step failed; retrying")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        EventId = 1002, Level = LogLevel.Warning, Message = "Reorg: block {Applied} is no longer on the chain; rolled back to {Fork}")]
    private static partial void LogReorg(ILogger logger, ulong applied, ulong fork);

    [LoggerMessage(
        EventId = 1003, Level = LogLevel.Information,
        Message = "Caught up with the chain after {Logs} logs; memory of the catch-up released, {HeapMiB} MiB managed heap in use")]
    private static partial void LogCatchUpReleased(ILogger logger, long logs, long heapMiB);
}

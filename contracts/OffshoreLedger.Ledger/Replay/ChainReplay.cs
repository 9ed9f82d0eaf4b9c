using System.Collections.Frozen;
using System.Diagnostics;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>How far a replay has come.</summary>
public sealed record ReplayProgress(ulong Block, ulong FromBlock, ulong ToBlock, int Events);

/// <summary>How a replay reads the chain.</summary>
public sealed record ReplayOptions
{
    /// <summary>The contract's deployment block: nothing before it can concern the ledger.</summary>
    public ulong FromBlock { get; init; }

    /// <summary>The last block to replay; the head when the replay starts if null.</summary>
    public ulong? ToBlock { get; init; }

    /// <summary>Blocks asked for in the first <c>eth_getLogs</c> call; later windows adapt.</summary>
    public int InitialWindowBlocks { get; init; } = 100;

    /// <summary>The logs a window should hold (<see cref="LogWindow"/>: the node's sync follows the same rule).</summary>
    public int TargetLogsPerWindow { get; init; } = LogWindow.DefaultTargetLogs;

    public int MaxWindowBlocks { get; init; } = 500_000;

    /// <summary>The most of an answer over several blocks read before the window counts as too large (<see cref="LogWindow"/>).</summary>
    public int MaxAnswerBytes { get; init; } = LogWindow.DefaultMaxAnswerBytes;

    /// <summary>Fetch the next window while the current one is decoded and applied (on by default).</summary>
    public bool Pipelined { get; init; } = true;

    /// <summary>
    /// Use the <c>blockTimestamp</c> a node puts on each log. When false, or when a node leaves it out, the times
    /// are read from block headers, and only for the blocks whose events a report dates.
    /// </summary>
    public bool UseLogTimestamps { get; init; } = true;
}

/// <summary>The ledger rebuilt from the chain's logs alone, with a digest of the history it saw.</summary>
/// <param name="Ledger">The state, projected from the events into a store of its own (fresh for every replay).</param>
/// <param name="Events">Every event, in chain order, with its block time where a report needs it.</param>
/// <param name="Digest">The <see cref="HistoryDigest"/> over every raw log of the contract (0x-hex).</param>
/// <param name="FromBlock">The first block replayed.</param>
/// <param name="ToBlock">The last block replayed.</param>
/// <param name="Logs">Raw logs read.</param>
/// <param name="Windows">The <c>eth_getLogs</c> windows that answered, in order.</param>
/// <param name="HeadersRead">Block headers read for times the logs did not carry.</param>
/// <param name="Timings">Where the replay's time went.</param>
public sealed record ReplayResult(
    LedgerProjection Ledger, IReadOnlyList<LedgerEvent> Events, string Digest, ulong FromBlock, ulong ToBlock, long Logs,
    IReadOnlyList<BlockWindow> Windows, int HeadersRead, ReplayTimings Timings)
{
    /// <summary>
    /// The last block's Unix time: the audit judges proposals' deadlines by it. Read only when the history holds a
    /// governance proposal (0 otherwise), from that block's logs if they carry it, else its header.
    /// </summary>
    public ulong ToBlockTime { get; init; }
}

/// <summary>Where a replay's time went, summed over its windows.</summary>
/// <param name="Fetching">Waiting for the chain's eth_getLogs answers (and headers), read to the end.</param>
/// <param name="Parsing">Parsing the answers into logs.</param>
/// <param name="Applying">Digesting, decoding and projecting the logs.</param>
/// <param name="WaitingForChain">Of the applying side's time, how long it had nothing to apply (pipelined only): near 0 means the replay,
/// not the chain, sets the pace.</param>
public sealed record ReplayTimings(TimeSpan Fetching, TimeSpan Parsing, TimeSpan Applying, TimeSpan WaitingForChain);

/// <summary>
/// Rebuilds the ledger from a chain's JSON-RPC and the contract address only: nothing of any node is needed. Logs are
/// read in block windows that adapt to how many logs they hold; the next window is fetched while the current one is
/// decoded, digested and applied, so the replay runs at about the rate the chain serves logs.
/// </summary>
public static class ChainReplay
{
    /// <summary>The events a report dates: their blocks' times are read from headers when the logs lack them.</summary>
    public static readonly FrozenSet<string> DatedEvents = new[]
    {
        LedgerEvents.SignatureOf<PledgedEvent>(), LedgerEvents.SignatureOf<ReleasedEvent>(), LedgerEvents.SignatureOf<PledgeBlockedEvent>(),
        LedgerEvents.SignatureOf<TitleTransferredEvent>(), LedgerEvents.SignatureOf<LotOverIssuedEvent>(),
        // Governance: the report dates every proposal, approval, queueing, execution and the acts they applied.
        LedgerEvents.SignatureOf<ProposalCreatedEvent>(), LedgerEvents.SignatureOf<ProposalApprovedEvent>(),
        LedgerEvents.SignatureOf<ProposalApprovalWithdrawnEvent>(), LedgerEvents.SignatureOf<ProposalQueuedEvent>(),
        LedgerEvents.SignatureOf<ProposalExecutedEvent>(), LedgerEvents.SignatureOf<AttestationCorrectedEvent>(),
        LedgerEvents.SignatureOf<OverIssueClearedEvent>(), LedgerEvents.SignatureOf<TitleVoidedEvent>(),
        LedgerEvents.SignatureOf<MemberKeyRotatedEvent>(), LedgerEvents.SignatureOf<MemberReenrolledEvent>(),
        LedgerEvents.SignatureOf<CarrierCodeBoundEvent>(), LedgerEvents.SignatureOf<PortCodeBoundEvent>(),
    }.ToFrozenSet();

    public static async Task<ReplayResult> RunAsync(
        string rpcUrl, string contractAddress, ReplayOptions? options = null, IProgress<ReplayProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var reader = new EthLogReader(new Uri(rpcUrl), contractAddress);
        return await RunAsync(reader, options, progress, cancellationToken);
    }

    public static async Task<ReplayResult> RunAsync(
        EthLogReader reader, ReplayOptions? options = null, IProgress<ReplayProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ReplayOptions();
        var head = await reader.HeadAsync(cancellationToken);
        var toBlock = options.ToBlock ?? head;
        if (toBlock > head) throw new ArgumentOutOfRangeException(
            nameof(options), toBlock, $"Block {toBlock} is beyond the chain's head, {head}.");
        if (toBlock < options.FromBlock) throw new ArgumentOutOfRangeException(
            nameof(options), toBlock, $"Block {toBlock} is before the first block, {options.FromBlock}.");
        var state = new ReplayState(options.FromBlock, toBlock, progress);
        var fetcher = new WindowFetcher(reader, options, toBlock);
        if (!options.Pipelined)
        {
            while (await fetcher.NextAsync(cancellationToken) is { } fetched) state.Apply(fetched);
            return await WithToBlockTimeAsync(reader, state.Result(fetcher, TimeSpan.Zero), cancellationToken);
        }

        // One window ahead: the chain serves (and the thread pool parses) the next while this one is applied. No producer
        // task and no channel: on a busy machine their hand-offs cost more CPU than the applying itself.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = fetcher.NextAsync(stop.Token);
        var waiting = TimeSpan.Zero;
        try
        {
            while (true)
            {
                var waited = Stopwatch.GetTimestamp();
                var current = await next;
                waiting += Stopwatch.GetElapsedTime(waited);
                if (current is null) break;
                next = fetcher.NextAsync(stop.Token);
                state.Apply(current);
            }
        }
        catch when (!next.IsCompleted)
        {
            // Applying failed with a fetch in flight: stop it and let it end before the reader goes.
            await stop.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
                // Expected: it was cancelled.
            }
            throw;
        }
        return await WithToBlockTimeAsync(reader, state.Result(fetcher, waiting), cancellationToken);
    }

    /// <summary>Adds the last block's time when the history holds a proposal (whose deadline the audit judges by it).</summary>
    private static async Task<ReplayResult> WithToBlockTimeAsync(
        EthLogReader reader, ReplayResult result, CancellationToken cancellationToken)
    {
        if (!result.Events.Any(e => e.Event is ProposalCreatedEvent)) return result;
        if (result.Events[^1] is { Timestamp: > 0 } last
            && (ulong)last.BlockNumber == result.ToBlock) return result with { ToBlockTime = last.Timestamp };
        try
        {
            var times = await reader.BlockTimestampsAsync([result.ToBlock], cancellationToken);
            return result with { ToBlockTime = times.GetValueOrDefault(result.ToBlock) };
        }
        catch (ChainRpcException)
        {
            // A node that keeps no such header: the report then calls no proposal expired, and says it could not judge.
            return result;
        }
    }

    private sealed record FetchedWindow(BlockWindow Window, List<ChainLog> Logs);

    /// <summary>Reads window after window, adapting the size, and fills in the block times a report needs.</summary>
    private sealed class WindowFetcher(EthLogReader reader, ReplayOptions options, ulong toBlock)
    {
        private ulong _next = options.FromBlock;
        private readonly LogWindow _window = new(
            options.TargetLogsPerWindow, (ulong)Math.Max(1, options.InitialWindowBlocks), (ulong)Math.Max(1, options.MaxWindowBlocks),
            options.MaxAnswerBytes);
        private readonly List<BlockWindow> _windows = [];

        public IReadOnlyList<BlockWindow> Windows => _windows;
        public int HeadersRead { get; private set; }
        public TimeSpan Fetching { get; private set; }
        public TimeSpan Parsing { get; private set; }

        public async Task<FetchedWindow?> NextAsync(CancellationToken cancellationToken)
        {
            if (_next > toBlock) return null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = _window.End(_next, toBlock);
                List<ChainLog> logs;
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var answer = await reader.GetLogsAnswerAsync(_next, end, cancellationToken, _window.AnswerLimit(_next, end));
                    var fetched = Stopwatch.GetTimestamp();
                    logs = EthLogReader.ParseLogs(answer.Span);
                    Fetching += Stopwatch.GetElapsedTime(started, fetched);
                    Parsing += Stopwatch.GetElapsedTime(fetched);
                }
                catch (ChainRpcException) when (end > _next)
                {
                    _window.Refused(end - _next + 1);
                    continue;
                }
                catch (LogAnswerTooLargeException)
                {
                    _window.TooLarge();
                    continue;
                }
                await FillTimesAsync(logs, cancellationToken);
                var window = new BlockWindow(_next, end, logs.Count);
                _windows.Add(window);
                _next = end + 1;
                _window.Answered(end - window.FromBlock + 1, logs.Count);
                return new FetchedWindow(window, logs);
            }
        }

        private async Task FillTimesAsync(List<ChainLog> logs, CancellationToken cancellationToken)
        {
            if (!options.UseLogTimestamps)
            {
                for (var i = 0; i < logs.Count; i++) logs[i] = logs[i] with { BlockTimestamp = 0 };
            }
            var missing = logs.Where(l => l.BlockTimestamp == 0 && l.Topics.Length > 0 && DatedEvents.Contains(Hex.Of(l.Topics[0])))
                .Select(l => l.BlockNumber).Distinct().ToList();
            if (missing.Count == 0) return;
            var started = Stopwatch.GetTimestamp();
            var times = await reader.BlockTimestampsAsync(missing, cancellationToken);
            Fetching += Stopwatch.GetElapsedTime(started);
            HeadersRead += times.Count;
            for (var i = 0; i < logs.Count; i++)
            {
                if (logs[i].BlockTimestamp == 0 && times.TryGetValue(logs[i].BlockNumber, out var time)) logs[i] =
                    logs[i] with { BlockTimestamp = time };
            }
        }
    }

    /// <summary>The consumer's side: digest, decode and project, strictly in chain order.</summary>
    private sealed class ReplayState(ulong fromBlock, ulong toBlock, IProgress<ReplayProgress>? progress)
    {
        private readonly LedgerProjection _ledger = new();
        private readonly List<LedgerEvent> _events = [];
        private readonly HistoryDigest _digest = new();
        private TimeSpan _applying;

        public void Apply(FetchedWindow fetched)
        {
            var started = Stopwatch.GetTimestamp();
            var logs = fetched.Logs;
            if (!IsInChainOrder(logs)) logs.Sort(
                (a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : a.LogIndex.CompareTo(b.LogIndex));
            for (var i = 0; i < logs.Count; i++)
            {
                var log = logs[i];
                logs[i] = null!; // garbage as soon as applied, not when the window is
                _digest.Append(log);
                if (LedgerEvents.Decode(log) is { } decoded)
                {
                    _ledger.Apply(decoded);
                    _events.Add(decoded);
                }
            }
            _applying += Stopwatch.GetElapsedTime(started);
            progress?.Report(new ReplayProgress(fetched.Window.ToBlock, fromBlock, toBlock, _events.Count));
        }

        public ReplayResult Result(WindowFetcher fetcher, TimeSpan waitingForChain) =>
            new(_ledger, _events, _digest.Value, fromBlock, toBlock, _digest.Count, fetcher.Windows, fetcher.HeadersRead,
                new ReplayTimings(fetcher.Fetching, fetcher.Parsing, _applying, waitingForChain));

        private static bool IsInChainOrder(List<ChainLog> logs)
        {
            for (var i = 1; i < logs.Count; i++)
            {
                var (a, b) = (logs[i - 1], logs[i]);
                if (a.BlockNumber > b.BlockNumber || (a.BlockNumber == b.BlockNumber && a.LogIndex >= b.LogIndex)) return false;
            }
            return true;
        }
    }
}

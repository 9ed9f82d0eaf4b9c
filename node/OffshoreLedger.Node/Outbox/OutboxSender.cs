using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;
using Nethereum.Util;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Sync;
using static OffshoreLedger.Node.Chain.RpcAnswer;

namespace OffshoreLedger.Node.Outbox;

/// <summary>
/// Drives the outbox's entries, all that are due at once, through simulate → sign (nonce and signed bytes stored
/// first) → send → receipt → confirmed by the index. Each step is one JSON-RPC batch for every entry at that step and
/// one synced RocksDB write batch for all their new states (group commit); nonces come from a counter held in memory,
/// recovered from the store and the chain at start and after anything that may have moved it. Every state is durable
/// before the chain can act on it, so after a crash the sender resumes where it was and resends the same signed bytes:
/// an accepted write lands exactly once.
/// </summary>
/// <remarks>
/// One entry never holds up another: a simulation that reverts, for whatever reason, ends its entry refused; an error
/// the chain answers with counts against that entry alone, which backs off and, after <see cref="OutboxOptions.MaxAttempts"/>,
/// is dead-lettered for an operator; only an outage (the chain not answering at all) pauses the whole line, and counts
/// against no entry.
/// </remarks>
public sealed partial class OutboxSender(
    OutboxStore store, LedgerChain chain, ChainRpc rpc, ChainId chainId, LedgerIndex index, LedgerWriter writer, OutboxSignal signal,
    SyncSignal sync, ChainAvailability availability, TimeProvider time, IOptions<ChainOptions> options,
    IOptions<OutboxOptions> outboxOptions,
    ILogger<OutboxSender> logger, Telemetry.WriteTraces? traces = null) : BackgroundService
{
    /// <summary>
    /// How often transactions in the pool are looked for in new blocks (one eth_blockNumber when the head has not moved).
    /// </summary>
    private static readonly TimeSpan ReceiptPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How soon to look again during the first <see cref="FreshWindow"/> after a send: an automining chain mines a
    /// transaction a moment after accepting it, and a caller should not wait out a whole <see cref="ReceiptPoll"/> for it.
    /// </summary>
    private static readonly TimeSpan FreshReceiptPoll = TimeSpan.FromMilliseconds(2);

    private static readonly TimeSpan FreshWindow = TimeSpan.FromMilliseconds(200);

    /// <summary>How often transactions waiting in the pool are asked for (eth_getTransactionByHash), in case the pool lost them.</summary>
    private static readonly TimeSpan PoolCheck = TimeSpan.FromSeconds(5);

    private ulong? _nextNonce;
    private ulong? _receiptsCheckedAt;
    private DateTimeOffset _poolCheckedAt;
    private Uri? _poolCheckedOn;

    /// <summary>Set by an outage: the chain (or the endpoint that answers now) may have forgotten what was in its pool.</summary>
    private bool _poolMayBeLost;

    /// <summary>Entries sent in this pass whose Sent state is not stored yet (it is stored with their receipts' step).</summary>
    private readonly HashSet<ulong> _justSent = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = await PassAsync(stoppingToken);
            await signal.WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>Advances every entry that is due, step by step; returns how long to wait before the next pass unless woken.</summary>
    private async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        var now = time.GetUtcNow();
        var pending = store.PendingOutbox();
        var due = pending.Where(e => e.NextAttemptAt is null || e.NextAttemptAt <= now).ToList();
        if (due.Count > 0)
        {
            try
            {
                due = await AdvanceAsync(due, cancellationToken);
                availability.Reachable();
            }
            // Only the node's own stopping passes through: a cancellation from anywhere else (a client's timeout) is the
            // chain's failure, judged like any other (ChainRpc itself reports its timeouts as TimeoutException).
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ChainAvailability.IsUnreachable(ex))
            {
                availability.Unreachable("outbox", ex);
                // Another endpoint, or the same chain after an outage, may hold a different pool: count again, and ask
                // for every transaction still waiting there before waiting any longer on it.
                _nextNonce = null;
                _poolMayBeLost = true;
                _receiptsCheckedAt = null;
                return poll;
            }
        }
        var wait = poll;
        if (due.Any(e => e.State is OutboxState.Accepted or OutboxState.Signed && !(e.NextAttemptAt > now))) wait = TimeSpan.Zero;
        else if (due.Any(e => e is { State: OutboxState.Sent, BlockNumber: null }))
        {
            wait = due.Any(e => e is { State: OutboxState.Sent, BlockNumber: null } && e.SentAt > now - FreshWindow)
                ? FreshReceiptPoll : ReceiptPoll;
        }
        foreach (var backingOff in store.PendingOutbox().Where(e => e.NextAttemptAt > now)) wait = Min(
            wait, backingOff.NextAttemptAt!.Value - now);
        return wait;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One pass: each step for all the entries at it. Returns the entries still in line, as they now stand.</summary>
    private async Task<List<OutboxEntry>> AdvanceAsync(List<OutboxEntry> due, CancellationToken cancellationToken)
    {
        var entries = due.ToDictionary(e => e.Sequence);
        void Keep(IEnumerable<OutboxEntry> changed)
        {
            foreach (var e in changed) entries[e.Sequence] = e;
        }

        var accepted = entries.Values.Where(e => e.State == OutboxState.Accepted).ToList();
        if (accepted.Count > 0) Keep(await StepAsync("sign", accepted, SignAsync, cancellationToken));
        var signed = entries.Values.Where(e => e.State == OutboxState.Signed).OrderBy(e => e.Nonce).ToList();
        if (signed.Count > 0) Keep(await StepAsync("send", signed, SendAsync, cancellationToken));
        var inPool = entries.Values.Where(e => e is { State: OutboxState.Sent, BlockNumber: null }).ToList();
        if (inPool.Count > 0) Keep(await StepAsync("receipts", inPool, ReceiptsAsync, cancellationToken));
        var mined = entries.Values.Where(e => e is { State: OutboxState.Sent, BlockNumber: not null }).ToList();
        if (mined.Count > 0) Keep(Confirm(mined));
        cancellationToken.ThrowIfCancellationRequested();
        return [.. entries.Values.Where(e => e.IsPending)];
    }

    /// <summary>
    /// Runs one step for a group of entries. An outage propagates (it counts against no entry); any other failure of
    /// the step as a whole (the endpoint refusing a batch, say) counts as a failed attempt of each entry in it.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> StepAsync(
        string name, List<OutboxEntry> group, Func<List<OutboxEntry>, CancellationToken, Task<IReadOnlyList<OutboxEntry>>> step,
        CancellationToken cancellationToken)
    {
        // Sign and send are spans of the writes they serve; receipt polls are not (a write waiting for its block would
        // make one every few milliseconds): the write's own span ends at its confirmation, with block and transaction.
        using var activity = name == "receipts" ? null : traces?.StartStep(name, group);
        try
        {
            return await step(group, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !ChainAvailability.IsUnreachable(ex))
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            return Failed(group.Select(e => (e, ex)).ToList());
        }
    }

    /// <summary>Attempts the chain answered with an error: each entry backs off, or leaves the line once out of attempts.</summary>
    private IReadOnlyList<OutboxEntry> Failed(IReadOnlyList<(OutboxEntry Entry, Exception Exception)> failures)
    {
        if (failures.Count == 0) return [];
        var o = outboxOptions.Value;
        var now = time.GetUtcNow();
        var updated = new List<OutboxEntry>(failures.Count);
        foreach (var (entry, exception) in failures)
        {
            var attempts = entry.Attempts + 1;
            var failure = exception.GetBaseException().Message;
            if (attempts >= o.MaxAttempts)
            {
                updated.Add(entry with { Attempts = attempts, LastFailure = failure, NextAttemptAt = null, DeadLetteredAt = now });
                // Its nonce leaves the line with it: count again, so the next write can take it if it was never sent.
                if (entry.Nonce is not null && entry.BlockNumber is null) _nextNonce = null;
                LogDeadLettered(logger, entry.Sequence, entry.Operation, entry.RequestId, attempts, failure);
            }
            else
            {
                var backoff = o.Backoff(attempts);
                updated.Add(entry with { Attempts = attempts, LastFailure = failure, NextAttemptAt = now + backoff });
                LogAttemptFailed(logger, entry.Sequence, entry.Operation, attempts, o.MaxAttempts, backoff.TotalSeconds, failure);
            }
        }
        store.UpdateOutbox(updated);
        foreach (var dead in updated.Where(e => e.DeadLetteredAt is not null)) writer.Finished(dead);
        return updated;
    }

    /// <summary>
    /// Simulates every accepted call in one batch (a revert ends its entry refused, with its decoded reason), then assigns
    /// nonces from the counter and signs; refusals and signed entries are stored in one synced batch.
    /// </summary>
    /// <remarks>
    /// Simulated on the latest block: on the pending state a chain node (anvil, at least) first executes its whole pool
    /// for each simulation, which with a thousand writes waiting for a block makes a batch take minutes. A call that
    /// reverts there is simulated again on the pending state before it is refused, so a write that depends on one of
    /// ours still in the pool is not refused for it; the gas margin and floor cover the rest of the difference.
    /// </remarks>
    private async Task<IReadOnlyList<OutboxEntry>> SignAsync(List<OutboxEntry> accepted, CancellationToken cancellationToken)
    {
        var contract = chain.Options.ContractAddress!;
        RpcCall Estimate(OutboxEntry e, string block) =>
            new("eth_estimateGas", new Dictionary<string, string> { ["from"] = chain.Signer, ["to"] = contract, ["data"] = e.CallData },
                block);
        var calls = accepted.Select(e => Estimate(e, "latest")).ToList();
        var feeCalls = calls.Count;
        calls.Add(new RpcCall("eth_getBlockByNumber", "latest", false));
        calls.Add(new RpcCall("eth_maxPriorityFeePerGas"));
        calls.Add(new RpcCall("eth_gasPrice"));
        var recovering = _nextNonce is null;
        if (recovering)
        {
            calls.Add(new RpcCall("eth_getTransactionCount", chain.Signer, "pending"));
            calls.Add(new RpcCall("eth_chainId"));
        }
        var answers = await rpc.BatchAsync(calls, cancellationToken);
        var fees = Fees.From(answers[feeCalls], answers[feeCalls + 1], answers[feeCalls + 2]);
        if (recovering) RecoverNonce(answers[feeCalls + 3], answers[feeCalls + 4]);
        var estimates = answers.Take(accepted.Count).ToArray();
        var again = Enumerable.Range(0, accepted.Count).Where(i => estimates[i].Error is not null).ToList();
        if (again.Count > 0)
        {
            var pending = await rpc.BatchAsync([.. again.Select(i => Estimate(accepted[i], "pending"))], cancellationToken);
            for (var j = 0; j < again.Count; j++) estimates[again[j]] = pending[j];
        }

        var stored = new List<OutboxEntry>(accepted.Count);
        var failures = new List<(OutboxEntry, Exception)>();
        for (var i = 0; i < accepted.Count; i++)
        {
            var entry = accepted[i];
            var estimate = estimates[i];
            if (estimate.Error is { } error)
            {
                if (SimulationRefusal.From(error) is { } refusal)
                {
                    stored.Add(
                        entry with { State = OutboxState.Refused, RefusalName = refusal.Name,
                        RefusalArguments = new Dictionary<string, string>(refusal.Arguments) });
                }
                else failures.Add((entry, error));
                continue;
            }
            stored.Add(Sign(entry, _nextNonce!.Value, WriteGas.Limit(Quantity(estimate.Result), entry.GasFloor), fees));
            _nextNonce++;
        }
        store.UpdateOutbox(stored);
        foreach (var refused in stored.Where(e => e.State == OutboxState.Refused)) writer.Finished(refused);
        return [.. stored, .. Failed(failures)];
    }

    /// <summary>
    /// The chain's pending nonce, but never one an unmined entry of ours already holds (signed before a crash and not
    /// sent yet, or still in the pool): the one scan of the outbox for nonces, at start and after the count may have moved.
    /// </summary>
    private void RecoverNonce(RpcAnswer pendingCount, RpcAnswer chainIdAnswer)
    {
        if (chainIdAnswer.Error is null && Quantity(chainIdAnswer.Result) != chainId.Value)
        {
            throw new WrongChainException(
                $"the endpoint {rpc.Current} serves chain {Quantity(chainIdAnswer.Result)}, not chain {chainId.Value}");
        }
        if (pendingCount.Error is { } error) throw error;
        var held = store.PendingOutbox().Where(e => e.Nonce is not null && e.BlockNumber is null).Select(e => e.Nonce!.Value + 1)
            .DefaultIfEmpty(0UL).Max();
        _nextNonce = Math.Max(Quantity(pendingCount.Result), held);
    }

    private OutboxEntry Sign(OutboxEntry entry, ulong nonce, ulong gas, Fees fees)
    {
        var contract = chain.Options.ContractAddress!;
        var signed = fees.PriorityFee is { } tip
            ? chain.TransactionSigner.Sign1559(contract, 0, nonce, tip, fees.FeeCap, gas, entry.CallData)
            : chain.TransactionSigner.SignLegacy(contract, 0, nonce, fees.FeeCap, gas, entry.CallData);
        return entry with
        {
            State = OutboxState.Signed, Nonce = nonce, SignedTransaction = signed,
            TransactionHash = "0x" + Sha3Keccack.Current.CalculateHashFromHex(signed),
            GasLimit = gas, FeeCap = fees.FeeCap, PriorityFee = fees.PriorityFee, SentAt = null,
        };
    }

    /// <summary>Sends every signed entry in nonce order, in one batch. Sent states are stored with the receipts that follow.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> SendAsync(List<OutboxEntry> signed, CancellationToken cancellationToken)
    {
        var answers = await rpc.BatchAsync(
            [.. signed.Select(e => new RpcCall("eth_sendRawTransaction", Prefixed(e.SignedTransaction!)))], cancellationToken);
        var now = time.GetUtcNow();
        var results = new List<OutboxEntry>(signed.Count);
        var taken = new List<OutboxEntry>();
        var failures = new List<(OutboxEntry, Exception)>();
        for (var i = 0; i < signed.Count; i++)
        {
            var entry = signed[i];
            var error = answers[i].Error;
            // Already known: sent before a crash, and the same bytes are in the pool or mined.
            if (error is null || IsAlreadyKnown(error.Message)) results.Add(Sent(entry, now));
            else if (error.Message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)) taken.Add(entry);
            else failures.Add((entry, error));
        }
        if (taken.Count > 0)
        {
            // Our transaction is known (mined or pooled): fine. Otherwise another transaction took the nonce, so these
            // signed bytes can never land, and signing the same call afresh cannot make it land twice.
            // Every hash the nonce was signed under counts: a replaced transaction may be the one that was mined.
            var known = await KnownAsync(taken, cancellationToken);
            var unsigned = new List<OutboxEntry>();
            foreach (var entry in taken)
            {
                var answer = known[entry.Sequence];
                if (answer.Error is { } error) failures.Add((entry, error));
                else if (answer.Known) results.Add(Sent(entry, now));
                else unsigned.Add(Unsigned(entry));
            }
            if (unsigned.Count > 0)
            {
                store.UpdateOutbox(unsigned);
                results.AddRange(unsigned);
                _nextNonce = null;
            }
        }
        return [.. results, .. Failed(failures)];
    }

    /// <summary>
    /// Whether the chain knows a transaction of each entry (mined or in its pool) under any hash its nonce was signed with:
    /// one eth_getTransactionByHash batch. An error answered for any of an entry's hashes leaves the answer open.
    /// </summary>
    private async Task<Dictionary<ulong, (bool Known, RpcResponseException? Error)>> KnownAsync(
        IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var lookups = entries.SelectMany(e => Hashes(e).Select(hash => (Entry: e, Hash: hash))).ToList();
        var answers = await rpc.BatchAsync([.. lookups.Select(l => new RpcCall("eth_getTransactionByHash", l.Hash))], cancellationToken);
        var known = entries.ToDictionary(e => e.Sequence, _ => (Known: false, Error: (RpcResponseException?)null));
        for (var i = 0; i < lookups.Count; i++)
        {
            var sequence = lookups[i].Entry.Sequence;
            var (isKnown, error) = known[sequence];
            known[sequence] = (isKnown || answers[i] is { Error: null, IsNull: false }, error ?? answers[i].Error);
        }
        return known.ToDictionary(k => k.Key, k => k.Value.Known ? (true, null) : k.Value);
    }

    /// <summary>Its nonce went to another transaction, so none of its signed bytes can ever land: signed afresh from its call.</summary>
    private static OutboxEntry Unsigned(OutboxEntry entry) => entry with
    {
        State = OutboxState.Accepted, Nonce = null, SignedTransaction = null, TransactionHash = null, ReplacedTransactionHashes = null,
        SentAt = null,
    };

    private OutboxEntry Sent(OutboxEntry entry, DateTimeOffset now)
    {
        _justSent.Add(entry.Sequence);
        return entry with { State = OutboxState.Sent, SentAt = entry.SentAt ?? now };
    }

    /// <summary>
    /// Looks for the receipts of every transaction in the pool in one batch (under any hash its nonce was signed with), when
    /// something was just sent or a new block came; stores what was mined with the sent states in one synced batch, and
    /// replaces a transaction that is next in line yet stuck in the pool.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> ReceiptsAsync(List<OutboxEntry> inPool, CancellationToken cancellationToken)
    {
        var fresh = new HashSet<ulong>(_justSent);
        _justSent.Clear();
        var now = time.GetUtcNow();
        var poolSuspect = _poolMayBeLost || !Equals(_poolCheckedOn, rpc.Current);
        var checkPool = poolSuspect || now - _poolCheckedAt >= PoolCheck;
        var lookups = inPool.SelectMany(e => Hashes(e).Select(hash => (Entry: e, Hash: hash))).ToList();
        List<RpcCall> receiptCalls = [.. lookups.Select(l => new RpcCall("eth_getTransactionReceipt", l.Hash))];
        // Right after a send the receipts are wanted whatever the head: asked for with it, in one round trip.
        var withHead = fresh.Count > 0 || checkPool;
        var answers = await rpc.BatchAsync(
            [new RpcCall("eth_blockNumber"), new RpcCall("eth_getTransactionCount", chain.Signer, "latest"),
                .. withHead ? receiptCalls : []], cancellationToken);
        var head = answers.Take(2).ToArray();
        if (head[0].Error is { } headError) throw headError;
        var block = Quantity(head[0].Result);
        IReadOnlyList<RpcAnswer> receipts;
        if (withHead)
        {
            receipts = [.. answers.Skip(2)];
            // The batch's calls may be answered in any order: a block mined between them is looked in again next time.
            _receiptsCheckedAt = null;
        }
        else
        {
            if (block == _receiptsCheckedAt) return await ReplaceStuckAsync(inPool, head[1], cancellationToken);
            _receiptsCheckedAt = block;
            receipts = await rpc.BatchAsync(receiptCalls, cancellationToken);
        }
        var found = new Dictionary<ulong, OutboxEntry>();
        for (var i = 0; i < lookups.Count; i++)
        {
            var (entry, hash) = lookups[i];
            if (receipts[i].Error is not null || receipts[i].IsNull || found.ContainsKey(entry.Sequence)) continue;
            var receipt = receipts[i].Result;
            var number = Quantity(receipt.GetProperty("blockNumber"));
            found[entry.Sequence] = Quantity(receipt.GetProperty("status")) == 1
                ? entry with { TransactionHash = hash, BlockNumber = number }
                : entry with { TransactionHash = hash, State = OutboxState.Refused, BlockNumber = number, RefusalName = "Reverted" };
        }
        var changed = inPool.Select(e => found.GetValueOrDefault(e.Sequence, e))
            .Where(e => found.ContainsKey(e.Sequence) || fresh.Contains(e.Sequence)).ToList();
        // Sent and mined are what the chain knows anyway: lost in a crash, they are read back (a resend is "already known").
        store.UpdateOutbox(changed, durable: false);
        foreach (var refused in changed.Where(e => e.State == OutboxState.Refused)) writer.Finished(refused);
        if (found.Count > 0) sync.Wake();
        var still = inPool.Where(e => !found.ContainsKey(e.Sequence)).ToList();
        if (checkPool && head[1].Error is null)
        {
            var lost = await LostAsync(
                still.Where(e => !fresh.Contains(e.Sequence)).ToList(), Quantity(head[1].Result), poolSuspect, cancellationToken);
            _poolMayBeLost = false;
            _poolCheckedAt = now;
            _poolCheckedOn = rpc.Current;
            if (lost.Count > 0)
            {
                var lostSequences = lost.Select(e => e.Sequence).ToHashSet();
                return [.. changed, .. lost,
                    .. await ReplaceStuckAsync([.. still.Where(e => !lostSequences.Contains(e.Sequence))], head[1], cancellationToken)];
            }
        }
        return [.. changed, .. await ReplaceStuckAsync(still, head[1], cancellationToken)];
    }

    /// <summary>
    /// Sent transactions the chain does not know at all (not mined, not in its pool: a restarted chain node forgot its
    /// pool, or another endpoint never saw them). One whose nonce is still free goes back to Signed, so the next step
    /// broadcasts the very same signed bytes again (same nonce, same hash); one whose nonce another transaction took
    /// (the chain's count is past it and none of its hashes is known) can never land and is signed afresh. Stored in
    /// one synced batch.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> LostAsync(
        List<OutboxEntry> waiting, ulong minedCount, bool suspect, CancellationToken cancellationToken)
    {
        if (waiting.Count == 0) return [];
        // The routine look asks only for the lowest nonce waiting (a pool that forgets, forgets it too, and it is next
        // to be mined); all of them once it is unknown, or after an outage or a change of endpoint.
        if (!suspect && waiting.MinBy(e => e.Nonce) is { } lowest
            && (await KnownAsync([lowest], cancellationToken))[lowest.Sequence] is not (false, null)) return [];
        var known = await KnownAsync(waiting, cancellationToken);
        var lost = new List<OutboxEntry>();
        foreach (var entry in waiting)
        {
            var (isKnown, error) = known[entry.Sequence];
            if (isKnown || error is not null) continue;
            if (entry.Nonce < minedCount)
            {
                lost.Add(Unsigned(entry));
                _nextNonce = null;
            }
            else lost.Add(entry with { State = OutboxState.Signed, SentAt = null });
        }
        if (lost.Count == 0) return [];
        store.UpdateOutbox(lost);
        LogLostFromPool(logger, lost.Count(e => e.State == OutboxState.Signed), lost.Count(e => e.State == OutboxState.Accepted));
        return lost;
    }

    private static IEnumerable<string> Hashes(OutboxEntry entry) => [entry.TransactionHash!, .. entry.ReplacedTransactionHashes ?? []];

    /// <summary>
    /// The transaction next in nonce order, sent long ago and still unmined (its fee fell below what blocks take, or the
    /// pool lost it), is signed again under the same nonce with higher fees; only one of the two can ever be mined, so the
    /// write lands once. When no write of ours holds that nonce at all (its entry was dead-lettered before it was ever
    /// sent), the writes behind it wait on a gap: an empty transfer to ourselves fills it, and a later retry of the
    /// dead-lettered write finds its nonce taken and is signed afresh.
    /// </summary>
    private async Task<IReadOnlyList<OutboxEntry>> ReplaceStuckAsync(
        List<OutboxEntry> inPool, RpcAnswer minedCount, CancellationToken cancellationToken)
    {
        if (minedCount.Error is not null || inPool.Count == 0) return [];
        var next = Quantity(minedCount.Result);
        var o = outboxOptions.Value;
        var lowest = inPool.Where(e => e.Nonce >= next).MinBy(e => e.Nonce);
        if (lowest is null || !(lowest.SentAt + TimeSpan.FromSeconds(o.ReplaceAfterSeconds) <= time.GetUtcNow())
            || lowest.FeeCap is null) return [];
        BigInteger Bumped(ulong fee) => new BigInteger(fee) * (100 + o.FeeBumpPercent) / 100 + 1;
        var fees = new Fees((ulong)Bumped(lowest.FeeCap.Value), lowest.PriorityFee is { } tip ? (ulong)Bumped(tip) : null);
        if (lowest.Nonce > next)
        {
            var filler = fees.PriorityFee is { } fillerTip
                ? chain.TransactionSigner.Sign1559(chain.Signer, 0, next, fillerTip, fees.FeeCap, 21_000, "")
                : chain.TransactionSigner.SignLegacy(chain.Signer, 0, next, fees.FeeCap, 21_000, "");
            await rpc.CallAsync(new RpcCall("eth_sendRawTransaction", Prefixed(filler)), cancellationToken);
            LogGapFilled(logger, next, lowest.Sequence);
            return [];
        }
        var replacement = Sign(lowest, next, lowest.GasLimit!.Value, fees) with { ReplacedTransactionHashes = [.. Hashes(lowest)] };
        store.UpdateOutbox(replacement);
        LogReplaced(logger, lowest.Sequence, lowest.Operation, next, lowest.TransactionHash!, replacement.TransactionHash!);
        return [replacement];
    }

    /// <summary>Mined entries whose block the index has applied are confirmed, in one synced batch, and their callers answered.</summary>
    private List<OutboxEntry> Confirm(List<OutboxEntry> mined)
    {
        var synced = index.Synced?.BlockNumber;
        var confirmed = mined.Where(e => synced >= e.BlockNumber).Select(e => e with { State = OutboxState.Confirmed }).ToList();
        if (confirmed.Count < mined.Count) sync.Wake();
        // A confirmation lost in a crash is made again from the chain's receipt: the caller's answer cannot change.
        store.UpdateOutbox(confirmed, durable: false);
        foreach (var entry in confirmed) writer.Finished(entry);
        return confirmed;
    }

    private static string Prefixed(string hex) => hex.StartsWith("0x", StringComparison.Ordinal) ? hex : "0x" + hex;

    private static bool IsAlreadyKnown(string message) =>
        message.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || message.Contains("already imported", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The fees a pass signs with: EIP-1559 (fee cap and priority fee) where the latest block has a base fee, else a legacy gas price.
    /// </summary>
    private sealed record Fees(ulong FeeCap, ulong? PriorityFee)
    {
        private const ulong OneGwei = 1_000_000_000;

        public static Fees From(RpcAnswer latestBlock, RpcAnswer priorityFee, RpcAnswer gasPrice)
        {
            if (latestBlock.Error is null && !latestBlock.IsNull && latestBlock.Result.TryGetProperty("baseFeePerGas", out var baseFee)
                && baseFee.ValueKind == JsonValueKind.String)
            {
                var tip = priorityFee.Error is null && !priorityFee.IsNull ? Quantity(priorityFee.Result) : OneGwei;
                // Twice the base fee: room for six full blocks in a row (each may raise it by 12.5%) before the cap binds.
                return new Fees(2 * Quantity(baseFee) + tip, tip);
            }
            if (gasPrice.Error is { } error) throw error;
            return new Fees(Quantity(gasPrice.Result), null);
        }
    }

    [LoggerMessage(
        EventId = 2002, Level = LogLevel.Warning,
        Message = "Write {Sequence} ({Operation}) failed attempt {Attempts} of {MaxAttempts}; next try in {Seconds:F1} s: {Failure}")]
    private static partial void LogAttemptFailed(
        ILogger logger, ulong sequence, string operation, int attempts, int maxAttempts, double seconds, string failure);

    [LoggerMessage(
        EventId = 2003, Level = LogLevel.Error,
        Message = "Write {Sequence} ({Operation}, request {RequestId}) dead-lettered after {Attempts} attempts: {Failure}. An admin can " +
        "list and retry it")]
    private static partial void LogDeadLettered(
        ILogger logger, ulong sequence, string operation, string requestId, int attempts, string failure);

    [LoggerMessage(
        EventId = 2005, Level = LogLevel.Warning,
        Message = "Nonce {Nonce} is held by no write in line (its write was dead-lettered unsent) while write {Sequence} waits behind " +
        "it: filled with an empty transfer")]
    private static partial void LogGapFilled(ILogger logger, ulong nonce, ulong sequence);

    [LoggerMessage(
        EventId = 2006, Level = LogLevel.Warning,
        Message = "The chain does not know {Rebroadcast} sent transaction(s) of ours (its pool forgot them): broadcast again with the " +
        "same signed bytes; {Resigned} whose nonce another transaction took are signed afresh")]
    private static partial void LogLostFromPool(ILogger logger, int rebroadcast, int resigned);

    [LoggerMessage(
        EventId = 2004, Level = LogLevel.Warning,
        Message = "Write {Sequence} ({Operation}) stuck in the pool under nonce {Nonce}: transaction {Stuck} replaced by {Replacement} " +
        "with higher fees")]
    private static partial void LogReplaced(
        ILogger logger, ulong sequence, string operation, ulong nonce, string stuck, string replacement);
}

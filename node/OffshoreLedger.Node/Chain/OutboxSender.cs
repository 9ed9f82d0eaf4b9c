using Microsoft.Extensions.Options;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// Drives each outbox entry through simulate → sign (nonce and signed bytes stored first) → send → receipt →
/// confirmed by the index. Every step is durable before the next, so after a crash it resumes where it was
/// and resends the same signed bytes: an accepted write lands exactly once.
/// </summary>
/// <remarks>
/// One entry never holds up another: a simulation that reverts, for whatever reason, ends its entry refused; an error
/// the chain answers with counts against that entry alone, which backs off and, after <see cref="OutboxOptions.MaxAttempts"/>,
/// is dead-lettered for an operator; only an outage (the chain not answering at all) pauses the whole line, and counts
/// against no entry.
/// </remarks>
public sealed partial class OutboxSender(
    LedgerStore store, LedgerChain chain, LedgerIndex index, LedgerWriter writer, OutboxSignal signal, SyncSignal sync,
    ChainAvailability availability, TimeProvider time, IOptions<ChainOptions> options, IOptions<OutboxOptions> outboxOptions,
    ILogger<OutboxSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var reachable = await PassAsync(stoppingToken);
            var waiting = reachable && store.PendingOutbox().Any(e => e.NextAttemptAt is null || e.NextAttemptAt <= time.GetUtcNow());
            await signal.Signal.WaitAsync(waiting ? TimeSpan.FromMilliseconds(20) : poll, stoppingToken);
        }
    }

    /// <summary>Advances every entry that is due, each on its own; false when the chain could not be reached.</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in store.PendingOutbox())
        {
            if (entry.NextAttemptAt > time.GetUtcNow()) continue;
            try
            {
                await AdvanceAsync(entry, cancellationToken);
                availability.Reachable();
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ChainAvailability.IsUnreachable(ex))
            {
                availability.Unreachable("outbox", ex);
                return false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(store.FindOutbox(entry.RequestId) ?? entry, ex);
            }
        }
        return true;
    }

    /// <summary>An attempt the chain answered with an error: the entry backs off, or leaves the line once out of attempts.</summary>
    private void Failed(OutboxEntry entry, Exception exception)
    {
        var o = outboxOptions.Value;
        var attempts = entry.Attempts + 1;
        var failure = exception.GetBaseException().Message;
        if (attempts >= o.MaxAttempts)
        {
            var dead = entry with { Attempts = attempts, LastFailure = failure, NextAttemptAt = null, DeadLetteredAt = time.GetUtcNow() };
            store.UpdateOutbox(dead);
            LogDeadLettered(logger, dead.Sequence, dead.Operation, dead.RequestId, attempts, failure);
            writer.Finished(dead);
            return;
        }
        var backoff = o.Backoff(attempts);
        store.UpdateOutbox(entry with { Attempts = attempts, LastFailure = failure, NextAttemptAt = time.GetUtcNow() + backoff });
        LogAttemptFailed(logger, entry.Sequence, entry.Operation, attempts, o.MaxAttempts, backoff.TotalSeconds, failure);
    }

    private async Task AdvanceAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (entry.State == OutboxState.Accepted) entry = await SignAsync(entry);
        if (entry.State is OutboxState.Refused)
        {
            writer.Finished(entry);
            return;
        }
        if (entry.State == OutboxState.Signed) entry = await SendAsync(entry);
        if (entry.State == OutboxState.Sent && entry.BlockNumber is null) entry = await ReceiptAsync(entry);
        if (entry.State == OutboxState.Sent && entry.BlockNumber is { } block)
        {
            if (index.Synced?.BlockNumber >= block)
            {
                entry = entry with { State = OutboxState.Confirmed };
                store.UpdateOutbox(entry);
                writer.Finished(entry);
            }
            else
            {
                sync.Signal.Wake();
            }
        }
        if (entry.State == OutboxState.Refused) writer.Finished(entry);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Simulates the call (a refusal ends here, with its decoded reason), then assigns the nonce and signs.</summary>
    private async Task<OutboxEntry> SignAsync(OutboxEntry entry)
    {
        var call = new CallInput(entry.CallData, chain.Options.ContractAddress) { From = chain.Signer };
        HexBigInteger gas;
        try
        {
            gas = await chain.Web3.Eth.Transactions.EstimateGas.SendRequestAsync(call);
        }
        catch (Exception ex) when (SimulationRefusal.From(ex) is { } refusal)
        {
            var refused = entry with
            {
                State = OutboxState.Refused,
                RefusalName = refusal.Name,
                RefusalArguments = new Dictionary<string, string>(refusal.Arguments),
            };
            store.UpdateOutbox(refused);
            return refused;
        }

        var nonce = await NextNonceAsync();
        var gasPrice = await chain.Web3.Eth.GasPrice.SendRequestAsync();
        var signed = chain.TransactionSigner.SignLegacy(chain.Options.ContractAddress!, 0, nonce, gasPrice.Value, gas.Value * 5 / 4 + 10_000, entry.CallData);
        var hash = "0x" + Sha3Keccack.Current.CalculateHashFromHex(signed);
        var signedEntry = entry with { State = OutboxState.Signed, Nonce = nonce, SignedTransaction = signed, TransactionHash = hash };
        store.UpdateOutbox(signedEntry);
        return signedEntry;
    }

    /// <summary>
    /// The chain's pending nonce, but never one an unmined entry of ours already holds (signed before a crash and
    /// not sent yet, or still in the pool). Asking every time lets it move down too, when a reorg dropped our transactions.
    /// </summary>
    private async Task<ulong> NextNonceAsync()
    {
        var pending = (ulong)(await chain.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(chain.Signer, BlockParameter.CreatePending())).Value;
        var held = store.PendingOutbox().Where(e => e.Nonce is not null && e.BlockNumber is null).Select(e => e.Nonce!.Value + 1).DefaultIfEmpty(0UL).Max();
        return Math.Max(pending, held);
    }

    private async Task<OutboxEntry> SendAsync(OutboxEntry entry)
    {
        try
        {
            await chain.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(Prefixed(entry.SignedTransaction!));
        }
        catch (RpcResponseException ex) when (IsAlreadyKnown(ex.Message))
        {
            // Sent before a crash: the same bytes are already in the pool or mined.
        }
        catch (RpcResponseException ex) when (ex.Message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase))
        {
            // Our transaction is known (mined or pooled): fine. Otherwise another transaction took the nonce, so these
            // signed bytes can never land, and signing the same call afresh cannot make it land twice.
            if (await chain.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(entry.TransactionHash) is null)
            {
                var unsigned = entry with { State = OutboxState.Accepted, Nonce = null, SignedTransaction = null, TransactionHash = null };
                store.UpdateOutbox(unsigned);
                return unsigned;
            }
        }
        var sent = entry with { State = OutboxState.Sent };
        store.UpdateOutbox(sent);
        return sent;
    }

    private async Task<OutboxEntry> ReceiptAsync(OutboxEntry entry)
    {
        var receipt = await chain.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(entry.TransactionHash);
        if (receipt is null) return entry;
        var mined = receipt.Status?.Value == 1
            ? entry with { BlockNumber = (ulong)receipt.BlockNumber.Value }
            : entry with { State = OutboxState.Refused, BlockNumber = (ulong)receipt.BlockNumber.Value, RefusalName = "Reverted" };
        store.UpdateOutbox(mined);
        sync.Signal.Wake();
        return mined;
    }

    private static string Prefixed(string hex) => hex.StartsWith("0x", StringComparison.Ordinal) ? hex : "0x" + hex;

    private static bool IsAlreadyKnown(string message) =>
        message.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || message.Contains("already imported", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Write {Sequence} ({Operation}) failed attempt {Attempts} of {MaxAttempts}; next try in {Seconds:F1} s: {Failure}")]
    private static partial void LogAttemptFailed(ILogger logger, ulong sequence, string operation, int attempts, int maxAttempts, double seconds, string failure);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Write {Sequence} ({Operation}, request {RequestId}) dead-lettered after {Attempts} attempts: {Failure}. An admin can list and retry it")]
    private static partial void LogDeadLettered(ILogger logger, ulong sequence, string operation, string requestId, int attempts, string failure);
}

using Google.Protobuf;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Replay;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// What every write RPC does after validating: submit to the outbox under the caller's request id, turn a
/// refusal into its status, and hand back the confirmed transaction's contract events.
/// </summary>
public sealed class LedgerWrites(LedgerWriter writer, LedgerIndex index)
{
    public async Task<(OutboxEntry Entry, IReadOnlyList<IEventDTO> Events)> SubmitAsync<TFunction>(
        string requestId, string operation, TFunction call, string submittedBy, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        OutboxEntry entry;
        try
        {
            entry = await writer.SubmitAsync(requestId, operation, call, submittedBy, cancellationToken);
        }
        catch (RequestIdReusedException)
        {
            throw RpcErrors.RequestIdReused(requestId);
        }
        if (entry.State == OutboxState.Refused) throw RpcErrors.Refused(entry.RefusalName!, entry.RefusalArguments);
        if (entry.DeadLetteredAt is not null) throw RpcErrors.DeadLettered(entry.RequestId, entry.Attempts, entry.LastFailure ?? "");
        // Confirmed means the index has applied the transaction's block: its events come from there, not from one more
        // round trip to the chain, which may have gone away since (the caller would get an error for a write that landed).
        return (entry, [.. index.EventsOf(entry.TransactionHash!).Select(e => e.Event)]);
    }

    public static WriteReceipt Receipt(OutboxEntry entry) => new()
    {
        RequestId = entry.RequestId,
        State = entry.State switch
        {
            OutboxState.Confirmed => WriteState.Confirmed,
            OutboxState.Refused => WriteState.Refused,
            OutboxState.Sent or OutboxState.Signed => WriteState.Sent,
            _ => WriteState.Accepted,
        },
        TransactionHash = entry.TransactionHash is null ? ByteString.Empty : ByteString.CopyFrom(Hex.Bytes(entry.TransactionHash)),
        BlockNumber = entry.BlockNumber ?? 0,
    };
}

/// <summary>UN/ECE Rec. 20 unit codes as the contract stores them: ASCII, right-padded to 8 bytes.</summary>
public static class UnitCode
{
    public static byte[] ToBytes(string unit)
    {
        var bytes = new byte[8];
        System.Text.Encoding.ASCII.GetBytes(unit).CopyTo(bytes, 0);
        return bytes;
    }

    public static string FromBytes(byte[] unit) => System.Text.Encoding.ASCII.GetString(unit).TrimEnd('\0');
}

using System.Collections.Immutable;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;

namespace OffshoreLedger.Contracts.Bindings;

/// <summary>One decoded contract event with its place in the chain.</summary>
public sealed record LedgerEvent(IEventDTO Event, BigInteger BlockNumber, string BlockHash, BigInteger LogIndex, string TransactionHash);

/// <summary>Decodes raw logs of the OffshoreLedger contract into typed events, in chain order.</summary>
public static class LedgerEvents
{
    private static readonly ImmutableDictionary<string, Func<FilterLog, IEventDTO>> Decoders =
        new (string Topic, Func<FilterLog, IEventDTO> Decode)[]
        {
            Decoder<AdminAddedEvent>(), Decoder<AdminRemovedEvent>(), Decoder<ThresholdChangedEvent>(),
            Decoder<ProposalCreatedEvent>(), Decoder<ProposalApprovedEvent>(), Decoder<ProposalExecutedEvent>(),
            Decoder<MemberEnrolledEvent>(), Decoder<MemberUpdatedEvent>(), Decoder<MemberRemovedEvent>(),
            Decoder<TitleRegisteredEvent>(), Decoder<TitleTransferredEvent>(), Decoder<TitleSurrenderedEvent>(),
            Decoder<PledgedEvent>(), Decoder<PledgeBlockedEvent>(), Decoder<ReleasedEvent>(),
            Decoder<LoadingAttestedEvent>(), Decoder<LotOverIssuedEvent>(), Decoder<AnchoredEvent>(),
        }.ToImmutableDictionary(d => d.Topic, d => d.Decode);

    /// <summary>The number of distinct event types the contract emits.</summary>
    public static int KnownEventCount => Decoders.Count;

    /// <summary>Decodes one log; null if it is not an OffshoreLedger event.</summary>
    public static LedgerEvent? Decode(FilterLog log)
    {
        var topic0 = log.Topics is { Length: > 0 } ? log.Topics[0]?.ToString()?.ToLowerInvariant() : null;
        if (topic0 is null || !Decoders.TryGetValue(topic0, out var decode)) return null;
        return new LedgerEvent(decode(log), log.BlockNumber.Value, log.BlockHash, log.LogIndex.Value, log.TransactionHash);
    }

    /// <summary>Decodes the events of a receipt.</summary>
    public static IReadOnlyList<LedgerEvent> Decode(TransactionReceipt receipt) =>
        Decode(receipt.Logs ?? []);

    public static IReadOnlyList<LedgerEvent> Decode(IEnumerable<FilterLog> logs) =>
        logs.Select(Decode).OfType<LedgerEvent>()
            .OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex)
            .ToList();

    /// <summary>Every event of the contract from <paramref name="fromBlock"/> to the latest block, in windows.</summary>
    public static async Task<IReadOnlyList<LedgerEvent>> ReadAllAsync(
        LedgerContract contract, BigInteger fromBlock, int windowBlocks = 2_000, CancellationToken cancellationToken = default)
    {
        var latest = (await contract.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var logs = new List<FilterLog>();
        for (var start = fromBlock; start <= latest; start += windowBlocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = BigInteger.Min(latest, start + windowBlocks - 1);
            var filter = new NewFilterInput
            {
                Address = [contract.Address],
                FromBlock = new BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(start)),
                ToBlock = new BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(end)),
            };
            logs.AddRange(await contract.Web3.Eth.Filters.GetLogs.SendRequestAsync(filter));
        }
        return Decode(logs);
    }

    private static (string, Func<FilterLog, IEventDTO>) Decoder<TEvent>() where TEvent : IEventDTO, new()
    {
        var topic = "0x" + ABITypedRegistry.GetEvent<TEvent>().Sha3Signature.ToLowerInvariant();
        return (topic, log => log.DecodeEvent<TEvent>().Event);
    }
}

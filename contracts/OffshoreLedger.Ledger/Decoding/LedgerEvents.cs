using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Ledger.Decoding;

/// <summary>One decoded contract event with its place in the chain.</summary>
public sealed record LedgerEvent(IEventDTO Event, BigInteger BlockNumber, string BlockHash, BigInteger LogIndex, string TransactionHash)
{
    /// <summary>
    /// Its block's Unix time in seconds; 0 when the source did not carry it (a receipt, or a log nothing needed the time of).
    /// </summary>
    public ulong Timestamp { get; init; }
}

/// <summary>Decodes raw logs of the OffshoreLedger contract into typed events, in chain order.</summary>
public static class LedgerEvents
{
    /// <summary>One event type: its topic 0, its name in the contract, Nethereum's decoder and the replay's own layout.</summary>
    private sealed record EventKind(Type Type, string Topic, string Name, Func<FilterLog, IEventDTO> Decode, EventLayout Layout)
    {
        public byte[] TopicBytes { get; } = Replay.Hex.Bytes(Topic);
    }

    private static readonly ImmutableArray<EventKind> Kinds =
    [
        Kind<AdminAddedEvent>(), Kind<AdminRemovedEvent>(), Kind<ThresholdChangedEvent>(),
        Kind<ProposalCreatedEvent>(), Kind<ProposalApprovedEvent>(), Kind<ProposalExecutedEvent>(),
        Kind<MemberEnrolledEvent>(), Kind<MemberUpdatedEvent>(), Kind<MemberRemovedEvent>(),
        Kind<TitleRegisteredEvent>(), Kind<TitleTransferredEvent>(), Kind<TitleSurrenderedEvent>(),
        Kind<PledgedEvent>(), Kind<PledgeBlockedEvent>(), Kind<ReleasedEvent>(),
        Kind<LoadingAttestedEvent>(), Kind<LotOverIssuedEvent>(), Kind<AnchoredEvent>(),
        Kind<ExpiredLockReleasedEvent>(), Kind<DefaultDeclaredEvent>(), Kind<DefaultContestedEvent>(), Kind<PledgeTermsChangedEvent>(),
        Kind<ConsentRevokedEvent>(),
        Kind<ProposalApprovalWithdrawnEvent>(), Kind<ProposalQueuedEvent>(), Kind<MemberReenrolledEvent>(), Kind<MemberKeyRotatedEvent>(),
        Kind<CarrierCodeBoundEvent>(), Kind<PortCodeBoundEvent>(), Kind<KeyLockSupersededEvent>(),
        Kind<AttestationCorrectedEvent>(), Kind<OverIssueClearedEvent>(), Kind<TitleVoidedEvent>(), Kind<MemberNamedEvent>(),
    ];

    private static readonly FrozenDictionary<string, EventKind> ByTopic = Kinds.ToFrozenDictionary(k => k.Topic);
    private static readonly FrozenDictionary<Type, EventKind> ByType = Kinds.ToFrozenDictionary(k => k.Type);

    /// <summary>The number of distinct event types the contract emits.</summary>
    public static int KnownEventCount => Kinds.Length;

    /// <summary>The contract's event names, in the order the bindings list them.</summary>
    public static IReadOnlyList<string> KnownEventNames { get; } = [.. Kinds.Select(k => k.Name)];

    /// <summary>An event's name in the contract, e.g. <c>PledgeBlocked</c>.</summary>
    public static string NameOf(IEventDTO e) => ByType[e.GetType()].Name;

    /// <summary>
    /// Decodes one log as Nethereum hands it over with the contract's own layouts, the decoder the replay and the node's
    /// sync use: one decoder for every pipeline, far cheaper a log than Nethereum's (BENCHMARKS.md, "Audit replay"). Null
    /// if it is not an OffshoreLedger event.
    /// </summary>
    public static LedgerEvent? Decode(FilterLog log) => Decode(Replay.ChainLog.From(log));

    /// <summary>Decodes one log with Nethereum's general decoder: the reference the layouts are tested against.</summary>
    public static LedgerEvent? DecodeWithNethereum(FilterLog log) => KindOf(log) is { } kind
        ? new LedgerEvent(kind.Decode(log), log.BlockNumber.Value, log.BlockHash, log.LogIndex.Value, log.TransactionHash)
        : null;

    private static EventKind? KindOf(FilterLog log)
    {
        var topic0 = log.Topics is { Length: > 0 } ? log.Topics[0]?.ToString()?.ToLowerInvariant() : null;
        return topic0 is not null && ByTopic.TryGetValue(topic0, out var kind) ? kind : null;
    }

    /// <summary>
    /// Decodes one raw log read by the replay (with the contract's own layouts, not Nethereum's decoder); null if it is not an
    /// OffshoreLedger event.
    /// </summary>
    public static LedgerEvent? Decode(Replay.ChainLog log)
    {
        if (log.Topics.Length == 0 || KindOf(log.Topics[0]) is not { } kind) return null;
        return new LedgerEvent(kind.Layout.Decode(log.Topics, log.Data), log.BlockNumber, log.BlockHash, log.LogIndex, log.TransactionHash)
        {
            Timestamp = log.BlockTimestamp,
        };
    }

    /// <summary>
    /// The kind whose signature is <paramref name="topic0"/>: two dozen comparisons of 32 bytes cost less than making a hex string to look
    /// up.
    /// </summary>
    private static EventKind? KindOf(byte[] topic0)
    {
        foreach (var kind in Kinds)
        {
            if (kind.TopicBytes.AsSpan().SequenceEqual(topic0)) return kind;
        }
        return null;
    }

    /// <summary>Topic 0 of an event type, lower-case 0x-hex.</summary>
    public static string SignatureOf<TEvent>() where TEvent : IEventDTO, new() =>
        "0x" + ABITypedRegistry.GetEvent<TEvent>().Sha3Signature.ToLowerInvariant();

    /// <summary>Decodes the events of a receipt.</summary>
    public static IReadOnlyList<LedgerEvent> Decode(TransactionReceipt receipt) =>
        Decode(receipt.Logs ?? []);

    /// <summary>The events of logs the replay's reader read (or a node stored), in chain order.</summary>
    public static IReadOnlyList<LedgerEvent> Decode(IEnumerable<Replay.ChainLog> logs) =>
        logs.Select(Decode).OfType<LedgerEvent>()
            .OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex)
            .ToList();

    public static IReadOnlyList<LedgerEvent> Decode(IEnumerable<FilterLog> logs) => Decode(logs.Select(Replay.ChainLog.From));

    /// <summary>Every event of the contract from <paramref name="fromBlock"/> to the latest block, in windows.</summary>
    public static async Task<IReadOnlyList<LedgerEvent>> ReadAllAsync(
        LedgerContract contract, BigInteger fromBlock, int windowBlocks = 2_000, CancellationToken cancellationToken = default) =>
        Decode(await ReadAllLogsAsync(contract, fromBlock, windowBlocks, cancellationToken));

    /// <summary>Every log of the contract from <paramref name="fromBlock"/> to the latest block, in windows, undecoded.</summary>
    public static async Task<IReadOnlyList<FilterLog>> ReadAllLogsAsync(
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
        return logs;
    }

    private static EventKind Kind<TEvent>() where TEvent : IEventDTO, new() => new(
        typeof(TEvent), SignatureOf<TEvent>(), ABITypedRegistry.GetEvent<TEvent>().Name, log => log.DecodeEvent<TEvent>().Event,
        EventLayout.For<TEvent>());
}

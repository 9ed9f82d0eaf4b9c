using System.Text;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Util;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>Writes an event list by hand, one event per block, at chosen times: for testing the detectors as pure functions.</summary>
public sealed class HistoryBuilder
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly List<LedgerEvent> _events = [];
    private double _hours;

    public IReadOnlyList<LedgerEvent> Events => _events;

    public static string Party(string name) =>
        "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(name))[12..]);

    public static byte[] Key(string label) => TestConsortium.Key(label);

    /// <summary>Moves the clock to <paramref name="hours"/> after the start.</summary>
    public HistoryBuilder At(double hours)
    {
        _hours = hours;
        return this;
    }

    public HistoryBuilder Register(ulong title, string holder, params string[] keys) => Add(new TitleRegisteredEvent
    {
        TitleId = title, LotKeys = [TestConsortium.Lot("lot")], Holder = Party(holder), Issuer = Party(holder), Quantities = [10],
        CarrierCode = LedgerCode.ToBytes("CARR"),
        Unit = TestConsortium.MetricTonnes, Keys = [.. keys.Select(Key)],
    });

    public HistoryBuilder Pledge(ulong pledge, string bank, ulong[] titles, params string[] keys) => Add(new PledgedEvent
    {
        PledgeId = pledge, Pledgee = Party(bank), Borrower = Party("borrower"), FinancingReference = Key("loan:" + pledge),
        Expiry = 4_102_444_800, TitleIds = [.. titles], Keys = [.. keys.Select(Key)],
    });

    public HistoryBuilder Release(ulong pledge, string by, params ulong[] titles) =>
        Add(new ReleasedEvent { PledgeId = pledge, By = Party(by), TitleIds = [.. titles] });

    public HistoryBuilder Transfer(ulong title, string from, string to) =>
        Add(new TitleTransferredEvent { TitleId = title, From = Party(from), To = Party(to), By = Party(from) });

    /// <summary>
    /// Any event, in a block of its own; with <paramref name="inSameTransaction"/>, next in the last event's transaction.
    /// </summary>
    public HistoryBuilder Then(IEventDTO e, bool inSameTransaction = false)
    {
        if (!inSameTransaction || _events.Count == 0) return Add(e);
        var last = _events[^1];
        _events.Add(last with { Event = e, LogIndex = last.LogIndex + 1 });
        return this;
    }

    /// <summary>Unix seconds at <paramref name="hours"/> after the start.</summary>
    public static ulong Seconds(double hours) => (ulong)Start.AddHours(hours).ToUnixTimeSeconds();

    private HistoryBuilder Add(IEventDTO e)
    {
        var block = _events.Count + 1;
        _events.Add(new LedgerEvent(e, block, $"0x{block:x64}", 0, $"0x{block + 1_000_000:x64}")
        {
            Timestamp = (ulong)Start.AddHours(_hours).ToUnixTimeSeconds(),
        });
        return this;
    }
}

using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>Where an event is in the chain, and when.</summary>
/// <param name="Block">Its block.</param>
/// <param name="LogIndex">Its position in the block.</param>
/// <param name="Transaction">The transaction that emitted it.</param>
/// <param name="Time">Its block's time; null when the replay did not read it.</param>
public sealed record EventRef(ulong Block, uint LogIndex, string Transaction, DateTimeOffset? Time)
{
    public static EventRef Of(LedgerEvent e) => new(
        (ulong)e.BlockNumber, (uint)e.LogIndex, e.TransactionHash,
        e.Timestamp == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)e.Timestamp));

    /// <summary>Unix seconds, for windows; 0 when unknown.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seconds => Time?.ToUnixTimeSeconds() ?? 0;
}

/// <summary>
/// A granted pledge as the history shows it: who, when, with whose consent, and every title it locked (named, or through one of its keys).
/// </summary>
public sealed record PledgeRecord(
    ulong PledgeId, string Pledgee, EventRef At, IReadOnlyList<ulong> Titles, IReadOnlyList<string> Keys, string FinancingReference,
    string Borrower);

/// <summary>One change of a title's lock: pledged (with the holder at that moment) or released.</summary>
public sealed record TitleLockChange(ulong PledgeId, bool Pledged, string Party, string Holder, EventRef At);

/// <summary>One holder of a title, from registration or a transfer.</summary>
public sealed record TitleHolding(string Holder, string? From, string? By, EventRef At, bool Registered);

/// <summary>What the history says of one collateral key: its title, and the pledges that named it.</summary>
public sealed record KeyRecord(string Key, ulong? TitleId, IReadOnlyList<PledgeRecord> Pledges);

/// <summary>
/// The event list indexed for the audit: per title its holders and its locks, per pledge what it covered, per key its
/// title and pledges. A pure function of the events in chain order; the detectors read nothing else.
/// </summary>
public sealed class LedgerHistory
{
    private readonly Dictionary<string, ulong> _keyTitle = [];
    private readonly Dictionary<ulong, PledgeRecord> _pledges = [];
    private readonly Dictionary<ulong, List<TitleLockChange>> _locks = [];
    private readonly Dictionary<ulong, List<TitleHolding>> _holders = [];
    private readonly Dictionary<string, List<PledgeRecord>> _keyPledges = [];
    private readonly Dictionary<ulong, IReadOnlyList<string>> _titleLot = [];

    private LedgerHistory(IReadOnlyList<LedgerEvent> events) => Events = events;

    public IReadOnlyList<LedgerEvent> Events { get; }

    public IReadOnlyDictionary<ulong, PledgeRecord> Pledges => _pledges;

    /// <summary>Each title's lock changes, in chain order.</summary>
    public IReadOnlyDictionary<ulong, List<TitleLockChange>> Locks => _locks;

    /// <summary>Each title's holders, in chain order, the registered holder first.</summary>
    public IReadOnlyDictionary<ulong, List<TitleHolding>> Holders => _holders;

    /// <summary>The lot key each title was registered in.</summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<string>> TitleLots => _titleLot;

    public static LedgerHistory Of(IReadOnlyList<LedgerEvent> events)
    {
        var history = new LedgerHistory(events);
        foreach (var e in events) history.Apply(e);
        return history;
    }

    /// <summary>The title a key was registered in, as of the end of the history.</summary>
    public ulong? TitleOfKey(string key) => _keyTitle.TryGetValue(Hex.Normal(key), out var title) ? title : null;

    /// <summary>A key as the chain's history knows it; null if no event ever named it.</summary>
    public KeyRecord? Key(string key)
    {
        var normal = Hex.Normal(key);
        var title = TitleOfKey(normal);
        var pledges = _keyPledges.TryGetValue(normal, out var list) ? list : [];
        return title is null && pledges.Count == 0 ? null : new KeyRecord(normal, title, pledges);
    }

    private void Apply(LedgerEvent logged)
    {
        var at = EventRef.Of(logged);
        switch (logged.Event)
        {
            case TitleRegisteredEvent e:
                foreach (var key in e.Keys) _keyTitle[Hex.Of(key)] = e.TitleId;
                _holders[e.TitleId] = [new TitleHolding(Hex.Address(e.Holder), null, Hex.Address(e.Issuer), at, Registered: true)];
                _titleLot[e.TitleId] = [.. e.LotKeys.Select(Hex.Of)];
                break;
            case TitleTransferredEvent e:
                HoldingsOf(e.TitleId)
                    .Add(new TitleHolding(Hex.Address(e.To), Hex.Address(e.From), Hex.Address(e.By), at, Registered: false));
                break;
            case PledgedEvent e:
                var keys = e.Keys.Select(Hex.Of).ToList();
                var titles = CoveredTitles(e.TitleIds, keys);
                var pledge = new PledgeRecord(
                    e.PledgeId, Hex.Address(e.Pledgee), at, titles, keys, Hex.Of(e.FinancingReference), Hex.Address(e.Borrower));
                _pledges[e.PledgeId] = pledge;
                foreach (var key in keys) KeyPledgesOf(key).Add(pledge);
                foreach (var title in titles) LocksOf(title)
                    .Add(new TitleLockChange(e.PledgeId, true, pledge.Pledgee, HolderOf(title), at));
                break;
            case ReleasedEvent e:
                foreach (var title in CoveredTitles(e.TitleIds, e.Keys.Select(Hex.Of)))
                {
                    LocksOf(title).Add(new TitleLockChange(e.PledgeId, false, Hex.Address(e.By), HolderOf(title), at));
                }
                break;
            case ExpiredLockReleasedEvent e when e.TitleId != 0:
                // A new pledge over an expired lock ends it as a release would.
                LocksOf(e.TitleId).Add(new TitleLockChange(e.PledgeId, false, Hex.ZeroAddress, HolderOf(e.TitleId), at));
                break;
            case TitleSurrenderedEvent e when e.PledgeId != 0:
                // Surrendering a pledged title ends its lock as a release would.
                LocksOf(e.TitleId).Add(new TitleLockChange(e.PledgeId, false, Hex.Address(e.By), HolderOf(e.TitleId), at));
                break;
        }
    }

    /// <summary>
    /// The titles a pledge or release touches: those it names, and those of the keys it names, once each in first-named order.
    /// </summary>
    private List<ulong> CoveredTitles(IEnumerable<ulong> titleIds, IEnumerable<string> keys) =>
        [.. titleIds.Concat(keys.Select(k => _keyTitle.TryGetValue(k, out var t) ? t : 0).Where(t => t != 0)).Distinct()];

    private string HolderOf(ulong title) => _holders.TryGetValue(title, out var h) ? h[^1].Holder : Hex.ZeroAddress;

    private List<TitleHolding> HoldingsOf(ulong title) => _holders.TryGetValue(title, out var h) ? h : _holders[title] = [];

    private List<TitleLockChange> LocksOf(ulong title) => _locks.TryGetValue(title, out var l) ? l : _locks[title] = [];

    private List<PledgeRecord> KeyPledgesOf(string key) => _keyPledges.TryGetValue(key, out var l) ? l : _keyPledges[key] = [];
}

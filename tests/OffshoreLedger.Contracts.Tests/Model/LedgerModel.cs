using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Contracts.Tests.Model;

/// <summary>The outcome a call should have: success (a granted or blocked pledge included) or a named refusal.</summary>
public sealed record Expected(string? Error, ulong? PledgeId = null, bool Blocked = false);

/// <summary>
/// A reference model of the collateral rules, written independently of the contract from the design:
/// it predicts every call's outcome (including which custom error, in the contract's check order) and
/// keeps the state the chain should have afterwards.
/// </summary>
public sealed class LedgerModel(IReadOnlyDictionary<string, MemberRoles> roles)
{
    private const ulong NoPledge = 0;

    private sealed record Lock(ulong PledgeId, string Pledgee, ulong Expiry);

    private sealed class Title
    {
        public required string Holder;
        public required string Lot;
        public required ulong Quantity;
        public TitleStatus Status = TitleStatus.Live;
        public Lock? Lock;
    }

    private sealed class Lot
    {
        public required uint Index;
        public bool Attested;
        public bool OverIssued;
        public ulong AttestedQuantity;
        public ulong LiveQuantity;
        public string Port = Hex.ZeroAddress;
        public ulong LoadedAt;
        public string DocumentHash = Hex.Of(new byte[32]);
    }

    private readonly List<Title> _titles = [];
    private readonly Dictionary<string, ulong> _keyTitle = [];
    private readonly Dictionary<string, Lock> _freeKeyLocks = [];
    private readonly Dictionary<string, Lot> _lots = [];
    private readonly List<(string Pledgee, ulong[] Titles, string[] Keys)> _pledges = [];

    /// <summary>Granted pledges by id: the bank and the units it asked for.</summary>
    public IReadOnlyList<(string Pledgee, ulong[] Titles, string[] Keys)> Pledges => _pledges;

    public ulong TitleCount => (ulong)_titles.Count;

    private bool IsMember(string account) => roles.ContainsKey(account);

    private string? RequireRole(string caller, MemberRoles anyOf) =>
        !IsMember(caller) ? "NotMember" : (roles[caller] & anyOf) == 0 ? "MissingRole" : null;

    public Expected Register(string caller, string holder, string lotKey, ulong quantity, string[] keys)
    {
        var refusal = RequireRole(caller, MemberRoles.Trader | MemberRoles.Carrier)
            ?? (!IsMember(holder) ? "NotMember" : null)
            ?? (quantity == 0 ? "InvalidQuantity" : null)
            ?? (keys.Length is 0 or > 256 ? "InvalidKeyCount" : null);
        if (refusal is not null) return new(refusal);
        var lot = _lots.GetValueOrDefault(lotKey);
        if (lot is { Attested: true } && lot.LiveQuantity + quantity > lot.AttestedQuantity) return new("LotQuantityExceeded");
        var newId = TitleCount + 1;
        var seen = new HashSet<string>();
        foreach (var key in keys)
        {
            if (_keyTitle.TryGetValue(key, out var owner) || seen.Contains(key))
            {
                return new(seen.Contains(key) || _titles[(int)owner - 1].Status == TitleStatus.Live ? "KeyAlreadyLive" : "KeyBurned");
            }
            if (_freeKeyLocks.ContainsKey(key)) return new("KeyPledged");
            seen.Add(key);
        }

        lot ??= _lots[lotKey] = new Lot { Index = (uint)_lots.Count + 1 };
        lot.LiveQuantity += quantity;
        _titles.Add(new Title { Holder = holder, Lot = lotKey, Quantity = quantity });
        foreach (var key in keys) _keyTitle[key] = newId;
        return new(null);
    }

    public Expected Transfer(string caller, ulong titleId, string newHolder)
    {
        var refusal = Controller(caller, titleId) ?? (!IsMember(newHolder) ? "NotMember" : null);
        if (refusal is not null) return new(refusal);
        _titles[(int)titleId - 1].Holder = newHolder;
        return new(null);
    }

    public Expected Surrender(string caller, ulong titleId)
    {
        var refusal = Controller(caller, titleId);
        if (refusal is not null) return new(refusal);
        var title = _titles[(int)titleId - 1];
        title.Status = TitleStatus.Surrendered;
        title.Lock = null;
        _lots[title.Lot].LiveQuantity -= title.Quantity;
        return new(null);
    }

    public Expected Pledge(string caller, ulong[] titleIds, string[] keys, ulong expiry, ulong now)
    {
        var refusal = RequireRole(caller, MemberRoles.Bank)
            ?? (expiry <= now ? "InvalidExpiry" : null)
            ?? (titleIds.Length + keys.Length is 0 or > 500 ? "InvalidBatchSize" : null);
        if (refusal is not null) return new(refusal);

        // The contract checks units in order and stops at the first lock in the way.
        foreach (var titleId in titleIds)
        {
            var problem = Pledgeable(titleId);
            if (problem is not null) return new(problem);
            if (_titles[(int)titleId - 1].Lock is { } held) return new(null, held.PledgeId, Blocked: true);
        }
        foreach (var key in keys)
        {
            if (_keyTitle.TryGetValue(key, out var titleId))
            {
                if (_titles[(int)titleId - 1].Status != TitleStatus.Live) return new("KeyBurned");
                var problem = Pledgeable(titleId);
                if (problem is not null) return new(problem);
                if (_titles[(int)titleId - 1].Lock is { } held) return new(null, held.PledgeId, Blocked: true);
            }
            else if (_freeKeyLocks.TryGetValue(key, out var own))
            {
                return new(null, own.PledgeId, Blocked: true);
            }
        }

        _pledges.Add((caller, titleIds, keys));
        var granted = new Lock((ulong)_pledges.Count, caller, expiry);
        foreach (var titleId in titleIds) _titles[(int)titleId - 1].Lock = granted;
        foreach (var key in keys)
        {
            if (_keyTitle.TryGetValue(key, out var titleId)) _titles[(int)titleId - 1].Lock = granted;
            else _freeKeyLocks[key] = granted;
        }
        return new(null, granted.PledgeId);
    }

    public Expected Release(string caller, ulong pledgeId, ulong[] titleIds, string[] keys, ulong now)
    {
        if (titleIds.Length + keys.Length is 0 or > 500) return new("InvalidBatchSize");
        if (pledgeId == NoPledge) return new("NotInPledge");
        var locks = new List<Lock?>();
        locks.AddRange(titleIds.Select(t => t == 0 || t > TitleCount ? null : _titles[(int)t - 1].Lock));
        locks.AddRange(keys.Select(k => _keyTitle.TryGetValue(k, out var t) ? _titles[(int)t - 1].Lock : _freeKeyLocks.GetValueOrDefault(k)));
        if (locks.Any(l => l?.PledgeId != pledgeId)) return new("NotInPledge");
        var held = locks[^1]!;
        if (held.Expiry > now && (!IsMember(caller) || caller != held.Pledgee)) return new("NotPledgee");

        foreach (var titleId in titleIds) _titles[(int)titleId - 1].Lock = null;
        foreach (var key in keys)
        {
            if (_keyTitle.TryGetValue(key, out var titleId)) _titles[(int)titleId - 1].Lock = null;
            else _freeKeyLocks.Remove(key);
        }
        return new(null);
    }

    public Expected Attest(string caller, string lotKey, ulong quantity, ulong loadedAt, string documentHash)
    {
        var refusal = RequireRole(caller, MemberRoles.Port) ?? (quantity == 0 ? "InvalidQuantity" : null);
        if (refusal is not null) return new(refusal);
        if (_lots.GetValueOrDefault(lotKey) is { Attested: true }) return new("LotAlreadyAttested");
        var lot = _lots.GetValueOrDefault(lotKey) ?? (_lots[lotKey] = new Lot { Index = (uint)_lots.Count + 1 });
        lot.Attested = true;
        lot.AttestedQuantity = quantity;
        lot.Port = caller;
        lot.LoadedAt = loadedAt;
        lot.DocumentHash = documentHash;
        if (lot.LiveQuantity > quantity) lot.OverIssued = true;
        return new(null);
    }

    private string? Controller(string caller, ulong titleId)
    {
        if (titleId == 0 || titleId > TitleCount) return "UnknownTitle";
        var title = _titles[(int)titleId - 1];
        if (title.Status != TitleStatus.Live) return "TitleNotLive";
        if (!IsMember(caller)) return "NotMember";
        if (title.Lock is { } held) return caller == held.Pledgee ? null : "TitlePledged";
        return caller == title.Holder ? null : "NotHolder";
    }

    private string? Pledgeable(ulong titleId)
    {
        if (titleId == 0 || titleId > TitleCount) return "UnknownTitle";
        var title = _titles[(int)titleId - 1];
        if (title.Status != TitleStatus.Live) return "TitleNotLive";
        return _lots[title.Lot].OverIssued ? "LotOverIssuedError" : null;
    }

    /// <summary>The collateral part of the ledger (titles, the given keys, lots, pledge count) as comparable lines.</summary>
    public IReadOnlyList<string> CollateralLines(IEnumerable<string> keys) =>
        LedgerLines.Collateral(
            _titles.Select((t, i) => new TitleState(
                (ulong)i + 1, t.Status, t.Holder, t.Lot, t.Quantity, t.Lock?.PledgeId ?? 0, t.Lock?.Pledgee ?? Hex.ZeroAddress, t.Lock?.Expiry ?? 0)),
            keys.Select(KeyStateOf),
            _lots.Select(l => new LotState(
                l.Key, l.Value.Index, l.Value.Attested, l.Value.OverIssued, Hex.Of(TestConsortium.MetricTonnes), l.Value.AttestedQuantity,
                l.Value.LiveQuantity, l.Value.Port, l.Value.LoadedAt, l.Value.DocumentHash)),
            (ulong)_pledges.Count);

    private KeyState KeyStateOf(string key)
    {
        if (_keyTitle.TryGetValue(key, out var titleId))
        {
            var t = _titles[(int)titleId - 1];
            return new KeyState(key, titleId, t.Status, t.Lock?.PledgeId ?? 0, t.Lock?.Pledgee ?? Hex.ZeroAddress, t.Lock?.Expiry ?? 0);
        }
        var own = _freeKeyLocks.GetValueOrDefault(key);
        return new KeyState(key, 0, TitleStatus.None, own?.PledgeId ?? 0, own?.Pledgee ?? Hex.ZeroAddress, own?.Expiry ?? 0);
    }
}

public static class LedgerLines
{
    public static IReadOnlyList<string> Collateral(IEnumerable<TitleState> titles, IEnumerable<KeyState> keys, IEnumerable<LotState> lots, ulong pledgeCount) =>
    [
        $"Pledges {{ Count = {pledgeCount} }}",
        .. titles.OrderBy(t => t.Id).Select(t => t.ToString()),
        .. keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.ToString()),
        .. lots.OrderBy(l => l.Index).Select(l => l.ToString()),
    ];

    public static IReadOnlyList<string> Collateral(LedgerSnapshot snapshot) =>
        Collateral(snapshot.Titles, snapshot.Keys, snapshot.Lots, snapshot.PledgeCount);
}

using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Model;

/// <summary>The outcome a call should have: success (a granted or blocked pledge included) or a named refusal.</summary>
public sealed record Expected(string? Error, ulong? PledgeId = null, bool Blocked = false);

/// <summary>How a pledge's consent is presented: as signed for it, or spoiled in one of the ways an attacker would try.</summary>
public enum ConsentUse
{
    /// <summary>Signed for exactly this pledge at the signer's next nonce.</summary>
    Fresh,
    /// <summary>Signed for another bank (what a rival presents when it takes a consent meant for someone else).</summary>
    ForAnotherBank,
    /// <summary>Its deadline has passed.</summary>
    PastDeadline,
    /// <summary>Signed at a nonce the signer already used (a replay of an earlier consent).</summary>
    UsedNonce,
}

/// <summary>
/// A reference model of the collateral rules, written independently of the contract from the design:
/// it predicts every call's outcome (including which custom error, in the contract's check order) and
/// keeps the state the chain should have afterwards. Its invariants include: no title changes holder (or is
/// surrendered) without its holder's own act or a completed enforcement — <see cref="MayMoveTitle"/> says who may.
/// </summary>
public sealed class LedgerModel(IReadOnlyDictionary<string, MemberRoles> members, string carrier, string port)
{
    private readonly Dictionary<string, MemberRoles> _roles = new(members);
    private string _carrier = carrier;
    private string _port = port;
    private const ulong MaxQuantity = 1UL << 48;

    private const ulong NoPledge = 0;
    private readonly Dictionary<string, ulong> _nonces = [];
    private readonly Dictionary<ulong, ulong> _enforceableAt = [];

    /// <summary>The governed longest term and contest period, in seconds.</summary>
    public ulong MaxPledgeTerm { get; set; } = 400 * 86_400UL;

    public ulong ContestPeriod { get; set; } = 72 * 3_600UL;

    public ulong NonceOf(string member) => _nonces.GetValueOrDefault(member);

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
        public string Locode = "";
    }

    private readonly List<Title> _titles = [];
    private readonly Dictionary<string, ulong> _keyTitle = [];
    private readonly Dictionary<string, Lock> _freeKeyLocks = [];
    private readonly Dictionary<string, Lot> _lots = [];
    private List<(string Pledgee, ulong[] Titles, string[] Keys)> _pledges = [];

    /// <summary>Granted pledges by id: the bank and the units it asked for.</summary>
    public IReadOnlyList<(string Pledgee, ulong[] Titles, string[] Keys)> Pledges => _pledges;

    public ulong TitleCount => (ulong)_titles.Count;

    private bool IsMember(string account) => _roles.ContainsKey(account);

    private string? RequireRole(string caller, MemberRoles anyOf) =>
        !IsMember(caller) ? "NotMember" : (_roles[caller] & anyOf) == 0 ? "MissingRole" : null;

    /// <summary>
    /// Issue 14: only the carrier bound to the B/L's carrier code issues; the lot must be attested (by its port of
    /// loading), in the same unit, with room; a key of a voided title is free again, and a free-key lock on a key the
    /// carrier issues is superseded (live or expired).
    /// </summary>
    public Expected Register(string caller, string holder, string lotKey, ulong quantity, string[] keys, ulong now)
    {
        _ = now;
        var refusal = (caller != _carrier ? "NotCarrierFor" : null)
            ?? (!IsMember(holder) ? "NotMember" : null)
            ?? (keys.Length is 0 or > 256 ? "InvalidKeyCount" : null)
            ?? (quantity == 0 ? "InvalidQuantity" : null)
            ?? (quantity > MaxQuantity ? "QuantityTooLarge" : null);
        if (refusal is not null) return new(refusal);
        var lot = _lots.GetValueOrDefault(lotKey);
        if (lot is not { Attested: true }) return new("LotNotAttested");
        if (lot.LiveQuantity + quantity > lot.AttestedQuantity) return new("LotQuantityExceeded");
        var newId = TitleCount + 1;
        var seen = new HashSet<string>();
        foreach (var key in keys)
        {
            if (seen.Contains(key)) return new("KeyAlreadyLive");
            if (_keyTitle.TryGetValue(key, out var owner))
            {
                return new(_titles[(int)owner - 1].Status == TitleStatus.Live ? "KeyAlreadyLive" : "KeyBurned");
            }
            seen.Add(key);
        }
        foreach (var key in keys) _freeKeyLocks.Remove(key);

        lot.LiveQuantity += quantity;
        _titles.Add(new Title { Holder = holder, Lot = lotKey, Quantity = quantity });
        foreach (var key in keys) _keyTitle[key] = newId;
        return new(null);
    }

    public Expected Transfer(string caller, ulong titleId, string newHolder, ulong now)
    {
        var refusal = Controller(caller, titleId, now) ?? (!IsMember(newHolder) ? "NotMember" : null);
        if (refusal is not null) return new(refusal);
        _titles[(int)titleId - 1].Holder = newHolder;
        return new(null);
    }

    public Expected Surrender(string caller, ulong titleId, ulong now)
    {
        var refusal = Controller(caller, titleId, now);
        if (refusal is not null) return new(refusal);
        var title = _titles[(int)titleId - 1];
        title.Status = TitleStatus.Surrendered;
        title.Lock = null;
        _lots[title.Lot].LiveQuantity -= title.Quantity;
        return new(null);
    }

    /// <summary>
    /// A pledge by <paramref name="caller"/> with a consent signed by <paramref name="signer"/> and presented as
    /// <paramref name="use"/> says. The consent is checked before the units; a granted or blocked pledge uses up its nonce.
    /// </summary>
    public Expected Pledge(string caller, ulong[] titleIds, string[] keys, ulong expiry, ulong now, string signer, ConsentUse use)
    {
        var refusal = RequireRole(caller, MemberRoles.Bank)
            ?? (expiry <= now ? "InvalidExpiry" : null)
            ?? (expiry > now + MaxPledgeTerm ? "PledgeTermTooLong" : null)
            ?? (titleIds.Length + keys.Length is 0 or > 500 ? "InvalidBatchSize" : null)
            ?? (use == ConsentUse.PastDeadline ? "ConsentExpired" : null)
            // A signature over anything else recovers an address that is no member; so does a non-member's.
            ?? (use == ConsentUse.ForAnotherBank || !IsMember(signer) ? "ConsentInvalid" : null)
            ?? (use == ConsentUse.UsedNonce ? "ConsentUsed" : null);
        if (refusal is not null) return new(refusal);

        // Every unit is checked (pledgeable, held by the signer, a trader for free keys); the first live lock blocks.
        ulong conflict = 0;
        foreach (var titleId in titleIds)
        {
            var problem = Pledgeable(titleId) ?? (_titles[(int)titleId - 1].Holder != signer ? "ConsentNotFromHolder" : null);
            if (problem is not null) return new(problem);
            if (conflict == 0 && LiveLock(_titles[(int)titleId - 1].Lock, now) is { } held) conflict = held.PledgeId;
        }
        foreach (var key in keys)
        {
            if (_keyTitle.TryGetValue(key, out var titleId))
            {
                if (_titles[(int)titleId - 1].Status != TitleStatus.Live) return new("KeyBurned");
                var problem = Pledgeable(titleId) ?? (_titles[(int)titleId - 1].Holder != signer ? "ConsentNotFromHolder" : null);
                if (problem is not null) return new(problem);
                if (conflict == 0 && LiveLock(_titles[(int)titleId - 1].Lock, now) is { } held) conflict = held.PledgeId;
            }
            else
            {
                if ((_roles[signer] & MemberRoles.Trader) == 0) return new("BorrowerNotTrader");
                if (conflict == 0 && LiveLock(_freeKeyLocks.GetValueOrDefault(key), now) is { } own) conflict = own.PledgeId;
            }
        }
        _nonces[signer] = NonceOf(signer) + 1;
        if (conflict != 0) return new(null, conflict, Blocked: true);

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

    /// <summary>The pledgee declares a pledge in default, naming one of its titles.</summary>
    public Expected DeclareDefault(string caller, ulong pledgeId, ulong titleId, ulong now)
    {
        var refusal = LockedTitle(pledgeId, titleId, now) ?? (!IsMember(caller) ? "NotMember" : null);
        if (refusal is not null) return new(refusal);
        if (caller != _titles[(int)titleId - 1].Lock!.Pledgee) return new("NotPledgee");
        if (_enforceableAt.ContainsKey(pledgeId)) return new("DefaultAlreadyDeclared");
        _enforceableAt[pledgeId] = now + ContestPeriod;
        return new(null);
    }

    /// <summary>The borrower (the title's holder) contests a declared default within the contest period.</summary>
    public Expected ContestDefault(string caller, ulong pledgeId, ulong titleId, ulong now)
    {
        var refusal = LockedTitle(pledgeId, titleId, now) ?? (!IsMember(caller) ? "NotMember" : null);
        if (refusal is not null) return new(refusal);
        if (caller != _titles[(int)titleId - 1].Holder) return new("NotHolder");
        return _enforceableAt.TryGetValue(pledgeId, out var at) && now < at ? new(null) : new("NoDefaultToContest");
    }

    /// <summary>
    /// The invariant: whether <paramref name="caller"/> may move (transfer or surrender) the title now — its holder when
    /// no live lock is on it, else only its pledgee after a completed enforcement.
    /// </summary>
    public bool MayMoveTitle(string caller, ulong titleId, ulong now) => Controller(caller, titleId, now) is null;

    public string HolderOf(ulong titleId) => _titles[(int)titleId - 1].Holder;

    private string? LockedTitle(ulong pledgeId, ulong titleId, ulong now)
    {
        if (titleId == 0 || titleId > TitleCount) return "UnknownTitle";
        var title = _titles[(int)titleId - 1];
        if (title.Status != TitleStatus.Live) return "TitleNotLive";
        return pledgeId == 0 || LiveLock(title.Lock, now)?.PledgeId != pledgeId ? "NotInPledge" : null;
    }

    private static Lock? LiveLock(Lock? held, ulong now) => held is { } l && l.Expiry > now ? l : null;

    public Expected Release(string caller, ulong pledgeId, ulong[] titleIds, string[] keys, ulong now)
    {
        if (titleIds.Length + keys.Length is 0 or > 500) return new("InvalidBatchSize");
        if (pledgeId == NoPledge) return new("NotInPledge");
        var locks = new List<Lock?>();
        locks.AddRange(titleIds.Select(t => t == 0 || t > TitleCount ? null : _titles[(int)t - 1].Lock));
        locks.AddRange(
            keys.Select(k => _keyTitle.TryGetValue(k, out var t) ? _titles[(int)t - 1].Lock : _freeKeyLocks.GetValueOrDefault(k)));
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

    /// <summary>Issue 14: only the port bound to the UN/LOCODE attests; a lot is created by its attestation.</summary>
    public Expected Attest(string caller, string lotKey, ulong quantity, ulong loadedAt, string documentHash)
    {
        var refusal = (caller != _port ? "NotPortOfLoading" : null)
            ?? (quantity == 0 ? "InvalidQuantity" : null)
            ?? (quantity > MaxQuantity ? "QuantityTooLarge" : null);
        if (refusal is not null) return new(refusal);
        if (_lots.GetValueOrDefault(lotKey) is { Attested: true }) return new("LotAlreadyAttested");
        var lot = _lots.GetValueOrDefault(lotKey) ?? (_lots[lotKey] = new Lot { Index = (uint)_lots.Count + 1 });
        lot.Attested = true;
        lot.AttestedQuantity = quantity;
        lot.Port = caller;
        lot.LoadedAt = loadedAt;
        lot.DocumentHash = documentHash;
        lot.Locode = TestConsortium.PortOfLoading;
        if (lot.LiveQuantity > quantity) lot.OverIssued = true;
        return new(null);
    }

    /// <summary>A governed, time-locked correction of an attested lot's quantity; 0 annuls the attestation.</summary>
    public Expected CorrectAttestation(string lotKey, ulong quantity)
    {
        if (_lots.GetValueOrDefault(lotKey) is not { Attested: true } lot) return new("LotNotAttested");
        if (quantity > MaxQuantity) return new("QuantityTooLarge");
        lot.AttestedQuantity = quantity;
        if (quantity == 0)
        {
            lot.Attested = false;
            lot.Port = Hex.ZeroAddress;
            lot.LoadedAt = 0;
            lot.DocumentHash = Hex.Of(new byte[32]);
            lot.Locode = "";
        }
        else if (lot.LiveQuantity > quantity)
        {
            lot.OverIssued = true;
        }
        return new(null);
    }

    /// <summary>A governed, time-locked clearance of an over-issue mark, once the live quantity is within the attested one.</summary>
    public Expected ClearOverIssue(string lotKey)
    {
        if (_lots.GetValueOrDefault(lotKey) is not { Attested: true } lot) return new("LotNotAttested");
        if (!lot.OverIssued) return new("LotNotOverIssued");
        if (lot.LiveQuantity > lot.AttestedQuantity) return new("LotQuantityExceeded");
        lot.OverIssued = false;
        return new(null);
    }

    /// <summary>
    /// A governed, time-locked void of a live title: its lock ends, its quantity leaves its lot, its keys are free again.
    /// </summary>
    public Expected VoidTitle(ulong titleId)
    {
        if (titleId == 0 || titleId > TitleCount) return new("UnknownTitle");
        var title = _titles[(int)titleId - 1];
        if (title.Status != TitleStatus.Live) return new("TitleNotLive");
        title.Status = TitleStatus.Voided;
        title.Lock = null;
        _lots[title.Lot].LiveQuantity -= title.Quantity;
        // Its keys are free again: the chain answers for them as for keys no title ever named.
        foreach (var key in _keyTitle.Where(k => k.Value == titleId).Select(k => k.Key).ToList()) _keyTitle.Remove(key);
        return new(null);
    }

    /// <summary>A member's key rotation: the same member (titles, locks, pledges, nonces, bindings) under a new address.</summary>
    public Expected RotateKey(string member, string newAccount)
    {
        if (!IsMember(member)) return new("MemberNotActive");
        string Renamed(string a) => a == member ? newAccount : a;
        _roles[newAccount] = _roles[member];
        _roles.Remove(member);
        if (_nonces.Remove(member, out var nonce)) _nonces[newAccount] = nonce;
        _carrier = Renamed(_carrier);
        _port = Renamed(_port);
        foreach (var title in _titles)
        {
            title.Holder = Renamed(title.Holder);
            if (title.Lock is { } held) title.Lock = held with { Pledgee = Renamed(held.Pledgee) };
        }
        foreach (var key in _freeKeyLocks.Keys.ToList())
        {
            _freeKeyLocks[key] = _freeKeyLocks[key] with { Pledgee = Renamed(_freeKeyLocks[key].Pledgee) };
        }
        foreach (var lot in _lots.Values) lot.Port = Renamed(lot.Port);
        _pledges = [.. _pledges.Select(p => (Renamed(p.Pledgee), p.Titles, p.Keys))];
        return new(null);
    }

    private string? Controller(string caller, ulong titleId, ulong now)
    {
        if (titleId == 0 || titleId > TitleCount) return "UnknownTitle";
        var title = _titles[(int)titleId - 1];
        if (title.Status != TitleStatus.Live) return "TitleNotLive";
        if (!IsMember(caller)) return "NotMember";
        if (LiveLock(title.Lock, now) is { } held)
        {
            if (caller != held.Pledgee) return "TitlePledged";
            return _enforceableAt.TryGetValue(held.PledgeId, out var at) && now >= at ? null : "EnforcementNotComplete";
        }
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
                (ulong)i + 1, t.Status, t.Holder, t.Lot, t.Quantity, t.Lock?.PledgeId ?? 0, t.Lock?.Pledgee ?? Hex.ZeroAddress,
                t.Lock?.Expiry ?? 0)),
            keys.Select(KeyStateOf),
            _lots.Select(l => new LotState(
                l.Key, l.Value.Index, l.Value.Attested, l.Value.OverIssued, Hex.Of(TestConsortium.MetricTonnes), l.Value.AttestedQuantity,
                l.Value.LiveQuantity, l.Value.Port, l.Value.LoadedAt, l.Value.DocumentHash, l.Value.Locode)),
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
    public static IReadOnlyList<string> Collateral(
        IEnumerable<TitleState> titles, IEnumerable<KeyState> keys, IEnumerable<LotState> lots, ulong pledgeCount) =>
    [
        $"Pledges {{ Count = {pledgeCount} }}",
        .. titles.OrderBy(t => t.Id).Select(t => t.ToString()),
        .. keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.ToString()),
        .. lots.OrderBy(l => l.Index).Select(l => l.ToString()),
    ];

    public static IReadOnlyList<string> Collateral(LedgerSnapshot snapshot) =>
        Collateral(snapshot.Titles, snapshot.Keys, snapshot.Lots, snapshot.PledgeCount);
}

using System.Buffers.Binary;
using Nethereum.ABI.FunctionEncoding.Attributes;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// The ledger's state as a pure function of the contract's events, applied in chain order. It mirrors the
/// contract's storage rules exactly, so after any history its snapshot equals the one read through views.
/// </summary>
/// <remarks>
/// Its state lives in tables (<see cref="IStateTables"/>): a node's are RocksDB column families, an auditor's replay keeps
/// them in memory. Either way it is kept compact: collateral keys are held as 32-byte values rather than 66-character hex
/// strings, and the few distinct addresses and units are shared strings. The public surface still speaks lower-case 0x-hex.
/// </remarks>
public sealed class LedgerProjection
{
    private readonly IStateTable<string, bool> _admins;
    private readonly IStateTable<string, MemberState> _members;
    private readonly IStateTable<uint, string> _memberAt;
    private readonly IStateTable<string, MemberName> _names;
    private readonly IStateTable<ulong, ProposalState> _proposals;
    private readonly IStateTable<ulong, TitleState> _titles;
    private readonly IStateTable<Bytes32, ulong> _keyTitle;
    private readonly IStateTable<Bytes32, KeyLock> _freeKeyLocks;
    private readonly IStateTable<string, LotState> _lots;
    private readonly IStateTable<string, AnchorState> _anchors;
    private readonly IStateTable<string, AnchorState[]> _anchorsByRoot;
    private readonly IStateTable<ulong, LotShare[]> _moreLots;
    private readonly IStateTable<string, string> _bindings;
    private readonly IStateTable<ulong, LedgerEvent> _corrections;
    private readonly IStateTable<ulong, LedgerEvent> _blockedAttempts;
    private readonly IStateTable<string, ulong> _scalars;
    private readonly Dictionary<string, string> _shared = [];

    /// <summary>A projection in memory: an auditor's replay, a reference model.</summary>
    public LedgerProjection() : this(new MemoryStateTables())
    {
    }

    /// <summary>A projection over <paramref name="tables"/>: a node's, on disk, carries on from where it was left.</summary>
    public LedgerProjection(IStateTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _admins = tables.Open<string, bool>("admins");
        _members = tables.Open<string, MemberState>("members");
        _memberAt = tables.Open<uint, string>("member-at");
        _names = tables.Open<string, MemberName>("member-names");
        _proposals = tables.Open<ulong, ProposalState>("proposals");
        _titles = tables.Open<ulong, TitleState>("titles");
        _keyTitle = tables.Open<Bytes32, ulong>("key-titles");
        _freeKeyLocks = tables.Open<Bytes32, KeyLock>("key-locks");
        _lots = tables.Open<string, LotState>("lots");
        _anchors = tables.Open<string, AnchorState>("anchors");
        _anchorsByRoot = tables.Open<string, AnchorState[]>("anchors-by-root");
        _moreLots = tables.Open<ulong, LotShare[]>("title-lots");
        _bindings = tables.Open<string, string>("code-bindings");
        _corrections = tables.Open<ulong, LedgerEvent>("corrections");
        _blockedAttempts = tables.Open<ulong, LedgerEvent>("blocked-attempts");
        _scalars = tables.Open<string, ulong>("scalars");
    }

    private uint Threshold
    {
        get => (uint)_scalars.Find("threshold");
        set => _scalars.Set("threshold", value);
    }

    private uint AdminEpoch
    {
        get => (uint)_scalars.Find("admin-epoch");
        set => _scalars.Set("admin-epoch", value);
    }

    /// <summary>Keys locked on their own that no title holds: with the titles' keys, every key the ledger knows.</summary>
    private ulong KeysOnTheirOwn
    {
        get => _scalars.Find("keys-on-their-own");
        set => _scalars.Set("keys-on-their-own", value);
    }

    private ulong PledgeCount
    {
        get => _scalars.Find("pledge-count");
        set => _scalars.Set("pledge-count", value);
    }

    /// <summary>Every governed correction (attestation corrected, over-issue cleared, title voided), in chain order.</summary>
    public IReadOnlyList<IEventDTO> Corrections => [.. _corrections.All().Select(e => e.Value.Event)];

    /// <summary>The member bound to a carrier code (SCAC/SMDG), or null if none is.</summary>
    public string? CarrierOf(string code) => _bindings.TryGet(BindingKey(false, code), out var m) && m != Hex.ZeroAddress ? m : null;

    /// <summary>The member bound to a UN/LOCODE, or null if none is.</summary>
    public string? PortOf(string locode) => _bindings.TryGet(BindingKey(true, locode), out var m) && m != Hex.ZeroAddress ? m : null;

    /// <summary>Every lot a title books with its quantity, the first as <see cref="TitleState.LotKey"/>.</summary>
    public IReadOnlyList<(string LotKey, ulong Quantity)> LotsOf(ulong titleId)
    {
        if (!_titles.TryGet(titleId, out var title)) return [];
        return [(title.LotKey, title.Quantity), .. (_moreLots.Find(titleId) ?? []).Select(s => (s.Lot, s.Quantity))];
    }

    /// <summary>Every double-financing attempt the contract refused, in chain order.</summary>
    public IReadOnlyList<PledgeBlockedEvent> BlockedAttempts => [.. _blockedAttempts.All().Select(e => (PledgeBlockedEvent)e.Value.Event)];

    /// <summary>The governed longest pledge term and contest period, in seconds, as <c>pledgeTerms</c> shows them.</summary>
    public (uint MaxPledgeTerm, uint ContestPeriod) PledgeTerms =>
        ((uint)_scalars.Find("max-pledge-term"), (uint)_scalars.Find("contest-period"));

    public void Apply(LedgerEvent logged)
    {
        switch (logged.Event)
        {
            case AdminAddedEvent e:
                _admins.Set(Hex.Address(e.Admin), true);
                AdminEpoch++;
                break;
            case AdminRemovedEvent e:
                _admins.Remove(Hex.Address(e.Admin));
                AdminEpoch++;
                break;
            case ThresholdChangedEvent e:
                Threshold = e.Threshold;
                AdminEpoch++;
                break;
            case ProposalCreatedEvent e:
                _proposals.Set(e.ProposalId, new ProposalState(
                    e.ProposalId, (ProposalKind)e.Kind, Hex.Address(e.Subject), (MemberRoles)e.Roles, Hex.Of(e.Organisation),
                    e.Threshold, Hex.Address(e.Proposer), 0, AdminEpoch, false, e.Deadline, 0, Hex.Address(e.Account), e.Amount));
                break;
            case ProposalApprovedEvent e:
                _proposals.Set(e.ProposalId, _proposals.Get(e.ProposalId) with { Approvals = e.Approvals });
                break;
            case ProposalApprovalWithdrawnEvent e:
                var withdrawn = _proposals.Get(e.ProposalId) with { Approvals = e.Approvals };
                _proposals.Set(e.ProposalId, e.Approvals < Threshold ? withdrawn with { ExecutableAt = 0 } : withdrawn);
                break;
            case ProposalQueuedEvent e:
                _proposals.Set(e.ProposalId, _proposals.Get(e.ProposalId) with { ExecutableAt = e.ExecutableAt });
                break;
            case ProposalExecutedEvent e:
                _proposals.Set(e.ProposalId, _proposals.Get(e.ProposalId) with { Executed = true });
                break;
            case MemberEnrolledEvent e:
                var enrolled = new MemberState(Hex.Address(e.Member), e.Index, (MemberRoles)e.Roles, true, Hex.Of(e.Organisation));
                _members.Set(enrolled.Address, enrolled);
                _memberAt.Set(e.Index, enrolled.Address);
                break;
            case MemberReenrolledEvent e when !e.KeptTitles:
                // Its old index is left to no one: what referred to the member under it now shows the zero address.
                _memberAt.Set(e.OldIndex, Hex.ZeroAddress);
                Readdress(Hex.Address(e.Member), Hex.ZeroAddress);
                break;
            case MemberReenrolledEvent:
                break;
            case MemberNamedEvent e:
                _names.Set(Hex.Address(e.Member), new MemberName(e.Name, e.Lei));
                break;
            case MemberKeyRotatedEvent e:
                var from = Hex.Address(e.OldAccount);
                var to = Hex.Address(e.NewAccount);
                _members.Set(to, _members.Get(from) with { Address = to });
                _members.Remove(from);
                if (_names.TryGet(from, out var name))
                {
                    _names.Remove(from);
                    _names.Set(to, name);
                }
                _memberAt.Set(e.Index, to);
                Readdress(from, to);
                break;
            case CarrierCodeBoundEvent e:
                _bindings.Set(BindingKey(false, LedgerCode.FromBytes(e.Code)), Shared(Hex.Address(e.Carrier)));
                break;
            case PortCodeBoundEvent e:
                _bindings.Set(BindingKey(true, LedgerCode.FromBytes(e.Locode)), Shared(Hex.Address(e.Port)));
                break;
            case MemberUpdatedEvent e:
                var updated = Hex.Address(e.Member);
                _members.Set(updated, _members.Get(updated) with { Roles = (MemberRoles)e.Roles, Organisation = Hex.Of(e.Organisation) });
                break;
            case MemberRemovedEvent e:
                var removed = Hex.Address(e.Member);
                _members.Set(removed, _members.Get(removed) with { Active = false });
                break;
            case TitleRegisteredEvent e:
                var shares = new LotShare[e.LotKeys.Count];
                for (var i = 0; i < shares.Length; i++)
                {
                    var lot = _lots.Get(Hex.Of(e.LotKeys[i]));
                    _lots.Set(lot.LotKey, lot with { LiveQuantity = lot.LiveQuantity + e.Quantities[i] });
                    shares[i] = new LotShare(lot.LotKey, e.Quantities[i]);
                }
                if (shares.Length > 1) _moreLots.Set(e.TitleId, shares[1..]);
                _titles.Set(e.TitleId, new TitleState(
                    e.TitleId, TitleStatus.Live, Shared(Hex.Address(e.Holder)), shares[0].Lot, shares[0].Quantity, 0, Hex.ZeroAddress, 0,
                    MoreLotsText(shares)));
                foreach (var key in e.Keys)
                {
                    var value = Bytes32.Of(key);
                    if (_freeKeyLocks.Contains(value) && !_keyTitle.Contains(value)) KeysOnTheirOwn--;
                    _keyTitle.Set(value, e.TitleId);
                }
                break;
            case KeyLockSupersededEvent e:
                _freeKeyLocks.Set(Bytes32.Of(e.Key), KeyLock.None);
                break;
            case TitleVoidedEvent e:
                _corrections.Append(logged);
                End(e.TitleId, TitleStatus.Voided);
                break;
            case AttestationCorrectedEvent e:
                _corrections.Append(logged);
                var corrected = Hex.Of(e.LotKey);
                var before = _lots.Get(corrected);
                _lots.Set(corrected, e.NewQuantity == 0
                    ? before with { Attested = false, AttestedQuantity = 0, Port = Hex.ZeroAddress, LoadedAt = 0, DocumentHash = ZeroHash,
                        Locode = "" }
                    : before with { AttestedQuantity = e.NewQuantity });
                break;
            case OverIssueClearedEvent e:
                _corrections.Append(logged);
                var cleared = Hex.Of(e.LotKey);
                _lots.Set(cleared, _lots.Get(cleared) with { OverIssued = false });
                break;
            case TitleTransferredEvent e:
                _titles.Set(e.TitleId, _titles.Get(e.TitleId) with { Holder = Shared(Hex.Address(e.To)) });
                break;
            case TitleSurrenderedEvent e:
                End(e.TitleId, TitleStatus.Surrendered);
                break;
            case PledgedEvent e:
                PledgeCount = e.PledgeId;
                Lock(e.TitleIds, e.Keys, new KeyLock(e.PledgeId, Shared(Hex.Address(e.Pledgee)), e.Expiry));
                break;
            case PledgeBlockedEvent:
                _blockedAttempts.Append(logged);
                break;
            case ReleasedEvent e:
                Lock(e.TitleIds, e.Keys, KeyLock.None);
                break;
            case LoadingAttestedEvent e:
                var attestedKey = Hex.Of(e.LotKey);
                _lots.Set(attestedKey, LotFor(attestedKey, e.Unit) with
                {
                    Unit = Shared(Hex.Of(e.Unit)),
                    Locode = LedgerCode.FromBytes(e.Locode),
                    Attested = true,
                    AttestedQuantity = e.Quantity,
                    Port = Hex.Address(e.Port),
                    LoadedAt = e.LoadedAt,
                    DocumentHash = Hex.Of(e.DocumentHash),
                });
                break;
            case LotOverIssuedEvent e:
                var overIssued = Hex.Of(e.LotKey);
                _lots.Set(overIssued, _lots.Get(overIssued) with { OverIssued = true });
                break;
            case ExpiredLockReleasedEvent e:
                // The pledge or registration that follows in the same transaction sets the new state; the old lock ends here.
                if (e.TitleId != 0) LockTitle(e.TitleId, KeyLock.None);
                else _freeKeyLocks.Set(Bytes32.Of(e.Key), KeyLock.None);
                break;
            case DefaultDeclaredEvent or DefaultContestedEvent or ConsentRevokedEvent:
                // Defaults (and their contests) and consent nonces are not part of the projected state: nothing reads them
                // from it (the audit reads the events themselves).
                break;
            case PledgeTermsChangedEvent e:
                _scalars.Set("max-pledge-term", e.MaxPledgeTerm);
                _scalars.Set("contest-period", e.ContestPeriod);
                break;
            case AnchoredEvent e:
                var anchor = new AnchorState(
                    Hex.Of(e.Root), Shared(Hex.Address(e.Submitter)), e.LeafCount, e.AnchoredAt, (ulong)logged.BlockNumber);
                _anchors.Set(AnchorKey(anchor.Root, anchor.LeafCount, anchor.Submitter), anchor);
                _anchorsByRoot.Set(anchor.Root, [.. _anchorsByRoot.Find(anchor.Root) ?? [], anchor]);
                break;
            default:
                throw new InvalidOperationException($"No projection rule for {logged.Event.GetType().Name}.");
        }
    }

    public void ApplyAll(IEnumerable<LedgerEvent> events)
    {
        foreach (var e in events) Apply(e);
    }

    public TitleState? Title(ulong titleId) => _titles.Find(titleId);

    /// <summary>A key as <c>keyState</c> shows it; an unknown key is free.</summary>
    public KeyState Key(string key)
    {
        var text = Hex.Normal(key);
        return Bytes32.TryParse(text, out var value) ? KeyStateOf(value, text) : FreeKey(text, KeyLock.None);
    }

    public LotState? Lot(string lotKey) => _lots.Find(Hex.Normal(lotKey));

    public IEnumerable<LotState> Lots => _lots.All().Select(l => l.Value);

    public MemberState? Member(string address) => _members.Find(Hex.Address(address));

    /// <summary>Every member ever enrolled (active or removed), under its current address.</summary>
    public IEnumerable<MemberState> Members() => _members.All().Select(m => m.Value);

    /// <summary>The display name and LEI governance last recorded for a member, or null (an admin, or no member).</summary>
    public MemberName? NameOf(string address) => _names.Find(Hex.Address(address));

    /// <summary>
    /// The anchor <paramref name="submitter"/> made of <paramref name="root"/> with <paramref name="leafCount"/> leaves, or null.
    /// </summary>
    public AnchorState? Anchor(string root, uint leafCount, string submitter) =>
        _anchors.Find(AnchorKey(Hex.Normal(root), leafCount, Hex.Address(submitter)));

    /// <summary>Every anchor of <paramref name="root"/>, by whoever made it, in chain order.</summary>
    public IReadOnlyList<AnchorState> AnchorsOf(string root) => _anchorsByRoot.Find(Hex.Normal(root)) ?? [];

    /// <summary>The titles a key belongs to or names, for finding a title's history.</summary>
    public ulong? TitleOfKey(string key) => Bytes32.TryParse(key, out var value) && _keyTitle.TryGet(value, out var title) ? title : null;

    /// <summary>Whether a key was ever locked on its own (pledged, or blocked, before or without a title).</summary>
    public bool WasLockedOnItsOwn(byte[] key) => _freeKeyLocks.Contains(Bytes32.Of(key));

    /// <summary>How much the ledger holds: titles, collateral keys (of titles, or pledged on their own) and pledges ever made.</summary>
    public (long Titles, long Keys, ulong Pledges) Size =>
        (_titles.Count, _keyTitle.Count + (long)KeysOnTheirOwn, PledgeCount);

    public LedgerSnapshot Snapshot() => new(
        new GovernanceState((uint)_admins.Count, Threshold, AdminEpoch, (ulong)_proposals.Count),
        [.. _admins.All().Select(a => a.Key)],
        [.. _memberAt.All().OrderBy(m => m.Key)
            .Select(m => _members.Find(m.Value) ?? new MemberState(Hex.ZeroAddress, 0, MemberRoles.None, false, ZeroHash))],
        [.. _proposals.All().Select(p => p.Value)],
        [.. _titles.All().Select(t => t.Value)],
        [.. KnownKeyValues().Select(k => KeyStateOf(k, k.ToString()))],
        [.. Lots],
        [.. _anchors.All().Select(a => a.Value)],
        PledgeCount,
        [.. _bindings.All().Select(b => new CodeBinding(b.Key[0] == 'P', b.Key[2..], b.Value))]);

    /// <summary>Every key the history mentions: keys of titles and keys ever pledged on their own.</summary>
    public IEnumerable<string> KnownKeys() => KnownKeyValues().Select(k => k.ToString());

    private IEnumerable<Bytes32> KnownKeyValues() =>
        _keyTitle.All().Select(k => k.Key).Concat(_freeKeyLocks.All().Select(k => k.Key).Where(k => !_keyTitle.Contains(k)));

    public IEnumerable<(string Root, uint LeafCount, string Submitter)> KnownAnchors() =>
        _anchors.All().Select(a => (a.Value.Root, a.Value.LeafCount, a.Value.Submitter));

    /// <summary>Every carrier code and UN/LOCODE ever bound.</summary>
    public IEnumerable<(bool Port, string Code)> KnownCodes() => _bindings.All().Select(b => (b.Key[0] == 'P', b.Key[2..]));

    public IEnumerable<string> KnownAdminCandidates() => _admins.All().Select(a => a.Key);

    private KeyState KeyStateOf(Bytes32 key, string text)
    {
        if (_keyTitle.TryGet(key, out var titleId) && _titles.Get(titleId) is { Status: not TitleStatus.Voided } t)
        {
            return new KeyState(text, titleId, t.Status, t.PledgeId, t.Pledgee, t.PledgeExpiry);
        }
        return FreeKey(text, _freeKeyLocks.TryGet(key, out var l) ? l : KeyLock.None);
    }

    private static KeyState FreeKey(string text, KeyLock own) =>
        new(text, 0, TitleStatus.None, own.PledgeId, own.Pledgee, own.Expiry);

    private static readonly string ZeroHash = Hex.Of(new byte[32]);

    /// <summary>A code binding's key: "P:" and a UN/LOCODE, or "C:" and a carrier code.</summary>
    private static string BindingKey(bool port, string code) => (port ? "P:" : "C:") + code;

    private static string AnchorKey(string root, uint leafCount, string submitter) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{root}/{leafCount}/{submitter}");

    private LotState LotFor(string lotKey, byte[] unit)
    {
        if (_lots.TryGet(lotKey, out var lot)) return lot;
        lot = new LotState(lotKey, (uint)_lots.Count + 1, false, false, Shared(Hex.Of(unit)), 0, 0, Hex.ZeroAddress, 0, ZeroHash);
        _lots.Set(lotKey, lot);
        return lot;
    }

    /// <summary>One instance of a value that recurs across many titles (member addresses, units).</summary>
    private string Shared(string value)
    {
        if (_shared.TryGetValue(value, out var shared)) return shared;
        _shared[value] = value;
        return value;
    }

    /// <summary>Sets (or, with pledge id 0, clears) the lock of each title and of each key's title or own lock.</summary>
    private void Lock(IEnumerable<ulong> titleIds, IEnumerable<byte[]> keys, KeyLock lockState)
    {
        foreach (var titleId in titleIds) LockTitle(titleId, lockState);
        foreach (var keyBytes in keys)
        {
            var key = Bytes32.Of(keyBytes);
            if (_keyTitle.TryGet(key, out var titleId) && _titles.Get(titleId).Status != TitleStatus.Voided) LockTitle(titleId, lockState);
            else
            {
                if (!_keyTitle.Contains(key) && !_freeKeyLocks.Contains(key)) KeysOnTheirOwn++;
                _freeKeyLocks.Set(key, lockState);
            }
        }
    }

    /// <summary>Ends a live title (surrendered or voided): its lock ends and its quantities leave its lots.</summary>
    private void End(ulong titleId, TitleStatus status)
    {
        var title = _titles.Get(titleId);
        _titles.Set(titleId, title with { Status = status, PledgeId = 0, Pledgee = Hex.ZeroAddress, PledgeExpiry = 0 });
        foreach (var (lotKey, quantity) in LotsOf(titleId))
        {
            var lot = _lots.Get(lotKey);
            _lots.Set(lotKey, lot with { LiveQuantity = lot.LiveQuantity - quantity });
        }
    }

    private static string MoreLotsText(LotShare[] shares) =>
        shares.Length <= 1 ? "" : string.Join(",", shares.Skip(1).Select(s => $"{s.Lot}:{s.Quantity}"));

    /// <summary>
    /// Where the chain names a member by index, its views now show <paramref name="to"/> instead of <paramref name="from"/>
    /// (a key rotation; or the zero address once a re-enrolled member's old index is left to no one). Rare: a full scan.
    /// </summary>
    private void Readdress(string from, string to)
    {
        to = Shared(to);
        foreach (var (id, t) in _titles.All().Where(t => t.Value.Holder == from || t.Value.Pledgee == from).ToList())
        {
            _titles.Set(id, t with { Holder = t.Holder == from ? to : t.Holder, Pledgee = t.Pledgee == from ? to : t.Pledgee });
        }
        foreach (var (key, l) in _freeKeyLocks.All().Where(l => l.Value.Pledgee == from).ToList()) _freeKeyLocks.Set(
            key, l with { Pledgee = to });
        foreach (var (key, lot) in _lots.All().Where(l => l.Value.Port == from).ToList()) _lots.Set(key, lot with { Port = to });
        foreach (var (code, _) in _bindings.All().Where(b => b.Value == from).ToList()) _bindings.Set(code, to);
        foreach (var (id, anchor) in _anchors.All().Where(a => a.Value.Submitter == from).ToList())
        {
            _anchors.Remove(id);
            var sameRoot = (_anchorsByRoot.Find(anchor.Root) ?? []).Where(a => a != anchor).ToList();
            // Anchors are keyed by the submitter's index: a rotated key keeps them, a dropped index loses them.
            if (to != Hex.ZeroAddress)
            {
                var moved = anchor with { Submitter = to };
                _anchors.Set(AnchorKey(moved.Root, moved.LeafCount, to), moved);
                sameRoot.Add(moved);
            }
            _anchorsByRoot.Set(anchor.Root, [.. sameRoot]);
        }
    }

    private void LockTitle(ulong titleId, KeyLock lockState) =>
        _titles.Set(
            titleId, _titles.Get(
            titleId) with { PledgeId = lockState.PledgeId, Pledgee = lockState.Pledgee, PledgeExpiry = lockState.Expiry });
}

/// <summary>The lock on a collateral key of no live title (pledged on its own): pledge id 0 when free.</summary>
public readonly record struct KeyLock(ulong PledgeId, string Pledgee, ulong Expiry)
{
    public static KeyLock None => new(0, Hex.ZeroAddress, 0);
}

/// <summary>A title's quantity on one of its lots.</summary>
public readonly record struct LotShare(string Lot, ulong Quantity);

/// <summary>A 32-byte value (a collateral key) held inline as four words: a compact, fast dictionary key.</summary>
public readonly record struct Bytes32(ulong A, ulong B, ulong C, ulong D)
{
    public static Bytes32 Of(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException($"Expected 32 bytes, got {bytes.Length}.", nameof(bytes));
        return new Bytes32(
            BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>0x-hex of 32 bytes, any case; false for anything else (such a key is in no title).</summary>
    public static bool TryParse(string? hex, out Bytes32 value)
    {
        value = default;
        var digits = hex is not null && hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        Span<byte> bytes = stackalloc byte[32];
        if (digits.Length != 64 || Convert.FromHexString(digits, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 32) return false;
        value = Of(bytes);
        return true;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), D);
        return bytes;
    }

    public override string ToString() => "0x" + Convert.ToHexStringLower(ToBytes());
}

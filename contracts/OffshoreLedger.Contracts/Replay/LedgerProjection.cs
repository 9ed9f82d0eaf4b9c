using System.Buffers.Binary;
using Nethereum.ABI.FunctionEncoding.Attributes;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Replay;

/// <summary>
/// The ledger's state as a pure function of the contract's events, applied in chain order. It mirrors the
/// contract's storage rules exactly, so after any history its snapshot equals the one read through views.
/// </summary>
/// <remarks>
/// A node keeps one in memory for every title ever registered, so it is kept compact: collateral keys are held as
/// 32-byte values rather than 66-character hex strings, and the few distinct addresses and units are shared strings.
/// The public surface still speaks lower-case 0x-hex.
/// </remarks>
public sealed class LedgerProjection
{
    private readonly HashSet<string> _admins = [];
    private readonly Dictionary<string, MemberState> _members = [];
    private readonly Dictionary<uint, string> _memberAt = [];
    private readonly Dictionary<string, MemberName> _names = [];
    private readonly Dictionary<ulong, ProposalState> _proposals = [];
    private readonly Dictionary<ulong, TitleState> _titles = [];
    private readonly Dictionary<Bytes32, ulong> _keyTitle = [];
    private readonly Dictionary<Bytes32, (ulong PledgeId, string Pledgee, ulong Expiry)> _freeKeyLocks = [];
    private readonly Dictionary<string, string> _shared = [];
    private readonly Dictionary<string, LotState> _lots = [];
    private readonly Dictionary<(string Root, uint LeafCount, string Submitter), AnchorState> _anchors = [];
    private readonly Dictionary<string, List<AnchorState>> _anchorsByRoot = [];
    private readonly Dictionary<ulong, (string Lot, ulong Quantity)[]> _moreLots = [];
    private readonly Dictionary<(bool Port, string Code), string> _bindings = [];
    private readonly List<IEventDTO> _corrections = [];
    private readonly List<PledgeBlockedEvent> _blockedAttempts = [];
    private readonly Dictionary<ulong, string> _borrowers = [];
    private readonly Dictionary<ulong, ulong> _enforceableAt = [];
    private readonly List<DefaultContestedEvent> _contestedDefaults = [];
    private uint _threshold;
    private uint _adminEpoch;
    private ulong _pledgeCount;

    /// <summary>Every governed correction (attestation corrected, over-issue cleared, title voided), in chain order.</summary>
    public IReadOnlyList<IEventDTO> Corrections => _corrections;

    /// <summary>The member bound to a carrier code (SCAC/SMDG), or null if none is.</summary>
    public string? CarrierOf(string code) => _bindings.TryGetValue((false, code), out var m) && m != Hex.ZeroAddress ? m : null;

    /// <summary>The member bound to a UN/LOCODE, or null if none is.</summary>
    public string? PortOf(string locode) => _bindings.TryGetValue((true, locode), out var m) && m != Hex.ZeroAddress ? m : null;

    /// <summary>Every lot a title books with its quantity, the first as <see cref="TitleState.LotKey"/>.</summary>
    public IReadOnlyList<(string LotKey, ulong Quantity)> LotsOf(ulong titleId)
    {
        if (!_titles.TryGetValue(titleId, out var title)) return [];
        return [(title.LotKey, title.Quantity), .. _moreLots.GetValueOrDefault(titleId) ?? []];
    }

    /// <summary>Every double-financing attempt the contract refused, in chain order.</summary>
    public IReadOnlyList<PledgeBlockedEvent> BlockedAttempts => _blockedAttempts;

    /// <summary>The governed longest pledge term and contest period, in seconds, as <c>pledgeTerms</c> shows them.</summary>
    public (uint MaxPledgeTerm, uint ContestPeriod) PledgeTerms { get; private set; }

    /// <summary>Every default a borrower contested, in chain order.</summary>
    public IReadOnlyList<DefaultContestedEvent> ContestedDefaults => _contestedDefaults;

    /// <summary>The borrower who consented to a granted pledge, or null for an unknown pledge.</summary>
    public string? BorrowerOf(ulong pledgeId) => _borrowers.GetValueOrDefault(pledgeId);

    /// <summary>When the pledgee may enforce a pledge it declared in default, as <c>enforceableAt</c> shows it (0: none declared).</summary>
    public ulong EnforceableAt(ulong pledgeId) => _enforceableAt.GetValueOrDefault(pledgeId);

    public void Apply(LedgerEvent logged)
    {
        switch (logged.Event)
        {
            case AdminAddedEvent e:
                _admins.Add(Hex.Address(e.Admin));
                _adminEpoch++;
                break;
            case AdminRemovedEvent e:
                _admins.Remove(Hex.Address(e.Admin));
                _adminEpoch++;
                break;
            case ThresholdChangedEvent e:
                _threshold = e.Threshold;
                _adminEpoch++;
                break;
            case ProposalCreatedEvent e:
                _proposals[e.ProposalId] = new ProposalState(
                    e.ProposalId, (ProposalKind)e.Kind, Hex.Address(e.Subject), (MemberRoles)e.Roles, Hex.Of(e.Organisation),
                    e.Threshold, Hex.Address(e.Proposer), 0, _adminEpoch, false, e.Deadline, 0, Hex.Address(e.Account), e.Amount);
                break;
            case ProposalApprovedEvent e:
                _proposals[e.ProposalId] = _proposals[e.ProposalId] with { Approvals = e.Approvals };
                break;
            case ProposalApprovalWithdrawnEvent e:
                var withdrawn = _proposals[e.ProposalId] with { Approvals = e.Approvals };
                _proposals[e.ProposalId] = e.Approvals < _threshold ? withdrawn with { ExecutableAt = 0 } : withdrawn;
                break;
            case ProposalQueuedEvent e:
                _proposals[e.ProposalId] = _proposals[e.ProposalId] with { ExecutableAt = e.ExecutableAt };
                break;
            case ProposalExecutedEvent e:
                _proposals[e.ProposalId] = _proposals[e.ProposalId] with { Executed = true };
                break;
            case MemberEnrolledEvent e:
                var enrolled = new MemberState(Hex.Address(e.Member), e.Index, (MemberRoles)e.Roles, true, Hex.Of(e.Organisation));
                _members[enrolled.Address] = enrolled;
                _memberAt[e.Index] = enrolled.Address;
                break;
            case MemberReenrolledEvent e when !e.KeptTitles:
                // Its old index is left to no one: what referred to the member under it now shows the zero address.
                _memberAt[e.OldIndex] = Hex.ZeroAddress;
                Readdress(Hex.Address(e.Member), Hex.ZeroAddress);
                break;
            case MemberReenrolledEvent:
                break;
            case MemberNamedEvent e:
                _names[Hex.Address(e.Member)] = new MemberName(e.Name, e.Lei);
                break;
            case MemberKeyRotatedEvent e:
                var from = Hex.Address(e.OldAccount);
                var to = Hex.Address(e.NewAccount);
                _members[to] = _members[from] with { Address = to };
                _members.Remove(from);
                if (_names.Remove(from, out var name)) _names[to] = name;
                _memberAt[e.Index] = to;
                Readdress(from, to);
                break;
            case CarrierCodeBoundEvent e:
                _bindings[(false, LedgerCode.FromBytes(e.Code))] = Shared(Hex.Address(e.Carrier));
                break;
            case PortCodeBoundEvent e:
                _bindings[(true, LedgerCode.FromBytes(e.Locode))] = Shared(Hex.Address(e.Port));
                break;
            case MemberUpdatedEvent e:
                var updated = Hex.Address(e.Member);
                _members[updated] = _members[updated] with { Roles = (MemberRoles)e.Roles, Organisation = Hex.Of(e.Organisation) };
                break;
            case MemberRemovedEvent e:
                var removed = Hex.Address(e.Member);
                _members[removed] = _members[removed] with { Active = false };
                break;
            case TitleRegisteredEvent e:
                var shares = new (string Lot, ulong Quantity)[e.LotKeys.Count];
                for (var i = 0; i < shares.Length; i++)
                {
                    var lot = _lots[Hex.Of(e.LotKeys[i])];
                    _lots[lot.LotKey] = lot with { LiveQuantity = lot.LiveQuantity + e.Quantities[i] };
                    shares[i] = (lot.LotKey, e.Quantities[i]);
                }
                if (shares.Length > 1) _moreLots[e.TitleId] = shares[1..];
                _titles[e.TitleId] = new TitleState(
                    e.TitleId, TitleStatus.Live, Shared(Hex.Address(e.Holder)), shares[0].Lot, shares[0].Quantity, 0, Hex.ZeroAddress, 0, MoreLotsText(shares));
                foreach (var key in e.Keys) _keyTitle[Bytes32.Of(key)] = e.TitleId;
                break;
            case KeyLockSupersededEvent e:
                _freeKeyLocks[Bytes32.Of(e.Key)] = (0, Hex.ZeroAddress, 0);
                break;
            case TitleVoidedEvent e:
                _corrections.Add(e);
                End(e.TitleId, TitleStatus.Voided);
                break;
            case AttestationCorrectedEvent e:
                _corrections.Add(e);
                var corrected = Hex.Of(e.LotKey);
                _lots[corrected] = e.NewQuantity == 0
                    ? _lots[corrected] with { Attested = false, AttestedQuantity = 0, Port = Hex.ZeroAddress, LoadedAt = 0, DocumentHash = ZeroHash, Locode = "" }
                    : _lots[corrected] with { AttestedQuantity = e.NewQuantity };
                break;
            case OverIssueClearedEvent e:
                _corrections.Add(e);
                var cleared = Hex.Of(e.LotKey);
                _lots[cleared] = _lots[cleared] with { OverIssued = false };
                break;
            case TitleTransferredEvent e:
                _titles[e.TitleId] = _titles[e.TitleId] with { Holder = Shared(Hex.Address(e.To)) };
                break;
            case TitleSurrenderedEvent e:
                End(e.TitleId, TitleStatus.Surrendered);
                break;
            case PledgedEvent e:
                _pledgeCount = e.PledgeId;
                _borrowers[e.PledgeId] = Shared(Hex.Address(e.Borrower));
                Lock(e.TitleIds, e.Keys, (e.PledgeId, Shared(Hex.Address(e.Pledgee)), e.Expiry));
                break;
            case PledgeBlockedEvent e:
                _blockedAttempts.Add(e);
                break;
            case ReleasedEvent e:
                Lock(e.TitleIds, e.Keys, (0, Hex.ZeroAddress, 0));
                break;
            case LoadingAttestedEvent e:
                var attestedKey = Hex.Of(e.LotKey);
                _lots[attestedKey] = LotFor(attestedKey, e.Unit) with
                {
                    Unit = Shared(Hex.Of(e.Unit)),
                    Locode = LedgerCode.FromBytes(e.Locode),
                    Attested = true,
                    AttestedQuantity = e.Quantity,
                    Port = Hex.Address(e.Port),
                    LoadedAt = e.LoadedAt,
                    DocumentHash = Hex.Of(e.DocumentHash),
                };
                break;
            case LotOverIssuedEvent e:
                var overIssued = Hex.Of(e.LotKey);
                _lots[overIssued] = _lots[overIssued] with { OverIssued = true };
                break;
            case ExpiredLockReleasedEvent e:
                // The pledge or registration that follows in the same transaction sets the new state; the old lock ends here.
                if (e.TitleId != 0) LockTitle(e.TitleId, (0, Hex.ZeroAddress, 0));
                else _freeKeyLocks[Bytes32.Of(e.Key)] = (0, Hex.ZeroAddress, 0);
                break;
            case DefaultDeclaredEvent e:
                _enforceableAt[e.PledgeId] = e.EnforceableAt;
                break;
            case DefaultContestedEvent e:
                _contestedDefaults.Add(e);
                break;
            case ConsentRevokedEvent:
                // Nonces are not part of the projected state (the contract's views do not list them).
                break;
            case PledgeTermsChangedEvent e:
                PledgeTerms = (e.MaxPledgeTerm, e.ContestPeriod);
                break;
            case AnchoredEvent e:
                var anchor = new AnchorState(Hex.Of(e.Root), Shared(Hex.Address(e.Submitter)), e.LeafCount, e.AnchoredAt, (ulong)logged.BlockNumber);
                _anchors[(anchor.Root, anchor.LeafCount, anchor.Submitter)] = anchor;
                if (!_anchorsByRoot.TryGetValue(anchor.Root, out var sameRoot)) _anchorsByRoot[anchor.Root] = sameRoot = [];
                sameRoot.Add(anchor);
                break;
            default:
                throw new InvalidOperationException($"No projection rule for {logged.Event.GetType().Name}.");
        }
    }

    public void ApplyAll(IEnumerable<LedgerEvent> events)
    {
        foreach (var e in events) Apply(e);
    }

    public TitleState? Title(ulong titleId) => _titles.GetValueOrDefault(titleId);

    /// <summary>A key as <c>keyState</c> shows it; an unknown key is free.</summary>
    public KeyState Key(string key)
    {
        var text = Hex.Address(key);
        return Bytes32.TryParse(text, out var value) ? KeyStateOf(value, text) : FreeKey(text, (0, Hex.ZeroAddress, 0));
    }

    public LotState? Lot(string lotKey) => _lots.GetValueOrDefault(Hex.Address(lotKey));

    public IEnumerable<LotState> Lots => _lots.Values;

    public MemberState? Member(string address) => _members.GetValueOrDefault(Hex.Address(address));

    /// <summary>Every member ever enrolled (active or removed), under its current address.</summary>
    public IEnumerable<MemberState> Members() => _members.Values;

    /// <summary>The display name and LEI governance last recorded for a member, or null (an admin, or no member).</summary>
    public MemberName? NameOf(string address) => _names.GetValueOrDefault(Hex.Address(address));

    /// <summary>The anchor <paramref name="submitter"/> made of <paramref name="root"/> with <paramref name="leafCount"/> leaves, or null.</summary>
    public AnchorState? Anchor(string root, uint leafCount, string submitter) =>
        _anchors.GetValueOrDefault((Hex.Address(root), leafCount, Hex.Address(submitter)));

    /// <summary>Every anchor of <paramref name="root"/>, by whoever made it, in chain order.</summary>
    public IReadOnlyList<AnchorState> AnchorsOf(string root) =>
        _anchorsByRoot.TryGetValue(Hex.Address(root), out var list) ? list : [];

    /// <summary>The titles a key belongs to or names, for finding a title's history.</summary>
    public ulong? TitleOfKey(string key) => Bytes32.TryParse(key, out var value) && _keyTitle.TryGetValue(value, out var title) ? title : null;

    /// <summary>How much the ledger holds: titles, collateral keys (of titles, or pledged on their own) and pledges ever made.</summary>
    public (long Titles, long Keys, ulong Pledges) Size =>
        (_titles.Count, _keyTitle.Count + _freeKeyLocks.Keys.Count(k => !_keyTitle.ContainsKey(k)), _pledgeCount);

    public LedgerSnapshot Snapshot() => new(
        new GovernanceState((uint)_admins.Count, _threshold, _adminEpoch, (ulong)_proposals.Count),
        [.. _admins],
        [.. _memberAt.OrderBy(m => m.Key).Select(m => _members.GetValueOrDefault(m.Value) ?? new MemberState(Hex.ZeroAddress, 0, MemberRoles.None, false, ZeroHash))],
        [.. _proposals.Values],
        [.. _titles.Values],
        [.. _keyTitle.Keys.Union(_freeKeyLocks.Keys).Select(k => KeyStateOf(k, k.ToString()))],
        [.. _lots.Values],
        [.. _anchors.Values],
        _pledgeCount,
        [.. _bindings.Select(b => new CodeBinding(b.Key.Port, b.Key.Code, b.Value))]);

    /// <summary>Every key the history mentions: keys of titles and keys ever pledged on their own.</summary>
    public IEnumerable<string> KnownKeys() => _keyTitle.Keys.Union(_freeKeyLocks.Keys).Select(k => k.ToString());

    public IEnumerable<(string Root, uint LeafCount, string Submitter)> KnownAnchors() => _anchors.Keys;

    /// <summary>Every carrier code and UN/LOCODE ever bound.</summary>
    public IEnumerable<(bool Port, string Code)> KnownCodes() => _bindings.Keys;

    public IEnumerable<string> KnownAdminCandidates() => _admins;

    private KeyState KeyStateOf(Bytes32 key, string text)
    {
        if (_keyTitle.TryGetValue(key, out var titleId) && _titles[titleId].Status != TitleStatus.Voided)
        {
            var t = _titles[titleId];
            return new KeyState(text, titleId, t.Status, t.PledgeId, t.Pledgee, t.PledgeExpiry);
        }
        return FreeKey(text, _freeKeyLocks.TryGetValue(key, out var l) ? l : (0UL, Hex.ZeroAddress, 0UL));
    }

    private static KeyState FreeKey(string text, (ulong PledgeId, string Pledgee, ulong Expiry) own) =>
        new(text, 0, TitleStatus.None, own.PledgeId, own.Pledgee, own.Expiry);

    private static readonly string ZeroHash = Hex.Of(new byte[32]);

    private LotState LotFor(string lotKey, byte[] unit) =>
        _lots.TryGetValue(lotKey, out var lot)
            ? lot
            : _lots[lotKey] = new LotState(lotKey, (uint)_lots.Count + 1, false, false, Shared(Hex.Of(unit)), 0, 0, Hex.ZeroAddress, 0, ZeroHash);

    /// <summary>One instance of a value that recurs across many titles (member addresses, units).</summary>
    private string Shared(string value)
    {
        if (_shared.TryGetValue(value, out var shared)) return shared;
        _shared[value] = value;
        return value;
    }

    /// <summary>Sets (or, with pledge id 0, clears) the lock of each title and of each key's title or own lock.</summary>
    private void Lock(IEnumerable<ulong> titleIds, IEnumerable<byte[]> keys, (ulong PledgeId, string Pledgee, ulong Expiry) lockState)
    {
        foreach (var titleId in titleIds) LockTitle(titleId, lockState);
        foreach (var keyBytes in keys)
        {
            var key = Bytes32.Of(keyBytes);
            if (_keyTitle.TryGetValue(key, out var titleId) && _titles[titleId].Status != TitleStatus.Voided) LockTitle(titleId, lockState);
            else _freeKeyLocks[key] = lockState;
        }
    }

    /// <summary>Ends a live title (surrendered or voided): its lock ends and its quantities leave its lots.</summary>
    private void End(ulong titleId, TitleStatus status)
    {
        var title = _titles[titleId];
        _titles[titleId] = title with { Status = status, PledgeId = 0, Pledgee = Hex.ZeroAddress, PledgeExpiry = 0 };
        foreach (var (lot, quantity) in LotsOf(titleId)) _lots[lot] = _lots[lot] with { LiveQuantity = _lots[lot].LiveQuantity - quantity };
    }

    private static string MoreLotsText((string Lot, ulong Quantity)[] shares) =>
        shares.Length <= 1 ? "" : string.Join(",", shares.Skip(1).Select(s => $"{s.Lot}:{s.Quantity}"));

    /// <summary>
    /// Where the chain names a member by index, its views now show <paramref name="to"/> instead of <paramref name="from"/>
    /// (a key rotation; or the zero address once a re-enrolled member's old index is left to no one). Rare: a full scan.
    /// </summary>
    private void Readdress(string from, string to)
    {
        to = Shared(to);
        foreach (var (id, t) in _titles.ToList())
        {
            if (t.Holder == from || t.Pledgee == from)
            {
                _titles[id] = t with { Holder = t.Holder == from ? to : t.Holder, Pledgee = t.Pledgee == from ? to : t.Pledgee };
            }
        }
        foreach (var (key, l) in _freeKeyLocks.ToList())
        {
            if (l.Pledgee == from) _freeKeyLocks[key] = l with { Pledgee = to };
        }
        foreach (var (key, lot) in _lots.ToList())
        {
            if (lot.Port == from) _lots[key] = lot with { Port = to };
        }
        foreach (var (code, member) in _bindings.ToList())
        {
            if (member == from) _bindings[code] = to;
        }
        foreach (var (id, anchor) in _anchors.ToList())
        {
            if (anchor.Submitter != from) continue;
            _anchors.Remove(id);
            _anchorsByRoot[anchor.Root].Remove(anchor);
            // Anchors are keyed by the submitter's index: a rotated key keeps them, a dropped index loses them.
            if (to == Hex.ZeroAddress) continue;
            var moved = anchor with { Submitter = to };
            _anchors[(moved.Root, moved.LeafCount, to)] = moved;
            _anchorsByRoot[moved.Root].Add(moved);
        }
    }

    private void LockTitle(ulong titleId, (ulong PledgeId, string Pledgee, ulong Expiry) lockState) =>
        _titles[titleId] = _titles[titleId] with { PledgeId = lockState.PledgeId, Pledgee = lockState.Pledgee, PledgeExpiry = lockState.Expiry };
}

/// <summary>A 32-byte value (a collateral key) held inline as four words: a compact, fast dictionary key.</summary>
internal readonly record struct Bytes32(ulong A, ulong B, ulong C, ulong D)
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
        if (digits.Length != 64 || Convert.FromHexString(digits, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        value = Of(bytes);
        return true;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], D);
        return "0x" + Convert.ToHexStringLower(bytes);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Roles} from "./Roles.sol";

// Interface at a glance (README "The contracts at a glance" has the table):
//   propose…(…) -> id     enrol / re-enrol (keepTitles) / update / remove a member; rotate its key; bind a carrier
//                         code or UN/LOCODE; add/remove an admin; threshold; pledge terms; time-locked corrections
//                         (attestation quantity or annulment, over-issue clearance, title void)
//   approve(id)           counts an approval; the M-th executes (or queues a time-locked correction)
//   withdrawApproval(id)  takes an approval back before execution
//   execute(id)           runs a queued correction after CORRECTION_DELAY
//   views                 proposal(id), hasApproved(id, admin), governance(), carrierOf(code), portOf(locode)
//   refusals              NotAdmin, ProposalStale, ProposalExpired, ThresholdNotMet, TimeLocked, AlreadyApproved, …

/// @title Consortium membership under M-of-N admin governance.
/// @notice No single key can enrol, change or remove a member: every change is a proposal that
///         executes only once `threshold` distinct admins approved it. Changing the admin set or the
///         threshold is itself a proposal, and it invalidates every proposal still open (stale), so
///         approvals given under one admin set never count under another. The admin epoch counts every
///         admin-set or threshold change since deployment, so it can be recomputed from events alone.
abstract contract Consortium {
    /// @dev Appended only: the numbers are in events and in clients.
    enum ProposalKind {
        None,
        EnrolMember,
        UpdateMember,
        RemoveMember,
        AddAdmin,
        RemoveAdmin,
        SetThreshold,
        SetMaxPledgeTerm,
        SetContestPeriod,
        RotateKey,
        BindCarrierCode,
        BindPortCode,
        CorrectAttestation,
        ClearOverIssue,
        VoidTitle,
        ReenrolMember
    }

    struct Member {
        uint32 index; // 1-based, kept for life so titles can refer to members compactly
        uint8 roles;
        bool active;
        // Consent nonces, in the slot pledges touch anyway: every nonce below `consentBase` is used, and bit i of
        // `consentsUsed` marks `consentBase + i` used: consents signed together are used in any order, and a nonce 128
        // or more above the base voids the unused ones below it.
        uint64 consentBase;
        uint128 consentsUsed;
        bytes32 organisation;
    }

    /// @dev What each kind carries: see the propose functions. `threshold` is the threshold or a duration;
    ///      `organisation` is the organisation, a carrier/port code (bytes8, left-aligned) or a lot key; `account` is
    ///      a rotation's new address; `amount` is a corrected quantity, a title id, or 1 to keep a member's titles.
    struct Proposal {
        ProposalKind kind;
        uint8 roles;
        bool executed;
        uint32 approvals;
        uint32 adminEpoch;
        uint32 threshold;
        uint40 deadline; // approvals after it are refused
        uint40 executableAt; // time-locked kinds: when it may execute (0 until the approvals reach the threshold)
        address subject;
        address proposer;
        bytes32 organisation;
        address account;
        uint64 amount;
    }

    /// @notice How long a proposal gathers approvals.
    uint32 public constant PROPOSAL_LIFETIME = 14 days;
    /// @notice How long an approved correction waits before anyone can execute it (members see it coming).
    uint32 public constant CORRECTION_DELAY = 48 hours;

    mapping(address => Member) internal _members;
    mapping(uint32 => address) internal _memberAt;
    uint32 internal _memberCount;

    mapping(address => bool) internal _isAdmin;
    uint32 internal _adminCount;
    uint32 internal _threshold;
    uint32 internal _adminEpoch;

    mapping(uint64 => Proposal) internal _proposals;
    mapping(uint64 => mapping(address => bool)) internal _approvedBy;
    uint64 internal _proposalCount;

    /// @dev The display name and LEI an enrolment, re-enrolment or update proposes, emitted when it executes.
    struct MemberName {
        string name;
        string lei;
    }

    mapping(uint64 => MemberName) internal _proposalNames;

    /// @dev Carrier codes (SCAC/SMDG) and UN/LOCODEs to the member index bound to them (0: unbound).
    mapping(bytes8 => uint32) internal _carrierOf;
    mapping(bytes8 => uint32) internal _portOf;

    event AdminAdded(address indexed admin);
    event AdminRemoved(address indexed admin);
    event ThresholdChanged(uint32 threshold);
    event ProposalCreated(
        uint64 indexed proposalId,
        address indexed proposer,
        ProposalKind kind,
        address subject,
        uint8 roles,
        bytes32 organisation,
        uint32 threshold,
        address account,
        uint64 amount,
        uint40 deadline
    );
    event ProposalApproved(uint64 indexed proposalId, address indexed admin, uint32 approvals);
    event ProposalApprovalWithdrawn(uint64 indexed proposalId, address indexed admin, uint32 approvals);
    /// @notice A time-locked proposal reached its threshold; it may execute from `executableAt`.
    event ProposalQueued(uint64 indexed proposalId, uint40 executableAt);
    event ProposalExecuted(uint64 indexed proposalId);
    event MemberEnrolled(address indexed member, uint32 index, uint8 roles, bytes32 organisation);
    event MemberUpdated(address indexed member, uint8 roles, bytes32 organisation);
    event MemberRemoved(address indexed member);
    /// @notice The member's display name and LEI (ISO 17442, 20 characters; empty if it has none), as the proposal
    ///         that enrolled or updated it set them; its `organisation` is keccak-256 of the name.
    event MemberNamed(address indexed member, string name, string lei);
    /// @notice A former member enrolled again. `keptTitles`: it keeps its index, so its titles are live for it again;
    ///         otherwise it gets `newIndex` and its titles under `oldIndex` stay frozen (no one can move them).
    event MemberReenrolled(address indexed member, uint32 oldIndex, uint32 newIndex, bool keptTitles);
    /// @notice A member's key changed: same index (titles, pledges, bindings, consent nonces), new address.
    event MemberKeyRotated(address indexed oldAccount, address indexed newAccount, uint32 index);
    /// @notice `carrier` is bound to `code`; the zero address: unbound.
    event CarrierCodeBound(bytes8 indexed code, address indexed carrier);
    event PortCodeBound(bytes8 indexed locode, address indexed port);

    error NotAdmin(address account);
    error NotMember(address account);
    error MissingRole(address account, uint8 required);
    error ZeroAddress();
    error InvalidRoles(uint8 roles);
    error InvalidThreshold(uint32 threshold, uint32 adminCount);
    error MemberAlreadyActive(address member);
    error MemberNotActive(address member);
    error AlreadyAdmin(address account);
    error UnknownProposal(uint64 proposalId);
    error ProposalAlreadyExecuted(uint64 proposalId);
    error ProposalStale(uint64 proposalId);
    error AlreadyApproved(uint64 proposalId, address admin);
    error InvalidDuration(uint32 duration);
    error ProposalExpired(uint64 proposalId, uint40 deadline);
    error NotApproved(uint64 proposalId, address admin);
    error ThresholdNotMet(uint64 proposalId, uint32 approvals, uint32 threshold);
    error TimeLocked(uint64 proposalId, uint40 executableAt);
    error NotTimeLocked(uint64 proposalId);
    error FormerMember(address member, uint32 index);
    error NotFormerMember(address member);
    error AccountInUse(address account);
    error InvalidCode(bytes8 code);
    error CodeNotBound(bytes8 code);
    error InvalidName(uint256 length);
    error InvalidLei(uint256 length);

    constructor(address[] memory admins, uint32 threshold_) {
        for (uint256 i = 0; i < admins.length; i++) {
            _addAdmin(admins[i]);
        }
        _setThreshold(threshold_);
    }

    // ---- proposals -------------------------------------------------------------------------

    /// @notice Enrols a new member under its display name (1 to 128 bytes of UTF-8) and LEI (20 characters, or empty).
    ///         A removed member is refused: see `proposeReenrolment`.
    function proposeEnrolment(address member, uint8 roles, string calldata name, string calldata lei) external returns (uint64) {
        return _propose(ProposalKind.EnrolMember, member, roles, _named(name, lei), 0, address(0), 0);
    }

    /// @notice Enrols a removed member again, saying what becomes of its titles: `keepTitles` restores its index (its
    ///         titles are live for it again); otherwise it starts under a new index and its old titles stay frozen.
    function proposeReenrolment(address member, uint8 roles, string calldata name, string calldata lei, bool keepTitles)
        external
        returns (uint64)
    {
        return _propose(ProposalKind.ReenrolMember, member, roles, _named(name, lei), 0, address(0), keepTitles ? 1 : 0);
    }

    /// @notice Changes a member's roles, display name and LEI.
    function proposeMemberUpdate(address member, uint8 roles, string calldata name, string calldata lei) external returns (uint64) {
        return _propose(ProposalKind.UpdateMember, member, roles, _named(name, lei), 0, address(0), 0);
    }

    /// @dev Keeps the name and LEI for the proposal about to be made (it may execute at once) and returns the
    ///      organisation id: keccak-256 of the name.
    function _named(string calldata name, string calldata lei) private returns (bytes32) {
        if (bytes(name).length == 0 || bytes(name).length > 128) revert InvalidName(bytes(name).length);
        if (bytes(lei).length != 0 && bytes(lei).length != 20) revert InvalidLei(bytes(lei).length);
        MemberName storage named = _proposalNames[_proposalCount + 1];
        named.name = name;
        named.lei = lei;
        return keccak256(bytes(name));
    }

    function proposeRemoval(address member) external returns (uint64) {
        return _propose(ProposalKind.RemoveMember, member, 0, bytes32(0), 0, address(0), 0);
    }

    /// @notice Moves an active member to a new key (e.g. the old one is lost or stolen): same index, so its titles,
    ///         pledges, code bindings and consent nonces follow; the old address is no member any more.
    function proposeKeyRotation(address member, address newAccount) external returns (uint64) {
        return _propose(ProposalKind.RotateKey, member, 0, bytes32(0), 0, newAccount, 0);
    }

    /// @notice Binds a carrier code (NMFTA SCAC or SMDG, ASCII left-aligned) to a CARRIER member; the zero address unbinds.
    function proposeCarrierCode(bytes8 code, address carrier) external returns (uint64) {
        return _propose(ProposalKind.BindCarrierCode, carrier, 0, bytes32(code), 0, address(0), 0);
    }

    /// @notice Binds a UN/LOCODE (ASCII left-aligned) to a PORT member; the zero address unbinds.
    function proposePortCode(bytes8 locode, address port) external returns (uint64) {
        return _propose(ProposalKind.BindPortCode, port, 0, bytes32(locode), 0, address(0), 0);
    }

    function proposeAdminAddition(address admin) external returns (uint64) {
        return _propose(ProposalKind.AddAdmin, admin, 0, bytes32(0), 0, address(0), 0);
    }

    function proposeAdminRemoval(address admin) external returns (uint64) {
        return _propose(ProposalKind.RemoveAdmin, admin, 0, bytes32(0), 0, address(0), 0);
    }

    /// @notice At least 2 once there are 2 admins, at most the admin count.
    function proposeThreshold(uint32 threshold_) external returns (uint64) {
        return _propose(ProposalKind.SetThreshold, address(0), 0, bytes32(0), threshold_, address(0), 0);
    }

    /// @notice Proposes the longest term a pledge may run, in seconds (400 days at deployment).
    function proposeMaxPledgeTerm(uint32 duration) external returns (uint64) {
        return _propose(ProposalKind.SetMaxPledgeTerm, address(0), 0, bytes32(0), duration, address(0), 0);
    }

    /// @notice Proposes how long a borrower may contest a declared default before enforcement, in seconds (72 h at deployment).
    function proposeContestPeriod(uint32 duration) external returns (uint64) {
        return _propose(ProposalKind.SetContestPeriod, address(0), 0, bytes32(0), duration, address(0), 0);
    }

    /// @notice Time-locked correction: sets an attested lot's quantity; 0 annuls the attestation (the lot is
    ///         unattested again, so the rightful port of loading can attest it).
    function proposeAttestationCorrection(bytes32 lotKey, uint64 quantity) external returns (uint64) {
        return _propose(ProposalKind.CorrectAttestation, address(0), 0, lotKey, 0, address(0), quantity);
    }

    /// @notice Time-locked correction: clears a lot's over-issue mark after investigation (its live quantity must
    ///         be within the attested quantity by then, e.g. after voiding titles or correcting the attestation).
    function proposeOverIssueClearance(bytes32 lotKey) external returns (uint64) {
        return _propose(ProposalKind.ClearOverIssue, address(0), 0, lotKey, 0, address(0), 0);
    }

    /// @notice Time-locked correction: voids a live title (e.g. squatted keys): its lock ends, its quantity leaves its
    ///         lots and its keys are free again for the genuine issuer.
    function proposeTitleVoid(uint64 titleId) external returns (uint64) {
        return _propose(ProposalKind.VoidTitle, address(0), 0, bytes32(0), 0, address(0), titleId);
    }

    /// @notice Approves an open proposal; the approval that reaches the threshold executes it (or, for a
    ///         time-locked correction, queues it: see `execute`).
    function approve(uint64 proposalId) external {
        _requireAdmin();
        Proposal storage p = _openProposal(proposalId);
        if (block.timestamp > p.deadline) revert ProposalExpired(proposalId, p.deadline);
        if (_approvedBy[proposalId][msg.sender]) revert AlreadyApproved(proposalId, msg.sender);
        _approveAndMaybeExecute(proposalId, p);
    }

    /// @notice Withdraws the caller's approval of a proposal not executed yet. A queued correction that falls
    ///         below the threshold is unqueued; reaching it again starts the delay again.
    function withdrawApproval(uint64 proposalId) external {
        _requireAdmin();
        Proposal storage p = _openProposal(proposalId);
        if (!_approvedBy[proposalId][msg.sender]) revert NotApproved(proposalId, msg.sender);
        _approvedBy[proposalId][msg.sender] = false;
        uint32 approvals = p.approvals - 1;
        p.approvals = approvals;
        if (approvals < _threshold) p.executableAt = 0;
        emit ProposalApprovalWithdrawn(proposalId, msg.sender, approvals);
    }

    /// @notice Executes a queued time-locked correction once its delay has passed (any admin).
    function execute(uint64 proposalId) external {
        _requireAdmin();
        Proposal storage p = _openProposal(proposalId);
        if (!_isTimeLocked(p.kind)) revert NotTimeLocked(proposalId);
        if (p.approvals < _threshold) revert ThresholdNotMet(proposalId, p.approvals, _threshold);
        if (p.executableAt == 0 || block.timestamp < p.executableAt) revert TimeLocked(proposalId, p.executableAt);
        _execute(proposalId, p);
    }

    function _openProposal(uint64 proposalId) private view returns (Proposal storage p) {
        p = _proposals[proposalId];
        if (p.kind == ProposalKind.None) revert UnknownProposal(proposalId);
        if (p.executed) revert ProposalAlreadyExecuted(proposalId);
        if (p.adminEpoch != _adminEpoch) revert ProposalStale(proposalId);
    }

    function _propose(
        ProposalKind kind,
        address subject,
        uint8 roles,
        bytes32 organisation,
        uint32 threshold_,
        address account,
        uint64 amount
    ) private returns (uint64 proposalId) {
        _requireAdmin();
        proposalId = ++_proposalCount;
        Proposal storage p = _proposals[proposalId];
        p.kind = kind;
        p.roles = roles;
        p.adminEpoch = _adminEpoch;
        p.threshold = threshold_;
        p.deadline = uint40(block.timestamp + PROPOSAL_LIFETIME);
        p.subject = subject;
        p.proposer = msg.sender;
        p.organisation = organisation;
        p.account = account;
        p.amount = amount;
        _validate(p);
        emit ProposalCreated(
            proposalId, msg.sender, kind, subject, roles, organisation, threshold_, account, amount, p.deadline
        );
        _approveAndMaybeExecute(proposalId, p);
    }

    function _approveAndMaybeExecute(uint64 proposalId, Proposal storage p) private {
        _approvedBy[proposalId][msg.sender] = true;
        uint32 approvals = p.approvals + 1;
        p.approvals = approvals;
        emit ProposalApproved(proposalId, msg.sender, approvals);
        if (approvals < _threshold) return;
        if (_isTimeLocked(p.kind)) {
            if (p.executableAt == 0) {
                p.executableAt = uint40(block.timestamp + CORRECTION_DELAY);
                emit ProposalQueued(proposalId, p.executableAt);
            }
            return;
        }
        _execute(proposalId, p);
    }

    function _execute(uint64 proposalId, Proposal storage p) private {
        // The world may have moved since the proposal was made: validate again, then apply.
        _validate(p);
        p.executed = true;
        emit ProposalExecuted(proposalId);
        _apply(proposalId, p);
    }

    function _isTimeLocked(ProposalKind kind) private pure returns (bool) {
        return kind == ProposalKind.CorrectAttestation || kind == ProposalKind.ClearOverIssue
            || kind == ProposalKind.VoidTitle;
    }

    function _validate(Proposal storage p) private view {
        ProposalKind kind = p.kind;
        address subject = p.subject;
        if (kind == ProposalKind.SetThreshold) {
            uint32 t = p.threshold;
            if (t < _thresholdFloor(_adminCount) || t > _adminCount) revert InvalidThreshold(t, _adminCount);
            return;
        }
        if (kind == ProposalKind.SetMaxPledgeTerm || kind == ProposalKind.SetContestPeriod) {
            // The duration travels in the proposal's threshold field.
            if (p.threshold == 0) revert InvalidDuration(p.threshold);
            return;
        }
        if (kind == ProposalKind.BindCarrierCode || kind == ProposalKind.BindPortCode) {
            bytes8 code = bytes8(p.organisation);
            if (code == bytes8(0)) revert InvalidCode(code);
            mapping(bytes8 => uint32) storage bound = kind == ProposalKind.BindCarrierCode ? _carrierOf : _portOf;
            if (subject == address(0)) {
                if (bound[code] == 0) revert CodeNotBound(code);
                return;
            }
            uint8 role = kind == ProposalKind.BindCarrierCode ? Roles.CARRIER : Roles.PORT;
            Member storage m = _members[subject];
            if (!m.active) revert MemberNotActive(subject);
            if (m.roles & role == 0) revert MissingRole(subject, role);
            return;
        }
        if (_isTimeLocked(kind)) {
            _validateCorrection(kind, p.organisation, p.amount);
            return;
        }
        if (subject == address(0)) revert ZeroAddress();
        if (kind == ProposalKind.EnrolMember || kind == ProposalKind.UpdateMember || kind == ProposalKind.ReenrolMember) {
            if (p.roles == 0 || p.roles & ~Roles.ALL != 0) revert InvalidRoles(p.roles);
        }
        Member storage member = _members[subject];
        bool active = member.active;
        if (kind == ProposalKind.EnrolMember) {
            if (active) revert MemberAlreadyActive(subject);
            if (member.index != 0) revert FormerMember(subject, member.index);
        }
        if (kind == ProposalKind.ReenrolMember) {
            if (active) revert MemberAlreadyActive(subject);
            if (member.index == 0) revert NotFormerMember(subject);
        }
        if ((kind == ProposalKind.UpdateMember || kind == ProposalKind.RemoveMember || kind == ProposalKind.RotateKey)
            && !active) {
            revert MemberNotActive(subject);
        }
        if (kind == ProposalKind.RotateKey) {
            if (p.account == address(0)) revert ZeroAddress();
            if (_members[p.account].index != 0) revert AccountInUse(p.account);
        }
        if (kind == ProposalKind.AddAdmin && _isAdmin[subject]) revert AlreadyAdmin(subject);
        if (kind == ProposalKind.RemoveAdmin) {
            if (!_isAdmin[subject]) revert NotAdmin(subject);
            if (_adminCount - 1 < _threshold) revert InvalidThreshold(_threshold, _adminCount - 1);
        }
    }

    function _apply(uint64 proposalId, Proposal storage p) private {
        ProposalKind kind = p.kind;
        address subject = p.subject;
        if (kind == ProposalKind.EnrolMember) {
            Member storage m = _members[subject];
            m.index = ++_memberCount;
            _memberAt[m.index] = subject;
            m.roles = p.roles;
            m.active = true;
            m.organisation = p.organisation;
            emit MemberEnrolled(subject, m.index, p.roles, p.organisation);
            _emitName(proposalId, subject);
        } else if (kind == ProposalKind.ReenrolMember) {
            Member storage m = _members[subject];
            uint32 oldIndex = m.index;
            bool keep = p.amount != 0;
            if (!keep) {
                // The old index is left to no one: its titles and locks stay frozen (governance may void them).
                _memberAt[oldIndex] = address(0);
                m.index = ++_memberCount;
                _memberAt[m.index] = subject;
            }
            m.roles = p.roles;
            m.active = true;
            m.organisation = p.organisation;
            emit MemberEnrolled(subject, m.index, p.roles, p.organisation);
            emit MemberReenrolled(subject, oldIndex, m.index, keep);
            _emitName(proposalId, subject);
        } else if (kind == ProposalKind.UpdateMember) {
            Member storage m = _members[subject];
            m.roles = p.roles;
            m.organisation = p.organisation;
            emit MemberUpdated(subject, p.roles, p.organisation);
            _emitName(proposalId, subject);
        } else if (kind == ProposalKind.RemoveMember) {
            _members[subject].active = false;
            emit MemberRemoved(subject);
        } else if (kind == ProposalKind.RotateKey) {
            address next = p.account;
            Member memory m = _members[subject];
            _members[next] = m;
            _memberAt[m.index] = next;
            delete _members[subject];
            emit MemberKeyRotated(subject, next, m.index);
        } else if (kind == ProposalKind.BindCarrierCode || kind == ProposalKind.BindPortCode) {
            bytes8 code = bytes8(p.organisation);
            uint32 index = subject == address(0) ? 0 : _members[subject].index;
            if (kind == ProposalKind.BindCarrierCode) {
                _carrierOf[code] = index;
                emit CarrierCodeBound(code, subject);
            } else {
                _portOf[code] = index;
                emit PortCodeBound(code, subject);
            }
        } else if (kind == ProposalKind.AddAdmin) {
            _addAdmin(subject);
            uint32 floor = _thresholdFloor(_adminCount);
            if (_threshold < floor) _setThreshold(floor);
        } else if (kind == ProposalKind.RemoveAdmin) {
            _isAdmin[subject] = false;
            _adminCount--;
            _adminEpoch++;
            emit AdminRemoved(subject);
        } else if (kind == ProposalKind.SetThreshold) {
            _setThreshold(p.threshold);
        } else if (_isTimeLocked(kind)) {
            _applyCorrection(proposalId, kind, p.organisation, p.amount);
        } else {
            _setPledgeTerm(kind, p.threshold);
        }
    }

    function _emitName(uint64 proposalId, address member) private {
        MemberName storage named = _proposalNames[proposalId];
        emit MemberNamed(member, named.name, named.lei);
    }

    /// @dev Applies a governed pledge duration (maximum term or contest period); the ledger keeps them.
    function _setPledgeTerm(ProposalKind kind, uint32 duration) internal virtual;

    /// @dev Refuses a correction that cannot apply now (the ledger knows lots and titles).
    function _validateCorrection(ProposalKind kind, bytes32 lotKey, uint64 amount) internal view virtual;

    /// @dev Applies a validated correction, with its event.
    function _applyCorrection(uint64 proposalId, ProposalKind kind, bytes32 lotKey, uint64 amount) internal virtual;

    /// @dev A lone admin may govern alone; from two admins on, no single key may.
    function _thresholdFloor(uint32 adminCount) private pure returns (uint32) {
        return adminCount >= 2 ? 2 : 1;
    }

    function _addAdmin(address admin) private {
        if (admin == address(0)) revert ZeroAddress();
        if (_isAdmin[admin]) revert AlreadyAdmin(admin);
        _isAdmin[admin] = true;
        _adminCount++;
        _adminEpoch++;
        emit AdminAdded(admin);
    }

    function _setThreshold(uint32 threshold_) private {
        if (threshold_ < _thresholdFloor(_adminCount) || threshold_ > _adminCount) {
            revert InvalidThreshold(threshold_, _adminCount);
        }
        _threshold = threshold_;
        _adminEpoch++;
        emit ThresholdChanged(threshold_);
    }

    function _requireAdmin() private view {
        if (!_isAdmin[msg.sender]) revert NotAdmin(msg.sender);
    }

    /// @dev The caller's member index, if it is an active member holding any of `anyOf` roles.
    function _requireRole(uint8 anyOf) internal view returns (uint32) {
        Member storage m = _members[msg.sender];
        if (!m.active) revert NotMember(msg.sender);
        if (m.roles & anyOf == 0) revert MissingRole(msg.sender, anyOf);
        return m.index;
    }

    /// @dev The member index of an active member, whatever its roles.
    function _activeMemberIndex(address account) internal view returns (uint32) {
        Member storage m = _members[account];
        // Both fields read before the branch: one SLOAD of the member's slot.
        (bool active, uint32 index) = (m.active, m.index);
        if (!active) revert NotMember(account);
        return index;
    }

    /// @dev Whether `account` is an active member holding `role` and the one bound to `code` in `bound`. An account's
    ///      record always names its own index (enrolment and rotation set both directions; rotation deletes the old
    ///      key's record), so the record read once is the bound member's: no `_memberAt` lookup (a cold SLOAD) needed.
    function _boundTo(mapping(bytes8 => uint32) storage bound, bytes8 code, address account, uint8 role)
        internal
        view
        returns (bool)
    {
        Member storage m = _members[account];
        // All three fields read before any branch: one SLOAD of the member's slot.
        (uint32 index, bool active, uint8 roles) = (m.index, m.active, m.roles);
        return index != 0 && active && roles & role != 0 && bound[code] == index;
    }

    // ---- views -----------------------------------------------------------------------------

    function memberOf(address account)
        external
        view
        returns (uint32 index, uint8 roles, bool active, bytes32 organisation)
    {
        Member storage m = _members[account];
        return (m.index, m.roles, m.active, m.organisation);
    }

    function memberAt(uint32 index) external view returns (address) {
        return _memberAt[index];
    }

    function memberCount() external view returns (uint32) {
        return _memberCount;
    }

    function isAdmin(address account) external view returns (bool) {
        return _isAdmin[account];
    }

    function governance() external view returns (uint32 adminCount, uint32 threshold, uint32 adminEpoch, uint64 proposalCount) {
        return (_adminCount, _threshold, _adminEpoch, _proposalCount);
    }

    function proposal(uint64 proposalId) external view returns (Proposal memory) {
        return _proposals[proposalId];
    }

    /// @notice The display name and LEI an enrolment, re-enrolment or update proposes (empty for other kinds).
    function proposalName(uint64 proposalId) external view returns (string memory name, string memory lei) {
        MemberName storage named = _proposalNames[proposalId];
        return (named.name, named.lei);
    }

    function hasApproved(uint64 proposalId, address admin) external view returns (bool) {
        return _approvedBy[proposalId][admin];
    }

    /// @notice The member bound to a carrier code (zero address if none).
    function carrierOf(bytes8 code) external view returns (address) {
        return _memberAt[_carrierOf[code]];
    }

    /// @notice The member bound to a UN/LOCODE (zero address if none).
    function portOf(bytes8 locode) external view returns (address) {
        return _memberAt[_portOf[locode]];
    }
}

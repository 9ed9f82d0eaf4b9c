// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Roles} from "./Roles.sol";

/// @title Consortium membership under M-of-N admin governance.
/// @notice No single key can enrol, change or remove a member: every change is a proposal that
///         executes only once `threshold` distinct admins approved it. Changing the admin set or the
///         threshold is itself a proposal, and it invalidates every proposal still open (stale), so
///         approvals given under one admin set never count under another. The admin epoch counts every
///         admin-set or threshold change since deployment, so it can be recomputed from events alone.
abstract contract Consortium {
    enum ProposalKind {
        None,
        EnrolMember,
        UpdateMember,
        RemoveMember,
        AddAdmin,
        RemoveAdmin,
        SetThreshold,
        SetMaxPledgeTerm,
        SetContestPeriod
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

    struct Proposal {
        ProposalKind kind;
        uint8 roles;
        bool executed;
        uint32 approvals;
        uint32 adminEpoch;
        uint32 threshold;
        address subject;
        address proposer;
        bytes32 organisation;
    }

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
        uint32 threshold
    );
    event ProposalApproved(uint64 indexed proposalId, address indexed admin, uint32 approvals);
    event ProposalExecuted(uint64 indexed proposalId);
    event MemberEnrolled(address indexed member, uint32 index, uint8 roles, bytes32 organisation);
    event MemberUpdated(address indexed member, uint8 roles, bytes32 organisation);
    event MemberRemoved(address indexed member);

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

    constructor(address[] memory admins, uint32 threshold_) {
        for (uint256 i = 0; i < admins.length; i++) {
            _addAdmin(admins[i]);
        }
        _setThreshold(threshold_);
    }

    // ---- proposals -------------------------------------------------------------------------

    function proposeEnrolment(address member, uint8 roles, bytes32 organisation) external returns (uint64) {
        return _propose(ProposalKind.EnrolMember, member, roles, organisation, 0);
    }

    function proposeMemberUpdate(address member, uint8 roles, bytes32 organisation) external returns (uint64) {
        return _propose(ProposalKind.UpdateMember, member, roles, organisation, 0);
    }

    function proposeRemoval(address member) external returns (uint64) {
        return _propose(ProposalKind.RemoveMember, member, 0, bytes32(0), 0);
    }

    function proposeAdminAddition(address admin) external returns (uint64) {
        return _propose(ProposalKind.AddAdmin, admin, 0, bytes32(0), 0);
    }

    function proposeAdminRemoval(address admin) external returns (uint64) {
        return _propose(ProposalKind.RemoveAdmin, admin, 0, bytes32(0), 0);
    }

    function proposeThreshold(uint32 threshold_) external returns (uint64) {
        return _propose(ProposalKind.SetThreshold, address(0), 0, bytes32(0), threshold_);
    }

    /// @notice Proposes the longest term a pledge may run, in seconds (400 days at deployment).
    function proposeMaxPledgeTerm(uint32 duration) external returns (uint64) {
        return _propose(ProposalKind.SetMaxPledgeTerm, address(0), 0, bytes32(0), duration);
    }

    /// @notice Proposes how long a borrower may contest a declared default before enforcement, in seconds (72 h at deployment).
    function proposeContestPeriod(uint32 duration) external returns (uint64) {
        return _propose(ProposalKind.SetContestPeriod, address(0), 0, bytes32(0), duration);
    }

    /// @notice Approves an open proposal; the approval that reaches the threshold executes it.
    function approve(uint64 proposalId) external {
        _requireAdmin();
        Proposal storage p = _proposals[proposalId];
        if (p.kind == ProposalKind.None) revert UnknownProposal(proposalId);
        if (p.executed) revert ProposalAlreadyExecuted(proposalId);
        if (p.adminEpoch != _adminEpoch) revert ProposalStale(proposalId);
        if (_approvedBy[proposalId][msg.sender]) revert AlreadyApproved(proposalId, msg.sender);
        _approveAndMaybeExecute(proposalId, p);
    }

    function _propose(ProposalKind kind, address subject, uint8 roles, bytes32 organisation, uint32 threshold_)
        private
        returns (uint64 proposalId)
    {
        _requireAdmin();
        _validate(kind, subject, roles, threshold_);
        proposalId = ++_proposalCount;
        Proposal storage p = _proposals[proposalId];
        p.kind = kind;
        p.roles = roles;
        p.adminEpoch = _adminEpoch;
        p.threshold = threshold_;
        p.subject = subject;
        p.proposer = msg.sender;
        p.organisation = organisation;
        emit ProposalCreated(proposalId, msg.sender, kind, subject, roles, organisation, threshold_);
        _approveAndMaybeExecute(proposalId, p);
    }

    function _approveAndMaybeExecute(uint64 proposalId, Proposal storage p) private {
        _approvedBy[proposalId][msg.sender] = true;
        uint32 approvals = p.approvals + 1;
        p.approvals = approvals;
        emit ProposalApproved(proposalId, msg.sender, approvals);
        if (approvals < _threshold) return;

        // The world may have moved since the proposal was made: validate again, then apply.
        _validate(p.kind, p.subject, p.roles, p.threshold);
        p.executed = true;
        emit ProposalExecuted(proposalId);
        _apply(p);
    }

    function _validate(ProposalKind kind, address subject, uint8 roles, uint32 threshold_) private view {
        if (kind == ProposalKind.SetThreshold) {
            if (threshold_ == 0 || threshold_ > _adminCount) revert InvalidThreshold(threshold_, _adminCount);
            return;
        }
        if (kind == ProposalKind.SetMaxPledgeTerm || kind == ProposalKind.SetContestPeriod) {
            // The duration travels in the proposal's threshold field.
            if (threshold_ == 0) revert InvalidDuration(threshold_);
            return;
        }
        if (subject == address(0)) revert ZeroAddress();
        if (kind == ProposalKind.EnrolMember || kind == ProposalKind.UpdateMember) {
            if (roles == 0 || roles & ~Roles.ALL != 0) revert InvalidRoles(roles);
        }
        bool active = _members[subject].active;
        if (kind == ProposalKind.EnrolMember && active) revert MemberAlreadyActive(subject);
        if ((kind == ProposalKind.UpdateMember || kind == ProposalKind.RemoveMember) && !active) {
            revert MemberNotActive(subject);
        }
        if (kind == ProposalKind.AddAdmin && _isAdmin[subject]) revert AlreadyAdmin(subject);
        if (kind == ProposalKind.RemoveAdmin) {
            if (!_isAdmin[subject]) revert NotAdmin(subject);
            if (_adminCount - 1 < _threshold) revert InvalidThreshold(_threshold, _adminCount - 1);
        }
    }

    function _apply(Proposal storage p) private {
        ProposalKind kind = p.kind;
        address subject = p.subject;
        if (kind == ProposalKind.EnrolMember) {
            Member storage m = _members[subject];
            if (m.index == 0) {
                m.index = ++_memberCount;
                _memberAt[m.index] = subject;
            }
            m.roles = p.roles;
            m.active = true;
            m.organisation = p.organisation;
            emit MemberEnrolled(subject, m.index, p.roles, p.organisation);
        } else if (kind == ProposalKind.UpdateMember) {
            Member storage m = _members[subject];
            m.roles = p.roles;
            m.organisation = p.organisation;
            emit MemberUpdated(subject, p.roles, p.organisation);
        } else if (kind == ProposalKind.RemoveMember) {
            _members[subject].active = false;
            emit MemberRemoved(subject);
        } else if (kind == ProposalKind.AddAdmin) {
            _addAdmin(subject);
        } else if (kind == ProposalKind.RemoveAdmin) {
            _isAdmin[subject] = false;
            _adminCount--;
            _adminEpoch++;
            emit AdminRemoved(subject);
        } else if (kind == ProposalKind.SetThreshold) {
            _setThreshold(p.threshold);
        } else {
            _setPledgeTerm(kind, p.threshold);
        }
    }

    /// @dev Applies a governed pledge duration (maximum term or contest period); the ledger keeps them.
    function _setPledgeTerm(ProposalKind kind, uint32 duration) internal virtual;

    function _addAdmin(address admin) private {
        if (admin == address(0)) revert ZeroAddress();
        if (_isAdmin[admin]) revert AlreadyAdmin(admin);
        _isAdmin[admin] = true;
        _adminCount++;
        _adminEpoch++;
        emit AdminAdded(admin);
    }

    function _setThreshold(uint32 threshold_) private {
        if (threshold_ == 0 || threshold_ > _adminCount) revert InvalidThreshold(threshold_, _adminCount);
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
        if (!m.active) revert NotMember(account);
        return m.index;
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

    function hasApproved(uint64 proposalId, address admin) external view returns (bool) {
        return _approvedBy[proposalId][admin];
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Consortium} from "./Consortium.sol";
import {Roles} from "./Roles.sol";

/// @title Cargo titles, their collateral keys, financing locks and loading attestations.
/// @notice The invariants this contract exists for:
///         1. A collateral key belongs to at most one title, ever: once a title holding it is surrendered
///            the key is burned and can never be registered again.
///         2. A key is covered by at most one financing lock at a time. A key of a title is locked through
///            its title (one lock per title); a key in no title ("free key", e.g. an invoice) carries its
///            own lock. So a title and any of its keys can never be pledged to two banks.
///         3. The live quantity of an attested lot never grows beyond the attested quantity; an attestation
///            that reveals over-issue marks the lot for good, and no title of a marked lot can be pledged.
///         A second pledge touching a locked key does not revert: it emits `PledgeBlocked` and changes
///         nothing else, because a revert would erase the evidence auditors and regulators want.
abstract contract CollateralLedger is Consortium {
    uint256 public constant MAX_KEYS_PER_TITLE = 256;
    uint256 public constant MAX_PLEDGE_BATCH = 500;

    enum TitleStatus {
        None,
        Live,
        Surrendered
    }

    /// @dev One storage slot: holder, lot, quantity, status and the financing lock (256 bits).
    struct Title {
        uint32 holder; // member index
        uint32 lot; // lot index
        uint64 quantity;
        TitleStatus status;
        uint32 pledgee; // member index, 0 when unpledged
        uint40 pledgeExpiry;
        uint48 pledgeId; // 0 when unpledged
    }

    /// @dev A key's title, or for a free key its own financing lock.
    struct KeyRecord {
        uint64 title;
        uint32 pledgee;
        uint40 pledgeExpiry;
        uint48 pledgeId;
    }

    struct Lot {
        uint32 index;
        bool attested;
        bool overIssued;
        bytes8 unit;
        uint64 attestedQuantity;
        uint64 liveQuantity;
    }

    struct Attestation {
        bytes32 documentHash;
        uint32 port; // member index
        uint40 loadedAt;
    }

    /// @dev Counters that change together live in one slot.
    struct Counters {
        uint64 titles;
        uint48 pledges;
        uint32 lots;
    }

    mapping(uint64 => Title) internal _titles;
    mapping(bytes32 => KeyRecord) internal _keys;
    mapping(bytes32 => Lot) internal _lots;
    mapping(uint32 => bytes32) internal _lotKeyAt;
    mapping(bytes32 => Attestation) internal _attestations;
    Counters internal _counters;

    event TitleRegistered(
        uint64 indexed titleId,
        bytes32 indexed lotKey,
        address indexed holder,
        address registrar,
        uint64 quantity,
        bytes8 unit,
        bytes32[] keys
    );
    event TitleTransferred(uint64 indexed titleId, address indexed from, address indexed to, address by);
    event TitleSurrendered(uint64 indexed titleId, address indexed by, uint48 pledgeId);
    event Pledged(
        uint48 indexed pledgeId,
        address indexed pledgee,
        bytes32 financingReference,
        uint40 expiry,
        uint64[] titleIds,
        bytes32[] keys
    );
    /// @notice A pledge refused because something in it is already locked by `conflictingPledgeId`.
    event PledgeBlocked(
        address indexed bank,
        uint48 indexed conflictingPledgeId,
        bytes32 financingReference,
        uint64[] titleIds,
        bytes32[] keys
    );
    event Released(uint48 indexed pledgeId, address indexed by, uint64[] titleIds, bytes32[] keys);
    event LoadingAttested(
        bytes32 indexed lotKey,
        address indexed port,
        uint64 quantity,
        bytes8 unit,
        uint40 loadedAt,
        bytes32 documentHash
    );
    event LotOverIssued(bytes32 indexed lotKey, uint64 attestedQuantity, uint64 liveQuantity);

    error InvalidKey();
    error InvalidKeyCount(uint256 count);
    error InvalidQuantity();
    error InvalidUnit();
    error InvalidLot();
    error InvalidExpiry(uint40 expiry);
    error InvalidLoadingTime(uint40 loadedAt);
    error InvalidDocumentHash();
    error InvalidBatchSize(uint256 size);
    error KeyAlreadyLive(bytes32 key, uint64 titleId);
    error KeyBurned(bytes32 key, uint64 titleId);
    error KeyPledged(bytes32 key, uint48 pledgeId);
    error UnknownTitle(uint64 titleId);
    error TitleNotLive(uint64 titleId);
    error TitlePledged(uint64 titleId, uint48 pledgeId);
    error NotHolder(uint64 titleId, address account);
    error NotPledgee(uint48 pledgeId, address account);
    error NotInPledge(uint48 pledgeId, uint64 titleId, bytes32 key);
    error UnitMismatch(bytes32 lotKey, bytes8 lotUnit, bytes8 unit);
    error LotQuantityExceeded(bytes32 lotKey, uint64 attestedQuantity, uint64 liveQuantity, uint64 quantity);
    error LotOverIssuedError(bytes32 lotKey);
    error LotAlreadyAttested(bytes32 lotKey);

    // ---- titles ----------------------------------------------------------------------------

    /// @notice Registers a title (the cargo right a B/L represents) with every collateral key of it.
    function registerTitle(bytes32 lotKey, address holder, uint64 quantity, bytes8 unit, bytes32[] calldata keys)
        external
        returns (uint64 titleId)
    {
        _requireRole(Roles.TRADER | Roles.CARRIER);
        uint32 holderIndex = _activeMemberIndex(holder);
        if (quantity == 0) revert InvalidQuantity();
        if (keys.length == 0 || keys.length > MAX_KEYS_PER_TITLE) revert InvalidKeyCount(keys.length);

        Counters memory counters = _counters;
        (Lot storage lot, uint32 lotIndex) = _lotFor(lotKey, unit, counters);
        if (lot.attested && uint256(lot.liveQuantity) + quantity > lot.attestedQuantity) {
            revert LotQuantityExceeded(lotKey, lot.attestedQuantity, lot.liveQuantity, quantity);
        }
        lot.liveQuantity += quantity;

        titleId = ++counters.titles;
        _counters = counters;
        for (uint256 i = 0; i < keys.length; i++) {
            bytes32 key = keys[i];
            if (key == bytes32(0)) revert InvalidKey();
            KeyRecord storage record = _keys[key];
            uint64 owner = record.title;
            if (owner != 0) {
                // Includes a key listed twice in this very call: its first copy already points here.
                if (owner == titleId || _titles[owner].status == TitleStatus.Live) revert KeyAlreadyLive(key, owner);
                revert KeyBurned(key, owner);
            }
            if (record.pledgeId != 0) revert KeyPledged(key, record.pledgeId);
            record.title = titleId;
        }
        _titles[titleId] = Title({
            holder: holderIndex,
            lot: lotIndex,
            quantity: quantity,
            status: TitleStatus.Live,
            pledgee: 0,
            pledgeExpiry: 0,
            pledgeId: 0
        });
        emit TitleRegistered(titleId, lotKey, holder, msg.sender, quantity, unit, keys);
    }

    /// @notice Endorses a title to a new holder. Unpledged: the holder may; pledged: only the pledgee.
    function transferTitle(uint64 titleId, address newHolder) external {
        Title storage title = _liveTitle(titleId);
        _requireController(titleId, title);
        address from = _memberAt[title.holder];
        title.holder = _activeMemberIndex(newHolder);
        emit TitleTransferred(titleId, from, newHolder, msg.sender);
    }

    /// @notice Surrenders an accomplished title: its keys stay burned forever and its quantity leaves the lot.
    ///         Unpledged: the holder may; pledged: only the pledgee, which also ends the lock.
    function surrenderTitle(uint64 titleId) external {
        Title storage title = _liveTitle(titleId);
        _requireController(titleId, title);
        uint48 pledgeId = title.pledgeId;
        title.status = TitleStatus.Surrendered;
        _lockTitle(title, 0, 0, 0);
        _lots[_lotKeyAt[title.lot]].liveQuantity -= title.quantity;
        emit TitleSurrendered(titleId, msg.sender, pledgeId);
    }

    // ---- pledges ---------------------------------------------------------------------------

    /// @notice Locks titles and free keys under one financing, all or none. Returns the new pledge id,
    ///         or 0 if anything is already locked, in which case the attempt is recorded as `PledgeBlocked`.
    /// @param financingReference the bank's own reference, hashed off chain; never plaintext.
    function pledge(bytes32 financingReference, uint40 expiry, uint64[] calldata titleIds, bytes32[] calldata keys)
        external
        returns (uint48 pledgeId)
    {
        uint32 bank = _requireRole(Roles.BANK);
        if (expiry <= block.timestamp) revert InvalidExpiry(expiry);
        uint256 size = titleIds.length + keys.length;
        if (size == 0 || size > MAX_PLEDGE_BATCH) revert InvalidBatchSize(size);

        uint48 conflict = _findConflict(titleIds, keys);
        if (conflict != 0) {
            emit PledgeBlocked(msg.sender, conflict, financingReference, titleIds, keys);
            return 0;
        }

        pledgeId = ++_counters.pledges;
        for (uint256 i = 0; i < titleIds.length; i++) {
            _lockTitle(_titles[titleIds[i]], bank, expiry, pledgeId);
        }
        for (uint256 i = 0; i < keys.length; i++) {
            KeyRecord storage record = _keys[keys[i]];
            if (record.title != 0) {
                _lockTitle(_titles[record.title], bank, expiry, pledgeId);
            } else {
                record.pledgee = bank;
                record.pledgeExpiry = expiry;
                record.pledgeId = pledgeId;
            }
        }
        emit Pledged(pledgeId, msg.sender, financingReference, expiry, titleIds, keys);
    }

    /// @notice Ends a lock on the listed titles and keys of one pledge (all of it or a part, e.g. on
    ///         partial repayment): by the pledgee at any time, by anyone once the pledge has expired.
    function release(uint48 pledgeId, uint64[] calldata titleIds, bytes32[] calldata keys) external {
        uint256 size = titleIds.length + keys.length;
        if (size == 0 || size > MAX_PLEDGE_BATCH) revert InvalidBatchSize(size);
        if (pledgeId == 0) revert NotInPledge(pledgeId, 0, bytes32(0));

        // Every unit of one pledge carries the same pledgee and expiry: check all, authorise once, then clear.
        uint32 pledgee;
        uint40 expiry;
        for (uint256 i = 0; i < titleIds.length; i++) {
            Title storage t = _titles[titleIds[i]];
            if (t.pledgeId != pledgeId) revert NotInPledge(pledgeId, titleIds[i], bytes32(0));
            (pledgee, expiry) = (t.pledgee, t.pledgeExpiry);
        }
        for (uint256 i = 0; i < keys.length; i++) {
            KeyRecord storage record = _keys[keys[i]];
            if (record.title != 0) {
                Title storage t = _titles[record.title];
                if (t.pledgeId != pledgeId) revert NotInPledge(pledgeId, 0, keys[i]);
                (pledgee, expiry) = (t.pledgee, t.pledgeExpiry);
            } else {
                if (record.pledgeId != pledgeId) revert NotInPledge(pledgeId, 0, keys[i]);
                (pledgee, expiry) = (record.pledgee, record.pledgeExpiry);
            }
        }
        if (expiry > block.timestamp) {
            Member storage caller = _members[msg.sender];
            if (!caller.active || caller.index != pledgee) revert NotPledgee(pledgeId, msg.sender);
        }

        for (uint256 i = 0; i < titleIds.length; i++) {
            _lockTitle(_titles[titleIds[i]], 0, 0, 0);
        }
        for (uint256 i = 0; i < keys.length; i++) {
            KeyRecord storage record = _keys[keys[i]];
            if (record.title != 0) {
                _lockTitle(_titles[record.title], 0, 0, 0);
            } else {
                record.pledgee = 0;
                record.pledgeExpiry = 0;
                record.pledgeId = 0;
            }
        }
        emit Released(pledgeId, msg.sender, titleIds, keys);
    }

    // ---- loading attestations --------------------------------------------------------------

    /// @notice A port attests that a shipment lot was loaded. Reveals over-issue if the lot's live titles
    ///         already exceed the attested quantity, and marks the lot so none of its titles can be pledged.
    function attestLoading(bytes32 lotKey, uint64 quantity, bytes8 unit, uint40 loadedAt, bytes32 documentHash)
        external
    {
        uint32 port = _requireRole(Roles.PORT);
        if (quantity == 0) revert InvalidQuantity();
        if (loadedAt == 0 || loadedAt > block.timestamp) revert InvalidLoadingTime(loadedAt);
        if (documentHash == bytes32(0)) revert InvalidDocumentHash();
        Counters memory counters = _counters;
        (Lot storage lot,) = _lotFor(lotKey, unit, counters);
        _counters = counters;
        if (lot.attested) revert LotAlreadyAttested(lotKey);
        lot.attested = true;
        lot.attestedQuantity = quantity;
        _attestations[lotKey] = Attestation({documentHash: documentHash, port: port, loadedAt: loadedAt});
        emit LoadingAttested(lotKey, msg.sender, quantity, unit, loadedAt, documentHash);
        if (lot.liveQuantity > quantity) {
            lot.overIssued = true;
            emit LotOverIssued(lotKey, quantity, lot.liveQuantity);
        }
    }

    // ---- internals -------------------------------------------------------------------------

    /// @dev The lot for `lotKey`, created on first use; every title and attestation of a lot shares its unit.
    function _lotFor(bytes32 lotKey, bytes8 unit, Counters memory counters)
        private
        returns (Lot storage lot, uint32 index)
    {
        if (lotKey == bytes32(0)) revert InvalidLot();
        if (unit == bytes8(0)) revert InvalidUnit();
        lot = _lots[lotKey];
        index = lot.index;
        if (index == 0) {
            index = ++counters.lots;
            lot.index = index;
            lot.unit = unit;
            _lotKeyAt[index] = lotKey;
        } else if (lot.unit != unit) {
            revert UnitMismatch(lotKey, lot.unit, unit);
        }
    }

    function _liveTitle(uint64 titleId) private view returns (Title storage title) {
        title = _titles[titleId];
        if (title.status == TitleStatus.None) revert UnknownTitle(titleId);
        if (title.status != TitleStatus.Live) revert TitleNotLive(titleId);
    }

    /// @dev Who controls a live title: its pledgee while pledged, else its holder; both must be active members.
    function _requireController(uint64 titleId, Title storage title) private view {
        uint32 caller = _activeMemberIndex(msg.sender);
        if (title.pledgeId != 0) {
            if (caller != title.pledgee) revert TitlePledged(titleId, title.pledgeId);
        } else if (caller != title.holder) {
            revert NotHolder(titleId, msg.sender);
        }
    }

    /// @dev Validates every unit of a pledge and returns the first lock in the way, or 0 if none.
    function _findConflict(uint64[] calldata titleIds, bytes32[] calldata keys) private view returns (uint48) {
        for (uint256 i = 0; i < titleIds.length; i++) {
            uint64 titleId = titleIds[i];
            Title storage title = _titles[titleId];
            _requirePledgeable(titleId, title);
            if (title.pledgeId != 0) return title.pledgeId;
        }
        for (uint256 i = 0; i < keys.length; i++) {
            bytes32 key = keys[i];
            if (key == bytes32(0)) revert InvalidKey();
            KeyRecord storage record = _keys[key];
            if (record.title != 0) {
                Title storage title = _titles[record.title];
                if (title.status != TitleStatus.Live) revert KeyBurned(key, record.title);
                _requirePledgeable(record.title, title);
                if (title.pledgeId != 0) return title.pledgeId;
            } else if (record.pledgeId != 0) {
                return record.pledgeId;
            }
        }
        return 0;
    }

    function _requirePledgeable(uint64 titleId, Title storage title) private view {
        if (title.status == TitleStatus.None) revert UnknownTitle(titleId);
        if (title.status != TitleStatus.Live) revert TitleNotLive(titleId);
        bytes32 lotKey = _lotKeyAt[title.lot];
        if (_lots[lotKey].overIssued) revert LotOverIssuedError(lotKey);
    }

    function _lockTitle(Title storage title, uint32 bank, uint40 expiry, uint48 pledgeId) private {
        title.pledgee = bank;
        title.pledgeExpiry = expiry;
        title.pledgeId = pledgeId;
    }

    // ---- views -----------------------------------------------------------------------------

    function titleOf(uint64 titleId)
        external
        view
        returns (
            TitleStatus status,
            address holder,
            bytes32 lotKey,
            uint64 quantity,
            uint48 pledgeId,
            address pledgee,
            uint40 pledgeExpiry
        )
    {
        Title storage t = _titles[titleId];
        return (t.status, _memberAt[t.holder], _lotKeyAt[t.lot], t.quantity, t.pledgeId, _memberAt[t.pledgee], t.pledgeExpiry);
    }

    /// @notice The state of a collateral key: its title (0 if free), whether that title is live, and the
    ///         lock that covers the key, through its title or its own.
    function keyState(bytes32 key)
        external
        view
        returns (uint64 titleId, TitleStatus titleStatus, uint48 pledgeId, address pledgee, uint40 pledgeExpiry)
    {
        KeyRecord storage record = _keys[key];
        if (record.title != 0) {
            Title storage t = _titles[record.title];
            return (record.title, t.status, t.pledgeId, _memberAt[t.pledgee], t.pledgeExpiry);
        }
        return (0, TitleStatus.None, record.pledgeId, _memberAt[record.pledgee], record.pledgeExpiry);
    }

    function lotOf(bytes32 lotKey)
        external
        view
        returns (
            uint32 index,
            bool attested,
            bool overIssued,
            bytes8 unit,
            uint64 attestedQuantity,
            uint64 liveQuantity,
            address port,
            uint40 loadedAt,
            bytes32 documentHash
        )
    {
        Lot storage l = _lots[lotKey];
        Attestation storage a = _attestations[lotKey];
        return (l.index, l.attested, l.overIssued, l.unit, l.attestedQuantity, l.liveQuantity, _memberAt[a.port], a.loadedAt, a.documentHash);
    }

    function lotKeyAt(uint32 index) external view returns (bytes32) {
        return _lotKeyAt[index];
    }

    function counts() external view returns (uint64 titles, uint48 pledges, uint32 lots) {
        Counters memory c = _counters;
        return (c.titles, c.pledges, c.lots);
    }

    /// @notice The pledge that would block a pledge of these titles and keys, or 0 if none would.
    function findPledgeConflict(uint64[] calldata titleIds, bytes32[] calldata keys) external view returns (uint48) {
        return _findConflict(titleIds, keys);
    }
}

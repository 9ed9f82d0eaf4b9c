// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
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
///         4. No title changes holder, and no title is surrendered, without its holder's signature (its own
///            transaction, or its EIP-712 consent) or a completed enforcement: a pledge carries the holder's
///            consent, and the pledgee controls a pledged title only after declaring default and waiting out
///            the contest period.
///         5. A lock lasts at most the governed maximum term, and an expired lock gives no control and blocks
///            nothing: the next pledge or registration over it releases it, with an event.
///         A second pledge touching a locked key does not revert: it emits `PledgeBlocked` and changes
///         nothing else (but the consent it used), because a revert would erase the evidence auditors and
///         regulators want.
abstract contract CollateralLedger is Consortium, EIP712 {
    uint256 public constant MAX_KEYS_PER_TITLE = 256;
    uint256 public constant MAX_PLEDGE_BATCH = 500;
    uint32 public constant DEFAULT_MAX_PLEDGE_TERM = 400 days;
    uint32 public constant DEFAULT_CONTEST_PERIOD = 72 hours;
    /// @notice The largest quantity a title may book on one lot, and a port may attest: 2^48 units, so sums never overflow.
    uint64 public constant MAX_QUANTITY = 2 ** 48;
    /// @notice The most lots (HS headings) one title may book.
    uint256 public constant MAX_LOTS_PER_TITLE = 16;

    /// @notice What a borrower signs to let `bank` pledge exactly these titles and keys until `expiry`.
    ///         A zero `financingCommitment` leaves the bank's commitment to its financing reference open.
    bytes32 public constant PLEDGE_CONSENT_TYPEHASH = keccak256(
        "PledgeConsent(address bank,uint64[] titleIds,bytes32[] keys,bytes32 financingCommitment,uint40 expiry,uint64 nonce,uint40 deadline)"
    );
    /// @notice What a carrier signs so the holder can register the title of a B/L the carrier issued. `blKey` is
    ///         `keys[0]`; the keys burn on use, so the signature cannot register twice.
    bytes32 public constant TITLE_ISSUE_TYPEHASH = keccak256(
        "TitleIssue(bytes8 carrierCode,address holder,bytes8 unit,bytes32 blKey,bytes32[] keys,bytes32[] lotKeys,uint64[] quantities,uint40 deadline)"
    );
    /// @notice What a holder signs to let the pledgee surrender a title still under its lock.
    bytes32 public constant SURRENDER_CONSENT_TYPEHASH =
        keccak256("SurrenderConsent(address pledgee,uint64 titleId,uint48 pledgeId,uint64 nonce,uint40 deadline)");

    /// @notice A borrower's EIP-712 signature over a pledge, and the values it signed that the pledge does not carry.
    struct Consent {
        bytes32 financingCommitment;
        uint64 nonce;
        uint40 deadline;
        bytes signature;
    }

    enum TitleStatus {
        None,
        Live,
        Surrendered,
        Voided
    }

    /// @dev One storage slot: holder, lot, quantity, status and the financing lock (256 bits).
    struct Title {
        uint32 holder; // member index
        uint32 lot; // lot index of its first lot
        uint64 quantity; // on its first lot
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
        bytes8 locode; // the port of loading the attesting member is bound to
    }

    /// @notice A title as its carrier issues it (see `registerTitle`).
    struct TitleIssue {
        bytes8 carrierCode;
        address holder;
        bytes8 unit;
        bytes32[] keys;
        bytes32[] lotKeys;
        uint64[] quantities;
    }

    /// @dev A further lot a title books (goods under another HS heading).
    struct LotShare {
        uint32 lot;
        uint64 quantity;
    }

    /// @dev Counters that change together, and the governed pledge durations every pledge reads, live in one slot.
    struct Counters {
        uint64 titles;
        uint48 pledges;
        uint32 lots;
        uint32 maxPledgeTerm;
        uint32 contestPeriod;
    }

    mapping(uint64 => Title) internal _titles;
    mapping(bytes32 => KeyRecord) internal _keys;
    mapping(bytes32 => Lot) internal _lots;
    mapping(uint32 => bytes32) internal _lotKeyAt;
    mapping(bytes32 => Attestation) internal _attestations;
    Counters internal _counters;
    /// @dev When the pledgee may enforce a pledge it declared in default (0: no default declared).
    mapping(uint48 => uint40) internal _enforceableAt;
    /// @dev A title's lots after its first, in the order registered.
    mapping(uint64 => LotShare[]) internal _moreLots;

    constructor() EIP712("OffshoreLedger", "1") {
        _counters.maxPledgeTerm = DEFAULT_MAX_PLEDGE_TERM;
        _counters.contestPeriod = DEFAULT_CONTEST_PERIOD;
        emit PledgeTermsChanged(DEFAULT_MAX_PLEDGE_TERM, DEFAULT_CONTEST_PERIOD);
    }

    /// @param issuer the carrier member bound to `carrierCode` (who sent it, or who signed it for the holder).
    /// @param lotKeys each lot the title books, with its quantity in `quantities` (all in `unit`).
    event TitleRegistered(
        uint64 indexed titleId,
        address indexed holder,
        address indexed issuer,
        bytes8 carrierCode,
        bool carrierSigned,
        bytes8 unit,
        bytes32[] lotKeys,
        uint64[] quantities,
        bytes32[] keys
    );
    event TitleTransferred(uint64 indexed titleId, address indexed from, address indexed to, address by);
    event TitleSurrendered(uint64 indexed titleId, address indexed by, uint48 pledgeId);
    /// @param financingReference the bank's commitment to its financing reference (HMAC under a bank-held key).
    event Pledged(
        uint48 indexed pledgeId,
        address indexed pledgee,
        address indexed borrower,
        bytes32 financingReference,
        uint40 expiry,
        uint64[] titleIds,
        bytes32[] keys
    );
    /// @notice A pledge refused because something in it is already locked by `conflictingPledgeId`.
    event PledgeBlocked(
        address indexed bank,
        uint48 indexed conflictingPledgeId,
        address indexed borrower,
        bytes32 financingReference,
        uint64[] titleIds,
        bytes32[] keys
    );
    event Released(uint48 indexed pledgeId, address indexed by, uint64[] titleIds, bytes32[] keys);
    event LoadingAttested(
        bytes32 indexed lotKey,
        address indexed port,
        bytes8 locode,
        uint64 quantity,
        bytes8 unit,
        uint40 loadedAt,
        bytes32 documentHash
    );
    event LotOverIssued(bytes32 indexed lotKey, uint64 attestedQuantity, uint64 liveQuantity);
    /// @notice An expired lock released because a pledge or a registration now covers the title or key.
    ///         `titleId` is 0 for a free key's own lock.
    event ExpiredLockReleased(uint48 indexed pledgeId, uint64 indexed titleId, bytes32 key);
    event DefaultDeclared(uint48 indexed pledgeId, address indexed pledgee, uint40 enforceableAt);
    /// @notice The borrower disputes a declared default; enforcement still opens when the period ends, and
    ///         auditors (and courts) see the dispute.
    event DefaultContested(uint48 indexed pledgeId, address indexed borrower);
    event PledgeTermsChanged(uint32 maxPledgeTerm, uint32 contestPeriod);
    event ConsentRevoked(address indexed member, uint64 nonce);
    /// @notice A carrier's title took a key someone had pledged as a free key: the title's issuance wins, the lock ends.
    event KeyLockSuperseded(uint48 indexed pledgeId, uint64 indexed titleId, bytes32 key);
    /// @notice Governed corrections (M-of-N, time-locked), each naming its proposal.
    event AttestationCorrected(bytes32 indexed lotKey, uint64 indexed proposalId, uint64 oldQuantity, uint64 newQuantity);
    event OverIssueCleared(bytes32 indexed lotKey, uint64 indexed proposalId, uint64 attestedQuantity, uint64 liveQuantity);
    event TitleVoided(uint64 indexed titleId, uint64 indexed proposalId, uint48 pledgeId);

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
    error PledgeTermTooLong(uint40 expiry, uint40 latestExpiry);
    error ConsentInvalid();
    error ConsentExpired(uint40 deadline);
    error ConsentUsed(address borrower, uint64 nonce);
    error ConsentNotFromHolder(uint64 titleId, address signer);
    error BorrowerNotTrader(address signer);
    error EnforcementNotComplete(uint48 pledgeId, uint40 enforceableAt);
    error DefaultAlreadyDeclared(uint48 pledgeId);
    error NoDefaultToContest(uint48 pledgeId);
    error NotCarrierFor(bytes8 carrierCode, address account);
    error NotPortOfLoading(bytes8 locode, address account);
    error NotHolderSubmitting(address holder, address account);
    error LotNotAttested(bytes32 lotKey);
    error QuantityTooLarge(uint64 quantity, uint64 maximum);
    error InvalidLotCount(uint256 lots, uint256 quantities);
    error SignatureExpired(uint40 deadline);
    error LotNotOverIssued(bytes32 lotKey);

    // ---- titles ----------------------------------------------------------------------------

    /// @notice The carrier bound to `issue.carrierCode` issues the title of a B/L it issued: to `issue.holder`, with
    ///         every collateral key of it (`keys[0]` the B/L's own key), booking `quantities[i]` of `unit` on each
    ///         attested lot `lotKeys[i]` (one per HS heading). A free-key lock on any of its keys ends
    ///         (`KeyLockSuperseded`): the carrier's issuance wins over a pledge of keys it never issued a title for.
    function registerTitle(TitleIssue calldata issue) external returns (uint64 titleId) {
        if (!_boundTo(_carrierOf, issue.carrierCode, msg.sender, Roles.CARRIER)) {
            revert NotCarrierFor(issue.carrierCode, msg.sender);
        }
        return _register(issue, msg.sender, false);
    }

    /// @notice The holder registers the title of a B/L with the EIP-712 `TitleIssue` its carrier signed (the member
    ///         bound to `carrierCode`): same effect as the carrier's own `registerTitle`.
    function registerTitleWithCarrierSignature(TitleIssue calldata issue, uint40 deadline, bytes calldata signature)
        external
        returns (uint64 titleId)
    {
        if (msg.sender != issue.holder) revert NotHolderSubmitting(issue.holder, msg.sender);
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        if (issue.keys.length == 0) revert InvalidKeyCount(0);
        (address signer, ECDSA.RecoverError failure,) =
            ECDSA.tryRecoverCalldata(_titleIssueDigest(issue, deadline), signature);
        if (failure != ECDSA.RecoverError.NoError) revert ConsentInvalid();
        if (!_boundTo(_carrierOf, issue.carrierCode, signer, Roles.CARRIER)) {
            revert NotCarrierFor(issue.carrierCode, signer);
        }
        return _register(issue, signer, true);
    }

    function _titleIssueDigest(TitleIssue calldata issue, uint40 deadline) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    TITLE_ISSUE_TYPEHASH,
                    issue.carrierCode,
                    issue.holder,
                    issue.unit,
                    issue.keys[0],
                    _hashWords(issue.keys),
                    _hashWords(issue.lotKeys),
                    _hashWords(issue.quantities),
                    deadline
                )
            )
        );
    }

    /// @dev `keccak256(abi.encodePacked(words))`, the EIP-712 encoding of an array of 32-byte values, hashed straight
    ///      from calldata (solc's packed encoder copies and checks element by element). Calldata holds each element in a
    ///      32-byte word, as the packed encoding does.
    function _hashWords(bytes32[] calldata words) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            let buffer := mload(0x40)
            let size := shl(5, words.length)
            calldatacopy(buffer, words.offset, size)
            hash := keccak256(buffer, size)
        }
    }

    /// @dev As `_hashWords`, for quantities and title ids: the same bytes as `keccak256(abi.encodePacked(values))` for
    ///      valid uint64 values. A word with bits above 64 set hashes differently here, but cannot register or pledge
    ///      anything: reading it as a `uint64` (`_bookLots`, `_scanUnits`) reverts.
    function _hashWords(uint64[] calldata values) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            let buffer := mload(0x40)
            let size := shl(5, values.length)
            calldatacopy(buffer, values.offset, size)
            hash := keccak256(buffer, size)
        }
    }

    function _register(TitleIssue calldata issue, address issuer, bool carrierSigned) private returns (uint64 titleId) {
        uint32 holderIndex = _activeMemberIndex(issue.holder);
        bytes32[] calldata keys = issue.keys;
        if (keys.length == 0 || keys.length > MAX_KEYS_PER_TITLE) revert InvalidKeyCount(keys.length);

        // A uint64 count of titles cannot overflow: each costs tens of thousands of gas.
        unchecked {
            titleId = ++_counters.titles;
        }
        (uint32 firstLot, uint64 firstQuantity) = _bookLots(titleId, issue.lotKeys, issue.quantities, issue.unit);
        for (uint256 i = 0; i < keys.length; i++) {
            _claimKey(keys[i], titleId);
        }
        // Field by field, the enum first, in one basic block: the optimizer merges the writes into one SSTORE (a struct
        // literal, or the enum written after the others, costs another). The lock fields stay zero: `titleId` is new,
        // its slot empty.
        Title storage title = _titles[titleId];
        title.status = TitleStatus.Live;
        title.holder = holderIndex;
        title.lot = firstLot;
        title.quantity = firstQuantity;
        _emitRegistered(titleId, issue, issuer, carrierSigned);
    }

    /// @dev Books each quantity on its lot; returns the first lot and its quantity (kept in the title's own slot) and
    ///      records the others as the title's further lots.
    function _bookLots(uint64 titleId, bytes32[] calldata lotKeys, uint64[] calldata quantities, bytes8 unit)
        private
        returns (uint32 firstLot, uint64 firstQuantity)
    {
        uint256 lots = lotKeys.length;
        if (lots == 0 || lots > MAX_LOTS_PER_TITLE || lots != quantities.length) {
            revert InvalidLotCount(lots, quantities.length);
        }
        firstQuantity = quantities[0];
        firstLot = _book(lotKeys[0], unit, firstQuantity);
        for (uint256 i = 1; i < lots; i++) {
            uint64 quantity = quantities[i];
            _moreLots[titleId].push(LotShare({lot: _book(lotKeys[i], unit, quantity), quantity: quantity}));
        }
    }

    function _emitRegistered(uint64 titleId, TitleIssue calldata issue, address issuer, bool carrierSigned) private {
        emit TitleRegistered(
            titleId, issue.holder, issuer, issue.carrierCode, carrierSigned, issue.unit, issue.lotKeys, issue.quantities, issue.keys
        );
    }

    /// @dev Points a key at a new title: refused if another live title holds it or it is burned; a voided title's key
    ///      is free again; a free-key lock on it ends.
    function _claimKey(bytes32 key, uint64 titleId) private {
        if (key == bytes32(0)) revert InvalidKey();
        KeyRecord storage record = _keys[key];
        // The record's one slot read once, before any branch.
        uint64 owner = record.title;
        uint48 ownLock = record.pledgeId;
        uint40 ownExpiry = record.pledgeExpiry;
        if (owner != 0) {
            // Includes a key listed twice in this very call: its first copy already points here.
            if (owner == titleId) revert KeyAlreadyLive(key, owner);
            TitleStatus status = _titles[owner].status;
            if (status == TitleStatus.Live) revert KeyAlreadyLive(key, owner);
            if (status != TitleStatus.Voided) revert KeyBurned(key, owner);
        }
        if (ownLock != 0) {
            if (ownExpiry > block.timestamp) emit KeyLockSuperseded(ownLock, titleId, key);
            else emit ExpiredLockReleased(ownLock, 0, key);
            record.pledgee = 0;
            record.pledgeExpiry = 0;
            record.pledgeId = 0;
        }
        record.title = titleId;
    }

    /// @dev Books `quantity` on an attested lot of the same unit, within its attested quantity; returns its index.
    function _book(bytes32 lotKey, bytes8 unit, uint64 quantity) private returns (uint32) {
        Lot storage lot = _lots[lotKey];
        // The lot's one slot read once, before any branch.
        (uint32 index, bool attested, bytes8 lotUnit, uint64 attestedQuantity, uint64 liveQuantity) =
            (lot.index, lot.attested, lot.unit, lot.attestedQuantity, lot.liveQuantity);
        if (quantity == 0) revert InvalidQuantity();
        if (quantity > MAX_QUANTITY) revert QuantityTooLarge(quantity, MAX_QUANTITY);
        if (!attested) revert LotNotAttested(lotKey);
        if (lotUnit != unit) revert UnitMismatch(lotKey, lotUnit, unit);
        uint64 live;
        // Cannot overflow: a lot's live quantity only grows here, up to its attested quantity (at most 2^48), and
        // `quantity` is at most 2^48.
        unchecked {
            live = liveQuantity + quantity;
        }
        if (live > attestedQuantity) revert LotQuantityExceeded(lotKey, attestedQuantity, liveQuantity, quantity);
        lot.liveQuantity = live;
        return index;
    }

    /// @notice Endorses a title to a new holder. Unpledged (or its lock expired): the holder may; under a live
    ///         lock: only the pledgee, once its enforcement is complete.
    function transferTitle(uint64 titleId, address newHolder) external {
        Title storage title = _liveTitle(titleId);
        _requireController(titleId, title);
        address from = _memberAt[title.holder];
        title.holder = _activeMemberIndex(newHolder);
        emit TitleTransferred(titleId, from, newHolder, msg.sender);
    }

    /// @notice Surrenders an accomplished title: its keys stay burned forever and its quantity leaves the lot.
    ///         Unpledged (or its lock expired): the holder may; under a live lock: only the pledgee, once its
    ///         enforcement is complete (or with the holder's signature, `surrenderWithHolderConsent`). Ends the lock.
    function surrenderTitle(uint64 titleId) external {
        Title storage title = _liveTitle(titleId);
        _requireController(titleId, title);
        _surrender(titleId, title);
    }

    /// @notice The pledgee surrenders a title under its live lock with the holder's EIP-712 `SurrenderConsent`
    ///         (e.g. the cargo is delivered to the bank's order before the financing ends).
    function surrenderWithHolderConsent(uint64 titleId, uint64 nonce, uint40 deadline, bytes calldata signature) external {
        Title storage title = _liveTitle(titleId);
        uint48 pledgeId = title.pledgeId;
        if (!_isLocked(title.pledgeId, title.pledgeExpiry)) revert NotInPledge(0, titleId, bytes32(0));
        if (_activeMemberIndex(msg.sender) != title.pledgee) revert NotPledgee(pledgeId, msg.sender);
        if (block.timestamp > deadline) revert ConsentExpired(deadline);
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(SURRENDER_CONSENT_TYPEHASH, msg.sender, titleId, pledgeId, nonce, deadline)));
        (address signer,) = _useSignature(digest, nonce, signature);
        if (signer != _memberAt[title.holder]) revert ConsentNotFromHolder(titleId, signer);
        _surrender(titleId, title);
    }

    function _surrender(uint64 titleId, Title storage title) private {
        uint48 pledgeId = title.pledgeId;
        _end(titleId, title, TitleStatus.Surrendered);
        emit TitleSurrendered(titleId, msg.sender, pledgeId);
    }

    /// @dev Ends a live title: its lock ends and its quantities leave its lots.
    function _end(uint64 titleId, Title storage title, TitleStatus status) private {
        title.status = status;
        _lockTitle(title, 0, 0, 0);
        _lots[_lotKeyAt[title.lot]].liveQuantity -= title.quantity;
        LotShare[] storage more = _moreLots[titleId];
        for (uint256 i = 0; i < more.length; i++) {
            _lots[_lotKeyAt[more[i].lot]].liveQuantity -= more[i].quantity;
        }
    }

    // ---- pledges ---------------------------------------------------------------------------

    /// @notice Locks titles and free keys under one financing, all or none, with the borrower's consent: an
    ///         EIP-712 `PledgeConsent` signed by the holder of every title in it (for free keys, a TRADER member),
    ///         who is recorded as the borrower. The consent's nonce is used up, granted or blocked. Returns the new
    ///         pledge id, or 0 if anything is under a live lock, in which case the attempt is recorded as
    ///         `PledgeBlocked`. Expired locks in the way are released, each with `ExpiredLockReleased`.
    /// @param financingReference the bank's commitment to its own reference (HMAC under a key only the bank
    ///        holds), never the reference or a plain hash of it.
    /// @param expiry when the lock ends, at most the governed maximum term from now.
    function pledge(
        bytes32 financingReference,
        uint40 expiry,
        uint64[] calldata titleIds,
        bytes32[] calldata keys,
        Consent calldata consent
    ) external returns (uint48 pledgeId) {
        _requireRole(Roles.BANK);
        _checkPledgeShape(expiry, titleIds.length + keys.length);
        (address borrower, uint32 borrowerIndex) = _useConsent(financingReference, expiry, titleIds, keys, consent);
        uint48 conflict = _scanUnits(titleIds, keys, borrower, borrowerIndex);
        if (conflict != 0) {
            emit PledgeBlocked(msg.sender, conflict, borrower, financingReference, titleIds, keys);
            return 0;
        }
        pledgeId = _grant(expiry, titleIds, keys);
        emit Pledged(pledgeId, msg.sender, borrower, financingReference, expiry, titleIds, keys);
    }

    /// @dev Locks every unit for a new pledge of the calling bank (all checked already) and returns its id.
    function _grant(uint40 expiry, uint64[] calldata titleIds, bytes32[] calldata keys) private returns (uint48 pledgeId) {
        uint32 bank = _members[msg.sender].index;
        pledgeId = ++_counters.pledges;
        for (uint256 i = 0; i < titleIds.length; i++) {
            _lockTitleOver(titleIds[i], bank, expiry, pledgeId);
        }
        for (uint256 i = 0; i < keys.length; i++) {
            KeyRecord storage record = _keys[keys[i]];
            uint64 titleId = _keyTitle(record);
            if (titleId != 0) {
                _lockTitleOver(titleId, bank, expiry, pledgeId);
            } else {
                uint48 previous = record.pledgeId;
                if (previous != 0 && previous != pledgeId) emit ExpiredLockReleased(previous, 0, keys[i]);
                record.pledgee = bank;
                record.pledgeExpiry = expiry;
                record.pledgeId = pledgeId;
            }
        }
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
            uint64 titleId = _keyTitle(record);
            if (titleId != 0) {
                Title storage t = _titles[titleId];
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
            uint64 titleId = _keyTitle(record);
            if (titleId != 0) {
                _lockTitle(_titles[titleId], 0, 0, 0);
            } else {
                record.pledgee = 0;
                record.pledgeExpiry = 0;
                record.pledgeId = 0;
            }
        }
        emit Released(pledgeId, msg.sender, titleIds, keys);
    }

    // ---- enforcement -----------------------------------------------------------------------

    /// @notice The pledgee declares the financing of `pledgeId` in default (naming one of its titles as proof of
    ///         the lock). It may transfer or surrender the pledge's titles once the contest period has passed,
    ///         and only while its lock lasts.
    function declareDefault(uint48 pledgeId, uint64 titleId) external returns (uint40 enforceableFrom) {
        Title storage title = _lockedTitleOf(pledgeId, titleId);
        if (_activeMemberIndex(msg.sender) != title.pledgee) revert NotPledgee(pledgeId, msg.sender);
        if (_enforceableAt[pledgeId] != 0) revert DefaultAlreadyDeclared(pledgeId);
        enforceableFrom = uint40(block.timestamp + _counters.contestPeriod);
        _enforceableAt[pledgeId] = enforceableFrom;
        emit DefaultDeclared(pledgeId, msg.sender, enforceableFrom);
    }

    /// @notice The borrower (the holder of a title of the pledge) contests a declared default within the period.
    function contestDefault(uint48 pledgeId, uint64 titleId) external {
        Title storage title = _lockedTitleOf(pledgeId, titleId);
        if (_activeMemberIndex(msg.sender) != title.holder) revert NotHolder(titleId, msg.sender);
        uint40 at = _enforceableAt[pledgeId];
        if (at == 0 || block.timestamp >= at) revert NoDefaultToContest(pledgeId);
        emit DefaultContested(pledgeId, msg.sender);
    }

    function _lockedTitleOf(uint48 pledgeId, uint64 titleId) private view returns (Title storage title) {
        title = _liveTitle(titleId);
        if (pledgeId == 0 || title.pledgeId != pledgeId || !_isLocked(pledgeId, title.pledgeExpiry)) {
            revert NotInPledge(pledgeId, titleId, bytes32(0));
        }
    }

    // ---- loading attestations --------------------------------------------------------------

    /// @notice The port of loading attests that a shipment lot was loaded, and so creates the lot: only the PORT member
    ///         bound to `locode` may, once per lot, and titles can book the lot only after it. The lot key's
    ///         port of loading is off chain: verification compares it with `locode`, and governance corrects a wrong one.
    function attestLoading(
        bytes32 lotKey,
        bytes8 locode,
        uint64 quantity,
        bytes8 unit,
        uint40 loadedAt,
        bytes32 documentHash
    ) external {
        if (!_boundTo(_portOf, locode, msg.sender, Roles.PORT)) revert NotPortOfLoading(locode, msg.sender);
        uint32 port = _members[msg.sender].index;
        if (lotKey == bytes32(0)) revert InvalidLot();
        if (unit == bytes8(0)) revert InvalidUnit();
        if (quantity == 0) revert InvalidQuantity();
        if (quantity > MAX_QUANTITY) revert QuantityTooLarge(quantity, MAX_QUANTITY);
        if (loadedAt == 0 || loadedAt > block.timestamp) revert InvalidLoadingTime(loadedAt);
        if (documentHash == bytes32(0)) revert InvalidDocumentHash();
        Lot storage lot = _lots[lotKey];
        if (lot.attested) revert LotAlreadyAttested(lotKey);
        if (lot.index == 0) {
            uint32 index = ++_counters.lots;
            lot.index = index;
            _lotKeyAt[index] = lotKey;
        } else if (lot.liveQuantity != 0 && lot.unit != unit) {
            // An annulled attestation's lot still booked by titles keeps their unit.
            revert UnitMismatch(lotKey, lot.unit, unit);
        }
        lot.unit = unit;
        lot.attested = true;
        lot.attestedQuantity = quantity;
        _attestations[lotKey] = Attestation({documentHash: documentHash, port: port, loadedAt: loadedAt, locode: locode});
        emit LoadingAttested(lotKey, msg.sender, locode, quantity, unit, loadedAt, documentHash);
        _markIfOverIssued(lotKey, lot);
    }

    function _markIfOverIssued(bytes32 lotKey, Lot storage lot) private {
        if (lot.liveQuantity > lot.attestedQuantity && !lot.overIssued) {
            lot.overIssued = true;
            emit LotOverIssued(lotKey, lot.attestedQuantity, lot.liveQuantity);
        }
    }

    // ---- governed corrections ----------------------------------------------------------------

    function _validateCorrection(ProposalKind kind, bytes32 lotKey, uint64 amount) internal view override {
        if (kind == ProposalKind.VoidTitle) {
            _liveTitle(amount);
            return;
        }
        Lot storage lot = _lots[lotKey];
        if (!lot.attested) revert LotNotAttested(lotKey);
        if (kind == ProposalKind.CorrectAttestation) {
            if (amount > MAX_QUANTITY) revert QuantityTooLarge(amount, MAX_QUANTITY);
        } else {
            if (!lot.overIssued) revert LotNotOverIssued(lotKey);
            if (lot.liveQuantity > lot.attestedQuantity) {
                revert LotQuantityExceeded(lotKey, lot.attestedQuantity, lot.liveQuantity, 0);
            }
        }
    }

    function _applyCorrection(uint64 proposalId, ProposalKind kind, bytes32 lotKey, uint64 amount) internal override {
        if (kind == ProposalKind.VoidTitle) {
            Title storage title = _titles[amount];
            uint48 pledgeId = title.pledgeId;
            _end(amount, title, TitleStatus.Voided);
            emit TitleVoided(amount, proposalId, pledgeId);
            return;
        }
        Lot storage lot = _lots[lotKey];
        if (kind == ProposalKind.CorrectAttestation) {
            emit AttestationCorrected(lotKey, proposalId, lot.attestedQuantity, amount);
            lot.attestedQuantity = amount;
            if (amount == 0) {
                // Annulled: the lot waits for the rightful port of loading to attest it.
                lot.attested = false;
                delete _attestations[lotKey];
            } else {
                _markIfOverIssued(lotKey, lot);
            }
        } else {
            lot.overIssued = false;
            emit OverIssueCleared(lotKey, proposalId, lot.attestedQuantity, lot.liveQuantity);
        }
    }

    // ---- internals -------------------------------------------------------------------------

    function _liveTitle(uint64 titleId) private view returns (Title storage title) {
        title = _titles[titleId];
        if (title.status == TitleStatus.None) revert UnknownTitle(titleId);
        if (title.status != TitleStatus.Live) revert TitleNotLive(titleId);
    }

    /// @dev Refuses an expiry in the past or beyond the governed maximum term, or an empty or oversized batch.
    function _checkPledgeShape(uint40 expiry, uint256 size) private view {
        Counters memory counters = _counters;
        if (expiry <= block.timestamp) revert InvalidExpiry(expiry);
        uint256 latest = block.timestamp + counters.maxPledgeTerm;
        if (expiry > latest) revert PledgeTermTooLong(expiry, uint40(latest));
        if (size == 0 || size > MAX_PLEDGE_BATCH) revert InvalidBatchSize(size);
    }

    /// @dev Who controls a live title: under a live lock, its pledgee once enforcement is complete; otherwise
    ///      (no lock, or an expired one) its holder. Both must be active members.
    function _requireController(uint64 titleId, Title storage title) private view {
        uint32 caller = _activeMemberIndex(msg.sender);
        uint48 pledgeId = title.pledgeId;
        if (_isLocked(pledgeId, title.pledgeExpiry)) {
            if (caller != title.pledgee) revert TitlePledged(titleId, pledgeId);
            uint40 at = _enforceableAt[pledgeId];
            if (at == 0 || block.timestamp < at) revert EnforcementNotComplete(pledgeId, at);
        } else if (caller != title.holder) {
            revert NotHolder(titleId, msg.sender);
        }
    }

    function _isLocked(uint48 pledgeId, uint40 expiry) private view returns (bool) {
        return pledgeId != 0 && expiry > block.timestamp;
    }

    /// @dev Checks the borrower's consent to exactly this pledge by the calling bank and uses up its nonce.
    function _useConsent(
        bytes32 financingReference,
        uint40 expiry,
        uint64[] calldata titleIds,
        bytes32[] calldata keys,
        Consent calldata consent
    ) private returns (address borrower, uint32 borrowerIndex) {
        if (block.timestamp > consent.deadline) revert ConsentExpired(consent.deadline);
        bytes32 committed = consent.financingCommitment;
        if (committed != bytes32(0) && committed != financingReference) revert ConsentInvalid();
        bytes32 structHash = keccak256(
            abi.encode(
                PLEDGE_CONSENT_TYPEHASH,
                msg.sender,
                _hashWords(titleIds),
                _hashWords(keys),
                committed,
                expiry,
                consent.nonce,
                consent.deadline
            )
        );
        return _useSignature(_hashTypedDataV4(structHash), consent.nonce, consent.signature);
    }

    /// @dev The active member who signed `digest` with an unused nonce, which is then used up. A signature over
    ///      anything else (another bank, titles, chain or contract) recovers some other address: invalid.
    function _useSignature(bytes32 digest, uint64 nonce, bytes calldata signature)
        private
        returns (address signer, uint32 signerIndex)
    {
        ECDSA.RecoverError failure;
        (signer, failure,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (failure != ECDSA.RecoverError.NoError) revert ConsentInvalid();
        Member storage m = _members[signer];
        if (!m.active) revert ConsentInvalid();
        _useNonce(m, signer, nonce);
        return (signer, m.index);
    }

    /// @dev Marks `nonce` used (refusing a used one) and slides the window past the nonces used in a row from its
    ///      base. A nonce 128 or more above the base first moves the window up to it: the unused nonces it leaves
    ///      behind are void, so a consent never used cannot hold the window for good.
    function _useNonce(Member storage m, address member, uint64 nonce) private {
        uint64 base = m.consentBase;
        if (nonce < base) revert ConsentUsed(member, nonce);
        uint128 used = m.consentsUsed;
        if (nonce - base >= 128) {
            uint64 shift = nonce - base - 127;
            used = shift >= 128 ? 0 : used >> shift;
            base += shift;
        }
        uint128 bit = uint128(1) << (nonce - base);
        if (used & bit != 0) revert ConsentUsed(member, nonce);
        used |= bit;
        while (used & 1 != 0) {
            used >>= 1;
            base++;
        }
        m.consentBase = base;
        m.consentsUsed = used;
    }

    /// @notice A member withdraws a consent it signed and no bank has used yet, by using up its nonce.
    function revokeConsent(uint64 nonce) external {
        Member storage m = _members[msg.sender];
        if (!m.active) revert NotMember(msg.sender);
        _useNonce(m, msg.sender, nonce);
        emit ConsentRevoked(msg.sender, nonce);
    }

    /// @dev Validates every unit of a pledge (with a borrower: that it holds every title, and is a TRADER if
    ///      there are free keys) and returns the first live lock in the way, or 0 if none.
    function _scanUnits(uint64[] calldata titleIds, bytes32[] calldata keys, address borrower, uint32 borrowerIndex)
        private
        view
        returns (uint48 conflict)
    {
        for (uint256 i = 0; i < titleIds.length; i++) {
            uint64 titleId = titleIds[i];
            Title storage title = _titles[titleId];
            _requirePledgeable(titleId, title);
            if (borrowerIndex != 0 && title.holder != borrowerIndex) revert ConsentNotFromHolder(titleId, borrower);
            if (conflict == 0 && _isLocked(title.pledgeId, title.pledgeExpiry)) conflict = title.pledgeId;
        }
        bool traderChecked;
        for (uint256 i = 0; i < keys.length; i++) {
            bytes32 key = keys[i];
            if (key == bytes32(0)) revert InvalidKey();
            KeyRecord storage record = _keys[key];
            uint64 titleId = _keyTitle(record);
            if (titleId != 0) {
                Title storage title = _titles[titleId];
                if (title.status != TitleStatus.Live) revert KeyBurned(key, titleId);
                _requirePledgeable(titleId, title);
                if (borrowerIndex != 0 && title.holder != borrowerIndex) revert ConsentNotFromHolder(titleId, borrower);
                if (conflict == 0 && _isLocked(title.pledgeId, title.pledgeExpiry)) conflict = title.pledgeId;
            } else {
                if (borrowerIndex != 0 && !traderChecked) {
                    if (_members[borrower].roles & Roles.TRADER == 0) revert BorrowerNotTrader(borrower);
                    traderChecked = true;
                }
                if (conflict == 0 && _isLocked(record.pledgeId, record.pledgeExpiry)) conflict = record.pledgeId;
            }
        }
    }

    function _requirePledgeable(uint64 titleId, Title storage title) private view {
        if (title.status == TitleStatus.None) revert UnknownTitle(titleId);
        if (title.status != TitleStatus.Live) revert TitleNotLive(titleId);
        bytes32 lotKey = _lotKeyAt[title.lot];
        if (_lots[lotKey].overIssued) revert LotOverIssuedError(lotKey);
        LotShare[] storage more = _moreLots[titleId];
        for (uint256 i = 0; i < more.length; i++) {
            lotKey = _lotKeyAt[more[i].lot];
            if (_lots[lotKey].overIssued) revert LotOverIssuedError(lotKey);
        }
    }

    /// @dev Locks a title for a new pledge; a lock still on it has expired (the scan found no live one): say so.
    function _lockTitleOver(uint64 titleId, uint32 bank, uint40 expiry, uint48 pledgeId) private {
        Title storage title = _titles[titleId];
        uint48 previous = title.pledgeId;
        if (previous != 0 && previous != pledgeId) emit ExpiredLockReleased(previous, titleId, bytes32(0));
        _lockTitle(title, bank, expiry, pledgeId);
    }

    /// @dev The title a key belongs to, or 0 if none (a voided title's keys are free again).
    function _keyTitle(KeyRecord storage record) private view returns (uint64 titleId) {
        titleId = record.title;
        if (titleId != 0 && _titles[titleId].status == TitleStatus.Voided) titleId = 0;
    }

    function _setPledgeTerm(ProposalKind kind, uint32 duration) internal override {
        if (kind == ProposalKind.SetMaxPledgeTerm) _counters.maxPledgeTerm = duration;
        else _counters.contestPeriod = duration;
        emit PledgeTermsChanged(_counters.maxPledgeTerm, _counters.contestPeriod);
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
        uint64 owner = _keyTitle(record);
        if (owner != 0) {
            Title storage t = _titles[owner];
            return (owner, t.status, t.pledgeId, _memberAt[t.pledgee], t.pledgeExpiry);
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

    /// @notice Every lot a title books and the quantity on each (the first is `titleOf`'s).
    function titleLots(uint64 titleId) external view returns (bytes32[] memory lotKeys, uint64[] memory quantities) {
        Title storage t = _titles[titleId];
        LotShare[] storage more = _moreLots[titleId];
        lotKeys = new bytes32[](more.length + 1);
        quantities = new uint64[](more.length + 1);
        lotKeys[0] = _lotKeyAt[t.lot];
        quantities[0] = t.quantity;
        for (uint256 i = 0; i < more.length; i++) {
            lotKeys[i + 1] = _lotKeyAt[more[i].lot];
            quantities[i + 1] = more[i].quantity;
        }
    }

    /// @notice The port of loading a lot's attestation names (its UN/LOCODE; zero if unattested).
    function lotPortOfLoading(bytes32 lotKey) external view returns (bytes8) {
        return _attestations[lotKey].locode;
    }

    function lotKeyAt(uint32 index) external view returns (bytes32) {
        return _lotKeyAt[index];
    }

    function counts() external view returns (uint64 titles, uint48 pledges, uint32 lots) {
        Counters memory c = _counters;
        return (c.titles, c.pledges, c.lots);
    }

    /// @notice The live pledge that would block a pledge of these titles and keys, or 0 if none would.
    function findPledgeConflict(uint64[] calldata titleIds, bytes32[] calldata keys) external view returns (uint48) {
        return _scanUnits(titleIds, keys, address(0), 0);
    }

    /// @notice The lowest nonce `member` has not used; any unused nonce from it on is valid (see `_useNonce`).
    function consentNonce(address member) external view returns (uint64) {
        return _members[member].consentBase;
    }

    /// @notice Whether `member` has used (or revoked) the consent nonce `nonce`.
    function consentNonceUsed(address member, uint64 nonce) external view returns (bool) {
        Member storage m = _members[member];
        if (nonce < m.consentBase) return true;
        if (nonce - m.consentBase >= 128) return false;
        return m.consentsUsed & (uint128(1) << (nonce - m.consentBase)) != 0;
    }

    /// @notice The governed longest pledge term and default contest period, in seconds.
    function pledgeTerms() external view returns (uint32 maxPledgeTerm, uint32 contestPeriod) {
        Counters memory c = _counters;
        return (c.maxPledgeTerm, c.contestPeriod);
    }

    /// @notice When the pledgee may enforce `pledgeId`, 0 if no default was declared.
    function enforceableAt(uint48 pledgeId) external view returns (uint40) {
        return _enforceableAt[pledgeId];
    }

    /// @notice The EIP-712 digest a borrower signs to consent to `bank`'s pledge (for clients to check theirs).
    function pledgeConsentDigest(
        address bank,
        uint64[] calldata titleIds,
        bytes32[] calldata keys,
        bytes32 financingCommitment,
        uint40 expiry,
        uint64 nonce,
        uint40 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    PLEDGE_CONSENT_TYPEHASH,
                    bank,
                    _hashWords(titleIds),
                    _hashWords(keys),
                    financingCommitment,
                    expiry,
                    nonce,
                    deadline
                )
            )
        );
    }
}

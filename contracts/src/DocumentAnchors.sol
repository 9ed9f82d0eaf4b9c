// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Consortium} from "./Consortium.sol";
import {Roles} from "./Roles.sol";

/// @title Merkle roots of document batches (RFC 6962-style trees built off chain).
/// @notice One transaction anchors a whole batch; a document's inclusion proof leads to a root here. An anchor is
///         keyed by (root, leaf count, submitter): a member who copies another's root (with any leaf count) makes an
///         anchor of its own and spoils nothing; verification looks up the anchor of the submitter it expects.
abstract contract DocumentAnchors is Consortium {
    struct Anchor {
        uint40 anchoredAt;
        uint64 blockNumber;
    }

    /// @dev keccak256(root, leafCount, submitter index) to the anchor.
    mapping(bytes32 => Anchor) internal _anchors;

    event Anchored(bytes32 indexed root, address indexed submitter, uint32 leafCount, uint40 anchoredAt);

    error InvalidRoot();
    error InvalidLeafCount();
    error AnchorExists(bytes32 root, uint32 leafCount, address submitter);

    function anchor(bytes32 root, uint32 leafCount) external {
        uint32 submitter = _requireRole(Roles.ALL);
        if (root == bytes32(0)) revert InvalidRoot();
        if (leafCount == 0) revert InvalidLeafCount();
        Anchor storage a = _anchors[_anchorId(root, leafCount, submitter)];
        if (a.anchoredAt != 0) revert AnchorExists(root, leafCount, msg.sender);
        a.anchoredAt = uint40(block.timestamp);
        a.blockNumber = uint64(block.number);
        emit Anchored(root, msg.sender, leafCount, uint40(block.timestamp));
    }

    /// @notice When `submitter` anchored `root` with `leafCount` leaves (zeros if it did not).
    function anchorOf(bytes32 root, uint32 leafCount, address submitter)
        external
        view
        returns (uint40 anchoredAt, uint64 blockNumber)
    {
        Anchor storage a = _anchors[_anchorId(root, leafCount, _members[submitter].index)];
        return (a.anchoredAt, a.blockNumber);
    }

    function _anchorId(bytes32 root, uint32 leafCount, uint32 submitter) private pure returns (bytes32) {
        return keccak256(abi.encode(root, leafCount, submitter));
    }
}

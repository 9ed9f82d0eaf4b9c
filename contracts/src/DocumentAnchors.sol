// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Consortium} from "./Consortium.sol";
import {Roles} from "./Roles.sol";

/// @title Merkle roots of document batches (RFC 6962-style trees built off chain).
/// @notice One transaction anchors a whole batch; a document's inclusion proof leads to a root here.
abstract contract DocumentAnchors is Consortium {
    struct Anchor {
        uint32 submitter; // member index
        uint32 leafCount;
        uint40 anchoredAt;
        uint64 blockNumber;
    }

    mapping(bytes32 => Anchor) internal _anchors;

    event Anchored(bytes32 indexed root, address indexed submitter, uint32 leafCount, uint40 anchoredAt);

    error InvalidRoot();
    error InvalidLeafCount();
    error AnchorExists(bytes32 root);

    function anchor(bytes32 root, uint32 leafCount) external {
        uint32 submitter = _requireRole(Roles.ALL);
        if (root == bytes32(0)) revert InvalidRoot();
        if (leafCount == 0) revert InvalidLeafCount();
        if (_anchors[root].leafCount != 0) revert AnchorExists(root);
        _anchors[root] = Anchor({
            submitter: submitter,
            leafCount: leafCount,
            anchoredAt: uint40(block.timestamp),
            blockNumber: uint64(block.number)
        });
        emit Anchored(root, msg.sender, leafCount, uint40(block.timestamp));
    }

    function anchorOf(bytes32 root)
        external
        view
        returns (address submitter, uint32 leafCount, uint40 anchoredAt, uint64 blockNumber)
    {
        Anchor storage a = _anchors[root];
        return (_memberAt[a.submitter], a.leafCount, a.anchoredAt, a.blockNumber);
    }
}

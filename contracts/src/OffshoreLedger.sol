// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Consortium} from "./Consortium.sol";
import {CollateralLedger} from "./CollateralLedger.sol";
import {DocumentAnchors} from "./DocumentAnchors.sol";

/// @title The OffshoreLedger consortium contract: membership, titles, pledges, attestations, anchors.
/// @notice One deployment per consortium. Every state change emits an event, so the whole state can be
///         rebuilt from logs alone, from the deployment block.
contract OffshoreLedger is Consortium, CollateralLedger, DocumentAnchors {
    constructor(address[] memory admins, uint32 threshold) Consortium(admins, threshold) {}
}

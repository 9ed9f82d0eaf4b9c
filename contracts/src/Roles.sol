// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice Consortium roles as bit flags; a member may hold several.
library Roles {
    uint8 internal constant BANK = 1;
    uint8 internal constant PORT = 2;
    uint8 internal constant TRADER = 4;
    uint8 internal constant CARRIER = 8;
    uint8 internal constant AUDITOR = 16;
    uint8 internal constant ALL = BANK | PORT | TRADER | CARRIER | AUDITOR;
}

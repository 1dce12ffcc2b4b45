// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectKind} from "./DataTypes.sol";

/// @title SubjectKeys
/// @notice A subject key names one traced subject across all ledger contracts: the kind in the top byte, the
/// id (a sequential id, or an address for members) in the low bytes. Off-chain code builds the same key.
library SubjectKeys {
    /// @notice The key of subject `id` of kind `kind`.
    function key(SubjectKind kind, uint256 id) internal pure returns (bytes32) {
        return bytes32((uint256(kind) << 248) | uint256(uint248(id)));
    }

    /// @notice The key of a member subject.
    function member(address account) internal pure returns (bytes32) {
        return key(SubjectKind.Member, uint160(account));
    }
}

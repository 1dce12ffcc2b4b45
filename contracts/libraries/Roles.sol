// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Roles
/// @notice Role identifiers of the consortium, as AccessControl roles. A member may hold several.
library Roles {
    /// @dev 工作专班: admits, suspends and expels members; sets ledger parameters.
    bytes32 internal constant GOVERNANCE = keccak256("drl.role.GOVERNANCE");
    /// @dev 监管部门: freezes, resolves objections, revokes with a reason, suspends members.
    bytes32 internal constant REGULATOR = keccak256("drl.role.REGULATOR");
    /// @dev Registers resources and holds the holding right (持有权).
    bytes32 internal constant HOLDER = keccak256("drl.role.HOLDER");
    /// @dev Receives and sub-grants processing-use rights (加工使用权).
    bytes32 internal constant PROCESSOR = keccak256("drl.role.PROCESSOR");
    /// @dev Receives and sub-grants product-operation rights (经营权); public-data operator.
    bytes32 internal constant OPERATOR = keccak256("drl.role.OPERATOR");
    /// @dev Third-party certification and rating body.
    bytes32 internal constant CERTIFIER = keccak256("drl.role.CERTIFIER");
    /// @dev Dispute arbiter (争议处置).
    bytes32 internal constant ARBITER = keccak256("drl.role.ARBITER");

    /// @notice Whether `role` is one of the consortium's roles.
    function isKnown(bytes32 role) internal pure returns (bool) {
        return bit(role) != 0;
    }

    /// @notice The bit of `role` in a member's packed role set, or 0 for an unknown role.
    function bit(bytes32 role) internal pure returns (uint8) {
        if (role == GOVERNANCE) return 1;
        if (role == REGULATOR) return 2;
        if (role == HOLDER) return 4;
        if (role == PROCESSOR) return 8;
        if (role == OPERATOR) return 16;
        if (role == CERTIFIER) return 32;
        if (role == ARBITER) return 64;
        return 0;
    }
}

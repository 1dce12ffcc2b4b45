// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";

/// @title MemberGated
/// @notice Base of every ledger contract other than the member registry: each write asks the one permission
/// authority, {MemberRegistry}, whether the caller is an active member with the right role.
abstract contract MemberGated {
    /// @notice Thrown when the member registry address is zero.
    error MemberGatedZeroRegistry();
    /// @notice Thrown when a severe action (expulsion, forced exit, transfer by ruling) is called by an account other
    /// than the severe-action executor wired in the member registry (or before it is wired).
    error MemberGatedNotSevereExecutor(address account);

    IMemberRegistry internal immutable _members;

    constructor(IMemberRegistry members_) {
        if (address(members_) == address(0)) revert MemberGatedZeroRegistry();
        _members = members_;
    }

    /// @dev Reverts unless the caller is an active member holding `role`.
    modifier onlyMemberWith(bytes32 role) {
        _members.checkActiveRole(msg.sender, role);
        _;
    }

    /// @dev Reverts unless the caller is an active member (any role).
    modifier onlyActiveMember() {
        _members.checkActive(msg.sender);
        _;
    }

    /// @dev Reverts unless the caller is the severe-action executor (see {IMemberRegistry-severeExecutor}).
    modifier onlySevereExecutor() {
        address executor = _members.severeExecutor();
        if (executor == address(0) || msg.sender != executor) revert MemberGatedNotSevereExecutor(msg.sender);
        _;
    }

    /// @notice The member registry this contract defers to.
    function memberRegistry() external view returns (IMemberRegistry) {
        return _members;
    }
}

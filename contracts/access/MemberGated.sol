// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";

/// @title MemberGated
/// @notice Base of every ledger contract other than the member registry: each write asks the one permission
/// authority, {MemberRegistry}, whether the caller is an active member with the right role.
abstract contract MemberGated {
    /// @notice Thrown when the member registry address is zero.
    error MemberGatedZeroRegistry();

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

    /// @notice The member registry this contract defers to.
    function memberRegistry() external view returns (IMemberRegistry) {
        return _members;
    }
}

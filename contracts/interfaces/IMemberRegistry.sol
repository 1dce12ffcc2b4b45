// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MemberStatus} from "../libraries/DataTypes.sol";

/// @title IMemberRegistry
/// @notice Consortium membership: organisations with keys, roles (OpenZeppelin AccessControl) and a status.
/// Only active members write anywhere in the ledger; suspension takes effect at once.
interface IMemberRegistry {
    /// @notice Thrown when `account` is the zero address.
    error MemberZeroAddress();
    /// @notice Thrown when admitting an account that was admitted before (active, suspended or exited).
    error MemberAlreadyAdmitted(address account, MemberStatus status);
    /// @notice Thrown when `account` was never admitted, or has exited.
    error MemberNotAdmitted(address account);
    /// @notice Thrown when `account` is not active (suspended, exited or unknown).
    error MemberNotActive(address account, MemberStatus status);
    /// @notice Thrown when an active `account` lacks `role`.
    error MemberMissingRole(address account, bytes32 role);
    /// @notice Thrown when `account` may not suspend (neither governance nor regulator).
    error MemberNotSuspender(address account);
    /// @notice Thrown when `role` is not one of the consortium's roles.
    error MemberUnknownRole(bytes32 role);
    /// @notice Thrown when a status change does not apply to the member's current status.
    error MemberInvalidStatus(address account, MemberStatus status);
    /// @notice Thrown when an organisation id or credential hash is zero.
    error MemberEmptyHash();
    /// @notice Thrown when a reason hash is zero.
    error MemberEmptyReason();
    /// @notice Thrown when more roles are passed at admission than exist.
    error MemberTooManyRoles(uint256 count, uint256 max);
    /// @notice Thrown when a change would leave no active governance member.
    error MemberLastGovernance(address account);
    /// @notice Thrown when the severe-action executor is set a second time.
    error MemberSevereExecutorAlreadySet(address current);
    /// @notice Thrown when, once the severe-action executor is wired, another account tries a severe action.
    error MemberNotSevereExecutor(address account);

    /// @notice Emitted when an organisation is admitted.
    event MemberAdmitted(address indexed account, bytes32 indexed orgId, bytes32 credentialHash, address indexed by);
    /// @notice Emitted when a member is suspended.
    event MemberSuspended(address indexed account, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a suspended member is reinstated.
    event MemberReinstated(address indexed account, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a member is expelled; this is final.
    event MemberExpelled(address indexed account, address indexed by, bytes32 reasonHash);
    /// @notice Emitted once, when governance wires the severe-action executor.
    event SevereExecutorSet(address indexed executor, address indexed by);

    /// @notice Admits `account` as an active member of organisation `orgId` with `roles`. Governance only.
    /// @param account the member's signing account.
    /// @param orgId the organisation identifier (e.g. hash of its unified social credit code).
    /// @param credentialHash hash of the admission credential document.
    /// @param roles the roles to grant at once (at most one of each).
    function admit(address account, bytes32 orgId, bytes32 credentialHash, bytes32[] calldata roles) external;

    /// @notice Suspends an active member: it writes nothing and its grants are not valid. Governance or regulator.
    function suspend(address account, bytes32 reasonHash) external;

    /// @notice Reinstates a suspended member. Governance or regulator (the authorities that may suspend).
    function reinstate(address account, bytes32 reasonHash) external;

    /// @notice Expels an active or suspended member for good. Once the severe-action executor is wired, only the
    /// executor (after the approvals governance requires); before that, governance.
    function expel(address account, bytes32 reasonHash) external;

    /// @notice Wires the severe-action executor (the contract collecting approvals for expulsions, forced exits and
    /// transfers by ruling), once. Governance only.
    function setSevereExecutor(address executor) external;

    /// @notice The severe-action executor (zero until wired).
    function severeExecutor() external view returns (address);

    /// @notice The status of `account`.
    function statusOf(address account) external view returns (MemberStatus);

    /// @notice Whether `account` is an active member.
    function isActive(address account) external view returns (bool);

    /// @notice Whether `account` is an active member holding `role`.
    function hasActiveRole(address account, bytes32 role) external view returns (bool);

    /// @notice Reverts unless `account` is an active member.
    function checkActive(address account) external view;

    /// @notice Reverts unless `account` is an active member holding `role`.
    function checkActiveRole(address account, bytes32 role) external view;
}

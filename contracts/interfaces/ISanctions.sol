// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SanctionKind} from "../libraries/SupervisionTypes.sol";

/// @title ISanctions
/// @notice Regulator sanctions with a stated cause: freeze a resource, grant or product, suspend a member, or withdraw
/// consent on a privacy complaint, each naming the report or dispute that caused it and a reason hash. This contract is
/// admitted as a regulator member and calls the registries' regulator functions; the registries trace the subjects,
/// this contract traces its sanctions under its own Ledger subject and links both keys in its events.
interface ISanctions {
    /// @notice The stored state of a sanction.
    struct Sanction {
        bytes32 subject;
        bytes32 cause;
        SanctionKind kind;
        bool lifted;
        uint40 appliedAt;
    }

    /// @notice Thrown when `sanctionId` was never applied.
    error SanctionUnknown(uint64 sanctionId);
    /// @notice Thrown when a reason hash is zero.
    error SanctionEmptyReason();
    /// @notice Thrown when the cause is not an existing report (not dismissed) or dispute.
    error SanctionInvalidCause(bytes32 cause);
    /// @notice Thrown when the subject key is malformed or of a kind that cannot be frozen or suspended (resource,
    /// grant, product, member).
    error SanctionInvalidSubject(bytes32 subject);
    /// @notice Thrown when lifting a sanction that was lifted before, or that cannot be lifted (consent withdrawal).
    error SanctionNotLiftable(uint64 sanctionId);

    /// @notice Emitted when a sanction is applied to `subject` because of `cause`.
    event SanctionApplied(
        uint64 indexed sanctionId, bytes32 indexed subject, bytes32 indexed cause, address by, SanctionKind kind, bytes32 reasonHash
    );
    /// @notice Emitted when a sanction is lifted.
    event SanctionLifted(uint64 indexed sanctionId, bytes32 indexed subject, bytes32 indexed cause, address by, bytes32 reasonHash);

    /// @notice Freezes a resource, grant or product, or suspends a member (`subject` is its key). Regulator only.
    /// @return sanctionId the new sanction's id.
    function freeze(bytes32 subject, bytes32 cause, bytes32 reasonHash) external returns (uint64 sanctionId);

    /// @notice Withdraws `purposes` of consent `consentId` (the remedy of a privacy complaint). Regulator only.
    /// @return sanctionId the new sanction's id.
    function withdrawConsent(uint64 consentId, uint32 purposes, bytes32 cause, bytes32 reasonHash)
        external
        returns (uint64 sanctionId);

    /// @notice Lifts a freeze or suspension (unfreezes, reinstates). Regulator only.
    function lift(uint64 sanctionId, bytes32 reasonHash) external;

    /// @notice The stored state of `sanctionId`.
    function getSanction(uint64 sanctionId) external view returns (Sanction memory);

    /// @notice The number of sanctions applied (ids are 1..count).
    function sanctionCount() external view returns (uint64);
}

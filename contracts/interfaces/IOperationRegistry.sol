// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AuthorizationStatus} from "../libraries/DataTypes.sol";

/// @title IOperationRegistry
/// @notice Authorized operation of public data (公共数据授权运营): governance authorizes an operator over a set of
/// public resources for a scenario, with conditions and a term; evaluations are recorded over its life; an exit,
/// voluntary or forced, ends it and every grant that hangs from it.
interface IOperationRegistry {
    /// @notice The stored state of an authorization (scenario, conditions and covered resources live in events).
    struct Authorization {
        address operator;
        uint40 validFrom;
        uint40 validUntil;
        AuthorizationStatus status;
    }

    /// @notice Thrown when `authorizationId` was never granted.
    error OperationUnknown(uint64 authorizationId);
    /// @notice Thrown when the operator is not an active member with the operator role.
    error OperationOperatorNotEligible(address operator);
    /// @notice Thrown when the resource list is empty or longer than the maximum.
    error OperationInvalidResourceCount(uint256 count, uint256 max);
    /// @notice Thrown when a covered resource is not a registered public-category resource.
    error OperationNotPublicResource(uint64 resourceId);
    /// @notice Thrown when a resource is listed twice.
    error OperationDuplicateResource(uint64 resourceId);
    /// @notice Thrown when a scenario code, conditions hash, report hash or reason hash is zero.
    error OperationEmptyHash();
    /// @notice Thrown when valid-from is not before valid-until, or the term has already ended.
    error OperationInvalidTerm(uint40 validFrom, uint40 validUntil);
    /// @notice Thrown when the authorization has already exited.
    error OperationExited(uint64 authorizationId);
    /// @notice Thrown when `account` may not exit the authorization (neither its operator nor the forced-exit authority).
    error OperationNotExiter(uint64 authorizationId, address account);
    /// @notice Thrown when `account` may not evaluate (neither governance, regulator nor certifier).
    error OperationNotEvaluator(address account);
    /// @notice Thrown when a score exceeds 100.
    error OperationInvalidScore(uint16 score);

    /// @notice Emitted when governance authorizes an operator over public resources.
    event OperationAuthorized(
        uint64 indexed authorizationId,
        address indexed operator,
        bytes32 indexed scenario,
        bytes32 conditionsHash,
        uint40 validFrom,
        uint40 validUntil,
        uint64[] resourceIds
    );
    /// @notice Emitted when an evaluation is recorded.
    event OperationEvaluated(uint64 indexed authorizationId, address indexed evaluator, uint32 indexed period, uint16 score, bytes32 reportHash);
    /// @notice Emitted when the authorization ends, by the operator (voluntary) or governance (forced).
    event OperationExitedBy(uint64 indexed authorizationId, address indexed by, bool forced, bytes32 reasonHash);

    /// @notice Authorizes `operator` over public `resourceIds` for `scenario`. Governance only.
    /// @return authorizationId the new authorization's id.
    function authorize(
        address operator,
        uint64[] calldata resourceIds,
        bytes32 scenario,
        bytes32 conditionsHash,
        uint40 validFrom,
        uint40 validUntil
    ) external returns (uint64 authorizationId);

    /// @notice Records an evaluation (0..100) for `period`. Governance, regulator or certifier.
    function evaluate(uint64 authorizationId, uint32 period, uint16 score, bytes32 reportHash) external;

    /// @notice Ends the authorization: voluntary by its operator; forced by the severe-action executor once it is wired
    /// in the member registry (after the approvals governance requires), by governance before that.
    function exit(uint64 authorizationId, bytes32 reasonHash) external;

    /// @notice The newest authorization of `operator` covering `resourceId` (0 when none).
    function authorizationFor(address operator, uint64 resourceId) external view returns (uint64);

    /// @notice Whether the authorization is in force now: not exited, inside its term, its operator active.
    function isAuthorizationValid(uint64 authorizationId) external view returns (bool);

    /// @notice Whether the authorization covers `resourceId`.
    function covers(uint64 authorizationId, uint64 resourceId) external view returns (bool);

    /// @notice The stored state of an authorization.
    function getAuthorization(uint64 authorizationId) external view returns (Authorization memory);
}

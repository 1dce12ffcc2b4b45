// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IOperationRegistry} from "../interfaces/IOperationRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {ISubjectRegistry} from "../interfaces/ISubjectRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {AuthorizationStatus, Category, SubjectKind, SubjectState} from "../libraries/DataTypes.sol";

/// @title OperationRegistry
/// @notice Public-data authorized operation (公共数据授权运营). Storage holds the operator, term and status of each
/// authorization, and for each covered resource the operator's newest authorization over it (what a grant looks
/// up); the scenario, conditions and resource list are carried by the OperationAuthorized event.
contract OperationRegistry is MemberGated, Traceable, IOperationRegistry {
    /// @notice Most resources one authorization covers: each costs a storage slot, and no write may cost more than
    /// an attestation. Larger sets take several authorizations for the same scenario.
    uint256 public constant MAX_RESOURCES = 5;

    ISubjectRegistry private immutable _resources;
    mapping(uint64 authorizationId => Authorization) private _auths;
    mapping(address operator => mapping(uint64 resourceId => uint64 authorizationId)) private _latest;
    uint64 private _count;

    /// @param members_ the member registry.
    /// @param resources the resource registry (to check that covered resources are public data).
    constructor(IMemberRegistry members_, ISubjectRegistry resources) MemberGated(members_) {
        _resources = resources;
    }

    /// @inheritdoc IOperationRegistry
    function authorize(
        address operator,
        uint64[] calldata resourceIds,
        bytes32 scenario,
        bytes32 conditionsHash,
        uint40 validFrom,
        uint40 validUntil
    ) external onlyMemberWith(Roles.GOVERNANCE) returns (uint64 authorizationId) {
        if (!_members.hasActiveRole(operator, Roles.OPERATOR)) revert OperationOperatorNotEligible(operator);
        uint256 n = resourceIds.length;
        if (n == 0 || n > MAX_RESOURCES) revert OperationInvalidResourceCount(n, MAX_RESOURCES);
        if (scenario == bytes32(0) || conditionsHash == bytes32(0)) revert OperationEmptyHash();
        if (validFrom >= validUntil || validUntil <= block.timestamp) revert OperationInvalidTerm(validFrom, validUntil);
        for (uint256 i = 0; i < n; ++i) {
            uint64 rid = resourceIds[i];
            SubjectState memory s = _resources.subjectState(rid);
            if (!s.exists || s.category != Category.Public) revert OperationNotPublicResource(rid);
            // n is at most MAX_RESOURCES, so the pairwise duplicate check is bounded.
            for (uint256 j = 0; j < i; ++j) {
                if (resourceIds[j] == rid) revert OperationDuplicateResource(rid);
            }
        }
        authorizationId = _store(operator, resourceIds, validFrom, validUntil);
        emit OperationAuthorized(authorizationId, operator, scenario, conditionsHash, validFrom, validUntil, resourceIds);
        _traceAuthorized(authorizationId, operator, resourceIds, scenario, conditionsHash, validFrom, validUntil);
    }

    /// @inheritdoc IOperationRegistry
    function evaluate(uint64 authorizationId, uint32 period, uint16 score, bytes32 reportHash) external {
        _members.checkActive(msg.sender);
        if (
            !_members.hasActiveRole(msg.sender, Roles.GOVERNANCE) && !_members.hasActiveRole(msg.sender, Roles.REGULATOR)
                && !_members.hasActiveRole(msg.sender, Roles.CERTIFIER)
        ) revert OperationNotEvaluator(msg.sender);
        Authorization storage a = _existing(authorizationId);
        if (a.status == AuthorizationStatus.Exited) revert OperationExited(authorizationId);
        if (score > 100) revert OperationInvalidScore(score);
        if (reportHash == bytes32(0)) revert OperationEmptyHash();
        emit OperationEvaluated(authorizationId, msg.sender, period, score, reportHash);
        _trace(_key(authorizationId), Actions.AUTHORIZATION_EVALUATED, keccak256(abi.encode(authorizationId, msg.sender, period, score, reportHash)));
    }

    /// @inheritdoc IOperationRegistry
    function exit(uint64 authorizationId, bytes32 reasonHash) external {
        _members.checkActive(msg.sender);
        Authorization storage a = _existing(authorizationId);
        bool forced = msg.sender != a.operator;
        if (forced) _checkForcedExiter(authorizationId);
        if (a.status == AuthorizationStatus.Exited) revert OperationExited(authorizationId);
        if (reasonHash == bytes32(0)) revert OperationEmptyHash();
        a.status = AuthorizationStatus.Exited;
        emit OperationExitedBy(authorizationId, msg.sender, forced, reasonHash);
        _trace(_key(authorizationId), Actions.AUTHORIZATION_EXITED, keccak256(abi.encode(authorizationId, msg.sender, forced, reasonHash)));
    }

    /// @inheritdoc IOperationRegistry
    function authorizationFor(address operator, uint64 resourceId) external view returns (uint64) {
        return _latest[operator][resourceId];
    }

    /// @inheritdoc IOperationRegistry
    function isAuthorizationValid(uint64 authorizationId) external view returns (bool) {
        Authorization storage a = _auths[authorizationId];
        return a.status == AuthorizationStatus.Active && block.timestamp >= a.validFrom && block.timestamp < a.validUntil
            && _members.isActive(a.operator);
    }

    /// @inheritdoc IOperationRegistry
    function covers(uint64 authorizationId, uint64 resourceId) external view returns (bool) {
        Authorization storage a = _auths[authorizationId];
        return a.status != AuthorizationStatus.None && _latest[a.operator][resourceId] == authorizationId;
    }

    /// @inheritdoc IOperationRegistry
    function getAuthorization(uint64 authorizationId) external view returns (Authorization memory) {
        return _existing(authorizationId);
    }

    /// @dev A forced exit is a severe action: once the executor is wired only it may force one; before, governance.
    function _checkForcedExiter(uint64 authorizationId) private view {
        address executor = _members.severeExecutor();
        bool allowed = executor == address(0) ? _members.hasActiveRole(msg.sender, Roles.GOVERNANCE) : msg.sender == executor;
        if (!allowed) revert OperationNotExiter(authorizationId, msg.sender);
    }

    function _store(address operator, uint64[] calldata resourceIds, uint40 validFrom, uint40 validUntil) private returns (uint64 id) {
        id = ++_count;
        _auths[id] = Authorization(operator, validFrom, validUntil, AuthorizationStatus.Active);
        for (uint256 i = 0; i < resourceIds.length; ++i) {
            _latest[operator][resourceIds[i]] = id;
        }
    }

    function _traceAuthorized(
        uint64 id,
        address operator,
        uint64[] calldata resourceIds,
        bytes32 scenario,
        bytes32 conditionsHash,
        uint40 validFrom,
        uint40 validUntil
    ) private {
        bytes32 payload = keccak256(abi.encode(id, operator, scenario, conditionsHash, validFrom, validUntil, resourceIds));
        _trace(_key(id), Actions.AUTHORIZATION_GRANTED, payload);
    }

    function _existing(uint64 authorizationId) private view returns (Authorization storage a) {
        a = _auths[authorizationId];
        if (a.status == AuthorizationStatus.None) revert OperationUnknown(authorizationId);
    }

    function _key(uint64 authorizationId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.OperationAuthorization, authorizationId);
    }
}

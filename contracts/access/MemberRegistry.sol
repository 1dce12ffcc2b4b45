// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {MemberStatus} from "../libraries/DataTypes.sol";

/// @title MemberRegistry
/// @notice The consortium's one permission authority. Roles are OpenZeppelin AccessControl roles, administered
/// by governance; a member status (active / suspended / exited) overlays them, so that suspension removes every
/// permission at once and reinstatement restores them without re-granting.
/// @dev AccessControl grants, revokes and emits; a copy of each member's roles is packed beside its status
/// (kept in step by the `_grantRole`/`_revokeRole` overrides), so that "active member with role R?", asked by
/// every write of every ledger contract, costs one storage read instead of two.
contract MemberRegistry is AccessControl, Traceable, IMemberRegistry {
    struct Member {
        MemberStatus status;
        uint40 since;
        uint8 roles;
    }

    uint256 private constant _ROLE_COUNT = 7;

    mapping(address account => Member) private _members;
    uint256 private _activeGovernors;
    address private _severeExecutor;

    /// @param governor the first governance member.
    /// @param orgId its organisation id.
    /// @param credentialHash hash of its admission credential.
    constructor(address governor, bytes32 orgId, bytes32 credentialHash) {
        bytes32[_ROLE_COUNT] memory roles = _roles();
        for (uint256 i = 0; i < _ROLE_COUNT; ++i) {
            _setRoleAdmin(roles[i], Roles.GOVERNANCE);
        }
        _admit(governor, orgId, credentialHash);
        _grantRole(Roles.GOVERNANCE, governor);
    }

    // ==== WRITES ====

    /// @inheritdoc IMemberRegistry
    function admit(address account, bytes32 orgId, bytes32 credentialHash, bytes32[] calldata roles)
        external
        onlyRole(Roles.GOVERNANCE)
    {
        if (roles.length > _ROLE_COUNT) revert MemberTooManyRoles(roles.length, _ROLE_COUNT);
        for (uint256 i = 0; i < roles.length; ++i) {
            if (!Roles.isKnown(roles[i])) revert MemberUnknownRole(roles[i]);
        }
        _admit(account, orgId, credentialHash);
        for (uint256 i = 0; i < roles.length; ++i) {
            _grantRole(roles[i], account);
        }
    }

    /// @inheritdoc IMemberRegistry
    function suspend(address account, bytes32 reasonHash) external {
        _checkSuspender(msg.sender);
        if (reasonHash == bytes32(0)) revert MemberEmptyReason();
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Active) revert MemberInvalidStatus(account, status);
        _leaveActive(account);
        _setStatus(account, MemberStatus.Suspended);
        emit MemberSuspended(account, msg.sender, reasonHash);
        _trace(SubjectKeys.member(account), Actions.MEMBER_SUSPENDED, keccak256(abi.encode(account, msg.sender, reasonHash)));
    }

    /// @inheritdoc IMemberRegistry
    function reinstate(address account, bytes32 reasonHash) external {
        _checkSuspender(msg.sender);
        if (reasonHash == bytes32(0)) revert MemberEmptyReason();
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Suspended) revert MemberInvalidStatus(account, status);
        _setStatus(account, MemberStatus.Active);
        if (hasRole(Roles.GOVERNANCE, account)) ++_activeGovernors;
        emit MemberReinstated(account, msg.sender, reasonHash);
        _trace(SubjectKeys.member(account), Actions.MEMBER_REINSTATED, keccak256(abi.encode(account, msg.sender, reasonHash)));
    }

    /// @inheritdoc IMemberRegistry
    /// @dev Before the executor is wired, governance expels directly (existing deployments keep working).
    function expel(address account, bytes32 reasonHash) external {
        address executor = _severeExecutor;
        if (executor == address(0)) {
            _checkRole(Roles.GOVERNANCE, msg.sender);
        } else {
            _checkActive(msg.sender);
            if (msg.sender != executor) revert MemberNotSevereExecutor(msg.sender);
        }
        if (reasonHash == bytes32(0)) revert MemberEmptyReason();
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Active && status != MemberStatus.Suspended) revert MemberInvalidStatus(account, status);
        if (status == MemberStatus.Active) _leaveActive(account);
        _setStatus(account, MemberStatus.Exited);
        emit MemberExpelled(account, msg.sender, reasonHash);
        _trace(SubjectKeys.member(account), Actions.MEMBER_EXPELLED, keccak256(abi.encode(account, msg.sender, reasonHash)));
    }

    /// @inheritdoc IMemberRegistry
    function setSevereExecutor(address executor) external onlyRole(Roles.GOVERNANCE) {
        if (executor == address(0)) revert MemberZeroAddress();
        if (_severeExecutor != address(0)) revert MemberSevereExecutorAlreadySet(_severeExecutor);
        _severeExecutor = executor;
        emit SevereExecutorSet(executor, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(executor, msg.sender)));
    }

    /// @notice Grants `role` to admitted member `account`. Governance only; unknown roles are refused.
    function grantRole(bytes32 role, address account) public override {
        if (!Roles.isKnown(role)) revert MemberUnknownRole(role);
        super.grantRole(role, account);
    }

    /// @notice Revokes `role` from admitted member `account`. Governance only; unknown roles are refused.
    function revokeRole(bytes32 role, address account) public override {
        if (!Roles.isKnown(role)) revert MemberUnknownRole(role);
        super.revokeRole(role, account);
    }

    /// @notice Renounces one of the caller's own roles. Only an active member may write, this included.
    function renounceRole(bytes32 role, address callerConfirmation) public override {
        _checkActive(msg.sender);
        super.renounceRole(role, callerConfirmation);
    }

    // ==== VIEWS ====

    /// @inheritdoc IMemberRegistry
    function statusOf(address account) external view returns (MemberStatus) {
        return _members[account].status;
    }

    /// @inheritdoc IMemberRegistry
    function isActive(address account) external view returns (bool) {
        return _members[account].status == MemberStatus.Active;
    }

    /// @inheritdoc IMemberRegistry
    function hasActiveRole(address account, bytes32 role) external view returns (bool) {
        Member storage m = _members[account];
        return m.status == MemberStatus.Active && m.roles & Roles.bit(role) != 0;
    }

    /// @notice Whether `account` holds `role`, whatever its status. Reads the packed copy of AccessControl's roles.
    function hasRole(bytes32 role, address account) public view override returns (bool) {
        return _members[account].roles & Roles.bit(role) != 0;
    }

    /// @inheritdoc IMemberRegistry
    function checkActive(address account) external view {
        _checkActive(account);
    }

    /// @inheritdoc IMemberRegistry
    function checkActiveRole(address account, bytes32 role) external view {
        _checkRole(role, account);
    }

    /// @inheritdoc IMemberRegistry
    function severeExecutor() external view returns (address) {
        return _severeExecutor;
    }

    /// @notice The number of active members holding the governance role.
    function activeGovernors() external view returns (uint256) {
        return _activeGovernors;
    }

    // ==== INTERNAL ====

    /// @dev Every `onlyRole` check (AccessControl's, and other contracts' through {checkActiveRole}) also
    /// requires an active member, which is what makes suspension immediate.
    function _checkRole(bytes32 role, address account) internal view override {
        Member storage m = _members[account];
        MemberStatus status = m.status;
        if (status != MemberStatus.Active) revert MemberNotActive(account, status);
        if (m.roles & Roles.bit(role) == 0) revert MemberMissingRole(account, role);
    }

    /// @dev Suspension and reinstatement: an active governance or regulator member.
    function _checkSuspender(address account) private view {
        _checkActive(account);
        if (!hasRole(Roles.GOVERNANCE, account) && !hasRole(Roles.REGULATOR, account)) revert MemberNotSuspender(account);
    }

    function _checkActive(address account) private view {
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Active) revert MemberNotActive(account, status);
    }

    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        if (!Roles.isKnown(role)) revert MemberUnknownRole(role);
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Active && status != MemberStatus.Suspended) revert MemberNotAdmitted(account);
        granted = super._grantRole(role, account);
        if (granted) {
            _members[account].roles |= Roles.bit(role);
            if (role == Roles.GOVERNANCE && status == MemberStatus.Active) ++_activeGovernors;
            _trace(SubjectKeys.member(account), Actions.ROLE_GRANTED, keccak256(abi.encode(role, account, msg.sender)));
        }
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.Active && status != MemberStatus.Suspended) revert MemberNotAdmitted(account);
        if (role == Roles.GOVERNANCE && hasRole(role, account) && _members[account].status == MemberStatus.Active) {
            _leaveActive(account);
        }
        revoked = super._revokeRole(role, account);
        if (revoked) {
            _members[account].roles &= ~Roles.bit(role);
            _trace(SubjectKeys.member(account), Actions.ROLE_REVOKED, keccak256(abi.encode(role, account, msg.sender)));
        }
    }

    function _admit(address account, bytes32 orgId, bytes32 credentialHash) private {
        if (account == address(0)) revert MemberZeroAddress();
        if (orgId == bytes32(0) || credentialHash == bytes32(0)) revert MemberEmptyHash();
        MemberStatus status = _members[account].status;
        if (status != MemberStatus.None) revert MemberAlreadyAdmitted(account, status);
        _members[account] = Member(MemberStatus.Active, uint40(block.timestamp), 0);
        emit MemberAdmitted(account, orgId, credentialHash, msg.sender);
        _trace(
            SubjectKeys.member(account), Actions.MEMBER_ADMITTED, keccak256(abi.encode(account, orgId, credentialHash, msg.sender))
        );
    }

    function _setStatus(address account, MemberStatus status) private {
        Member storage m = _members[account];
        m.status = status;
        m.since = uint40(block.timestamp);
    }

    /// @dev Keeps the active-governor count; refuses to let the last active governor go, so the ledger can
    /// never lose its governance.
    function _leaveActive(address account) private {
        if (!hasRole(Roles.GOVERNANCE, account)) return;
        if (_activeGovernors == 1) revert MemberLastGovernance(account);
        --_activeGovernors;
    }

    function _roles() private pure returns (bytes32[_ROLE_COUNT] memory) {
        return [
            Roles.GOVERNANCE,
            Roles.REGULATOR,
            Roles.HOLDER,
            Roles.PROCESSOR,
            Roles.OPERATOR,
            Roles.CERTIFIER,
            Roles.ARBITER
        ];
    }
}

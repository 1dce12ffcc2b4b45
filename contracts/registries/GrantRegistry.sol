// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {ISubjectRegistry} from "../interfaces/ISubjectRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {Regions} from "../libraries/Regions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {RightType, SubjectKind, SubjectState, Scope, Invalidity, ScopeField, Grade} from "../libraries/DataTypes.sol";

/// @title GrantRegistry
/// @notice Grants of the processing-use (加工使用权) and product-operation (经营权) rights over registered
/// subjects, and sub-grants that never exceed their parent. A grant is valid only while it and every ancestor
/// are unrevoked, unexpired and unfrozen, every party is an active member, and the subject is active, unfrozen
/// and not under objection; {grantValidity} walks at most MAX_DEPTH + 1 grants, so the answer has bounded gas.
contract GrantRegistry is MemberGated, Traceable, IGrantRegistry {
    /// @dev Bounding boxes, in purpose and time, of the live shared and exclusive grants of one right over one
    /// subject under one parent. A box only grows until everything in it has expired; a revoked grant stays in
    /// its box until then. This over-approximates, so it may refuse an exclusive grant that would not overlap
    /// any remaining grant, but it never lets two overlapping grants through when either is exclusive.
    struct Box {
        uint32 sharedMask;
        uint40 sharedFrom;
        uint40 sharedUntil;
        uint32 exclMask;
        uint40 exclFrom;
        uint40 exclUntil;
    }

    /// @notice Largest sub-grant depth a grant may carry; a grant chain is at most MAX_DEPTH + 1 long.
    uint8 public constant MAX_DEPTH = 8;

    mapping(uint64 grantId => Grant) private _grants;
    mapping(bytes32 boxKey => Box) private _boxes;
    mapping(SubjectKind kind => ISubjectRegistry) private _registries;
    uint64 private _count;

    /// @param members_ the member registry.
    /// @param resources the resource registry, which answers for resource subjects.
    constructor(IMemberRegistry members_, ISubjectRegistry resources) MemberGated(members_) {
        if (address(resources) == address(0)) revert GrantZeroRegistry();
        _registries[SubjectKind.Resource] = resources;
    }

    // ==== WRITES ====

    /// @inheritdoc IGrantRegistry
    function grant(
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        address grantee,
        Scope calldata scope,
        bytes32 termsHash,
        uint64 parentId
    ) external returns (uint64 grantId) {
        bytes32 role = _roleFor(rightType, subjectKind);
        _checkInput(grantee, scope, termsHash);
        if (parentId == 0) {
            _members.checkActiveRole(msg.sender, _holderRole(subjectKind));
            _checkRoot(subjectKind, subjectId);
        } else {
            _members.checkActiveRole(msg.sender, role);
            _checkSub(rightType, subjectKind, subjectId, scope, parentId);
        }
        if (grantee == msg.sender) revert GrantSelfGrant(grantee);
        if (!_members.hasActiveRole(grantee, role)) revert GrantGranteeNotEligible(grantee, role);
        _claimExclusivity(rightType, subjectKind, subjectId, parentId, scope);

        grantId = ++_count;
        _grants[grantId] = Grant({
            grantee: grantee,
            validFrom: scope.validFrom,
            validUntil: scope.validUntil,
            rightType: rightType,
            depth: scope.depth,
            grantor: msg.sender,
            parentId: parentId,
            subjectKind: subjectKind,
            revoked: false,
            frozen: false,
            exclusive: scope.exclusive,
            maySubGrant: scope.maySubGrant,
            subjectId: subjectId,
            purposes: scope.purposes,
            region: scope.region,
            cap: scope.cap
        });
        emit GrantIssued(grantId, parentId, grantee, msg.sender, rightType, subjectKind, subjectId, scope, termsHash);
        bytes32 payloadHash =
            keccak256(abi.encode(grantId, parentId, grantee, msg.sender, rightType, subjectKind, subjectId, scope, termsHash));
        _trace(_key(grantId), Actions.GRANT_ISSUED, payloadHash);
        // A root grant joins its subject's trace, a sub-grant its parent's: every circulation of a subject is
        // reachable from the subject's own trace.
        _trace(parentId == 0 ? SubjectKeys.key(subjectKind, subjectId) : _key(parentId), Actions.GRANT_ISSUED, payloadHash);
    }

    /// @inheritdoc IGrantRegistry
    function revoke(uint64 grantId, bytes32 reasonHash) external {
        Grant storage g = _existing(grantId);
        if (msg.sender == g.grantor) {
            _members.checkActive(msg.sender);
        } else {
            if (!_members.hasActiveRole(msg.sender, Roles.REGULATOR)) revert GrantNotRevoker(grantId, msg.sender);
            if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        }
        if (g.revoked) revert GrantAlreadyRevoked(grantId);
        g.revoked = true;
        emit GrantRevoked(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_REVOKED, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function freeze(uint64 grantId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Grant storage g = _existing(grantId);
        if (g.frozen) revert GrantFreezeUnchanged(grantId, true);
        if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        g.frozen = true;
        emit GrantFrozen(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_FROZEN, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function unfreeze(uint64 grantId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Grant storage g = _existing(grantId);
        if (!g.frozen) revert GrantFreezeUnchanged(grantId, false);
        if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        g.frozen = false;
        emit GrantUnfrozen(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_UNFROZEN, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function setSubjectRegistry(SubjectKind subjectKind, address registry) external onlyMemberWith(Roles.GOVERNANCE) {
        if (subjectKind != SubjectKind.Resource && subjectKind != SubjectKind.Product) {
            revert GrantSubjectKindUnsupported(subjectKind);
        }
        if (registry == address(0)) revert GrantZeroRegistry();
        _registries[subjectKind] = ISubjectRegistry(registry);
        emit SubjectRegistrySet(subjectKind, registry, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(subjectKind, registry, msg.sender)));
    }

    // ==== VIEWS ====

    /// @inheritdoc IGrantRegistry
    function isGrantValid(uint64 grantId) external view returns (bool) {
        (Invalidity reason,) = _validity(grantId);
        return reason == Invalidity.None;
    }

    /// @inheritdoc IGrantRegistry
    function grantValidity(uint64 grantId) external view returns (Invalidity reason, uint64 atGrant) {
        return _validity(grantId);
    }

    /// @inheritdoc IGrantRegistry
    function checkGrantValid(uint64 grantId) external view {
        (Invalidity reason, uint64 atGrant) = _validity(grantId);
        if (reason != Invalidity.None) revert GrantNotValid(grantId, reason, atGrant);
    }

    /// @inheritdoc IGrantRegistry
    function getGrant(uint64 grantId) external view returns (Grant memory) {
        return _existing(grantId);
    }

    /// @inheritdoc IGrantRegistry
    function grantCount() external view returns (uint64) {
        return _count;
    }

    /// @notice The registry answering for subjects of `subjectKind` (zero when none).
    function subjectRegistry(SubjectKind subjectKind) external view returns (ISubjectRegistry) {
        return _registries[subjectKind];
    }

    // ==== INTERNAL ====

    /// @dev Walks from `grantId` to its root. Depth strictly decreases down a chain and a root's depth is at most
    /// MAX_DEPTH, so the loop ends within MAX_DEPTH + 1 steps.
    function _validity(uint64 grantId) private view returns (Invalidity, uint64) {
        uint64 id = grantId;
        for (uint256 i = 0; i <= MAX_DEPTH; ++i) {
            Grant storage g = _grants[id];
            address grantee = g.grantee;
            if (grantee == address(0)) return (Invalidity.Unknown, id);
            if (g.revoked) return (Invalidity.Revoked, id);
            if (g.frozen) return (Invalidity.Frozen, id);
            if (block.timestamp < g.validFrom) return (Invalidity.NotYetValid, id);
            if (block.timestamp >= g.validUntil) return (Invalidity.Expired, id);
            if (!_members.isActive(grantee)) return (Invalidity.GranteeInactive, id);
            uint64 parentId = g.parentId;
            if (parentId != 0) {
                // A sub-grant's grantor is its parent's grantee, checked on the next step.
                id = parentId;
                continue;
            }
            if (!_members.isActive(g.grantor)) return (Invalidity.GrantorInactive, id);
            SubjectState memory s = _registries[g.subjectKind].subjectState(g.subjectId);
            if (s.cancelled) return (Invalidity.SubjectCancelled, id);
            if (s.frozen) return (Invalidity.SubjectFrozen, id);
            if (s.underObjection) return (Invalidity.SubjectUnderObjection, id);
            if (s.grade == Grade.Core) return (Invalidity.SubjectNotCirculable, id);
            return (Invalidity.None, 0);
        }
        return (Invalidity.Unknown, id);
    }

    function _checkInput(address grantee, Scope calldata scope, bytes32 termsHash) private view {
        if (grantee == address(0)) revert GrantZeroGrantee();
        if (termsHash == bytes32(0)) revert GrantEmptyHash();
        if (scope.purposes == 0) revert GrantEmptyPurposes();
        if (scope.validFrom >= scope.validUntil || scope.validUntil <= block.timestamp) {
            revert GrantInvalidWindow(scope.validFrom, scope.validUntil);
        }
        if (scope.depth > MAX_DEPTH) revert GrantDepthOverflow(scope.depth, MAX_DEPTH);
    }

    function _checkRoot(SubjectKind subjectKind, uint64 subjectId) private view {
        ISubjectRegistry registry = _registries[subjectKind];
        if (address(registry) == address(0)) revert GrantSubjectKindUnsupported(subjectKind);
        SubjectState memory s = registry.subjectState(subjectId);
        if (!s.exists) revert GrantSubjectUnknown(subjectKind, subjectId);
        if (s.grade == Grade.Core) revert GrantSubjectCoreGrade(subjectKind, subjectId);
        if (s.cancelled) revert GrantSubjectCancelled(subjectKind, subjectId);
        if (s.frozen) revert GrantSubjectFrozen(subjectKind, subjectId);
        if (s.underObjection) revert GrantSubjectUnderObjection(subjectKind, subjectId);
        if (s.holder != msg.sender) revert GrantNotHolder(subjectKind, subjectId, msg.sender);
    }

    function _checkSub(RightType rightType, SubjectKind subjectKind, uint64 subjectId, Scope calldata scope, uint64 parentId)
        private
        view
    {
        Grant storage p = _existing(parentId);
        if (p.grantee != msg.sender) revert GrantNotParentGrantee(parentId, msg.sender);
        if (p.rightType != rightType || p.subjectKind != subjectKind || p.subjectId != subjectId) {
            revert GrantParentMismatch(parentId);
        }
        if (!p.maySubGrant || p.depth == 0) revert GrantParentNoSubGrant(parentId);
        (Invalidity reason, uint64 atGrant) = _validity(parentId);
        if (reason != Invalidity.None) revert GrantParentNotValid(parentId, reason, atGrant);
        if (scope.purposes & ~p.purposes != 0) revert GrantScopeExceedsParent(parentId, ScopeField.Purposes);
        if (!Regions.contains(p.region, scope.region)) revert GrantScopeExceedsParent(parentId, ScopeField.Region);
        if (scope.validFrom < p.validFrom || scope.validUntil > p.validUntil) {
            revert GrantScopeExceedsParent(parentId, ScopeField.Window);
        }
        if (scope.depth >= p.depth) revert GrantScopeExceedsParent(parentId, ScopeField.Depth);
        if (p.cap != 0 && (scope.cap == 0 || scope.cap > p.cap)) revert GrantScopeExceedsParent(parentId, ScopeField.Cap);
        if (scope.exclusive && !p.exclusive) revert GrantScopeExceedsParent(parentId, ScopeField.Exclusive);
    }

    /// @dev Refuses a grant that would overlap an exclusive one, or an exclusive grant that would overlap any
    /// other, then records the new grant in its box. Boxes whose grants have all expired are emptied first.
    function _claimExclusivity(
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        uint64 parentId,
        Scope calldata scope
    ) private {
        bytes32 boxKey = keccak256(abi.encode(subjectKind, subjectId, rightType, parentId));
        Box memory b = _boxes[boxKey];
        uint40 nowTs = uint40(block.timestamp);
        if (b.exclUntil <= nowTs) (b.exclMask, b.exclFrom, b.exclUntil) = (0, 0, 0);
        if (b.sharedUntil <= nowTs) (b.sharedMask, b.sharedFrom, b.sharedUntil) = (0, 0, 0);
        bool clash = _overlaps(scope, b.exclMask, b.exclFrom, b.exclUntil);
        if (scope.exclusive) clash = clash || _overlaps(scope, b.sharedMask, b.sharedFrom, b.sharedUntil);
        if (clash) revert GrantExclusivityConflict(subjectKind, subjectId, rightType, parentId);
        if (scope.exclusive) {
            (b.exclMask, b.exclFrom, b.exclUntil) = _extend(scope, b.exclMask, b.exclFrom, b.exclUntil);
        } else {
            (b.sharedMask, b.sharedFrom, b.sharedUntil) = _extend(scope, b.sharedMask, b.sharedFrom, b.sharedUntil);
        }
        _boxes[boxKey] = b;
    }

    function _overlaps(Scope calldata scope, uint32 mask, uint40 from, uint40 until) private pure returns (bool) {
        return (scope.purposes & mask) != 0 && scope.validFrom < until && from < scope.validUntil;
    }

    function _extend(Scope calldata scope, uint32 mask, uint40 from, uint40 until)
        private
        pure
        returns (uint32, uint40, uint40)
    {
        if (mask == 0) return (scope.purposes, scope.validFrom, scope.validUntil);
        return (
            mask | scope.purposes,
            scope.validFrom < from ? scope.validFrom : from,
            scope.validUntil > until ? scope.validUntil : until
        );
    }

    /// @dev The role a grantee needs for `rightType`; also refuses rights that do not fit the subject kind.
    function _roleFor(RightType rightType, SubjectKind subjectKind) private pure returns (bytes32) {
        if (rightType == RightType.ProcessingUse && (subjectKind == SubjectKind.Resource || subjectKind == SubjectKind.Product)) {
            return Roles.PROCESSOR;
        }
        if (rightType == RightType.ProductOperation && subjectKind == SubjectKind.Product) return Roles.OPERATOR;
        revert GrantRightNotGrantable(rightType, subjectKind);
    }

    /// @dev The role of whoever holds a subject of `subjectKind`: resources are held by holders, products by the
    /// processors who registered them.
    function _holderRole(SubjectKind subjectKind) private pure returns (bytes32) {
        return subjectKind == SubjectKind.Resource ? Roles.HOLDER : Roles.PROCESSOR;
    }

    function _existing(uint64 grantId) private view returns (Grant storage g) {
        g = _grants[grantId];
        if (g.grantee == address(0)) revert GrantUnknown(grantId);
    }

    function _key(uint64 grantId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Grant, grantId);
    }
}

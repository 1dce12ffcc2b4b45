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
import {Exclusivity, ExclusivityConflict} from "../libraries/Exclusivity.sol";
import {IOperationRegistry} from "../interfaces/IOperationRegistry.sol";
import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";
import {RightType, SubjectKind, SubjectState, Scope, Invalidity, ScopeField, Grade, Category} from "../libraries/DataTypes.sol";

/// @title GrantRegistry
/// @notice Grants of the processing-use (加工使用权) and product-operation (经营权) rights over registered
/// subjects, and sub-grants that never exceed their parent. A grant is valid only while it and every ancestor
/// are unrevoked, unexpired and unfrozen, every party is an active member, and the subject is active, unfrozen
/// and not under objection; {grantValidity} walks at most MAX_DEPTH + 1 grants, so the answer has bounded gas.
/// @dev Storage keeps what the rules read, and the GrantIssued event carries the rest: two slots per grant
/// ({Core}), plus one ({SubScope}) for grants that may be sub-granted, whose scope bounds their children.
contract GrantRegistry is MemberGated, Traceable, IGrantRegistry {
    using Exclusivity for Exclusivity.Box;

    /// @dev What validity and authorization read. `link` is the parent grant's id for a sub-grant and the
    /// subject's id for a root grant (flag `_HAS_PARENT` tells which).
    struct Core {
        address grantee;
        uint40 validFrom;
        uint40 validUntil;
        uint8 depth;
        uint8 flags;
        address grantor;
        uint64 link;
        SubjectKind subjectKind;
        RightType rightType;
    }

    /// @dev The scope a sub-grant is checked against; stored only for sub-grantable grants.
    struct SubScope {
        uint64 subjectId;
        uint32 purposes;
        uint32 region;
        uint64 cap;
    }

    uint8 private constant _REVOKED = 1;
    uint8 private constant _FROZEN = 2;
    uint8 private constant _EXCLUSIVE = 4;
    uint8 private constant _SUBGRANTABLE = 8;
    uint8 private constant _HAS_PARENT = 16;
    uint8 private constant _CONDITIONED = 32;

    /// @dev The conditions a root grant rests on (written only for grants over public or personal data): the
    /// grantee's operation authorization, and the consent that must keep covering `purposes`.
    struct Conditions {
        uint64 authorizationId;
        uint64 consentId;
        uint32 purposes;
    }

    /// @notice Largest sub-grant depth a grant may carry; a grant chain is at most MAX_DEPTH + 1 long.
    uint8 public constant MAX_DEPTH = 8;

    mapping(uint64 grantId => Core) private _grants;
    mapping(uint64 grantId => SubScope) private _scopes;
    // Exclusivity among the sub-grants of one parent; root grants are the subject registry's.
    mapping(uint64 parentId => Exclusivity.Box) private _boxes;
    mapping(SubjectKind kind => ISubjectRegistry) private _registries;
    mapping(uint64 grantId => Conditions) private _conditions;
    uint64 private _count;
    IOperationRegistry private _operations;
    IConsentRegistry private _consents;
    // The market, the one contract that issues grants on a seller's behalf (a trade's licence to the buyer).
    address private _market;
    // Fixed at deployment: saves a storage read on every resource grant and validity walk.
    ISubjectRegistry private immutable _resources;

    /// @param members_ the member registry.
    /// @param resources the resource registry, which answers for resource subjects.
    constructor(IMemberRegistry members_, ISubjectRegistry resources) MemberGated(members_) {
        if (address(resources) == address(0)) revert GrantZeroRegistry();
        _resources = resources;
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
        _members.checkActiveRole(msg.sender, parentId == 0 ? _holderRole(subjectKind) : role);
        _checkInput(grantee, scope, termsHash);
        if (grantee == msg.sender) revert GrantSelfGrant(grantee);
        if (!_members.hasActiveRole(grantee, role)) revert GrantGranteeNotEligible(grantee, role);

        grantId = _count + 1;
        Conditions memory c;
        if (parentId == 0) {
            ISubjectRegistry registry = _registryOf(subjectKind);
            if (address(registry) == address(0)) revert GrantSubjectKindUnsupported(subjectKind);
            // Subject rules and root exclusivity live with the subject; the category decides the conditions.
            Category category = registry.admitRootGrant(subjectId, msg.sender, rightType, scope);
            c = _conditionsFor(category, rightType, grantee, subjectId, scope.purposes);
        } else {
            // Under a shared parent every sub-grant is shared (an exclusive one would exceed it), so nothing can
            // conflict and only an exclusive parent keeps an exclusivity box for its children.
            if (_checkSub(rightType, subjectKind, subjectId, scope, parentId)) {
                if (!_boxes[parentId].claim(scope.purposes, scope.validFrom, scope.validUntil, scope.exclusive)) {
                    revert ExclusivityConflict(subjectKind, subjectId, rightType, parentId);
                }
            }
        }
        _count = grantId;
        _store(grantId, msg.sender, rightType, subjectKind, subjectId, grantee, scope, parentId, c);
        _emitIssued(grantId, msg.sender, msg.sender, parentId, grantee, rightType, subjectKind, subjectId, scope, termsHash, c);
    }

    /// @inheritdoc IGrantRegistry
    function grantOnSale(uint64 productId, address seller, address buyer, Scope calldata scope, bytes32 termsHash)
        external
        returns (uint64 grantId)
    {
        if (msg.sender != _market || _market == address(0)) revert GrantCallerNotMarket(msg.sender);
        _checkInput(buyer, scope, termsHash);
        if (buyer == seller) revert GrantSelfGrant(buyer);
        if (!_members.hasActiveRole(buyer, Roles.PROCESSOR)) revert GrantGranteeNotEligible(buyer, Roles.PROCESSOR);
        // A licence bought on the market is a shared leaf: it claims no exclusivity and passes nothing on.
        if (scope.exclusive || scope.maySubGrant) revert GrantSaleScopeNotLeaf();
        grantId = _count + 1;
        _count = grantId;
        Conditions memory none;
        _store(grantId, seller, RightType.ProcessingUse, SubjectKind.Product, productId, buyer, scope, 0, none);
        // The buyer made this write (through the market): it is the trace entries' actor; the seller is the grantor.
        _emitIssued(grantId, seller, buyer, 0, buyer, RightType.ProcessingUse, SubjectKind.Product, productId, scope, termsHash, none);
    }

    /// @inheritdoc IGrantRegistry
    function setMarket(address market_) external onlyMemberWith(Roles.GOVERNANCE) {
        if (market_ == address(0)) revert GrantZeroRegistry();
        if (_market != address(0)) revert GrantMarketAlreadySet();
        _market = market_;
        emit MarketSet(market_, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(market_, msg.sender)));
    }

    /// @inheritdoc IGrantRegistry
    function market() external view returns (address) {
        return _market;
    }

    /// @inheritdoc IGrantRegistry
    function revoke(uint64 grantId, bytes32 reasonHash) external {
        // An inactive caller is refused as by every other write, whoever it is.
        _members.checkActive(msg.sender);
        Core storage g = _existing(grantId);
        if (msg.sender != g.grantor) {
            if (!_members.hasActiveRole(msg.sender, Roles.REGULATOR)) revert GrantNotRevoker(grantId, msg.sender);
            if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        }
        if (g.flags & _REVOKED != 0) revert GrantAlreadyRevoked(grantId);
        g.flags |= _REVOKED;
        emit GrantRevoked(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_REVOKED, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function freeze(uint64 grantId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Core storage g = _existing(grantId);
        if (g.flags & _FROZEN != 0) revert GrantFreezeUnchanged(grantId, true);
        if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        g.flags |= _FROZEN;
        emit GrantFrozen(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_FROZEN, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function unfreeze(uint64 grantId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Core storage g = _existing(grantId);
        if (g.flags & _FROZEN == 0) revert GrantFreezeUnchanged(grantId, false);
        if (reasonHash == bytes32(0)) revert GrantEmptyHash();
        g.flags &= ~_FROZEN;
        emit GrantUnfrozen(grantId, msg.sender, reasonHash);
        _trace(_key(grantId), Actions.GRANT_UNFROZEN, keccak256(abi.encode(grantId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IGrantRegistry
    function setConditionRegistries(address operations, address consents) external onlyMemberWith(Roles.GOVERNANCE) {
        if (operations == address(0) || consents == address(0)) revert GrantZeroRegistry();
        if (address(_operations) != address(0)) revert GrantConditionsAlreadySet();
        _operations = IOperationRegistry(operations);
        _consents = IConsentRegistry(consents);
        emit ConditionRegistriesSet(operations, consents, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(operations, consents, msg.sender)));
    }

    /// @inheritdoc IGrantRegistry
    function conditionsOf(uint64 grantId) external view returns (uint64 authorizationId, uint64 consentId, uint32 purposes) {
        Conditions storage c = _conditions[grantId];
        return (c.authorizationId, c.consentId, c.purposes);
    }

    /// @inheritdoc IGrantRegistry
    function setSubjectRegistry(SubjectKind subjectKind, address registry) external onlyMemberWith(Roles.GOVERNANCE) {
        // The resource registry is fixed at deployment; later subject kinds are wired here.
        if (subjectKind != SubjectKind.Product) revert GrantSubjectKindUnsupported(subjectKind);
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
    function checkHeldGrant(uint64 grantId, address holder, RightType rightType, SubjectKind subjectKind, uint64 subjectId)
        external
        view
    {
        Core storage g = _existing(grantId);
        // A sub-grant's subject is named by its (always sub-grantable) parent's stored scope.
        uint64 sid = g.flags & _HAS_PARENT != 0 ? _scopes[g.link].subjectId : g.link;
        if (g.grantee != holder || g.rightType != rightType || g.subjectKind != subjectKind || sid != subjectId) {
            revert GrantNotHeld(grantId, holder);
        }
        (Invalidity reason, uint64 atGrant) = _validity(grantId);
        if (reason != Invalidity.None) revert GrantNotValid(grantId, reason, atGrant);
    }

    /// @inheritdoc IGrantRegistry
    function getGrant(uint64 grantId) external view returns (Grant memory out) {
        Core storage g = _existing(grantId);
        uint8 flags = g.flags;
        bool hasParent = flags & _HAS_PARENT != 0;
        SubScope storage s = _scopes[grantId];
        out.grantee = g.grantee;
        out.validFrom = g.validFrom;
        out.validUntil = g.validUntil;
        out.rightType = g.rightType;
        out.depth = g.depth;
        out.grantor = g.grantor;
        out.parentId = hasParent ? g.link : 0;
        out.subjectKind = g.subjectKind;
        out.revoked = flags & _REVOKED != 0;
        out.frozen = flags & _FROZEN != 0;
        out.exclusive = flags & _EXCLUSIVE != 0;
        out.maySubGrant = flags & _SUBGRANTABLE != 0;
        // A parent is always sub-grantable, so its stored scope names the subject.
        out.subjectId = hasParent ? _scopes[g.link].subjectId : g.link;
        out.purposes = s.purposes;
        out.region = s.region;
        out.cap = s.cap;
    }

    /// @inheritdoc IGrantRegistry
    function grantCount() external view returns (uint64) {
        return _count;
    }

    /// @notice The registry answering for subjects of `subjectKind` (zero when none).
    function subjectRegistry(SubjectKind subjectKind) external view returns (ISubjectRegistry) {
        return _registryOf(subjectKind);
    }

    // ==== INTERNAL ====

    function _store(
        uint64 grantId,
        address grantor,
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        address grantee,
        Scope calldata scope,
        uint64 parentId,
        Conditions memory c
    ) private {
        bool subGrantable = scope.maySubGrant && scope.depth > 0;
        bool conditioned = c.authorizationId != 0 || c.consentId != 0;
        uint8 flags = (scope.exclusive ? _EXCLUSIVE : 0) | (subGrantable ? _SUBGRANTABLE : 0)
            | (parentId != 0 ? _HAS_PARENT : 0) | (conditioned ? _CONDITIONED : 0);
        if (conditioned) _conditions[grantId] = c;
        _grants[grantId] = Core({
            grantee: grantee,
            validFrom: scope.validFrom,
            validUntil: scope.validUntil,
            depth: scope.depth,
            flags: flags,
            grantor: grantor,
            link: parentId != 0 ? parentId : subjectId,
            subjectKind: subjectKind,
            rightType: rightType
        });
        if (subGrantable) {
            _scopes[grantId] =
                SubScope({subjectId: subjectId, purposes: scope.purposes, region: scope.region, cap: scope.cap});
        }
    }

    /// @dev The GrantIssued event and the trace entries of a new grant: the grant's own, and its subject's (by the
    /// subject registry, for a root grant) or its parent's.
    function _emitIssued(
        uint64 grantId,
        address grantor,
        address actor,
        uint64 parentId,
        address grantee,
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        Scope calldata scope,
        bytes32 termsHash,
        Conditions memory c
    ) private {
        emit GrantIssued(grantId, parentId, grantee, grantor, rightType, subjectKind, subjectId, scope, termsHash, c.authorizationId, c.consentId);
        bytes32 payloadHash = keccak256(
            abi.encode(grantId, parentId, grantee, grantor, rightType, subjectKind, subjectId, scope, termsHash, c.authorizationId, c.consentId)
        );
        if (parentId == 0) _registryOf(subjectKind).recordRootGrant(subjectId, actor, payloadHash);
        _traceAs(actor, _key(grantId), Actions.GRANT_ISSUED, payloadHash);
        if (parentId != 0) _trace(_key(parentId), Actions.GRANT_ISSUED, payloadHash);
    }

    /// @dev The conditions a root grant needs for its subject's category: a processing-use grant on public data
    /// goes only to an operator whose authorization covers the resource; a grant on personal data needs the
    /// resource's current consent to cover its purposes.
    function _conditionsFor(Category category, RightType rightType, address grantee, uint64 subjectId, uint32 purposes)
        private
        view
        returns (Conditions memory c)
    {
        if (category == Category.Public && rightType == RightType.ProcessingUse) {
            if (address(_operations) == address(0)) revert GrantConditionsNotWired();
            uint64 authId = _operations.authorizationFor(grantee, subjectId);
            if (authId == 0) revert GrantNeedsOperationAuthorization(grantee, subjectId);
            if (!_operations.isAuthorizationValid(authId)) revert GrantOperationAuthorizationInvalid(authId);
            c.authorizationId = authId;
        } else if (category == Category.Personal) {
            if (address(_consents) == address(0)) revert GrantConditionsNotWired();
            uint64 consentId = _consents.currentConsent(subjectId);
            if (consentId == 0) revert GrantNeedsConsent(subjectId);
            if (!_consents.covers(consentId, purposes)) revert GrantConsentDoesNotCover(consentId, purposes);
            c.consentId = consentId;
            c.purposes = purposes;
        }
    }

    /// @dev Walks from `grantId` to its root. Depth strictly decreases down a chain and a root's depth is at most
    /// MAX_DEPTH, so the loop ends within MAX_DEPTH + 1 steps.
    function _validity(uint64 grantId) private view returns (Invalidity, uint64) {
        uint64 id = grantId;
        for (uint256 i = 0; i <= MAX_DEPTH; ++i) {
            Core storage g = _grants[id];
            address grantee = g.grantee;
            if (grantee == address(0)) return (Invalidity.Unknown, id);
            uint8 flags = g.flags;
            if (flags & _REVOKED != 0) return (Invalidity.Revoked, id);
            if (flags & _FROZEN != 0) return (Invalidity.Frozen, id);
            if (block.timestamp < g.validFrom) return (Invalidity.NotYetValid, id);
            if (block.timestamp >= g.validUntil) return (Invalidity.Expired, id);
            if (!_members.isActive(grantee)) return (Invalidity.GranteeInactive, id);
            if (flags & _HAS_PARENT != 0) {
                // A sub-grant's grantor is its parent's grantee, checked on the next step.
                id = g.link;
                continue;
            }
            if (!_members.isActive(g.grantor)) return (Invalidity.GrantorInactive, id);
            SubjectState memory s = _registryOf(g.subjectKind).subjectState(g.link);
            if (s.cancelled) return (Invalidity.SubjectCancelled, id);
            if (s.frozen) return (Invalidity.SubjectFrozen, id);
            if (s.underObjection) return (Invalidity.SubjectUnderObjection, id);
            if (s.grade == Grade.Core) return (Invalidity.SubjectNotCirculable, id);
            if (flags & _CONDITIONED != 0) {
                Conditions storage c = _conditions[id];
                if (c.authorizationId != 0 && !_operations.isAuthorizationValid(c.authorizationId)) {
                    return (Invalidity.AuthorizationEnded, id);
                }
                if (c.consentId != 0 && !_consents.covers(c.consentId, c.purposes)) return (Invalidity.ConsentWithdrawn, id);
            }
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

    /// @dev Checks a sub-grant against its parent; returns whether the parent is exclusive.
    function _checkSub(RightType rightType, SubjectKind subjectKind, uint64 subjectId, Scope calldata scope, uint64 parentId)
        private
        view
        returns (bool parentExclusive)
    {
        Core storage p = _existing(parentId);
        if (p.grantee != msg.sender) revert GrantNotParentGrantee(parentId, msg.sender);
        uint8 flags = p.flags;
        if (flags & _SUBGRANTABLE == 0) revert GrantParentNoSubGrant(parentId);
        SubScope storage ps = _scopes[parentId];
        if (p.rightType != rightType || p.subjectKind != subjectKind || ps.subjectId != subjectId) {
            revert GrantParentMismatch(parentId);
        }
        (Invalidity reason, uint64 atGrant) = _validity(parentId);
        if (reason != Invalidity.None) revert GrantParentNotValid(parentId, reason, atGrant);
        if (scope.purposes & ~ps.purposes != 0) revert GrantScopeExceedsParent(parentId, ScopeField.Purposes);
        if (!Regions.contains(ps.region, scope.region)) revert GrantScopeExceedsParent(parentId, ScopeField.Region);
        if (scope.validFrom < p.validFrom || scope.validUntil > p.validUntil) {
            revert GrantScopeExceedsParent(parentId, ScopeField.Window);
        }
        if (scope.depth >= p.depth) revert GrantScopeExceedsParent(parentId, ScopeField.Depth);
        uint64 cap = ps.cap;
        if (cap != 0 && (scope.cap == 0 || scope.cap > cap)) revert GrantScopeExceedsParent(parentId, ScopeField.Cap);
        parentExclusive = flags & _EXCLUSIVE != 0;
        if (scope.exclusive && !parentExclusive) revert GrantScopeExceedsParent(parentId, ScopeField.Exclusive);
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

    function _registryOf(SubjectKind subjectKind) private view returns (ISubjectRegistry) {
        return subjectKind == SubjectKind.Resource ? _resources : _registries[subjectKind];
    }

    function _existing(uint64 grantId) private view returns (Core storage g) {
        g = _grants[grantId];
        if (g.grantee == address(0)) revert GrantUnknown(grantId);
    }

    function _key(uint64 grantId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Grant, grantId);
    }
}

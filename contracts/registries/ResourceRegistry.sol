// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {ISubjectRegistry} from "../interfaces/ISubjectRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {Exclusivity, ExclusivityConflict} from "../libraries/Exclusivity.sol";
import {
    ResourceKind,
    Category,
    Grade,
    Domain,
    OpenClass,
    ResourceStatus,
    SubjectKind,
    SubjectState,
    RightType,
    Scope
} from "../libraries/DataTypes.sol";

/// @title ResourceRegistry
/// @notice Data resources (数据资源): initial registration, holding-right transfer, catalogue changes,
/// cancellation, objections during a public-notice window, and regulator freezes. One storage slot per
/// resource holds all that the rules need; catalogue hashes and URIs are carried by events.
contract ResourceRegistry is MemberGated, Traceable, IResourceRegistry {
    using Exclusivity for Exclusivity.Box;

    struct Counters {
        uint16 openObjections;
        uint32 objections;
        uint32 version;
    }

    /// @notice Longest catalogue URI accepted, in bytes.
    uint256 public constant MAX_URI_LENGTH = 512;
    /// @notice Longest public-notice window governance may set.
    uint40 public constant MAX_OBJECTION_WINDOW = 365 days;

    mapping(uint64 resourceId => Resource) private _resources;
    mapping(uint64 resourceId => Counters) private _counters;
    mapping(uint64 resourceId => mapping(uint32 objectionId => bool open)) private _openObjections;
    // Exclusivity of the root processing-use grants on each resource.
    mapping(uint64 resourceId => Exclusivity.Box) private _boxes;
    uint64 private _count;
    uint40 private _objectionWindow;
    address private _grantRegistry;

    /// @param members_ the member registry.
    /// @param objectionWindow_ the initial public-notice window in seconds.
    constructor(IMemberRegistry members_, uint40 objectionWindow_) MemberGated(members_) {
        if (objectionWindow_ == 0 || objectionWindow_ > MAX_OBJECTION_WINDOW) {
            revert ResourceInvalidObjectionWindow(objectionWindow_, MAX_OBJECTION_WINDOW);
        }
        _objectionWindow = objectionWindow_;
    }

    // ==== WRITES ====

    /// @inheritdoc IResourceRegistry
    function register(
        ResourceKind kind,
        Category category,
        Grade grade,
        Domain domain,
        OpenClass openClass,
        bytes32 catalogueHash,
        string calldata catalogueUri
    ) external onlyMemberWith(Roles.HOLDER) returns (uint64 resourceId) {
        _checkCatalogue(catalogueHash, catalogueUri);
        if ((category == Category.Public) == (openClass == OpenClass.NotApplicable)) {
            revert ResourceOpenClassMismatch(category, openClass);
        }
        resourceId = ++_count;
        _resources[resourceId] = Resource({
            holder: msg.sender,
            registeredAt: uint40(block.timestamp),
            kind: kind,
            category: category,
            grade: grade,
            domain: domain,
            openClass: openClass,
            status: ResourceStatus.Active,
            frozen: false
        });
        // Registration pays for the exclusivity slot, so that the first grant on the resource only updates it.
        _boxes[resourceId].initialized = true;
        emit ResourceRegistered(resourceId, msg.sender, kind, category, grade, domain, openClass, catalogueHash, catalogueUri);
        _trace(
            _key(resourceId),
            Actions.RESOURCE_REGISTERED,
            keccak256(abi.encode(resourceId, msg.sender, kind, category, grade, domain, openClass, catalogueHash, catalogueUri))
        );
    }

    /// @inheritdoc IResourceRegistry
    function transfer(uint64 resourceId, address to, bytes32 termsHash) external onlyMemberWith(Roles.HOLDER) {
        Resource storage r = _held(resourceId);
        if (r.status == ResourceStatus.UnderObjection) revert ResourceUnderObjection(resourceId, _counters[resourceId].openObjections);
        if (r.frozen) revert ResourceIsFrozen(resourceId);
        if (r.grade == Grade.Core) revert ResourceCoreGrade(resourceId);
        if (termsHash == bytes32(0)) revert ResourceEmptyHash();
        if (to == msg.sender || !_members.hasActiveRole(to, Roles.HOLDER)) revert ResourceInvalidRecipient(resourceId, to);
        r.holder = to;
        emit ResourceTransferred(resourceId, msg.sender, to, termsHash);
        _trace(_key(resourceId), Actions.RESOURCE_TRANSFERRED, keccak256(abi.encode(resourceId, msg.sender, to, termsHash)));
    }

    /// @inheritdoc IResourceRegistry
    /// @dev A ruling overrides what stops a holder's own transfer (freeze, objection, grade): only a cancelled resource
    /// and an ineligible recipient are refused.
    function transferByRuling(uint64 resourceId, address to, bytes32 reasonHash) external onlySevereExecutor {
        Resource storage r = _existing(resourceId);
        if (r.status == ResourceStatus.Cancelled) revert ResourceIsCancelled(resourceId);
        if (reasonHash == bytes32(0)) revert ResourceEmptyHash();
        address from = r.holder;
        if (to == from || !_members.hasActiveRole(to, Roles.HOLDER)) revert ResourceInvalidRecipient(resourceId, to);
        r.holder = to;
        emit ResourceTransferredByRuling(resourceId, from, to, msg.sender, reasonHash);
        _trace(
            _key(resourceId), Actions.RESOURCE_TRANSFERRED_BY_RULING, keccak256(abi.encode(resourceId, from, to, msg.sender, reasonHash))
        );
    }

    /// @inheritdoc IResourceRegistry
    function change(uint64 resourceId, bytes32 catalogueHash, string calldata catalogueUri)
        external
        onlyMemberWith(Roles.HOLDER)
        returns (uint32 version)
    {
        Resource storage r = _held(resourceId);
        if (r.frozen) revert ResourceIsFrozen(resourceId);
        _checkCatalogue(catalogueHash, catalogueUri);
        Counters storage c = _counters[resourceId];
        // The initial registration is version 1 without writing the counter.
        version = (c.version == 0 ? 1 : c.version) + 1;
        c.version = version;
        emit ResourceChanged(resourceId, version, catalogueHash, catalogueUri);
        _trace(_key(resourceId), Actions.RESOURCE_CHANGED, keccak256(abi.encode(resourceId, version, catalogueHash, catalogueUri)));
    }

    /// @inheritdoc IResourceRegistry
    function cancel(uint64 resourceId, bytes32 reasonHash) external onlyMemberWith(Roles.HOLDER) {
        Resource storage r = _held(resourceId);
        if (r.frozen) revert ResourceIsFrozen(resourceId);
        if (reasonHash == bytes32(0)) revert ResourceEmptyHash();
        _cancel(r, resourceId, reasonHash);
    }

    /// @inheritdoc IResourceRegistry
    function object(uint64 resourceId, bytes32 evidenceHash) external onlyActiveMember returns (uint32 objectionId) {
        Resource storage r = _existing(resourceId);
        if (r.status == ResourceStatus.Cancelled) revert ResourceIsCancelled(resourceId);
        if (r.holder == msg.sender) revert ResourceSelfObjection(resourceId);
        uint256 closesAt = uint256(r.registeredAt) + _objectionWindow;
        if (block.timestamp >= closesAt) revert ResourceObjectionWindowClosed(resourceId, closesAt);
        if (evidenceHash == bytes32(0)) revert ResourceEmptyHash();
        Counters storage c = _counters[resourceId];
        objectionId = ++c.objections;
        ++c.openObjections;
        _openObjections[resourceId][objectionId] = true;
        r.status = ResourceStatus.UnderObjection;
        emit ObjectionFiled(resourceId, objectionId, msg.sender, evidenceHash);
        _trace(_key(resourceId), Actions.OBJECTION_FILED, keccak256(abi.encode(resourceId, objectionId, msg.sender, evidenceHash)));
    }

    /// @inheritdoc IResourceRegistry
    function resolveObjection(uint64 resourceId, uint32 objectionId, bool upheld, bytes32 reasonHash)
        external
        onlyMemberWith(Roles.REGULATOR)
    {
        Resource storage r = _existing(resourceId);
        if (!_openObjections[resourceId][objectionId]) revert ResourceObjectionNotOpen(resourceId, objectionId);
        if (reasonHash == bytes32(0)) revert ResourceEmptyHash();
        _openObjections[resourceId][objectionId] = false;
        uint16 open = --_counters[resourceId].openObjections;
        if (open == 0 && r.status == ResourceStatus.UnderObjection) r.status = ResourceStatus.Active;
        emit ObjectionResolved(resourceId, objectionId, msg.sender, upheld, reasonHash);
        _trace(
            _key(resourceId),
            Actions.OBJECTION_RESOLVED,
            keccak256(abi.encode(resourceId, objectionId, msg.sender, upheld, reasonHash))
        );
        if (upheld && r.status != ResourceStatus.Cancelled) _cancel(r, resourceId, reasonHash);
    }

    /// @inheritdoc IResourceRegistry
    function freeze(uint64 resourceId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Resource storage r = _existing(resourceId);
        if (r.frozen) revert ResourceIsFrozen(resourceId);
        if (reasonHash == bytes32(0)) revert ResourceEmptyHash();
        r.frozen = true;
        emit ResourceFrozen(resourceId, msg.sender, reasonHash);
        _trace(_key(resourceId), Actions.RESOURCE_FROZEN, keccak256(abi.encode(resourceId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IResourceRegistry
    function unfreeze(uint64 resourceId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Resource storage r = _existing(resourceId);
        if (!r.frozen) revert ResourceNotFrozen(resourceId);
        if (reasonHash == bytes32(0)) revert ResourceEmptyHash();
        r.frozen = false;
        emit ResourceUnfrozen(resourceId, msg.sender, reasonHash);
        _trace(_key(resourceId), Actions.RESOURCE_UNFROZEN, keccak256(abi.encode(resourceId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IResourceRegistry
    function setObjectionWindow(uint40 window) external onlyMemberWith(Roles.GOVERNANCE) {
        if (window == 0 || window > MAX_OBJECTION_WINDOW) revert ResourceInvalidObjectionWindow(window, MAX_OBJECTION_WINDOW);
        _objectionWindow = window;
        emit ObjectionWindowSet(window, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(window, msg.sender)));
    }

    /// @inheritdoc IResourceRegistry
    function setGrantRegistry(address registry) external onlyMemberWith(Roles.GOVERNANCE) {
        if (registry == address(0)) revert ResourceZeroAddress();
        if (_grantRegistry != address(0)) revert ResourceGrantRegistryAlreadySet(_grantRegistry);
        _grantRegistry = registry;
        emit GrantRegistrySet(registry, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(registry, msg.sender)));
    }

    /// @inheritdoc ISubjectRegistry
    function admitRootGrant(uint64 id, address grantor, RightType rightType, Scope calldata scope)
        external
        returns (Category category)
    {
        if (msg.sender != _grantRegistry) revert ResourceCallerNotGrantRegistry(msg.sender);
        Resource storage r = _existing(id);
        if (r.grade == Grade.Core) revert ResourceCoreGrade(id);
        if (r.status == ResourceStatus.Cancelled) revert ResourceIsCancelled(id);
        if (r.frozen) revert ResourceIsFrozen(id);
        if (r.status == ResourceStatus.UnderObjection) revert ResourceUnderObjection(id, _counters[id].openObjections);
        if (r.holder != grantor) revert ResourceNotHolder(id, grantor);
        if (!_boxes[id].claim(scope.purposes, scope.validFrom, scope.validUntil, scope.exclusive)) {
            revert ExclusivityConflict(SubjectKind.Resource, id, rightType, 0);
        }
        return r.category;
    }

    /// @inheritdoc ISubjectRegistry
    function recordRootGrant(uint64 id, address grantor, bytes32 payloadHash) external {
        if (msg.sender != _grantRegistry) revert ResourceCallerNotGrantRegistry(msg.sender);
        _traceAs(grantor, _key(id), Actions.GRANT_ISSUED, payloadHash);
    }

    // ==== VIEWS ====

    /// @inheritdoc ISubjectRegistry
    function subjectState(uint64 id) external view returns (SubjectState memory) {
        Resource storage r = _resources[id];
        return SubjectState({
            holder: r.holder,
            category: r.category,
            grade: r.grade,
            exists: r.status != ResourceStatus.None,
            cancelled: r.status == ResourceStatus.Cancelled,
            frozen: r.frozen,
            underObjection: r.status == ResourceStatus.UnderObjection
        });
    }

    /// @inheritdoc IResourceRegistry
    function classOf(uint64 resourceId) external view returns (Category category, Grade grade) {
        Resource storage r = _existing(resourceId);
        return (r.category, r.grade);
    }

    /// @inheritdoc IResourceRegistry
    function getResource(uint64 resourceId) external view returns (Resource memory) {
        return _existing(resourceId);
    }

    /// @inheritdoc IResourceRegistry
    function getObjectionState(uint64 resourceId)
        external
        view
        returns (uint16 openObjections, uint32 objections, uint32 version)
    {
        _existing(resourceId);
        Counters storage c = _counters[resourceId];
        return (c.openObjections, c.objections, c.version == 0 ? 1 : c.version);
    }

    /// @inheritdoc IResourceRegistry
    function objectionWindow() external view returns (uint40) {
        return _objectionWindow;
    }

    /// @inheritdoc IResourceRegistry
    function resourceCount() external view returns (uint64) {
        return _count;
    }

    /// @inheritdoc IResourceRegistry
    function grantRegistry() external view returns (address) {
        return _grantRegistry;
    }

    // ==== INTERNAL ====

    function _cancel(Resource storage r, uint64 resourceId, bytes32 reasonHash) private {
        r.status = ResourceStatus.Cancelled;
        emit ResourceCancelled(resourceId, msg.sender, reasonHash);
        _trace(_key(resourceId), Actions.RESOURCE_CANCELLED, keccak256(abi.encode(resourceId, msg.sender, reasonHash)));
    }

    function _existing(uint64 resourceId) private view returns (Resource storage r) {
        r = _resources[resourceId];
        if (r.status == ResourceStatus.None) revert ResourceUnknown(resourceId);
    }

    /// @dev An existing, not cancelled resource whose holder is the caller.
    function _held(uint64 resourceId) private view returns (Resource storage r) {
        r = _existing(resourceId);
        if (r.holder != msg.sender) revert ResourceNotHolder(resourceId, msg.sender);
        if (r.status == ResourceStatus.Cancelled) revert ResourceIsCancelled(resourceId);
    }

    function _checkCatalogue(bytes32 catalogueHash, string calldata catalogueUri) private pure {
        if (catalogueHash == bytes32(0)) revert ResourceEmptyHash();
        uint256 length = bytes(catalogueUri).length;
        if (length == 0 || length > MAX_URI_LENGTH) revert ResourceInvalidUri(length, MAX_URI_LENGTH);
    }

    function _key(uint64 resourceId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Resource, resourceId);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ResourceKind, Category, Grade, Domain, OpenClass, ResourceStatus} from "../libraries/DataTypes.sol";
import {ISubjectRegistry} from "./ISubjectRegistry.sol";

/// @title IResourceRegistry
/// @notice Data resources (数据资源) and the registration actions: initial, transfer, change, cancellation,
/// objection (licences live in the grant registry). The registrant holds the holding right (持有权).
interface IResourceRegistry is ISubjectRegistry {
    /// @notice The stored state of a resource. Catalogue hashes and URIs live in events only.
    struct Resource {
        address holder;
        uint40 registeredAt;
        ResourceKind kind;
        Category category;
        Grade grade;
        Domain domain;
        OpenClass openClass;
        ResourceStatus status;
        bool frozen;
    }

    /// @notice Thrown when `resourceId` was never registered.
    error ResourceUnknown(uint64 resourceId);
    /// @notice Thrown when a catalogue hash, evidence hash or reason hash is zero.
    error ResourceEmptyHash();
    /// @notice Thrown when a catalogue URI is empty or longer than the maximum.
    error ResourceInvalidUri(uint256 length, uint256 max);
    /// @notice Thrown when the open-data class does not fit the category (public data needs one, others none).
    error ResourceOpenClassMismatch(Category category, OpenClass openClass);
    /// @notice Thrown when `account` is not the holder of `resourceId`.
    error ResourceNotHolder(uint64 resourceId, address account);
    /// @notice Thrown when the resource is cancelled.
    error ResourceIsCancelled(uint64 resourceId);
    /// @notice Thrown when the resource is frozen.
    error ResourceIsFrozen(uint64 resourceId);
    /// @notice Thrown when unfreezing a resource that is not frozen.
    error ResourceNotFrozen(uint64 resourceId);
    /// @notice Thrown when the resource has an unresolved objection.
    error ResourceUnderObjection(uint64 resourceId, uint16 openObjections);
    /// @notice Thrown when a core-grade resource would circulate.
    error ResourceCoreGrade(uint64 resourceId);
    /// @notice Thrown when the recipient of a transfer is the zero address, the holder, or not an active holder.
    error ResourceInvalidRecipient(uint64 resourceId, address to);
    /// @notice Thrown when an objection comes after the public-notice window closed at `closedAt`.
    error ResourceObjectionWindowClosed(uint64 resourceId, uint256 closedAt);
    /// @notice Thrown when `objectionId` does not exist on `resourceId` or is already resolved.
    error ResourceObjectionNotOpen(uint64 resourceId, uint32 objectionId);
    /// @notice Thrown when the objection window would be zero or longer than the maximum.
    error ResourceInvalidObjectionWindow(uint256 window, uint256 max);
    /// @notice Thrown when a member objects to its own resource.
    error ResourceSelfObjection(uint64 resourceId);
    /// @notice Thrown when a grant-registry-only function is called by another account.
    error ResourceCallerNotGrantRegistry(address caller);
    /// @notice Thrown when the grant registry is set a second time.
    error ResourceGrantRegistryAlreadySet(address current);
    /// @notice Thrown when an address argument is zero.
    error ResourceZeroAddress();

    /// @notice Emitted on initial registration.
    event ResourceRegistered(
        uint64 indexed resourceId,
        address indexed holder,
        ResourceKind kind,
        Category category,
        Grade grade,
        Domain domain,
        OpenClass openClass,
        bytes32 catalogueHash,
        string catalogueUri
    );
    /// @notice Emitted when the holding right moves.
    event ResourceTransferred(uint64 indexed resourceId, address indexed from, address indexed to, bytes32 termsHash);
    /// @notice Emitted when the holding right moves by a ruling, executed by the severe-action executor `by`.
    event ResourceTransferredByRuling(
        uint64 indexed resourceId, address indexed from, address indexed to, address by, bytes32 reasonHash
    );
    /// @notice Emitted when a new catalogue version is registered; every version is kept in the log.
    event ResourceChanged(uint64 indexed resourceId, uint32 indexed version, bytes32 catalogueHash, string catalogueUri);
    /// @notice Emitted when a resource is cancelled (by its holder, or by an upheld objection).
    event ResourceCancelled(uint64 indexed resourceId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a member objects during the public-notice window.
    event ObjectionFiled(uint64 indexed resourceId, uint32 indexed objectionId, address indexed objector, bytes32 evidenceHash);
    /// @notice Emitted when a regulator resolves an objection.
    event ObjectionResolved(
        uint64 indexed resourceId, uint32 indexed objectionId, address indexed regulator, bool upheld, bytes32 reasonHash
    );
    /// @notice Emitted when a regulator freezes a resource.
    event ResourceFrozen(uint64 indexed resourceId, address indexed regulator, bytes32 reasonHash);
    /// @notice Emitted when a regulator unfreezes a resource.
    event ResourceUnfrozen(uint64 indexed resourceId, address indexed regulator, bytes32 reasonHash);
    /// @notice Emitted when governance sets the public-notice (objection) window.
    event ObjectionWindowSet(uint40 window, address indexed by);
    /// @notice Emitted once, when governance wires the grant registry that may admit root grants.
    event GrantRegistrySet(address indexed registry, address indexed by);

    /// @notice Registers a resource; the caller (a holder) receives its holding right.
    /// @return resourceId the new resource's id.
    function register(
        ResourceKind kind,
        Category category,
        Grade grade,
        Domain domain,
        OpenClass openClass,
        bytes32 catalogueHash,
        string calldata catalogueUri
    ) external returns (uint64 resourceId);

    /// @notice Moves the holding right of `resourceId` to `to`, an active holder. Holder only.
    function transfer(uint64 resourceId, address to, bytes32 termsHash) external;

    /// @notice Moves the holding right of `resourceId` to `to`, an active holder, as a ruling orders. Only the
    /// severe-action executor wired in the member registry (after the approvals governance requires); refused by
    /// everyone while it is not wired.
    function transferByRuling(uint64 resourceId, address to, bytes32 reasonHash) external;

    /// @notice Registers a new catalogue version of `resourceId`. Holder only.
    /// @return version the new version number (the initial registration is version 1).
    function change(uint64 resourceId, bytes32 catalogueHash, string calldata catalogueUri) external returns (uint32 version);

    /// @notice Retires `resourceId`: nothing new is granted on it and its grants stop being valid. Holder only.
    function cancel(uint64 resourceId, bytes32 reasonHash) external;

    /// @notice Objects to `resourceId` during its public-notice window. Any active member but its holder.
    /// @return objectionId the objection's number on this resource.
    function object(uint64 resourceId, bytes32 evidenceHash) external returns (uint32 objectionId);

    /// @notice Resolves an objection: upheld cancels the resource; dismissed lets it circulate again. Regulator.
    function resolveObjection(uint64 resourceId, uint32 objectionId, bool upheld, bytes32 reasonHash) external;

    /// @notice Freezes `resourceId`. Regulator only.
    function freeze(uint64 resourceId, bytes32 reasonHash) external;

    /// @notice Unfreezes `resourceId`. Regulator only.
    function unfreeze(uint64 resourceId, bytes32 reasonHash) external;

    /// @notice Sets the public-notice window after registration during which objections are accepted. Governance.
    function setObjectionWindow(uint40 window) external;

    /// @notice Wires the grant registry, once. Governance only.
    function setGrantRegistry(address registry) external;

    /// @notice The grant registry allowed to admit root grants (zero until wired).
    function grantRegistry() external view returns (address);

    /// @notice The category and grade of `resourceId` (what a product learns of an input), reverting when unknown.
    function classOf(uint64 resourceId) external view returns (Category category, Grade grade);

    /// @notice The stored state of `resourceId`.
    function getResource(uint64 resourceId) external view returns (Resource memory);

    /// @notice The number of open objections on `resourceId` and its current catalogue version.
    function getObjectionState(uint64 resourceId) external view returns (uint16 openObjections, uint32 objections, uint32 version);

    /// @notice The public-notice window in seconds.
    function objectionWindow() external view returns (uint40);

    /// @notice The number of resources registered so far (ids are 1..count).
    function resourceCount() external view returns (uint64);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISubjectRegistry} from "./ISubjectRegistry.sol";
import {ProductInput, ProductSpec, SubjectKind, DeliveryMode} from "../libraries/DataTypes.sol";

/// @title IProductRegistry
/// @notice Data products (数据产品): registered by a member holding valid processing-use grants on every input
/// (resources or products; an input grant that is not the registrant's, or not valid, reverts with the grant
/// registry's GrantNotHeld or GrantNotValid), with lineage as a bounded DAG. The registrant holds the product-operation right
/// (经营权) and grants it, and processing-use rights over the product, through the grant registry.
interface IProductRegistry is ISubjectRegistry {
    /// @notice The stored state of a product: what the rules read. The rest is carried by ProductRegistered.
    struct Product {
        address holder;
        uint8 depth;
        DeliveryMode delivery;
        uint8 inputCount;
        bool frozen;
        bool cancelled;
        bool sensitive;
        bool hasPublic;
        uint16 operatorBps;
        uint16 publicBps;
        uint8 lineageEdges;
    }

    /// @notice Thrown when `productId` was never registered.
    error ProductUnknown(uint64 productId);
    /// @notice Thrown when there are no inputs, or more than the maximum fan-in.
    error ProductInvalidInputCount(uint256 count, uint256 max);
    /// @notice Thrown when an input is not a resource or product, or is named twice.
    error ProductInvalidInput(uint256 index);
    /// @notice Thrown when the lineage would be deeper than the maximum.
    error ProductLineageTooDeep(uint256 depth, uint256 max);
    /// @notice Thrown when the lineage would have more input edges (counted along every path) than the maximum.
    error ProductLineageTooLarge(uint256 edges, uint256 max);
    /// @notice Thrown when raw export is asked for a product with important-grade or personal data upstream.
    error ProductRawExportRefused();
    /// @notice Thrown when the share policy does not sum to 10,000 basis points, or has a public share without
    /// public inputs (or none with them).
    error ProductInvalidSharePolicy(uint256 totalBps);
    /// @notice Thrown when a hash is zero or the URI is empty or too long.
    error ProductInvalidMetadata();
    /// @notice Thrown when the caller does not hold the product.
    error ProductNotHolder(uint64 productId, address account);
    /// @notice Thrown when the product is cancelled.
    error ProductIsCancelled(uint64 productId);
    /// @notice Thrown when freezing a frozen product or unfreezing one that is not.
    error ProductFreezeUnchanged(uint64 productId, bool frozen);
    /// @notice Thrown when the product is frozen.
    error ProductIsFrozen(uint64 productId);
    /// @notice Thrown when a grant-registry-only function is called by another account.
    error ProductCallerNotGrantRegistry(address caller);

    /// @notice Emitted on registration, with everything it takes to rebuild the product and its lineage.
    event ProductRegistered(uint64 indexed productId, address indexed holder, uint8 depth, ProductSpec spec, ProductInput[] inputs);
    /// @notice Emitted when a regulator freezes a product.
    event ProductFrozen(uint64 indexed productId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a regulator unfreezes a product.
    event ProductUnfrozen(uint64 indexed productId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when its holder retires a product.
    event ProductCancelled(uint64 indexed productId, address indexed by, bytes32 reasonHash);

    /// @notice Registers a product over `inputs`, each backed by a valid processing-use grant the caller holds.
    /// @return productId the new product's id.
    function register(ProductSpec calldata spec, ProductInput[] calldata inputs) external returns (uint64 productId);

    /// @notice Freezes a product (its descendants cannot be traded while it is). Regulator only.
    function freeze(uint64 productId, bytes32 reasonHash) external;

    /// @notice Unfreezes a product. Regulator only.
    function unfreeze(uint64 productId, bytes32 reasonHash) external;

    /// @notice Retires a product: nothing new is granted over it. Its holder only.
    function cancel(uint64 productId, bytes32 reasonHash) external;

    /// @notice The stored state of a product.
    function getProduct(uint64 productId) external view returns (Product memory);

    /// @notice Input `index` of a product.
    function getInput(uint64 productId, uint8 index) external view returns (ProductInput memory);

    /// @notice A product and all its inputs in one call, for walks over the lineage.
    function lineageNode(uint64 productId) external view returns (Product memory product, ProductInput[] memory inputs);

    /// @notice The number of products registered so far.
    function productCount() external view returns (uint64);

    /// @notice The kind of subjects products may take as inputs.
    function isInputKind(SubjectKind kind) external pure returns (bool);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {ISubjectRegistry} from "../interfaces/ISubjectRegistry.sol";
import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {Exclusivity, ExclusivityConflict} from "../libraries/Exclusivity.sol";
import {
    Category,
    DeliveryMode,
    Grade,
    ProductInput,
    ProductSpec,
    RightType,
    Scope,
    SubjectKind,
    SubjectState
} from "../libraries/DataTypes.sol";

/// @title ProductRegistry
/// @notice Data products and their lineage. One slot per product holds what the rules read (holder, depth, delivery,
/// flags derived from the inputs, the operator's and public shares), one slot per input (kind, id, the grant it was
/// used under, its holder's share). Lineage is acyclic by construction (inputs exist before the product) and bounded
/// in fan-in and depth, so every walk over it is bounded.
contract ProductRegistry is MemberGated, Traceable, IProductRegistry {
    using Exclusivity for Exclusivity.Box;

    /// @notice Most inputs a product may have.
    uint256 public constant MAX_FAN_IN = 4;
    /// @notice Deepest lineage: a product over resources has depth 1.
    uint256 public constant MAX_DEPTH = 6;
    /// @notice Most input edges a lineage may have, counted along every path (the DAG unfolded into a tree): the
    /// bound on every lineage walk (a trade's re-check and its revenue split).
    uint256 public constant MAX_LINEAGE_EDGES = 64;
    /// @notice Input subject ids are stored in 48 bits.
    uint256 public constant MAX_INPUT_ID = type(uint48).max;
    /// @notice Longest metadata URI, in bytes.
    uint256 public constant MAX_URI_LENGTH = 512;

    IResourceRegistry private immutable _resources;
    IGrantRegistry private immutable _grants;
    mapping(uint64 productId => Product) private _products;
    // Each input as (grant id << 64 | subject id << 16 | product flag << 15 | share bps), two to a slot: a lineage
    // walk then reads a product's inputs without asking the grant registry what each grant is over.
    mapping(uint64 productId => uint128[MAX_FAN_IN]) private _inputs;
    uint128 private constant _PRODUCT_INPUT = 1 << 15;
    mapping(bytes32 boxKey => Exclusivity.Box) private _boxes;
    uint64 private _count;

    /// @dev What registration learns from the inputs.
    struct Derived {
        uint8 depth;
        bool sensitive;
        bool hasPublic;
        uint256 bps;
        uint256 edges;
    }

    /// @param members_ the member registry.
    /// @param resources the resource registry (input resources' category and grade).
    /// @param grants the grant registry (the grants inputs are used under; it calls back for product grants).
    constructor(IMemberRegistry members_, IResourceRegistry resources, IGrantRegistry grants) MemberGated(members_) {
        _resources = resources;
        _grants = grants;
    }

    // ==== WRITES ====

    /// @inheritdoc IProductRegistry
    function register(ProductSpec calldata spec, ProductInput[] calldata inputs)
        external
        onlyMemberWith(Roles.PROCESSOR)
        returns (uint64 productId)
    {
        uint256 n = inputs.length;
        if (n == 0 || n > MAX_FAN_IN) revert ProductInvalidInputCount(n, MAX_FAN_IN);
        uint256 uriLength = bytes(spec.uri).length;
        if (spec.environmentHash == bytes32(0) || spec.metadataHash == bytes32(0) || uriLength == 0 || uriLength > MAX_URI_LENGTH) {
            revert ProductInvalidMetadata();
        }
        Derived memory d;
        for (uint256 i = 0; i < n; ++i) {
            _checkInput(inputs, i, d);
        }
        if (d.depth + 1 > MAX_DEPTH) revert ProductLineageTooDeep(d.depth + 1, MAX_DEPTH);
        d.edges += n;
        if (d.edges > MAX_LINEAGE_EDGES) revert ProductLineageTooLarge(d.edges, MAX_LINEAGE_EDGES);
        if (spec.delivery == DeliveryMode.RawExport && d.sensitive) revert ProductRawExportRefused();
        uint256 total = d.bps + spec.operatorBps + spec.publicBps;
        if (total != 10_000 || d.hasPublic != (spec.publicBps > 0)) revert ProductInvalidSharePolicy(total);

        productId = ++_count;
        uint8 depth = d.depth + 1;
        _products[productId] = Product({
            holder: msg.sender,
            depth: depth,
            delivery: spec.delivery,
            inputCount: uint8(n),
            frozen: false,
            cancelled: false,
            sensitive: d.sensitive,
            hasPublic: d.hasPublic,
            operatorBps: spec.operatorBps,
            publicBps: spec.publicBps,
            lineageEdges: uint8(d.edges)
        });
        for (uint256 i = 0; i < n; ++i) {
            ProductInput calldata input = inputs[i];
            _inputs[productId][i] = (uint128(input.grantId) << 64) | (uint128(input.id) << 16)
                | (input.kind == SubjectKind.Product ? _PRODUCT_INPUT : 0) | input.shareBps;
        }
        // Registration pays for the product-operation right's exclusivity slot: its first grant only updates it.
        _boxes[_boxKey(productId, RightType.ProductOperation)].initialized = true;
        emit ProductRegistered(productId, msg.sender, depth, spec, inputs);
        _trace(_key(productId), Actions.PRODUCT_REGISTERED, keccak256(abi.encode(productId, msg.sender, depth, spec, inputs)));
    }

    /// @inheritdoc IProductRegistry
    function freeze(uint64 productId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Product storage p = _existing(productId);
        if (p.frozen) revert ProductFreezeUnchanged(productId, true);
        if (reasonHash == bytes32(0)) revert ProductInvalidMetadata();
        p.frozen = true;
        emit ProductFrozen(productId, msg.sender, reasonHash);
        _trace(_key(productId), Actions.PRODUCT_FROZEN, keccak256(abi.encode(productId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IProductRegistry
    function unfreeze(uint64 productId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Product storage p = _existing(productId);
        if (!p.frozen) revert ProductFreezeUnchanged(productId, false);
        if (reasonHash == bytes32(0)) revert ProductInvalidMetadata();
        p.frozen = false;
        emit ProductUnfrozen(productId, msg.sender, reasonHash);
        _trace(_key(productId), Actions.PRODUCT_UNFROZEN, keccak256(abi.encode(productId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IProductRegistry
    function cancel(uint64 productId, bytes32 reasonHash) external onlyMemberWith(Roles.PROCESSOR) {
        Product storage p = _existing(productId);
        if (p.holder != msg.sender) revert ProductNotHolder(productId, msg.sender);
        if (p.cancelled) revert ProductIsCancelled(productId);
        if (reasonHash == bytes32(0)) revert ProductInvalidMetadata();
        p.cancelled = true;
        emit ProductCancelled(productId, msg.sender, reasonHash);
        _trace(_key(productId), Actions.PRODUCT_CANCELLED, keccak256(abi.encode(productId, msg.sender, reasonHash)));
    }

    /// @inheritdoc ISubjectRegistry
    function admitRootGrant(uint64 id, address grantor, RightType rightType, Scope calldata scope)
        external
        returns (Category category)
    {
        if (msg.sender != address(_grants)) revert ProductCallerNotGrantRegistry(msg.sender);
        Product storage p = _existing(id);
        if (p.cancelled) revert ProductIsCancelled(id);
        if (p.frozen) revert ProductIsFrozen(id);
        if (p.holder != grantor) revert ProductNotHolder(id, grantor);
        if (!_boxes[_boxKey(id, rightType)].claim(scope.purposes, scope.validFrom, scope.validUntil, scope.exclusive)) {
            revert ExclusivityConflict(SubjectKind.Product, id, rightType, 0);
        }
        // A product's own conditions were checked on its inputs; grants over it need none of their own.
        return Category.Enterprise;
    }

    /// @inheritdoc ISubjectRegistry
    function recordRootGrant(uint64 id, address grantor, bytes32 payloadHash) external {
        if (msg.sender != address(_grants)) revert ProductCallerNotGrantRegistry(msg.sender);
        _traceAs(grantor, _key(id), Actions.GRANT_ISSUED, payloadHash);
    }

    // ==== VIEWS ====

    /// @inheritdoc ISubjectRegistry
    function subjectState(uint64 id) external view returns (SubjectState memory) {
        Product storage p = _products[id];
        return SubjectState({
            holder: p.holder,
            category: Category.Enterprise,
            grade: p.sensitive ? Grade.Important : Grade.General,
            exists: p.holder != address(0),
            cancelled: p.cancelled,
            frozen: p.frozen,
            underObjection: false
        });
    }

    /// @inheritdoc IProductRegistry
    function getProduct(uint64 productId) external view returns (Product memory) {
        return _existing(productId);
    }

    /// @inheritdoc IProductRegistry
    function getInput(uint64 productId, uint8 index) external view returns (ProductInput memory) {
        Product storage p = _existing(productId);
        if (index >= p.inputCount) revert ProductInvalidInput(index);
        return _unpack(_inputs[productId][index]);
    }

    /// @inheritdoc IProductRegistry
    function lineageNode(uint64 productId) external view returns (Product memory product, ProductInput[] memory inputs) {
        product = _existing(productId);
        uint256 n = product.inputCount;
        inputs = new ProductInput[](n);
        uint128[MAX_FAN_IN] storage packed = _inputs[productId];
        for (uint256 i = 0; i < n; ++i) {
            inputs[i] = _unpack(packed[i]);
        }
    }

    /// @inheritdoc IProductRegistry
    function productCount() external view returns (uint64) {
        return _count;
    }

    /// @inheritdoc IProductRegistry
    function isInputKind(SubjectKind kind) public pure returns (bool) {
        return kind == SubjectKind.Resource || kind == SubjectKind.Product;
    }

    // ==== INTERNAL ====

    /// @dev Checks input `i` and folds what it tells into `d`.
    function _checkInput(ProductInput[] calldata inputs, uint256 i, Derived memory d) private view {
        ProductInput calldata input = inputs[i];
        if (!isInputKind(input.kind) || input.id > MAX_INPUT_ID) revert ProductInvalidInput(i);
        // At most MAX_FAN_IN inputs, so the duplicate check is bounded.
        for (uint256 j = 0; j < i; ++j) {
            if (inputs[j].kind == input.kind && inputs[j].id == input.id) revert ProductInvalidInput(i);
        }
        _grants.checkHeldGrant(input.grantId, msg.sender, RightType.ProcessingUse, input.kind, input.id);
        if (input.kind == SubjectKind.Resource) {
            (Category category, Grade grade) = _resources.classOf(input.id);
            if (grade != Grade.General || category == Category.Personal) d.sensitive = true;
            if (category == Category.Public) d.hasPublic = true;
        } else {
            // The input grant's validity already covers the product being frozen or cancelled.
            Product storage p = _existing(input.id);
            if (p.sensitive) d.sensitive = true;
            if (p.hasPublic) d.hasPublic = true;
            if (p.depth > d.depth) d.depth = p.depth;
            d.edges += p.lineageEdges;
        }
        d.bps += input.shareBps;
    }

    function _unpack(uint128 packed) private pure returns (ProductInput memory) {
        return ProductInput({
            kind: packed & _PRODUCT_INPUT != 0 ? SubjectKind.Product : SubjectKind.Resource,
            id: uint64(uint48(packed >> 16)),
            grantId: uint64(packed >> 64),
            shareBps: uint16(packed & 0x3fff)
        });
    }

    function _existing(uint64 productId) private view returns (Product storage p) {
        p = _products[productId];
        if (p.holder == address(0)) revert ProductUnknown(productId);
    }

    function _boxKey(uint64 productId, RightType rightType) private pure returns (bytes32) {
        return keccak256(abi.encode(productId, rightType));
    }

    function _key(uint64 productId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Product, productId);
    }
}

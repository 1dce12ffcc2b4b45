// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {IAdmissionRegistry} from "../interfaces/IAdmissionRegistry.sol";
import {IMarket} from "../interfaces/IMarket.sol";
import {Grade, Invalidity, ProductInput, SubjectKind} from "../libraries/DataTypes.sol";

/// @title LineageChecks
/// @notice Walks a product's lineage: every input grant must be valid now (which covers revocation, expiry, freezes
/// of the grant, its ancestors and its subject, inactive parties, withdrawn consent and ended operation
/// authorizations), and, when listing, no resource may be on the negative list for the listed purposes. The walk
/// visits at most ProductRegistry.MAX_LINEAGE_EDGES input edges: its gas is bounded by construction.
abstract contract LineageChecks {
    IProductRegistry internal immutable _products;
    IGrantRegistry internal immutable _grants;
    IResourceRegistry internal immutable _resources;
    IAdmissionRegistry internal immutable _admission;

    constructor(IProductRegistry products, IGrantRegistry grants, IResourceRegistry resources, IAdmissionRegistry admission) {
        _products = products;
        _grants = grants;
        _resources = resources;
        _admission = admission;
    }

    /// @dev Checks product `productId` itself and its lineage; with `purposes` non-zero also the negative list.
    /// @return maxGrade the highest grade of data along the lineage.
    /// @return hasPublic whether public data is along the lineage.
    /// @return holder the product's holder.
    function _checkProductAndLineage(uint64 productId, uint32 purposes)
        internal
        view
        returns (Grade maxGrade, bool hasPublic, address holder)
    {
        (IProductRegistry.Product memory p, ProductInput[] memory inputs) = _products.lineageNode(productId);
        if (p.frozen || p.cancelled) revert IMarket.MarketProductNotTradable(productId, p.frozen, p.cancelled);
        maxGrade = _walk(productId, inputs, purposes);
        hasPublic = p.hasPublic;
        holder = p.holder;
    }

    function _walk(uint64 productId, ProductInput[] memory inputs, uint32 purposes) private view returns (Grade maxGrade) {
        for (uint256 i = 0; i < inputs.length; ++i) {
            ProductInput memory input = inputs[i];
            (Invalidity reason, uint64 atGrant) = _grants.grantValidity(input.grantId);
            if (reason != Invalidity.None) revert IMarket.MarketLineageInvalid(productId, input.grantId, reason, atGrant);
            Grade grade;
            if (input.kind == SubjectKind.Product) {
                (, ProductInput[] memory upstream) = _products.lineageNode(input.id);
                grade = _walk(input.id, upstream, purposes);
            } else if (purposes != 0) {
                IResourceRegistry.Resource memory r = _resources.getResource(input.id);
                uint32 prohibited = _admission.prohibitedPurposes(r.domain, r.category, r.grade) & purposes;
                if (prohibited != 0) revert IMarket.MarketNegativeList(input.id, r.domain, r.category, r.grade, prohibited);
                grade = r.grade;
            }
            if (grade > maxGrade) maxGrade = grade;
        }
    }
}

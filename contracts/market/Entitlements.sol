// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IMarket} from "../interfaces/IMarket.sol";
import {RevenueShares} from "../libraries/RevenueShares.sol";
import {LineageChecks} from "./LineageChecks.sol";
import {EntitlementRole, ProductInput, SubjectKind} from "../libraries/DataTypes.sol";

/// @title Entitlements
/// @notice Splits a confirmed trade's amount along the product's lineage by each product's share policy: an input
/// resource's share goes to its current holder, an input product's share is split again by that product's policy,
/// the public share to the public beneficiary, and the operator's share, with every remainder rounding leaves at
/// that product, to its operator (the seller for the traded product, the holder for upstream products). Nothing is
/// lost: the entitlements of a trade sum to its amount exactly. The walk is bounded like the lineage check.
abstract contract Entitlements is LineageChecks {
    /// @dev What the party is owed, per ISO 4217 currency code.
    mapping(address party => mapping(bytes3 currency => uint256 amount)) internal _owed;
    address internal _publicBeneficiary;

    /// @dev A running record of one trade's split: how many entitlements, and a hash chained over them.
    struct Tally {
        uint64 tradeId;
        bytes3 currency;
        uint256 count;
        bytes32 hash;
    }

    /// @dev Splits `amount` of product `productId`; `operator` takes the operator's share and the remainders
    /// (zero: the product's holder).
    function _split(Tally memory t, uint64 productId, uint256 amount, address operator) internal {
        (IProductRegistry.Product memory p, ProductInput[] memory inputs) = _products.lineageNode(productId);
        uint256 rest = amount;
        for (uint256 i = 0; i < inputs.length; ++i) {
            ProductInput memory input = inputs[i];
            uint256 share = RevenueShares.part(amount, input.shareBps);
            rest -= share;
            if (input.kind == SubjectKind.Product) {
                _split(t, input.id, share, address(0));
            } else {
                address holder = _resources.getResource(input.id).holder;
                _credit(t, holder, EntitlementRole.InputHolder, SubjectKind.Resource, input.id, share);
            }
        }
        if (p.publicBps != 0) {
            uint256 publicShare = RevenueShares.part(amount, p.publicBps);
            rest -= publicShare;
            _credit(t, _publicBeneficiary, EntitlementRole.Public, SubjectKind.Product, productId, publicShare);
        }
        _credit(t, operator == address(0) ? p.holder : operator, EntitlementRole.Operator, SubjectKind.Product, productId, rest);
    }

    function _credit(Tally memory t, address party, EntitlementRole role, SubjectKind kind, uint64 subjectId, uint256 amount) private {
        if (amount == 0) return;
        _owed[party][t.currency] += amount;
        t.count += 1;
        t.hash = keccak256(abi.encode(t.hash, party, role, kind, subjectId, amount));
        // The amount is a part of a uint128 trade amount, so the cast is exact.
        emit IMarket.EntitlementRecorded(t.tradeId, party, role, kind, subjectId, uint128(amount));
    }
}

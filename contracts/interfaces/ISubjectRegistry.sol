// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectState, RightType, Scope, Category} from "../libraries/DataTypes.sol";

/// @title ISubjectRegistry
/// @notice A registry of subjects that rights can be granted over (resources now, products later). It owns the
/// subject-level rules of a root grant: who may grant, whether the subject may circulate, and exclusivity.
interface ISubjectRegistry {
    /// @notice What the validity rules need to know about subject `id`.
    function subjectState(uint64 id) external view returns (SubjectState memory);

    /// @notice Admits a root grant over subject `id` by `grantor` and claims its exclusivity. Only the grant
    /// registry calls this; it reverts with the registry's own errors when the subject may not be granted.
    /// @return category the subject's data category, which decides the conditions the grant needs.
    function admitRootGrant(uint64 id, address grantor, RightType rightType, Scope calldata scope)
        external
        returns (Category category);

    /// @notice Appends an admitted root grant to the subject's trace, committing to `payloadHash` (the
    /// GrantIssued payload, known once the grant's conditions are), made by `grantor`: the account whose write it
    /// is (the grantor, or the buyer of a licence sold on the market). Only the grant registry calls this.
    function recordRootGrant(uint64 id, address grantor, bytes32 payloadHash) external;
}

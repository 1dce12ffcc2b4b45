// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectState, RightType, Scope} from "../libraries/DataTypes.sol";

/// @title ISubjectRegistry
/// @notice A registry of subjects that rights can be granted over (resources now, products later). It owns the
/// subject-level rules of a root grant: who may grant, whether the subject may circulate, and exclusivity.
interface ISubjectRegistry {
    /// @notice What the validity rules need to know about subject `id`.
    function subjectState(uint64 id) external view returns (SubjectState memory);

    /// @notice Admits a root grant over subject `id` by `grantor`, claims its exclusivity and appends the grant
    /// to the subject's trace with `payloadHash` (the GrantIssued payload). Only the grant registry calls this;
    /// it reverts with the registry's own errors when the subject may not be granted.
    function admitRootGrant(uint64 id, address grantor, RightType rightType, Scope calldata scope, bytes32 payloadHash)
        external;
}

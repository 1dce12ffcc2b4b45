// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectState} from "../libraries/DataTypes.sol";

/// @title ISubjectRegistry
/// @notice A registry of subjects that rights can be granted over (resources now, products later).
interface ISubjectRegistry {
    /// @notice What the grant rules need to know about subject `id`.
    function subjectState(uint64 id) external view returns (SubjectState memory);
}

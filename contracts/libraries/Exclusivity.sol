// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectKind, RightType} from "./DataTypes.sol";

/// @notice Thrown when a grant would overlap, in purpose and time, an exclusive grant of the same right on the
/// same subject under the same parent (0 for root grants), or would be an exclusive grant overlapping another.
error ExclusivityConflict(SubjectKind subjectKind, uint64 subjectId, RightType rightType, uint64 parentId);

/// @title Exclusivity
/// @notice Bounded-gas exclusivity bookkeeping for the grants of one right over one subject under one parent.
/// @dev A box holds the bounding box, in purpose bits and time, of the live shared grants and of the live
/// exclusive grants. A box only grows until everything in it has expired, and a revoked grant stays in it until
/// then: the check over-approximates, so it may refuse an exclusive grant that would overlap no remaining grant,
/// but it never lets two overlapping grants through when either is exclusive. One slot, so a check costs one
/// SLOAD and one SSTORE whatever the number of grants. `initialized` lets a registry pay for the slot up front.
library Exclusivity {
    struct Box {
        uint32 sharedMask;
        uint40 sharedFrom;
        uint40 sharedUntil;
        uint32 exclMask;
        uint40 exclFrom;
        uint40 exclUntil;
        bool initialized;
    }

    /// @notice Records a grant of `purposes` over [from, until) in `box`; returns false, recording nothing, when
    /// it conflicts with what the box holds.
    /// @dev Overlap is judged from now on: a grant is never valid before it is issued, so a backdated valid-from
    /// cannot make two grants valid at the same moment, and an expired box must not let it pretend otherwise.
    function claim(Box storage box, uint32 purposes, uint40 from, uint40 until, bool exclusive) internal returns (bool) {
        Box memory b = box;
        uint40 nowTs = uint40(block.timestamp);
        if (from < nowTs) from = nowTs;
        if (b.exclUntil <= nowTs) (b.exclMask, b.exclFrom, b.exclUntil) = (0, 0, 0);
        if (b.sharedUntil <= nowTs) (b.sharedMask, b.sharedFrom, b.sharedUntil) = (0, 0, 0);
        if (_overlaps(purposes, from, until, b.exclMask, b.exclFrom, b.exclUntil)) return false;
        if (exclusive && _overlaps(purposes, from, until, b.sharedMask, b.sharedFrom, b.sharedUntil)) return false;
        if (exclusive) {
            (b.exclMask, b.exclFrom, b.exclUntil) = _extend(purposes, from, until, b.exclMask, b.exclFrom, b.exclUntil);
        } else {
            (b.sharedMask, b.sharedFrom, b.sharedUntil) =
                _extend(purposes, from, until, b.sharedMask, b.sharedFrom, b.sharedUntil);
        }
        b.initialized = true;
        box.sharedMask = b.sharedMask;
        box.sharedFrom = b.sharedFrom;
        box.sharedUntil = b.sharedUntil;
        box.exclMask = b.exclMask;
        box.exclFrom = b.exclFrom;
        box.exclUntil = b.exclUntil;
        box.initialized = true;
        return true;
    }

    function _overlaps(uint32 purposes, uint40 from, uint40 until, uint32 mask, uint40 boxFrom, uint40 boxUntil)
        private
        pure
        returns (bool)
    {
        return (purposes & mask) != 0 && from < boxUntil && boxFrom < until;
    }

    function _extend(uint32 purposes, uint40 from, uint40 until, uint32 mask, uint40 boxFrom, uint40 boxUntil)
        private
        pure
        returns (uint32, uint40, uint40)
    {
        if (mask == 0) return (purposes, from, until);
        return (mask | purposes, from < boxFrom ? from : boxFrom, until > boxUntil ? until : boxUntil);
    }
}

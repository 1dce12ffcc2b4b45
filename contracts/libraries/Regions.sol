// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Regions
/// @notice Containment of GB/T 2260 administrative division codes: PP0000 (province) contains PPCC00 (city)
/// contains PPCCDD (county). Region 0 means unrestricted and contains every region.
library Regions {
    /// @notice Whether region `inner` lies within region `outer`.
    function contains(uint32 outer, uint32 inner) internal pure returns (bool) {
        if (outer == 0 || outer == inner) return true;
        if (inner == 0) return false;
        if (outer % 10000 == 0) return outer / 10000 == inner / 10000;
        if (outer % 100 == 0) return outer / 100 == inner / 100;
        return false;
    }
}

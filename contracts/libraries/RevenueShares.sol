// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title RevenueShares
/// @notice The arithmetic of a share policy. At each product every share is rounded down and what rounding leaves
/// goes to that product's operator, so the parts of an amount always sum to the amount exactly.
library RevenueShares {
    /// @notice Basis points in a whole.
    uint256 internal constant TOTAL_BPS = 10_000;

    /// @notice `bps` basis points of `amount`, rounded down. Cannot overflow for amounts below 2**242.
    function part(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps) / TOTAL_BPS;
    }
}

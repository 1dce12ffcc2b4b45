// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ITradeLookup
/// @notice What the supervision contracts need to know of trades (SubjectKind.Trade), kept by the market contract.
interface ITradeLookup {
    /// @notice Whether trade `tradeId` was recorded.
    function tradeExists(uint64 tradeId) external view returns (bool);
}

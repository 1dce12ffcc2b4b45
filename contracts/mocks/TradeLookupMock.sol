// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITradeLookup} from "../interfaces/ITradeLookup.sol";

/// @notice Stands in for the market's trade lookup in tests: trades 1..count exist.
contract TradeLookupMock is ITradeLookup {
    uint64 public count;

    function setCount(uint64 count_) external {
        count = count_;
    }

    function tradeExists(uint64 tradeId) external view returns (bool) {
        return tradeId != 0 && tradeId <= count;
    }
}

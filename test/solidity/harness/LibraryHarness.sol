// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file */
pragma solidity ^0.8.28;

import {Regions} from "../../../contracts/libraries/Regions.sol";
import {TraceLib} from "../../../contracts/libraries/TraceLib.sol";

/// @notice Exposes the internal library functions as external calls, as contracts use them.
contract RegionsHarness {
    function contains(uint32 outer, uint32 inner) external pure returns (bool) {
        return Regions.contains(outer, inner);
    }
}

/// @notice Exposes {TraceLib}.
contract TraceLibHarness {
    function next(bytes32 word, bytes32 subject, uint16 action, address actor, bytes32 payloadHash, uint64 blockNumber)
        external
        pure
        returns (bytes32)
    {
        return TraceLib.next(word, subject, action, actor, payloadHash, blockNumber);
    }

    function seqOf(bytes32 word) external pure returns (uint64) {
        return TraceLib.seqOf(word);
    }
}

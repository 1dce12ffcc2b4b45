// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {TraceLibHarness} from "./harness/LibraryHarness.sol";

/// @notice TraceLib.next: word' = (seq' << 192) | low192(keccak256(abi.encode(word, subject, seq', action, actor,
/// payloadHash, blockNumber))), seq' = seq + 1.
contract TraceLibTest is Test {
    TraceLibHarness internal lib;

    struct Entry {
        bytes32 word;
        bytes32 subject;
        uint16 action;
        address actor;
        bytes32 payloadHash;
        uint64 blockNumber;
    }

    function setUp() public {
        lib = new TraceLibHarness();
    }

    function _next(Entry memory e) private view returns (bytes32) {
        return lib.next(e.word, e.subject, e.action, e.actor, e.payloadHash, e.blockNumber);
    }

    function test_next_firstEntryHasSeqOne() public view {
        bytes32 w = lib.next(bytes32(0), bytes32(uint256(3) << 248 | 1), 20, address(0x1001), keccak256("p"), 1);
        assertEq(lib.seqOf(w), 1, "seq");
        assertNotEq(w, bytes32(uint256(1) << 192), "digest bits are not zero");
    }

    function testFuzz_next_incrementsSeq(Entry memory e) public view {
        vm.assume(lib.seqOf(e.word) < type(uint64).max);
        assertEq(lib.seqOf(_next(e)), uint256(lib.seqOf(e.word)) + 1, "seq + 1");
    }

    function testFuzz_next_isDeterministicAndMatchesSpec(Entry memory e) public view {
        bytes32 a = _next(e);
        assertEq(a, _next(e), "deterministic");
        uint64 seq;
        unchecked {
            seq = uint64(uint256(e.word) >> 192) + 1;
        }
        bytes32 digest = keccak256(abi.encode(e.word, e.subject, seq, e.action, e.actor, e.payloadHash, e.blockNumber));
        bytes32 spec = bytes32((uint256(seq) << 192) | (uint256(digest) & ((uint256(1) << 192) - 1)));
        assertEq(a, spec, "matches the documented formula");
    }

    /// @dev Changing any one input (by a nonzero xor) changes the resulting word.
    function testFuzz_next_anyInputChangeChangesWord(Entry memory e, uint8 which, uint256 delta) public view {
        vm.assume(delta != 0);
        Entry memory f = Entry(e.word, e.subject, e.action, e.actor, e.payloadHash, e.blockNumber);
        which %= 6;
        if (which == 0) f.word = e.word ^ bytes32(delta);
        if (which == 1) f.subject = e.subject ^ bytes32(delta);
        if (which == 2) {
            uint16 d = uint16(delta);
            vm.assume(d != 0);
            f.action = e.action ^ d;
        }
        if (which == 3) {
            uint160 d = uint160(delta);
            vm.assume(d != 0);
            f.actor = address(uint160(e.actor) ^ d);
        }
        if (which == 4) f.payloadHash = e.payloadHash ^ bytes32(delta);
        if (which == 5) {
            uint64 d = uint64(delta);
            vm.assume(d != 0);
            f.blockNumber = e.blockNumber ^ d;
        }
        assertNotEq(_next(e), _next(f), "a changed input changes the word");
    }

    /// @dev Folding n entries from zero gives seq n, and the order of entries matters.
    function testFuzz_next_chainCountsAndOrders(bytes32 subject, bytes32 p1, bytes32 p2, uint8 n) public view {
        vm.assume(p1 != p2);
        n = uint8(bound(n, 1, 20));
        bytes32 w;
        for (uint256 i = 0; i < n; ++i) {
            w = lib.next(w, subject, 30, address(0x2001), keccak256(abi.encode(p1, i)), 1);
        }
        assertEq(lib.seqOf(w), n, "seq = number of entries");
        bytes32 ab = lib.next(lib.next(bytes32(0), subject, 30, address(1), p1, 1), subject, 30, address(1), p2, 1);
        bytes32 ba = lib.next(lib.next(bytes32(0), subject, 30, address(1), p2, 1), subject, 30, address(1), p1, 1);
        assertNotEq(ab, ba, "order matters");
    }
}

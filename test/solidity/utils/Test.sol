// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file, interface-starts-with-i, const-name-snakecase */
pragma solidity ^0.8.28;

/// @notice The cheatcodes these tests use. EDR (Hardhat 3's Solidity test runner) serves them natively at the
/// well-known cheatcode address; forge-std is not installed, so this is the subset we need.
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert() external;
    function expectRevert(bytes calldata revertData) external;
    /// @dev EDR matches the whole revert data: only an error without arguments equals its bare selector.
    function expectRevert(bytes4 revertData) external;
    /// @dev Matches the selector only, whatever the arguments.
    function expectPartialRevert(bytes4 revertData) external;
    function assume(bool condition) external pure;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function addr(uint256 privateKey) external pure returns (address);
    function label(address account, string calldata newLabel) external;
}

/// @notice The cheatcode handle and input helpers, shared by tests and invariant handlers (a handler must not
/// inherit {Test}: the fuzzer would see its public functions).
abstract contract CommonBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error BoundInvalid(uint256 lo, uint256 hi);

    /// @dev Maps `x` into [lo, hi] (inclusive); values already inside are kept, so fuzzer edge values survive.
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        if (lo > hi) revert BoundInvalid(lo, hi);
        if (x >= lo && x <= hi) return x;
        uint256 size = hi - lo;
        if (size == type(uint256).max) return x;
        return lo + (x % (size + 1));
    }
}

/// @notice A minimal Test base: assertions that revert with a message, and the `targetContract` /
/// `targetContracts` pair the invariant fuzzer reads.
abstract contract Test is CommonBase {
    bool public IS_TEST = true;
    address[] private _targetedContracts;

    error AssertionFailed(string message);

    // ---- invariant targets ----

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    // ---- assertions ----

    function fail(string memory message) internal pure {
        revert AssertionFailed(message);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) fail(message);
    }

    function assertTrue(bool condition) internal pure {
        assertTrue(condition, "assertTrue");
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) fail(message);
    }

    function assertFalse(bool condition) internal pure {
        assertFalse(condition, "assertFalse");
    }

    function assertEq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) fail(string.concat(message, ": ", _u(a), " != ", _u(b)));
    }

    function assertEq(uint256 a, uint256 b) internal pure {
        assertEq(a, b, "assertEq(uint)");
    }

    function assertEq(bytes32 a, bytes32 b, string memory message) internal pure {
        if (a != b) fail(string.concat(message, ": bytes32 differ"));
    }

    function assertEq(bytes32 a, bytes32 b) internal pure {
        assertEq(a, b, "assertEq(bytes32)");
    }

    function assertEq(address a, address b, string memory message) internal pure {
        if (a != b) fail(string.concat(message, ": addresses differ"));
    }

    function assertEq(address a, address b) internal pure {
        assertEq(a, b, "assertEq(address)");
    }

    function assertEq(bool a, bool b, string memory message) internal pure {
        if (a != b) fail(string.concat(message, a ? ": true != false" : ": false != true"));
    }

    function assertEq(bool a, bool b) internal pure {
        assertEq(a, b, "assertEq(bool)");
    }

    function assertNotEq(bytes32 a, bytes32 b, string memory message) internal pure {
        if (a == b) fail(string.concat(message, ": bytes32 equal"));
    }

    function assertGt(uint256 a, uint256 b, string memory message) internal pure {
        if (a <= b) fail(string.concat(message, ": ", _u(a), " <= ", _u(b)));
    }

    function assertLe(uint256 a, uint256 b, string memory message) internal pure {
        if (a > b) fail(string.concat(message, ": ", _u(a), " > ", _u(b)));
    }

    function assertGe(uint256 a, uint256 b, string memory message) internal pure {
        if (a < b) fail(string.concat(message, ": ", _u(a), " < ", _u(b)));
    }

    // ---- helpers ----

    function _u(uint256 v) private pure returns (string memory) {
        if (v == 0) return "0";
        uint256 len;
        for (uint256 t = v; t != 0; t /= 10) ++len;
        bytes memory b = new bytes(len);
        for (; v != 0; v /= 10) b[--len] = bytes1(uint8(48 + (v % 10)));
        return string(b);
    }
}

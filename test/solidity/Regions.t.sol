// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "./utils/Test.sol";
import {RegionModel} from "./utils/Models.sol";
import {RegionsHarness} from "./harness/LibraryHarness.sol";

/// @notice Regions.contains: GB/T 2260 province PP0000 > city PPCC00 > county PPCCDD, 0 = everywhere.
contract RegionsTest is Test {
    RegionsHarness internal regions;

    function setUp() public {
        regions = new RegionsHarness();
    }

    // ---- examples (both branches of each rule) ----

    function test_contains_examples() public view {
        assertTrue(regions.contains(330000, 330200), "Zhejiang contains Ningbo");
        assertTrue(regions.contains(330000, 330203), "Zhejiang contains Haishu");
        assertTrue(regions.contains(330200, 330203), "Ningbo contains Haishu");
        assertTrue(regions.contains(0, 330203), "0 contains Haishu");
        assertFalse(regions.contains(330200, 330000), "Ningbo does not contain Zhejiang");
        assertFalse(regions.contains(330203, 330200), "Haishu does not contain Ningbo");
        assertFalse(regions.contains(330200, 330100), "Ningbo does not contain Hangzhou");
        assertFalse(regions.contains(330200, 330101), "Ningbo does not contain a Hangzhou county");
        assertFalse(regions.contains(330000, 110000), "Zhejiang does not contain Beijing");
        assertFalse(regions.contains(330000, 110101), "Zhejiang does not contain Dongcheng");
        assertFalse(regions.contains(330203, 330204), "a county contains only itself");
        assertFalse(regions.contains(330200, 0), "a city does not contain everywhere");
    }

    // ---- fuzz ----

    function testFuzz_contains_reflexive(uint32 r) public view {
        assertTrue(regions.contains(r, r), "reflexive");
    }

    function testFuzz_contains_zeroContainsAll(uint32 r) public view {
        assertTrue(regions.contains(0, r), "0 contains all");
    }

    function testFuzz_contains_onlyZeroContainsZero(uint32 r) public view {
        vm.assume(r != 0);
        assertFalse(regions.contains(r, 0), "only 0 contains 0");
    }

    /// @dev Province branch, true side: PP0000 contains every code PPxxxx.
    function testFuzz_contains_provinceContainsItsCodes(uint256 province, uint256 rest) public view {
        uint32 outer = uint32(bound(province, 1, 429_495) * 10_000);
        uint32 inner = outer + uint32(bound(rest, 0, 9_999));
        assertTrue(regions.contains(outer, inner), "province contains its cities and counties");
    }

    /// @dev Province branch, false side: PP0000 contains no code of another province.
    function testFuzz_contains_provinceExcludesOthers(uint256 province, uint32 inner) public view {
        uint32 outer = uint32(bound(province, 1, 429_496) * 10_000);
        vm.assume(inner / 10_000 != outer / 10_000);
        assertFalse(regions.contains(outer, inner), "province excludes other provinces");
    }

    /// @dev City branch, true side: PPCC00 (not a province) contains PPCC00..PPCC99.
    function testFuzz_contains_cityContainsItsCounties(uint256 city, uint256 county) public view {
        uint256 c = bound(city, 1, 42_949_671);
        vm.assume(c % 100 != 0);
        uint32 outer = uint32(c * 100);
        uint32 inner = outer + uint32(bound(county, 0, 99));
        assertTrue(regions.contains(outer, inner), "city contains its counties");
    }

    /// @dev City branch, false side: PPCC00 contains nothing outside PPCCxx (its province and siblings included).
    function testFuzz_contains_cityExcludesOthers(uint256 city, uint32 inner) public view {
        uint256 c = bound(city, 1, 42_949_672);
        vm.assume(c % 100 != 0);
        uint32 outer = uint32(c * 100);
        vm.assume(inner / 100 != outer / 100);
        assertFalse(regions.contains(outer, inner), "city excludes codes outside it");
    }

    /// @dev County branch: a county (code not ending in 00) contains exactly itself.
    function testFuzz_contains_countyOnlyItself(uint32 outer, uint32 inner) public view {
        vm.assume(outer % 100 != 0);
        assertEq(regions.contains(outer, inner), inner == outer, "county contains only itself");
    }

    /// @dev Against the code-range model, over arbitrary inputs and over inputs biased to share a prefix.
    function testFuzz_contains_matchesModel(uint32 outer, uint32 inner, uint8 shape) public view {
        if (shape % 4 == 1) outer = (outer / 10_000) * 10_000; // a province
        if (shape % 4 == 2) outer = (outer / 100) * 100; // a city (or province)
        if (shape / 4 % 2 == 1) inner = _prefixed(outer, 100, inner); // same city prefix
        if (shape / 8 % 2 == 1) inner = _prefixed(outer, 10_000, inner); // same province prefix
        assertEq(regions.contains(outer, inner), RegionModel.within(outer, inner), "model");
    }

    function testFuzz_contains_transitive(uint32 a, uint32 b, uint32 c, uint8 shape) public view {
        // Build chains a >= b >= c often enough to matter.
        if (shape % 2 == 1) b = _prefixed(a, 100, b);
        if (shape / 2 % 2 == 1) b = _prefixed(a, 10_000, b);
        if (shape / 4 % 2 == 1) c = _prefixed(b, 100, c);
        if (shape / 8 % 2 == 1) a = 0;
        if (regions.contains(a, b) && regions.contains(b, c)) assertTrue(regions.contains(a, c), "transitive");
    }

    function testFuzz_contains_antisymmetric(uint32 a, uint32 b) public view {
        b = shapeLike(a, b);
        if (regions.contains(a, b) && regions.contains(b, a)) assertEq(a, b, "antisymmetric");
    }

    /// @dev `code`'s prefix above `unit`, with `low`'s digits below it (wrapping at 2^32, which only matters at the top).
    function _prefixed(uint32 code, uint32 unit, uint32 low) private pure returns (uint32) {
        return uint32((uint256(code) / unit) * unit + (low % unit));
    }

    function shapeLike(uint32 a, uint32 b) private pure returns (uint32) {
        return b % 3 == 0 ? (a / 10_000) * 10_000 : b % 3 == 1 ? (a / 100) * 100 : b;
    }
}

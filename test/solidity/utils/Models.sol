// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file */
pragma solidity ^0.8.28;

import {IGrantRegistry} from "../../../contracts/interfaces/IGrantRegistry.sol";
import {Scope, ScopeField} from "../../../contracts/libraries/DataTypes.sol";

/// @notice Reference models written from docs/rules, independently of the contracts' code, for the tests to
/// compare against.
library RegionModel {
    /// @notice GB/T 2260 containment as code ranges: 0 is everything; province PP0000 spans PP0000..PP9999;
    /// city PPCC00 (not a province) spans PPCC00..PPCC99; a county code contains only itself.
    function within(uint32 outer, uint32 inner) internal pure returns (bool) {
        if (outer == 0 || outer == inner) return true;
        if (inner == 0) return false;
        uint256 o = outer;
        uint256 i = inner;
        if (o % 10_000 == 0) return i >= o && i <= o + 9_999;
        if (o % 100 == 0) return i >= o && i <= o + 99;
        return false;
    }

    /// @notice 0 = unrestricted, 1 = province, 2 = city, 3 = county.
    function level(uint32 code) internal pure returns (uint8) {
        if (code == 0) return 0;
        if (code % 10_000 == 0) return 1;
        if (code % 100 == 0) return 2;
        return 3;
    }
}

/// @notice The sub-grant rules of docs/rules.md ("Grants"), as a predicate.
library ScopeModel {
    uint8 internal constant MAX_DEPTH = 8;

    /// @notice Whether the scope passes the input checks every grant has (purposes, window, depth bound).
    function inputOk(Scope memory s, uint256 nowTs) internal pure returns (bool) {
        return s.purposes != 0 && s.validFrom < s.validUntil && s.validUntil > nowTs && s.depth <= MAX_DEPTH;
    }

    /// @notice Bit i set = the child exceeds its parent in ScopeField(i).
    function exceeded(Scope memory c, IGrantRegistry.Grant memory p) internal pure returns (uint256 fields) {
        if (c.purposes & ~p.purposes != 0) fields |= _bit(ScopeField.Purposes);
        if (!RegionModel.within(p.region, c.region)) fields |= _bit(ScopeField.Region);
        if (c.validFrom < p.validFrom || c.validUntil > p.validUntil) fields |= _bit(ScopeField.Window);
        if (c.depth >= p.depth) fields |= _bit(ScopeField.Depth);
        if (p.cap != 0 && (c.cap == 0 || c.cap > p.cap)) fields |= _bit(ScopeField.Cap);
        if (c.exclusive && !p.exclusive) fields |= _bit(ScopeField.Exclusive);
    }

    /// @notice The one field set in `fields`, when exactly one is.
    function single(uint256 fields) internal pure returns (bool one, ScopeField field) {
        if (fields == 0 || fields & (fields - 1) != 0) return (false, ScopeField.Purposes);
        for (uint8 i = 0; i < 6; ++i) {
            if (fields == 1 << i) return (true, ScopeField(i));
        }
        return (false, ScopeField.Purposes);
    }

    /// @notice The stored grant's scope, as a Scope.
    function scopeOf(IGrantRegistry.Grant memory g) internal pure returns (Scope memory) {
        return Scope({
            purposes: g.purposes,
            region: g.region,
            validFrom: g.validFrom,
            validUntil: g.validUntil,
            exclusive: g.exclusive,
            maySubGrant: g.maySubGrant,
            depth: g.depth,
            cap: g.cap
        });
    }

    function _bit(ScopeField f) private pure returns (uint256) {
        return uint256(1) << uint8(f);
    }
}

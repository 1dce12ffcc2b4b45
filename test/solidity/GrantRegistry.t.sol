// SPDX-License-Identifier: Apache-2.0
/* solhint-disable function-max-lines */
pragma solidity ^0.8.28;

import {LedgerSetup} from "./utils/LedgerSetup.sol";
import {ScopeModel} from "./utils/Models.sol";
import {IGrantRegistry} from "../../contracts/interfaces/IGrantRegistry.sol";
import {IMemberRegistry} from "../../contracts/interfaces/IMemberRegistry.sol";
import {RightType, SubjectKind, Scope, Invalidity, ScopeField} from "../../contracts/libraries/DataTypes.sol";

/// @notice Grant rules through IGrantRegistry only: sub-grant scope containment, exclusivity, validity windows.
contract GrantRegistryTest is LedgerSetup {
    // ==== sub-grant scope containment (fuzz against the rules model) ====

    /// @dev Fuzz seeds of a child scope. For each field, `mode` picks (3 times in 4) a value inside the parent's,
    /// boundaries included, or (1 in 4) a value from a broad list of boundary candidates on both sides.
    struct ChildSeeds {
        uint8 parentVariant;
        uint16 mode;
        uint256 purposes;
        uint256 region;
        uint256 from;
        uint256 until;
        uint256 depth;
        uint256 cap;
        bool exclusive;
        bool maySub;
    }

    uint32 internal constant PARENT_PURPOSES = 0x6D; // 0b0110_1101
    uint64 internal constant PARENT_CAP = 1000;

    /// @dev Sixteen fixed parents: exclusive or not, capped or not, region 0 / province / city / county, depth 3 or 1.
    function _parentScope(uint8 v) internal pure returns (Scope memory) {
        uint32[4] memory regionsList = [uint32(0), 330000, 330200, 330203];
        return _scope(
            PARENT_PURPOSES,
            regionsList[(v >> 2) & 3],
            T0 - 10 days,
            T0 + 90 days,
            v & 1 == 1,
            true,
            (v >> 4) & 1 == 1 ? 1 : 3,
            (v >> 1) & 1 == 1 ? PARENT_CAP : 0
        );
    }

    function _broad(uint16 mode, ScopeField f) private pure returns (bool) {
        return (mode >> (2 * uint8(f))) & 3 == 0;
    }

    function _childScope(ChildSeeds memory s, Scope memory p) internal pure returns (Scope memory c) {
        uint32 raw = uint32(s.purposes >> 8);
        if (!_broad(s.mode, ScopeField.Purposes)) {
            c.purposes = s.purposes % 2 == 0 ? p.purposes : p.purposes & raw;
            if (c.purposes == 0) c.purposes = p.purposes & (~p.purposes + 1); // lowest parent bit
        } else {
            uint256 m = s.purposes % 4;
            if (m == 0) c.purposes = p.purposes & raw; // a subset, possibly empty
            else if (m == 1) c.purposes = p.purposes | raw;
            else if (m == 2) c.purposes = (p.purposes & raw) | uint32(1 << (1 + 3 * ((s.purposes >> 2) % 3))); // bit 1, 4 or 7: outside 0x6D
            else c.purposes = raw;
        }

        uint32[12] memory regionsList =
            [uint32(0), 330000, 330200, 330203, 330281, 330100, 330101, 110000, 110101, 330299, 339900, uint32(s.region >> 8)];
        c.region = regionsList[s.region % 12];
        if (!_broad(s.mode, ScopeField.Region)) {
            // Refine the parent's region: keep it, or go down one or two levels inside it.
            uint32 pr = p.region;
            uint256 k = (s.region >> 4) % 3;
            if (pr == 0) c.region = k == 0 ? 0 : c.region;
            else if (pr % 10_000 == 0) c.region = k == 0 ? pr : k == 1 ? pr + 200 : pr + 203;
            else if (pr % 100 == 0) c.region = k == 0 ? pr : pr + uint32(1 + (s.region >> 8) % 99);
            else c.region = pr;
        }

        uint40 pf = p.validFrom;
        uint40 pu = p.validUntil;
        if (!_broad(s.mode, ScopeField.Window)) {
            uint40[4] memory froms = [pf, T0, pu - 1, uint40(bound(s.from >> 8, pf, pu - 1))];
            c.validFrom = froms[s.from % 4];
            uint40 lo = c.validFrom + 1 > T0 + 1 ? c.validFrom + 1 : T0 + 1; // after validFrom, not ended
            uint40[3] memory untils = [pu, lo, uint40(bound(s.until >> 8, lo, pu))];
            c.validUntil = untils[s.until % 3];
        } else {
            uint40[10] memory froms =
                [pf - 1, pf, pf + 1, T0 - 1, T0, T0 + 1, pu - 1, pu, uint40(0), uint40(bound(s.from >> 8, pf - 100, pu + 100))];
            c.validFrom = froms[s.from % 10];
            uint40[10] memory untils = [
                pu - 1,
                pu,
                pu + 1,
                T0,
                T0 + 1,
                pf + 1,
                c.validFrom + 1,
                c.validFrom,
                type(uint40).max,
                uint40(bound(s.until >> 8, pf - 100, pu + 100))
            ];
            c.validUntil = untils[s.until % 10];
        }

        c.depth = _broad(s.mode, ScopeField.Depth) ? uint8(bound(s.depth, 0, 9)) : uint8(bound(s.depth, 0, p.depth - 1));

        uint64 ref = p.cap == 0 ? PARENT_CAP : p.cap;
        uint64[7] memory caps = [uint64(0), 1, ref - 1, ref, ref + 1, type(uint64).max, uint64(s.cap >> 8)];
        c.cap = caps[s.cap % 7];
        if (!_broad(s.mode, ScopeField.Cap) && p.cap != 0) c.cap = uint64(bound(s.cap >> 8, 1, p.cap));

        c.exclusive = _broad(s.mode, ScopeField.Exclusive) ? s.exclusive : s.exclusive && p.exclusive;
        c.maySubGrant = s.maySub;
    }

    /// @notice A sub-grant succeeds IFF it lies within its parent (purposes subset, region contained, window
    /// inside, depth below, cap rule, exclusive only under exclusive) and passes the input checks.
    function testFuzz_grant_subGrantSucceedsIffWithinParent(ChildSeeds memory s) public {
        Scope memory ps = _parentScope(s.parentVariant);
        uint64 parentId = _grantRoot(PROC1, ps);
        IGrantRegistry.Grant memory p = grants.getGrant(parentId);
        Scope memory c = _childScope(s, ps);

        bool inputOk = ScopeModel.inputOk(c, block.timestamp);
        uint256 exceeded = ScopeModel.exceeded(c, p);
        bool expectOk = inputOk && exceeded == 0;

        (bool ok, uint64 id, bytes memory err) = _tryGrant(PROC1, resourceId, PROC2, c, parentId);
        assertEq(ok, expectOk, "grant succeeds iff the child lies within the parent");

        if (ok) {
            IGrantRegistry.Grant memory g = grants.getGrant(id);
            _assertScope(g, c, "stored scope");
            assertEq(g.grantee, PROC2, "grantee");
            assertEq(g.grantor, PROC1, "grantor");
            assertEq(g.parentId, parentId, "parent");
            assertEq(g.subjectId, resourceId, "subject");
            assertTrue(g.rightType == RightType.ProcessingUse && g.subjectKind == SubjectKind.Resource, "right/subject kind");
            (Invalidity reason, uint64 atGrant) = grants.grantValidity(id);
            if (c.validFrom <= block.timestamp) {
                assertTrue(reason == Invalidity.None, "valid now");
            } else {
                assertTrue(reason == Invalidity.NotYetValid && atGrant == id, "not yet valid");
            }
        } else {
            bytes4 sel = _selector(err);
            assertTrue(
                sel == IGrantRegistry.GrantScopeExceedsParent.selector || sel == IGrantRegistry.GrantEmptyPurposes.selector
                    || sel == IGrantRegistry.GrantInvalidWindow.selector || sel == IGrantRegistry.GrantDepthOverflow.selector,
                "refused for a scope reason"
            );
            (bool one, ScopeField field) = ScopeModel.single(exceeded);
            if (inputOk && one) {
                assertEq(
                    keccak256(err),
                    keccak256(abi.encodeWithSelector(IGrantRegistry.GrantScopeExceedsParent.selector, parentId, field)),
                    "names the one exceeded field"
                );
            }
        }
    }

    // ==== exclusivity between two root grants ====

    struct RootSeeds {
        uint256 purposes;
        uint256 from;
        uint256 len;
        bool exclusive;
    }

    function _rootScope(RootSeeds memory s) internal pure returns (Scope memory c) {
        c.purposes = uint32(bound(s.purposes, 1, 15));
        c.validFrom = uint40(bound(s.from, T0 - 50, T0 + 100));
        c.validUntil = c.validFrom + uint40(bound(s.len, 1, 100));
        if (c.validUntil <= T0) c.validUntil = T0 + 1; // still after validFrom, and not ended
        c.exclusive = s.exclusive;
        c.maySubGrant = true;
        c.depth = 1;
    }

    /// @notice Two root grants on one resource to two processors: never both through when they overlap in
    /// purpose and time and either is exclusive; always both through otherwise (the first being the only grant).
    function testFuzz_grant_exclusivityNeverOverlaps(RootSeeds memory a, RootSeeds memory b) public {
        Scope memory sa = _rootScope(a);
        Scope memory sb = _rootScope(b);
        (bool okA,,) = _tryGrant(HOLDER, resourceId, PROC1, sa, 0);
        assertTrue(okA, "the first grant on a fresh resource goes through");
        (bool okB,,) = _tryGrant(HOLDER, resourceId, PROC2, sb, 0);

        bool overlap = (sa.purposes & sb.purposes) != 0 && sa.validFrom < sb.validUntil && sb.validFrom < sa.validUntil;
        bool anyExclusive = sa.exclusive || sb.exclusive;
        if (okA && okB) assertFalse(overlap && anyExclusive, "both through although overlapping an exclusive grant");
        if (!anyExclusive) assertTrue(okB, "shared grants never conflict");
        if (!overlap) assertTrue(okB, "non-overlapping grants never conflict");
    }

    /// @notice Exclusivity is per parent: the same scopes under two different parents do not conflict, while a
    /// second overlapping exclusive child under the same parent does.
    function test_grant_exclusiveSiblings_conflictOnlyUnderSameParent() public {
        Scope memory root = _scope(0xF, 0, T0, T0 + 30 days, true, true, 2, 0);
        uint64 parent = _grantRoot(PROC1, root);
        Scope memory child = _scope(0x1, 0, T0, T0 + 10 days, true, true, 1, 0);
        (bool ok1,,) = _tryGrant(PROC1, resourceId, PROC2, child, parent);
        assertTrue(ok1, "first exclusive child");
        // Not matched by selector: the rules say the exclusivity error's name may change.
        (bool ok2,,) = _tryGrant(PROC1, resourceId, PROC3, child, parent);
        assertFalse(ok2, "second overlapping exclusive child refused");
        child.purposes = 0x2;
        (bool ok3,,) = _tryGrant(PROC1, resourceId, PROC3, child, parent);
        assertTrue(ok3, "a disjoint purpose is fine");
    }

    /// @notice Once every grant in the exclusive box has expired, a new exclusive grant goes through.
    function test_grant_exclusiveAfterExpiry_succeeds() public {
        _grantRoot(PROC1, _scope(0x1, 0, T0, T0 + 1 days, true, false, 0, 0));
        (bool during,,) = _tryGrant(HOLDER, resourceId, PROC2, _scope(0x1, 0, T0 + 1 hours, T0 + 2 days, true, false, 0, 0), 0);
        assertFalse(during, "overlapping exclusive refused while the first is live");
        vm.warp(T0 + 1 days);
        (bool afterExpiry,,) = _tryGrant(HOLDER, resourceId, PROC2, _scope(0x1, 0, T0 + 1 days, T0 + 2 days, true, false, 0, 0), 0);
        assertTrue(afterExpiry, "exclusive accepted after the first expired");
    }

    // ==== validity window boundaries ====

    function _windowGrant() internal returns (uint64 id, uint40 from, uint40 until) {
        from = T0 + 100;
        until = T0 + 200;
        id = _grantRoot(PROC1, _scope(0x1, 0, from, until, false, false, 0, 0));
    }

    function test_isGrantValid_atValidFrom_valid() public {
        (uint64 id, uint40 from,) = _windowGrant();
        vm.warp(from);
        assertTrue(grants.isGrantValid(id), "valid at validFrom");
        (Invalidity reason,) = grants.grantValidity(id);
        assertTrue(reason == Invalidity.None, "reason None");
    }

    function test_isGrantValid_atValidUntilMinusOne_valid() public {
        (uint64 id,, uint40 until) = _windowGrant();
        vm.warp(until - 1);
        assertTrue(grants.isGrantValid(id), "valid at validUntil - 1");
    }

    function test_grantValidity_atValidUntil_expired() public {
        (uint64 id,, uint40 until) = _windowGrant();
        vm.warp(until);
        assertFalse(grants.isGrantValid(id), "invalid at validUntil");
        (Invalidity reason, uint64 atGrant) = grants.grantValidity(id);
        assertTrue(reason == Invalidity.Expired, "reason Expired");
        assertEq(atGrant, id, "at the grant itself");
        vm.expectRevert(abi.encodeWithSelector(IGrantRegistry.GrantNotValid.selector, id, Invalidity.Expired, id));
        grants.checkGrantValid(id);
    }

    function test_grantValidity_beforeValidFrom_notYetValid() public {
        (uint64 id, uint40 from,) = _windowGrant();
        vm.warp(from - 1);
        assertFalse(grants.isGrantValid(id), "invalid before validFrom");
        (Invalidity reason, uint64 atGrant) = grants.grantValidity(id);
        assertTrue(reason == Invalidity.NotYetValid, "reason NotYetValid");
        assertEq(atGrant, id, "at the grant itself");
    }

    /// @notice validFrom <= now < validUntil, at any instant and for any window.
    function testFuzz_grantValidity_windowIsHalfOpen(uint256 fromOffset, uint256 len, uint256 when) public {
        uint40 from = uint40(bound(fromOffset, 0, 1000 days)) + T0;
        uint40 until = from + uint40(bound(len, 1, 1000 days));
        uint64 id = _grantRoot(PROC1, _scope(0x1, 0, from, until, false, false, 0, 0));
        uint256 t = bound(when, T0, uint256(until) + 10 days);
        vm.warp(t);
        (Invalidity reason, uint64 where) = grants.grantValidity(id);
        if (t < from) assertTrue(reason == Invalidity.NotYetValid, "before: NotYetValid");
        else if (t >= until) assertTrue(reason == Invalidity.Expired, "after: Expired");
        else assertTrue(reason == Invalidity.None, "inside: valid");
        if (reason != Invalidity.None) assertEq(where, id, "at the grant");
        assertEq(grants.isGrantValid(id), reason == Invalidity.None, "isGrantValid agrees with grantValidity");
    }

    /// @notice A sub-grant stops being valid when its parent's window ends, and says so at the child (checked first).
    function test_grantValidity_sharedWindowEnd_namesChild() public {
        uint64 parent = _grantRoot(PROC1, _scope(0x3, 0, T0, T0 + 10 days, false, true, 1, 0));
        (bool ok, uint64 child,) = _tryGrant(PROC1, resourceId, PROC2, _scope(0x1, 0, T0, T0 + 10 days, false, false, 0, 0), parent);
        assertTrue(ok, "child");
        vm.warp(T0 + 10 days);
        (Invalidity reason, uint64 atGrant) = grants.grantValidity(child);
        assertTrue(reason == Invalidity.Expired, "expired");
        assertEq(atGrant, child, "the child, checked first, expires at the same instant");
    }

    // ==== revocation, freezing, suspension (stable, non-subject rules) ====

    function test_revoke_parent_invalidatesChild() public {
        uint64 parent = _grantRoot(PROC1, _defaultScope());
        Scope memory c = _defaultScope();
        c.depth = 1;
        (bool ok, uint64 child,) = _tryGrant(PROC1, resourceId, PROC2, c, parent);
        assertTrue(ok, "child");
        vm.prank(HOLDER);
        grants.revoke(parent, REASON);
        (Invalidity reason, uint64 atGrant) = grants.grantValidity(child);
        assertTrue(reason == Invalidity.Revoked, "revoked");
        assertEq(atGrant, parent, "at the parent");
    }

    function test_revoke_byOutsider_reverts() public {
        uint64 id = _grantRoot(PROC1, _defaultScope());
        vm.prank(PROC2);
        vm.expectRevert(abi.encodeWithSelector(IGrantRegistry.GrantNotRevoker.selector, id, PROC2));
        grants.revoke(id, REASON);
    }

    function test_revoke_byRegulatorWithoutReason_reverts() public {
        uint64 id = _grantRoot(PROC1, _defaultScope());
        vm.prank(REGULATOR);
        vm.expectRevert(IGrantRegistry.GrantEmptyHash.selector);
        grants.revoke(id, bytes32(0));
    }

    function test_revoke_twice_reverts() public {
        uint64 id = _grantRoot(PROC1, _defaultScope());
        vm.prank(REGULATOR);
        grants.revoke(id, REASON);
        vm.prank(HOLDER);
        vm.expectRevert(abi.encodeWithSelector(IGrantRegistry.GrantAlreadyRevoked.selector, id));
        grants.revoke(id, REASON);
    }

    function test_freeze_twice_reverts() public {
        uint64 id = _grantRoot(PROC1, _defaultScope());
        vm.startPrank(REGULATOR);
        grants.freeze(id, REASON);
        assertFalse(grants.isGrantValid(id), "frozen is invalid");
        vm.expectRevert(abi.encodeWithSelector(IGrantRegistry.GrantFreezeUnchanged.selector, id, true));
        grants.freeze(id, REASON);
        grants.unfreeze(id, REASON);
        vm.stopPrank();
        assertTrue(grants.isGrantValid(id), "valid again after unfreeze");
    }

    function test_grantValidity_granteeSuspended_granteeInactive() public {
        uint64 id = _grantRoot(PROC1, _defaultScope());
        vm.prank(REGULATOR);
        members.suspend(PROC1, REASON);
        (Invalidity reason, uint64 atGrant) = grants.grantValidity(id);
        assertTrue(reason == Invalidity.GranteeInactive, "grantee inactive");
        assertEq(atGrant, id, "at the grant");
        members.reinstate(PROC1, REASON);
        assertTrue(grants.isGrantValid(id), "valid after reinstatement");
    }

    function test_grant_subGrantByNonGrantee_reverts() public {
        uint64 parent = _grantRoot(PROC1, _defaultScope());
        Scope memory c = _defaultScope();
        c.depth = 1;
        vm.prank(PROC2);
        vm.expectRevert(abi.encodeWithSelector(IGrantRegistry.GrantNotParentGrantee.selector, parent, PROC2));
        grants.grant(RightType.ProcessingUse, SubjectKind.Resource, resourceId, PROC3, c, TERMS, parent);
    }

    function test_grant_suspendedCaller_reverts() public {
        uint64 parent = _grantRoot(PROC1, _defaultScope());
        vm.prank(REGULATOR);
        members.suspend(PROC1, REASON);
        Scope memory c = _defaultScope();
        c.depth = 1;
        (bool ok,, bytes memory err) = _tryGrant(PROC1, resourceId, PROC2, c, parent);
        assertFalse(ok, "a suspended member writes nothing");
        assertEq(_selector(err), IMemberRegistry.MemberNotActive.selector, "MemberNotActive");
    }
}

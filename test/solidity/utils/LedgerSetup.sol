// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Test} from "./Test.sol";
import {MemberRegistry} from "../../../contracts/access/MemberRegistry.sol";
import {ResourceRegistry} from "../../../contracts/registries/ResourceRegistry.sol";
import {GrantRegistry} from "../../../contracts/registries/GrantRegistry.sol";
import {IMemberRegistry} from "../../../contracts/interfaces/IMemberRegistry.sol";
import {IResourceRegistry} from "../../../contracts/interfaces/IResourceRegistry.sol";
import {IGrantRegistry} from "../../../contracts/interfaces/IGrantRegistry.sol";
import {ISubjectRegistry} from "../../../contracts/interfaces/ISubjectRegistry.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {
    ResourceKind,
    Category,
    Grade,
    Domain,
    OpenClass,
    RightType,
    SubjectKind,
    Scope
} from "../../../contracts/libraries/DataTypes.sol";

/// @notice Deploys the ledger the way the rules describe it and admits a small cast. Tests talk to the
/// contracts through their external interfaces only (the GrantRegistry internals are being refactored).
abstract contract LedgerSetup is Test {
    uint40 internal constant OBJECTION_WINDOW = 7 days;
    /// @dev A realistic start time, so that windows in the past are expressible.
    uint40 internal constant T0 = 1_700_000_000;

    address internal constant HOLDER = address(0x1001);
    address internal constant HOLDER2 = address(0x1002);
    address internal constant PROC1 = address(0x2001);
    address internal constant PROC2 = address(0x2002);
    address internal constant PROC3 = address(0x2003);
    address internal constant PROC4 = address(0x2004);
    address internal constant REGULATOR = address(0x3001);
    address internal constant OPERATOR = address(0x4001);
    address internal constant OUTSIDER = address(0x9999);

    bytes32 internal constant TERMS = keccak256("terms");
    bytes32 internal constant REASON = keccak256("reason");

    /// @dev The test contract is the first governor.
    address internal gov;
    IMemberRegistry internal members;
    IResourceRegistry internal resources;
    IGrantRegistry internal grants;
    /// @dev A general-grade enterprise data set held by HOLDER.
    uint64 internal resourceId;

    function setUp() public virtual {
        // Everything from here on is in the log recording (the trace invariant folds setup entries too).
        vm.recordLogs();
        vm.warp(T0);
        gov = address(this);
        MemberRegistry m = new MemberRegistry(gov, keccak256("org:gov"), keccak256("cred:gov"));
        ResourceRegistry r = new ResourceRegistry(m, OBJECTION_WINDOW);
        GrantRegistry g = new GrantRegistry(m, ISubjectRegistry(address(r)));
        (members, resources, grants) = (IMemberRegistry(address(m)), IResourceRegistry(address(r)), IGrantRegistry(address(g)));
        _wireRegistries();

        _admit(HOLDER, Roles.HOLDER);
        _admit(HOLDER2, Roles.HOLDER);
        _admit(PROC1, Roles.PROCESSOR);
        _admit(PROC2, Roles.PROCESSOR);
        _admit(PROC3, Roles.PROCESSOR);
        _admit(PROC4, Roles.PROCESSOR);
        _admit(REGULATOR, Roles.REGULATOR);
        _admit(OPERATOR, Roles.OPERATOR);

        resourceId = _registerResource(HOLDER);
    }

    /// @dev The one place for post-deployment wiring: governance (this contract) hands the resource registry its
    /// grant registry.
    function _wireRegistries() internal virtual {
        resources.setGrantRegistry(address(grants));
    }

    // ==== helpers ====

    function _admit(address account, bytes32 role) internal {
        bytes32[] memory roles = new bytes32[](1);
        roles[0] = role;
        members.admit(account, keccak256(abi.encode("org", account)), keccak256(abi.encode("cred", account)), roles);
    }

    function _registerResource(address holder) internal returns (uint64 id) {
        vm.prank(holder);
        id = resources.register(
            ResourceKind.DataSet, Category.Enterprise, Grade.General, Domain.Other, OpenClass.NotApplicable, keccak256("cat"), "ipfs://cat"
        );
    }

    function _scope(uint32 purposes, uint32 region, uint40 from, uint40 until, bool exclusive, bool maySub, uint8 depth, uint64 cap)
        internal
        pure
        returns (Scope memory)
    {
        return Scope({
            purposes: purposes,
            region: region,
            validFrom: from,
            validUntil: until,
            exclusive: exclusive,
            maySubGrant: maySub,
            depth: depth,
            cap: cap
        });
    }

    /// @dev Purposes 0b11, Ningbo, [now, now + 365 days), shared, sub-grantable two levels deep, no cap.
    function _defaultScope() internal view returns (Scope memory) {
        uint40 nowTs = uint40(block.timestamp);
        return _scope(0x3, 330200, nowTs, nowTs + 365 days, false, true, 2, 0);
    }

    /// @dev A root processing-use grant on `resourceId` by HOLDER; reverts if refused.
    function _grantRoot(address grantee, Scope memory s) internal returns (uint64) {
        vm.prank(HOLDER);
        return grants.grant(RightType.ProcessingUse, SubjectKind.Resource, resourceId, grantee, s, TERMS, 0);
    }

    /// @dev A processing-use grant by `caller`; never reverts, reports the outcome and the revert data.
    function _tryGrant(address caller, uint64 subjectId, address grantee, Scope memory s, uint64 parentId)
        internal
        returns (bool ok, uint64 id, bytes memory err)
    {
        vm.prank(caller);
        try grants.grant(RightType.ProcessingUse, SubjectKind.Resource, subjectId, grantee, s, TERMS, parentId) returns (uint64 gid) {
            return (true, gid, "");
        } catch (bytes memory e) {
            return (false, 0, e);
        }
    }

    function _selector(bytes memory err) internal pure returns (bytes4 sel) {
        if (err.length < 4) return bytes4(0);
        assembly {
            sel := mload(add(err, 32))
        }
    }

    /// @dev Storage keeps purposes, region and cap only for sub-grantable grants (the GrantIssued event carries
    /// them for all), and reports `maySubGrant` as "may actually sub-grant" (flag set and depth left).
    function _assertScope(IGrantRegistry.Grant memory g, Scope memory s, string memory what) internal pure {
        bool subGrantable = s.maySubGrant && s.depth > 0;
        assertEq(g.purposes, subGrantable ? s.purposes : 0, string.concat(what, ": purposes"));
        assertEq(g.region, subGrantable ? s.region : 0, string.concat(what, ": region"));
        assertEq(g.validFrom, s.validFrom, string.concat(what, ": validFrom"));
        assertEq(g.validUntil, s.validUntil, string.concat(what, ": validUntil"));
        assertEq(g.exclusive, s.exclusive, string.concat(what, ": exclusive"));
        assertEq(g.maySubGrant, subGrantable, string.concat(what, ": maySubGrant"));
        assertEq(g.depth, s.depth, string.concat(what, ": depth"));
        assertEq(g.cap, subGrantable ? s.cap : 0, string.concat(what, ": cap"));
    }
}

// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file, immutable-vars-naming, no-empty-blocks */
pragma solidity ^0.8.28;

import {CommonBase, Vm} from "../utils/Test.sol";
import {LedgerSetup} from "../utils/LedgerSetup.sol";
import {ScopeModel, RegionModel} from "../utils/Models.sol";
import {IGrantRegistry} from "../../../contracts/interfaces/IGrantRegistry.sol";
import {IMemberRegistry} from "../../../contracts/interfaces/IMemberRegistry.sol";
import {IResourceRegistry} from "../../../contracts/interfaces/IResourceRegistry.sol";
import {ITraceable} from "../../../contracts/interfaces/ITraceable.sol";
import {TraceLib} from "../../../contracts/libraries/TraceLib.sol";
import {Actions} from "../../../contracts/libraries/Actions.sol";
import {RightType, SubjectKind, Scope, MemberStatus} from "../../../contracts/libraries/DataTypes.sol";

/// @notice The invariant fuzzer's entry points into the ledger: root grants, sub-grants (mostly within the
/// parent, a quarter of them pushed out of it in one field), revocation, grant freeze/unfreeze, time, member
/// suspension/reinstatement, resource freeze/unfreeze and objections. It never reverts on its own: it guards
/// with no `require`, catches every ledger revert and counts each outcome in a ghost variable, which the
/// invariants assert on (a `require`-guarded handler under failOnRevert:false hides bugs, TOOLCHAIN.md 35).
/// After each action it folds the TraceRecorded entries the action caused with TraceLib.next, per
/// (emitter, subject), and checks each entry's seq, word, actor and payload hash.
///
/// Kept stable on purpose, so that actions keep succeeding: HOLDER, PROC1, the regulator, governance, and
/// resource `resourceIds[0]` (never frozen, never objected to).
///
/// It lives in this file on purpose: `hardhat test solidity <file>` compiles only the named roots, and the
/// invariant fuzzer takes a target's ABI from the artifacts, so a handler in a file of its own is either not
/// found ("No contracts to fuzz") or fuzzed with a stale ABI from an older full run (new actions never called).
contract GrantRegistryHandler is CommonBase {
    struct Traced {
        address emitter;
        bytes32 subject;
    }

    bytes32 private constant TERMS = keccak256("handler:terms");
    bytes32 private constant REASON = keccak256("handler:reason");

    IMemberRegistry public immutable members;
    IResourceRegistry public immutable resources;
    IGrantRegistry public immutable grants;
    address public immutable gov;
    address public immutable regulator;
    address public immutable holder;

    address[] internal _processors; // [0] is never suspended
    address[] internal _suspendable;
    uint64[] internal _resourceIds; // [0] stays clean

    // ---- ghosts: outcomes ----
    uint256 public ghost_calls;
    uint256 public ghost_bootstrapOk;
    uint256 public ghost_bootstrapFailed;
    uint256 public ghost_rootOk;
    uint256 public ghost_rootFailed;
    uint256 public ghost_subOk;
    // The scope each grant was issued with: storage keeps it only for sub-grantable grants, the GrantIssued
    // event carries it for all, and this ghost copy stands in for the event.
    mapping(uint64 id => Scope) private _issued;
    uint256 public ghost_subFailed;
    uint256 public ghost_subOutOfScopeTried;
    uint256 public ghost_subOutOfScopeAccepted;
    uint256 public ghost_revokeOk;
    uint256 public ghost_freezeOk;
    uint256 public ghost_unfreezeOk;
    uint256 public ghost_warps;
    uint256 public ghost_suspendOk;
    uint256 public ghost_reinstateOk;
    uint256 public ghost_resourceFreezeToggled;
    uint256 public ghost_objectionFiled;
    uint256 public ghost_objectionResolved;

    // ---- ghosts: trace ----
    uint256 public ghost_traceEntries;
    uint256 public ghost_traceSeqMismatch;
    uint256 public ghost_traceWordMismatch;
    uint256 public ghost_traceForeignEmitter;
    uint256 public ghost_traceActorMismatch;
    uint256 public ghost_tracePayloadChecked;
    uint256 public ghost_tracePayloadMismatch;

    Traced[] internal _traced;
    mapping(address emitter => mapping(bytes32 subject => bytes32 word)) public folded;
    mapping(address emitter => mapping(bytes32 subject => bool)) internal _seen;
    address private _actor; // the caller of the action being folded; zero while ingesting setup logs

    constructor(
        IMemberRegistry members_,
        IResourceRegistry resources_,
        IGrantRegistry grants_,
        address gov_,
        address regulator_,
        address holder_,
        address[] memory processors_,
        address[] memory suspendable_,
        uint64[] memory resourceIds_
    ) {
        (members, resources, grants) = (members_, resources_, grants_);
        (gov, regulator, holder) = (gov_, regulator_, holder_);
        _processors = processors_;
        _suspendable = suspendable_;
        _resourceIds = resourceIds_;
        // Fold what setup recorded (admissions, registrations), so that the model starts where the chain does.
        _ingest();
    }

    modifier step(address actor) {
        ++ghost_calls;
        vm.recordLogs();
        _actor = actor;
        _;
        _ingest();
        _actor = address(0);
    }

    // ==== actions ====

    function grantRoot(uint256 resourceSeed, uint256 granteeSeed, uint256 scopeSeed) external {
        if (grants.grantCount() == 0) return _bootstrap();
        uint64 rid = _resourceIds[resourceSeed % _resourceIds.length];
        address grantor = resources.getResource(rid).holder;
        address grantee = _processors[granteeSeed % _processors.length];
        _root(rid, grantor, grantee, _rootScope(scopeSeed));
    }

    /// @dev Three times in four the parent is the first usable grant (valid, sub-grantable) from a random start
    /// and the grantee an active processor; otherwise both are random (exercising the refusals).
    function subGrant(uint256 parentSeed, uint256 granteeSeed, uint256 scopeSeed, uint256 mutateSeed) external {
        uint64 n = grants.grantCount();
        if (n == 0) return _bootstrap();
        _subGrant(_pickParent(parentSeed, n, false), granteeSeed, scopeSeed, mutateSeed);
    }

    /// @dev Like {subGrant}, searching from the latest grant down: builds deep chains.
    function subGrantUnderLatest(uint256 parentSeed, uint256 granteeSeed, uint256 scopeSeed, uint256 mutateSeed) external {
        uint64 n = grants.grantCount();
        if (n == 0) return _bootstrap();
        _subGrant(_pickParent(parentSeed, n, true), granteeSeed, scopeSeed, mutateSeed);
    }

    function revoke(uint256 idSeed, bool byRegulator) external {
        uint64 n = grants.grantCount();
        if (n == 0) return _bootstrap();
        uint64 id = _pickTarget(idSeed, n);
        if (id == 0) return;
        address caller = byRegulator ? regulator : grants.getGrant(id).grantor;
        _revoke(id, caller);
    }

    function toggleGrantFreeze(uint256 idSeed) external {
        uint64 n = grants.grantCount();
        if (n == 0) return _bootstrap();
        uint64 id = _pickTarget(idSeed, n);
        if (id == 0) return;
        _toggleGrantFreeze(id, grants.getGrant(id).frozen);
    }

    function warp(uint256 secondsSeed, uint256 blocksSeed) external step(address(0)) {
        vm.warp(block.timestamp + bound(secondsSeed, 1, 20 days));
        vm.roll(block.number + bound(blocksSeed, 1, 100));
        ++ghost_warps;
    }

    function toggleMember(uint256 seed) external {
        address account = _suspendable[seed % _suspendable.length];
        MemberStatus status = members.statusOf(account);
        if (status == MemberStatus.Active) _suspend(account);
        else if (status == MemberStatus.Suspended) _reinstate(account);
    }

    function toggleResourceFreeze(uint256 seed) external {
        uint64 rid = _resourceIds[1 + seed % (_resourceIds.length - 1)];
        _toggleResourceFreeze(rid, resources.getResource(rid).frozen);
    }

    function objection(uint256 seed) external {
        uint64 rid = _resourceIds[1 + seed % (_resourceIds.length - 1)];
        (uint16 open, uint32 objections,) = resources.getObjectionState(rid);
        if (open == 0) _object(rid);
        else _resolve(rid, objections, (seed >> 8) % 8 == 0);
    }

    // ==== choices ====

    function _subGrant(uint64 pid, uint256 granteeSeed, uint256 scopeSeed, uint256 mutateSeed) private {
        IGrantRegistry.Grant memory p = grants.getGrant(pid);
        address grantee = _pickGrantee(granteeSeed, p.grantee);
        Scope memory c = _withinParent(p, scopeSeed);
        if (mutateSeed % 4 == 0) _pushOut(c, p, mutateSeed >> 2);
        bool inScope = ScopeModel.exceeded(c, p) == 0;
        if (!inScope) ++ghost_subOutOfScopeTried;
        _sub(p, pid, grantee, c, inScope);
    }

    function _pickParent(uint256 seed, uint64 n, bool fromLatest) private view returns (uint64) {
        uint64 random = uint64(1 + (seed >> 2) % n);
        if (seed % 4 == 0) return random;
        for (uint64 k = 0; k < n; ++k) {
            uint64 id = fromLatest ? n - k : uint64(1 + (uint256(random) - 1 + k) % n);
            IGrantRegistry.Grant memory g = grants.getGrant(id);
            if (g.maySubGrant && g.depth > 0 && grants.isGrantValid(id)) return id;
        }
        return random;
    }

    /// @dev A grant to revoke or (un)freeze, or 0 for none. The bootstrap root (id 1) carries most sub-grants,
    /// so it is hit only one time in eight it is drawn; the others are hit whenever drawn.
    function _pickTarget(uint256 seed, uint64 n) private pure returns (uint64 id) {
        id = uint64(1 + (seed >> 3) % n);
        if (id == 1 && seed % 8 != 0) id = n > 1 ? uint64(2 + (seed >> 3) % (n - 1)) : 0;
    }

    function _pickGrantee(uint256 seed, address caller) private view returns (address) {
        uint256 len = _processors.length;
        for (uint256 k = 0; k < len; ++k) {
            address a = _processors[(seed % len + k) % len];
            if (a != caller && (seed >> 128) % 4 == 0) return a; // random (may be inactive)
            if (a != caller && members.isActive(a)) return a;
        }
        return _processors[seed % len];
    }

    // ==== views for the invariants ====

    function tracedCount() external view returns (uint256) {
        return _traced.length;
    }

    function tracedAt(uint256 i) external view returns (address emitter, bytes32 subject) {
        Traced storage t = _traced[i];
        return (t.emitter, t.subject);
    }

    // ==== the calls, each one step ====

    /// @dev HOLDER grants PROC1 a long, shared, sub-grantable root on the clean resource. Nothing can refuse it
    /// (no earlier grant exists), so a failure means the setup is broken.
    function _bootstrap() private step(holder) {
        uint40 nowTs = uint40(block.timestamp);
        Scope memory s = Scope(0x0F, 0, nowTs, nowTs + 365 days, false, true, 4, 0);
        vm.prank(holder);
        try grants.grant(RightType.ProcessingUse, SubjectKind.Resource, _resourceIds[0], _processors[0], s, TERMS, 0) returns (uint64 id) {
            _issued[id] = s;
            ++ghost_bootstrapOk;
        } catch {
            ++ghost_bootstrapFailed;
        }
    }

    function _root(uint64 rid, address grantor, address grantee, Scope memory s) private step(grantor) {
        vm.prank(grantor);
        try grants.grant(RightType.ProcessingUse, SubjectKind.Resource, rid, grantee, s, TERMS, 0) returns (uint64 id) {
            _issued[id] = s;
            ++ghost_rootOk;
        } catch {
            ++ghost_rootFailed;
        }
    }

    function _sub(IGrantRegistry.Grant memory p, uint64 pid, address grantee, Scope memory c, bool inScope)
        private
        step(p.grantee)
    {
        vm.prank(p.grantee);
        try grants.grant(p.rightType, p.subjectKind, p.subjectId, grantee, c, TERMS, pid) returns (uint64 id) {
            _issued[id] = c;
            ++ghost_subOk;
            if (!inScope) ++ghost_subOutOfScopeAccepted;
        } catch {
            ++ghost_subFailed;
        }
    }

    function _revoke(uint64 id, address caller) private step(caller) {
        vm.prank(caller);
        try grants.revoke(id, REASON) {
            ++ghost_revokeOk;
        } catch {}
    }

    function _toggleGrantFreeze(uint64 id, bool frozen) private step(regulator) {
        vm.prank(regulator);
        if (frozen) {
            try grants.unfreeze(id, REASON) {
                ++ghost_unfreezeOk;
            } catch {}
        } else {
            try grants.freeze(id, REASON) {
                ++ghost_freezeOk;
            } catch {}
        }
    }

    function _suspend(address account) private step(regulator) {
        vm.prank(regulator);
        try members.suspend(account, REASON) {
            ++ghost_suspendOk;
        } catch {}
    }

    function _reinstate(address account) private step(gov) {
        vm.prank(gov);
        try members.reinstate(account, REASON) {
            ++ghost_reinstateOk;
        } catch {}
    }

    function _toggleResourceFreeze(uint64 rid, bool frozen) private step(regulator) {
        vm.prank(regulator);
        if (frozen) {
            try resources.unfreeze(rid, REASON) {
                ++ghost_resourceFreezeToggled;
            } catch {}
        } else {
            try resources.freeze(rid, REASON) {
                ++ghost_resourceFreezeToggled;
            } catch {}
        }
    }

    function _object(uint64 rid) private step(_processors[0]) {
        vm.prank(_processors[0]);
        try resources.object(rid, keccak256(abi.encode("evidence", rid))) {
            ++ghost_objectionFiled;
        } catch {}
    }

    function _resolve(uint64 rid, uint32 objectionId, bool upheld) private step(regulator) {
        vm.prank(regulator);
        try resources.resolveObjection(rid, objectionId, upheld, REASON) {
            ++ghost_objectionResolved;
        } catch {}
    }

    // ==== scopes ====

    function _rootScope(uint256 s) private view returns (Scope memory c) {
        c.purposes = uint32(1 << (s % 8));
        if ((s >> 3) & 1 == 1) c.purposes |= uint32(1 << ((s >> 4) % 8));
        uint32[5] memory regionsList = [uint32(0), 330000, 330200, 330203, 110000];
        c.region = regionsList[(s >> 8) % 5];
        c.exclusive = (s >> 12) % 6 == 0;
        c.maySubGrant = (s >> 16) % 5 != 0;
        c.depth = uint8((s >> 20) % 5);
        uint64[4] memory caps = [uint64(0), 0, 100, 1000];
        c.cap = caps[(s >> 24) % 4];
        uint40 nowTs = uint40(block.timestamp);
        uint40 shift = uint40((s >> 32) % 10 days);
        uint256 timing = (s >> 28) % 3;
        c.validFrom = timing == 0 ? nowTs : timing == 1 ? nowTs - shift : nowTs + shift;
        c.validUntil = c.validFrom + 1 hours + uint40((s >> 64) % 120 days);
        if (c.validUntil <= nowTs) c.validUntil = nowTs + 1 days;
    }

    /// @dev A scope inside `p` (when `p` allows one), boundaries included.
    function _withinParent(IGrantRegistry.Grant memory p, uint256 s) private view returns (Scope memory c) {
        c.purposes = p.purposes & uint32(s);
        if (c.purposes == 0) c.purposes = p.purposes;

        uint256 k = (s >> 32) % 3;
        if (p.region == 0) c.region = [uint32(0), 330000, 330203][k];
        else if (p.region % 10_000 == 0) c.region = k == 0 ? p.region : k == 1 ? p.region + 200 : p.region + 203;
        else if (p.region % 100 == 0) c.region = k == 0 ? p.region : p.region + 3;
        else c.region = p.region;

        uint40 nowTs = uint40(block.timestamp);
        uint40 pf = p.validFrom;
        uint40 pu = p.validUntil;
        uint256 f = (s >> 40) % 3;
        c.validFrom = f == 0 ? pf : f == 1 && nowTs >= pf && nowTs < pu ? nowTs : uint40(bound(s >> 48, pf, pu - 1));
        uint40 lo = c.validFrom + 1 > nowTs + 1 ? c.validFrom + 1 : nowTs + 1;
        c.validUntil = lo >= pu ? pu : ((s >> 96) % 2 == 0 ? pu : uint40(bound(s >> 100, lo, pu)));

        c.depth = p.depth == 0 ? 0 : uint8((s >> 140) % p.depth);
        c.cap = p.cap == 0 ? ((s >> 148) % 2 == 0 ? 0 : 50) : uint64(1 + (s >> 150) % p.cap);
        c.exclusive = p.exclusive && (s >> 200) % 2 == 0;
        c.maySubGrant = (s >> 201) % 5 != 0;
    }

    /// @dev Pushes one field of `c` out of `p` (when `p` leaves room to).
    function _pushOut(Scope memory c, IGrantRegistry.Grant memory p, uint256 s) private pure {
        uint256 field = s % 6;
        if (field == 0) {
            uint32 outside = ~p.purposes;
            if (outside != 0) c.purposes |= outside & (~outside + 1);
        } else if (field == 1) {
            if (p.region != 0) c.region = (s >> 8) % 2 == 0 ? 0 : (RegionModel.within(p.region, 110101) ? 330203 : 110101);
        } else if (field == 2) {
            if ((s >> 8) % 2 == 0 && p.validFrom > 0) c.validFrom = p.validFrom - 1;
            else c.validUntil = p.validUntil + 1;
        } else if (field == 3) {
            c.depth = p.depth < 8 && (s >> 8) % 2 == 0 ? p.depth + 1 : p.depth;
        } else if (field == 4) {
            if (p.cap != 0) c.cap = (s >> 8) % 2 == 0 ? 0 : p.cap + 1;
        } else {
            c.exclusive = true;
        }
    }

    // ==== trace folding ====

    /// @notice The scope grant `id` was issued with.
    function issuedScope(uint64 id) external view returns (Scope memory) {
        return _issued[id];
    }

    function _ingest() private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 lastPayload;
        address lastEmitter;
        for (uint256 i = 0; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.topics.length == 0) continue;
            if (entry.topics[0] != ITraceable.TraceRecorded.selector) {
                // A domain event: every event the handler's actions cause has only value-type arguments, indexed
                // ones first, so abi.encode(args) is the indexed topics followed by the data.
                lastPayload = keccak256(abi.encodePacked(_tail(entry.topics), entry.data));
                lastEmitter = entry.emitter;
                continue;
            }
            // A root grant's entry on its resource is appended by the resource registry right after GrantRegistry
            // emits GrantIssued: that entry commits to the domain event of another contract.
            bool admitted = entry.emitter == address(resources) && uint16(uint256(entry.topics[3])) == Actions.GRANT_ISSUED;
            _fold(entry, admitted || lastEmitter == entry.emitter ? lastPayload : bytes32(0));
        }
    }

    function _fold(Vm.Log memory entry, bytes32 expectedPayload) private {
        ++ghost_traceEntries;
        address e = entry.emitter;
        if (e != address(members) && e != address(resources) && e != address(grants)) ++ghost_traceForeignEmitter;
        bytes32 subject = entry.topics[1];
        uint64 seq = uint64(uint256(entry.topics[2]));
        uint16 action = uint16(uint256(entry.topics[3]));
        (address actor, bytes32 payloadHash, bytes32 word) = abi.decode(entry.data, (address, bytes32, bytes32));

        bytes32 prev = folded[e][subject];
        bytes32 mine = TraceLib.next(prev, subject, action, actor, payloadHash, uint64(block.number));
        if (seq != TraceLib.seqOf(prev) + 1) ++ghost_traceSeqMismatch;
        if (word != mine) ++ghost_traceWordMismatch;
        if (_actor != address(0)) {
            if (actor != _actor) ++ghost_traceActorMismatch;
            ++ghost_tracePayloadChecked;
            if (payloadHash != expectedPayload) ++ghost_tracePayloadMismatch;
        }
        folded[e][subject] = mine;
        if (!_seen[e][subject]) {
            _seen[e][subject] = true;
            _traced.push(Traced(e, subject));
        }
    }

    function _tail(bytes32[] memory topics) private pure returns (bytes memory out) {
        for (uint256 i = 1; i < topics.length; ++i) {
            out = abi.encodePacked(out, topics[i]);
        }
    }
}

/// @notice Invariants over random sequences of grants, sub-grants, revocations, freezes, time, suspensions,
/// resource freezes and objections (see {GrantRegistryHandler}). The handler catches every ledger revert and
/// counts outcomes in ghost variables, so the invariants run with fail-on-revert = true (inline config below,
/// overriding the profile's false): a revert can then only be a bug in the handler, and it fails loudly.
contract GrantRegistryInvariantTest is LedgerSetup {
    GrantRegistryHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint64[] memory rids = new uint64[](3);
        rids[0] = resourceId; // HOLDER's, kept clean by the handler
        rids[1] = _registerResource(HOLDER2);
        rids[2] = _registerResource(HOLDER);
        address[] memory processors = new address[](4);
        (processors[0], processors[1], processors[2], processors[3]) = (PROC1, PROC2, PROC3, PROC4);
        address[] memory suspendable = new address[](4);
        (suspendable[0], suspendable[1], suspendable[2], suspendable[3]) = (PROC2, PROC3, PROC4, HOLDER2);
        handler = new GrantRegistryHandler(members, resources, grants, gov, REGULATOR, HOLDER, processors, suspendable, rids);
        targetContract(address(handler));
    }

    /// @notice Every valid sub-grant lies within its parent's scope, and its parent is valid too. Scopes never
    /// change after issue, so containment is checked for every sub-grant, valid or not.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_noValidGrantExceedsParent() public view {
        uint64 n = grants.grantCount();
        for (uint64 id = 1; id <= n; ++id) {
            IGrantRegistry.Grant memory g = grants.getGrant(id);
            if (g.parentId == 0) continue;
            assertLe(g.parentId, id - 1, "parent issued before child");
            IGrantRegistry.Grant memory p = grants.getGrant(g.parentId);
            assertEq(ScopeModel.exceeded(handler.issuedScope(id), p), 0, "sub-grant scope exceeds its parent's");
            assertEq(g.grantor, p.grantee, "sub-grant by the parent's grantee");
            assertTrue(
                g.rightType == p.rightType && g.subjectKind == p.subjectKind && g.subjectId == p.subjectId,
                "same right and subject as the parent"
            );
            if (grants.isGrantValid(id)) assertTrue(grants.isGrantValid(g.parentId), "valid sub-grant of an invalid parent");
        }
        assertEq(handler.ghost_subOutOfScopeAccepted(), 0, "an out-of-scope sub-grant was accepted");
        assertEq(handler.ghost_bootstrapFailed(), 0, "the bootstrap root grant failed: setup is broken");
        assertEq(
            n, handler.ghost_bootstrapOk() + handler.ghost_rootOk() + handler.ghost_subOk(), "grant count = successful grants"
        );
    }

    /// @notice For every (contract, subject) the handler saw traced, folding the TraceRecorded entries with
    /// TraceLib.next gives the contract's traceWord(subject); each entry's seq, word, actor and payload agree.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_traceFoldsToHead() public view {
        uint256 n = handler.tracedCount();
        assertGt(n, 0, "setup traced nothing");
        for (uint256 i = 0; i < n; ++i) {
            (address emitter, bytes32 subject) = handler.tracedAt(i);
            assertEq(ITraceable(emitter).traceWord(subject), handler.folded(emitter, subject), "folded word != traceWord");
        }
        assertEq(handler.ghost_traceSeqMismatch(), 0, "an entry's seq is not previous + 1");
        assertEq(handler.ghost_traceWordMismatch(), 0, "an entry's word is not the fold");
        assertEq(handler.ghost_traceForeignEmitter(), 0, "a trace entry from an unknown contract");
        assertEq(handler.ghost_traceActorMismatch(), 0, "an entry's actor is not the caller");
        assertEq(handler.ghost_tracePayloadMismatch(), 0, "an entry's payload hash is not its domain event's");
    }

    /// @dev After each run of 16 calls or more (shorter ones are the shrinker's): grant actions happened and
    /// the first bootstrapped a grant, so the invariants above did not check an empty ledger. The ghost counters
    /// count successes only; handler reverts are caught by fail-on-revert (the handler never reverts by design).
    function afterInvariant() public view {
        if (handler.ghost_calls() < 16) return;
        assertEq(handler.ghost_bootstrapOk(), 1, "bootstrap grant");
        assertGt(grants.grantCount(), 0, "no grant issued in the whole run");
    }

    /// @notice The handler itself never reverts (under failOnRevert:false a reverting action would silently do
    /// nothing): random sequences of its actions, called directly, must all return.
    function testFuzz_handler_neverReverts(uint256[24] memory seeds) public {
        for (uint256 i = 0; i < seeds.length; ++i) {
            // Raw neighbours as arguments, so the fuzzer's edge values (0, max, ...) reach the handler.
            uint256 a = seeds[i] % 10;
            uint256 s = seeds[(i + 1) % 24];
            uint256 t = seeds[(i + 2) % 24];
            uint256 u = seeds[(i + 3) % 24];
            uint256 v = seeds[(i + 4) % 24];
            if (a == 0) handler.grantRoot(s, t, u);
            else if (a == 1) handler.subGrant(s, t, u, v);
            else if (a == 2) handler.subGrantUnderLatest(s, t, u, v);
            else if (a == 3) handler.revoke(s, t % 2 == 0);
            else if (a == 4) handler.toggleGrantFreeze(s);
            else if (a == 5) handler.warp(s, t);
            else if (a == 6) handler.toggleMember(s);
            else if (a == 7) handler.toggleResourceFreeze(s);
            else if (a == 8) handler.objection(s);
            else handler.subGrant(s, t, u, v);
        }
        invariant_noValidGrantExceedsParent();
        invariant_traceFoldsToHead();
    }

    /// @notice Guards the guards: a scripted sequence where every handler action must succeed at least once,
    /// and the invariants hold after it (so the invariant runs are not vacuous).
    function test_handler_everyActionSucceeds() public {
        handler.grantRoot(0, 0, 0); // bootstrap
        handler.grantRoot(0, 1, 1 + (1 << 12)); // HOLDER -> PROC2 on resource 1, purposes bit 1, shared
        handler.subGrant(0, 1, 0, 1); // under grant 1, within scope
        handler.subGrant(0, 1, 0, 0); // under grant 1, purposes pushed out: refused
        handler.toggleGrantFreeze(1); // freeze grant 2
        handler.toggleGrantFreeze(1); // unfreeze grant 2
        handler.revoke(1, true); // regulator revokes grant 2
        handler.toggleMember(0); // suspend PROC2
        handler.toggleMember(0); // reinstate PROC2
        handler.toggleResourceFreeze(0); // freeze resource 2
        handler.objection(1); // object to resource 3
        handler.objection(1 + (1 << 8)); // resolve it, dismissed
        handler.warp(1 days, 10);
        handler.grantRoot(1, 2, 1); // HOLDER2 -> PROC3 on frozen resource 2: refused

        assertEq(handler.ghost_bootstrapOk(), 1, "bootstrap");
        assertGt(handler.ghost_rootOk(), 0, "root grant");
        assertGt(handler.ghost_rootFailed(), 0, "refused root grant");
        assertGt(handler.ghost_subOk(), 0, "sub-grant");
        assertGt(handler.ghost_subOutOfScopeTried(), 0, "out-of-scope sub-grant tried");
        assertGt(handler.ghost_freezeOk(), 0, "freeze");
        assertGt(handler.ghost_unfreezeOk(), 0, "unfreeze");
        assertGt(handler.ghost_revokeOk(), 0, "revoke");
        assertGt(handler.ghost_suspendOk(), 0, "suspend");
        assertGt(handler.ghost_reinstateOk(), 0, "reinstate");
        assertGt(handler.ghost_resourceFreezeToggled(), 0, "resource freeze");
        assertGt(handler.ghost_objectionFiled(), 0, "objection filed");
        assertGt(handler.ghost_objectionResolved(), 0, "objection resolved");
        assertGt(handler.ghost_warps(), 0, "warp");
        assertGt(handler.ghost_tracePayloadChecked(), 10, "trace payloads checked");
        invariant_noValidGrantExceedsParent();
        invariant_traceFoldsToHead();
    }
}

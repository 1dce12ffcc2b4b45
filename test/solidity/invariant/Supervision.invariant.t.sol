// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file, immutable-vars-naming, no-empty-blocks */
pragma solidity ^0.8.28;

import {CommonBase} from "../utils/Test.sol";
import {SupervisionSetup} from "../utils/SupervisionSetup.sol";
import {IDisputeRegistry} from "../../../contracts/interfaces/IDisputeRegistry.sol";
import {IReportRegistry} from "../../../contracts/interfaces/IReportRegistry.sol";
import {ISanctions} from "../../../contracts/interfaces/ISanctions.sol";
import {SubjectKeys} from "../../../contracts/libraries/SubjectKeys.sol";
import {SubjectKind} from "../../../contracts/libraries/DataTypes.sol";
import {DisputeStatus, ReportStatus, Outcome, OutcomeKind} from "../../../contracts/libraries/SupervisionTypes.sol";

/// @notice The invariant fuzzer's entry points into disputes and reports: open, evidence (from a small hash space, so
/// that reuse is tried often), arbiter assignment, rulings (dismiss, interim freeze, compensation), appeals, execution,
/// withdrawal and time; reports filed, investigated, substantiated (with a sanction caused by the report) and
/// dismissed. It never reverts: every ledger call is caught, and on success the handler's model moves the item to the
/// status the transition names, which the invariants compare with the contracts. Lives in the invariant test file for
/// the reason given in test/solidity/README.md.
contract SupervisionHandler is CommonBase {
    // Everything but the actions is internal: the fuzzer calls every public function of its target, and getters
    // would dilute the actions (Test.sol has no targetSelector).
    IDisputeRegistry internal immutable disputes;
    IReportRegistry internal immutable reports;
    ISanctions internal immutable sanctions;
    address internal immutable gov;
    address internal immutable regulator;
    uint64 internal immutable resourceId;

    address[4] internal _parties;
    address[2] internal _arbiters;

    mapping(uint64 id => DisputeStatus) internal _modelDispute;
    mapping(uint64 id => ReportStatus) internal _modelReport;
    bytes32[] internal _acceptedEvidence;
    mapping(bytes32 evidenceHash => bool) internal _ghostAccepted;

    uint256 internal ghost_calls;
    uint256 internal ghost_opened;
    uint256 internal ghost_evidenceAccepted;
    uint256 internal ghost_evidenceReuseTried;
    uint256 internal ghost_evidenceAcceptedTwice;
    uint256 internal ghost_ruled;
    uint256 internal ghost_appealed;
    uint256 internal ghost_appealLate;
    uint256 internal ghost_appealLateAccepted;
    uint256 internal ghost_executed;
    uint256 internal ghost_executedEarly;
    uint256 internal ghost_reportsFiled;
    uint256 internal ghost_reportsTriaged;

    constructor(
        IDisputeRegistry disputes_,
        IReportRegistry reports_,
        ISanctions sanctions_,
        address gov_,
        address regulator_,
        uint64 resourceId_,
        address[4] memory parties,
        address[2] memory arbiters
    ) {
        (disputes, reports, sanctions, gov, regulator, resourceId) = (disputes_, reports_, sanctions_, gov_, regulator_, resourceId_);
        _parties = parties;
        _arbiters = arbiters;
    }

    // ==== disputes ====

    function open(uint256 claimantSeed, uint256 respondentSeed, bool twoSubjects) external {
        ++ghost_calls;
        address claimant = _parties[claimantSeed % 4];
        address respondent = _parties[respondentSeed % 4];
        bytes32[] memory subjects = new bytes32[](twoSubjects ? 2 : 1);
        subjects[0] = SubjectKeys.key(SubjectKind.Resource, resourceId);
        if (twoSubjects) subjects[1] = SubjectKeys.member(respondent);
        vm.prank(claimant);
        try disputes.open(respondent, subjects, keccak256(abi.encode("claim", ghost_calls))) returns (uint64 id) {
            _modelDispute[id] = DisputeStatus.Open;
            ++ghost_opened;
        } catch {}
    }

    function submitEvidence(uint256 idSeed, uint256 partySeed, uint8 hashSeed) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        IDisputeRegistry.Dispute memory d = disputes.getDispute(id);
        address party = partySeed % 2 == 0 ? d.claimant : d.respondent;
        bytes32 evidence = keccak256(abi.encode("evidence", hashSeed % 6));
        bool reused = _ghostAccepted[evidence];
        if (reused) ++ghost_evidenceReuseTried;
        vm.prank(party);
        try disputes.submitEvidence(id, evidence, "ipfs://evidence") {
            if (reused) ++ghost_evidenceAcceptedTwice;
            _ghostAccepted[evidence] = true;
            _acceptedEvidence.push(evidence);
            ++ghost_evidenceAccepted;
        } catch {}
    }

    function assignArbiter(uint256 idSeed, uint256 arbiterSeed) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        vm.prank(gov);
        try disputes.assignArbiter(id, _arbiters[arbiterSeed % 2]) {} catch {}
    }

    function rule(uint256 idSeed, uint256 outcomeSeed) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        IDisputeRegistry.Dispute memory d = disputes.getDispute(id);
        bool onAppeal = d.status == DisputeStatus.Appealed;
        address arbiter = onAppeal ? d.appealArbiter : d.arbiter;
        if (arbiter == address(0)) {
            // No arbiter for this instance yet: governance assigns one first (rulings would rarely happen otherwise).
            arbiter = onAppeal ? (d.arbiter == _arbiters[0] ? _arbiters[1] : _arbiters[0]) : _arbiters[outcomeSeed % 2];
            vm.prank(gov);
            try disputes.assignArbiter(id, arbiter) {} catch {}
        }
        Outcome[] memory outcomes = new Outcome[](1);
        uint256 pick = outcomeSeed % 3;
        if (pick == 0) outcomes[0] = Outcome(OutcomeKind.Dismiss, 0, address(0), 0);
        else if (pick == 1) outcomes[0] = Outcome(OutcomeKind.FreezeSubject, 0, address(0), 0);
        else outcomes[0] = Outcome(OutcomeKind.Compensation, 0, d.claimant, uint128(1 + outcomeSeed % 1000));
        vm.prank(arbiter);
        try disputes.rule(id, keccak256(abi.encode("ruling", id, onAppeal)), outcomes) {
            _modelDispute[id] = onAppeal ? DisputeStatus.AppealRuled : DisputeStatus.Ruled;
            ++ghost_ruled;
        } catch {}
    }

    function appeal(uint256 idSeed, bool byClaimant) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        IDisputeRegistry.Dispute memory d = disputes.getDispute(id);
        bool late = d.status == DisputeStatus.Ruled && block.timestamp >= d.appealDeadline;
        if (late) ++ghost_appealLate;
        vm.prank(byClaimant ? d.claimant : d.respondent);
        try disputes.appeal(id, keccak256("grounds")) {
            if (late) ++ghost_appealLateAccepted;
            _modelDispute[id] = DisputeStatus.Appealed;
            ++ghost_appealed;
        } catch {}
    }

    /// @dev Executes with the outcomes the handler's `rule` would have passed (rebuilt from the ruling's seedless
    /// forms: the three possible outcome lists are tried, only the recorded one matches).
    function execute(uint256 idSeed, uint256 amountSeed) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        IDisputeRegistry.Dispute memory d = disputes.getDispute(id);
        bool early = d.status == DisputeStatus.Ruled && block.timestamp < d.appealDeadline;
        Outcome[] memory outcomes = new Outcome[](1);
        uint256 pick = amountSeed % 3;
        if (pick == 0) outcomes[0] = Outcome(OutcomeKind.Dismiss, 0, address(0), 0);
        else if (pick == 1) outcomes[0] = Outcome(OutcomeKind.FreezeSubject, 0, address(0), 0);
        else outcomes[0] = Outcome(OutcomeKind.Compensation, 0, d.claimant, uint128(1 + (amountSeed >> 2) % 1000));
        vm.prank(_parties[amountSeed % 4]);
        try disputes.execute(id, outcomes) {
            if (early) ++ghost_executedEarly;
            _modelDispute[id] = DisputeStatus.Executed;
            ++ghost_executed;
        } catch {}
    }

    function withdraw(uint256 idSeed) external {
        ++ghost_calls;
        uint64 id = _dispute(idSeed);
        if (id == 0) return;
        vm.prank(disputes.getDispute(id).claimant);
        try disputes.withdraw(id, keccak256("withdrawn")) {
            _modelDispute[id] = DisputeStatus.Withdrawn;
        } catch {}
    }

    function warp(uint256 secondsSeed) external {
        ++ghost_calls;
        vm.warp(block.timestamp + bound(secondsSeed, 1, 2 days));
    }

    // ==== reports ====

    function fileReport(uint256 filerSeed, uint16 categorySeed) external {
        ++ghost_calls;
        // Categories 0..8: 0 and 8 are refused, 1 (privacy complaint) is refused on an enterprise resource.
        uint16 category = categorySeed % 9;
        vm.prank(_parties[filerSeed % 4]);
        try reports.file(SubjectKeys.key(SubjectKind.Resource, resourceId), category, keccak256(abi.encode("report", ghost_calls))) returns (uint64 id) {
            _modelReport[id] = ReportStatus.Received;
            ++ghost_reportsFiled;
        } catch {}
    }

    function triage(uint256 idSeed, uint8 step) external {
        ++ghost_calls;
        uint64 n = reports.reportCount();
        if (n == 0) return;
        uint64 id = uint64(1 + idSeed % n);
        bytes32 reason = keccak256("triage");
        uint8 s = step % 3;
        if (s == 0) {
            vm.prank(regulator);
            try reports.investigate(id, reason) {
                _modelReport[id] = ReportStatus.Investigating;
                ++ghost_reportsTriaged;
            } catch {}
        } else if (s == 1) {
            vm.prank(regulator);
            try reports.dismiss(id, reason) {
                _modelReport[id] = ReportStatus.Dismissed;
                ++ghost_reportsTriaged;
            } catch {}
        } else {
            _substantiate(id, reason);
        }
    }

    function _substantiate(uint64 id, bytes32 reason) private {
        if (reports.reportStatus(id) != ReportStatus.Investigating) return;
        uint64[] memory ids = new uint64[](1);
        vm.prank(regulator);
        try sanctions.freeze(SubjectKeys.member(_parties[id % 4]), SubjectKeys.key(SubjectKind.Report, id), reason) returns (uint64 sid) {
            ids[0] = sid;
            vm.prank(regulator);
            sanctions.lift(sid, reason);
        } catch {
            return;
        }
        vm.prank(regulator);
        try reports.substantiate(id, ids, reason) {
            _modelReport[id] = ReportStatus.Substantiated;
            ++ghost_reportsTriaged;
        } catch {}
    }

    /// @notice The handler's model and counters, in one getter (see the note on visibility above).
    function probe(uint64 disputeId, uint64 reportId, uint256 evidenceIndex)
        external
        view
        returns (DisputeStatus dispute, ReportStatus report, bytes32 evidence, uint256 evidenceCount, uint256[14] memory counts)
    {
        dispute = _modelDispute[disputeId];
        report = _modelReport[reportId];
        evidenceCount = _acceptedEvidence.length;
        evidence = evidenceIndex < evidenceCount ? _acceptedEvidence[evidenceIndex] : bytes32(0);
        counts = [
            ghost_calls,
            ghost_opened,
            ghost_evidenceAccepted,
            ghost_evidenceReuseTried,
            ghost_evidenceAcceptedTwice,
            ghost_ruled,
            ghost_appealed,
            ghost_appealLate,
            ghost_appealLateAccepted,
            ghost_executed,
            ghost_executedEarly,
            ghost_reportsFiled,
            ghost_reportsTriaged,
            0
        ];
    }

    /// @dev A dispute id among those opened; while none is, opens one (HOLDER vs HOLDER2) and returns 0, so that
    /// every dispute action on an empty registry bootstraps it.
    function _dispute(uint256 seed) private returns (uint64) {
        uint64 n = disputes.disputeCount();
        if (n != 0) return uint64(1 + seed % n);
        bytes32[] memory subjects = new bytes32[](1);
        subjects[0] = SubjectKeys.key(SubjectKind.Resource, resourceId);
        vm.prank(_parties[0]);
        try disputes.open(_parties[1], subjects, keccak256("bootstrap")) returns (uint64 id) {
            _modelDispute[id] = DisputeStatus.Open;
            ++ghost_opened;
        } catch {}
        return 0;
    }
}

/// @notice Invariants of disputes and reports: every item is in a defined status equal to the handler's model, with the
/// fields that status implies; an evidence hash is never accepted twice; an appeal is never accepted at or after the
/// deadline and no ruling is executed before it.
contract SupervisionInvariantTest is SupervisionSetup {
    SupervisionHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new SupervisionHandler(
            disputes, reports, sanctions, gov, REGULATOR, resourceId, [HOLDER, HOLDER2, PROC1, PROC2], [ARBITER1, ARBITER2]
        );
        // The handler acts as governance (assigning arbiters) through `gov`, which is this contract: prank works on it.
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_disputesInDefinedState() public view {
        uint64 n = disputes.disputeCount();
        for (uint64 id = 1; id <= n; ++id) {
            IDisputeRegistry.Dispute memory d = disputes.getDispute(id);
            DisputeStatus s = d.status;
            (DisputeStatus model,,,,) = handler.probe(id, 0, 0);
            assertEq(uint256(s), uint256(model), "dispute status equals the model");
            assertTrue(s != DisputeStatus.None, "an opened dispute has a status");
            assertTrue(d.claimant != address(0) && d.respondent != address(0) && d.claimant != d.respondent, "parties");
            assertTrue(d.subjectCount >= 1 && d.subjectCount <= 8, "subject count");
            assertEq(uint256(d.frozenMask) >> d.subjectCount, 0, "freeze mask within the subjects");
            bool ruled = s == DisputeStatus.Ruled || s == DisputeStatus.Appealed || s == DisputeStatus.AppealRuled
                || s == DisputeStatus.Executed;
            assertEq(d.rulingHash != bytes32(0), ruled, "a ruling hash exactly when ruled");
            assertEq(d.outcomesHash != bytes32(0), ruled, "an outcomes hash exactly when ruled");
            assertEq(d.appealDeadline != 0, ruled, "a deadline exactly when ruled");
            if (ruled) assertTrue(d.arbiter != address(0), "a ruled dispute has an arbiter");
            if (s == DisputeStatus.AppealRuled) {
                assertTrue(d.appealArbiter != address(0) && d.appealArbiter != d.arbiter, "a different appeal arbiter");
            }
            if (!ruled) assertEq(d.frozenMask, 0, "no freeze before a ruling");
        }
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_reportsInDefinedState() public view {
        uint64 n = reports.reportCount();
        for (uint64 id = 1; id <= n; ++id) {
            IReportRegistry.Report memory r = reports.getReport(id);
            (, ReportStatus model,,,) = handler.probe(0, id, 0);
            assertEq(uint256(r.status), uint256(model), "report status equals the model");
            assertTrue(r.status != ReportStatus.None, "a filed report has a status");
            assertTrue(r.category >= 1 && r.category <= 7, "category in range");
            assertTrue(r.filer != address(0) && r.subject != bytes32(0), "filer and subject");
        }
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_evidenceAcceptedOnce() public view {
        (,,, uint256 n, uint256[14] memory c) = handler.probe(0, 0, 0);
        assertEq(c[4], 0, "an evidence hash accepted twice");
        for (uint256 i = 0; i < n; ++i) {
            (,, bytes32 evidence,,) = handler.probe(0, 0, i);
            assertTrue(disputes.isEvidenceUsed(evidence), "accepted evidence is marked used");
        }
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_appealWindowRespected() public view {
        uint256[14] memory c = _counts();
        assertEq(c[8], 0, "an appeal accepted at or after the deadline");
        assertEq(c[10], 0, "a ruling executed before its deadline");
    }

    /// @dev After each run of 16 calls or more (shorter ones are the shrinker's): disputes were opened, so the
    /// invariants above did not check an empty registry.
    function afterInvariant() public view {
        uint256[14] memory c = _counts();
        if (c[0] < 16) return;
        assertGt(disputes.disputeCount(), 0, "no dispute opened in the whole run");
    }

    function _counts() internal view returns (uint256[14] memory c) {
        (,,,, c) = handler.probe(0, 0, 0);
    }

    /// @notice The handler never reverts (fail-on-revert would report it, but a direct check names the sequence).
    function testFuzz_handler_neverReverts(uint256[24] memory seeds) public {
        for (uint256 i = 0; i < seeds.length; ++i) {
            uint256 a = seeds[i] % 10;
            uint256 s = seeds[(i + 1) % 24];
            uint256 t = seeds[(i + 2) % 24];
            if (a == 0) handler.open(s, t, s % 2 == 0);
            else if (a == 1) handler.submitEvidence(s, t, uint8(t));
            else if (a == 2) handler.assignArbiter(s, t);
            else if (a == 3) handler.rule(s, t);
            else if (a == 4) handler.appeal(s, t % 2 == 0);
            else if (a == 5) handler.execute(s, t);
            else if (a == 6) handler.withdraw(s);
            else if (a == 7) handler.warp(s);
            else if (a == 8) handler.fileReport(s, uint16(t));
            else handler.triage(s, uint8(t));
        }
        invariant_disputesInDefinedState();
        invariant_reportsInDefinedState();
        invariant_evidenceAcceptedOnce();
        invariant_appealWindowRespected();
    }

    /// @notice Guards the guards: a scripted sequence in which every handler action succeeds at least once and the
    /// refusals the invariants are about are tried (evidence reuse, a late appeal), so the invariant runs are not vacuous.
    function test_handler_everyActionSucceeds() public {
        handler.open(0, 1, false); // 1: HOLDER vs HOLDER2 over the resource
        handler.open(2, 3, true); // 2: PROC1 vs PROC2 over the resource and PROC2
        handler.submitEvidence(0, 0, 5);
        handler.submitEvidence(0, 1, 5); // the same hash again: refused
        handler.assignArbiter(0, 0); // dispute 1: ARBITER1
        handler.rule(0, 1); // interim freeze of the resource
        handler.appeal(0, true);
        handler.assignArbiter(0, 1); // appeal: ARBITER2
        handler.rule(0, 0); // appeal dismisses: final
        handler.execute(0, 0); // Dismiss, by HOLDER
        handler.assignArbiter(1, 0); // dispute 2: ARBITER1
        handler.rule(1, 2); // compensation of 3 to PROC1
        handler.warp(2 days);
        handler.warp(2 days);
        handler.appeal(1, true); // late: refused
        handler.execute(1, 8); // Compensation(PROC1, 3), by HOLDER
        handler.open(0, 1, false); // 3
        handler.withdraw(2); // dispute 3
        handler.fileReport(0, 2); // report 1
        handler.triage(0, 0); // investigate
        handler.triage(0, 2); // substantiate with a sanction caused by the report
        handler.fileReport(1, 2); // report 2
        handler.triage(1, 1); // dismiss

        uint256[14] memory c = _counts();
        assertEq(c[1], 3, "opened");
        assertEq(c[2], 1, "evidence accepted");
        assertEq(c[3], 1, "evidence reuse tried");
        assertEq(c[5], 3, "ruled");
        assertEq(c[6], 1, "appealed");
        assertEq(c[7], 1, "late appeal tried");
        assertEq(c[9], 2, "executed");
        assertEq(c[11], 2, "reports filed");
        assertEq(c[12], 3, "reports triaged");
        assertEq(uint256(disputes.disputeStatus(3)), uint256(DisputeStatus.Withdrawn), "withdrawn");
        assertEq(uint256(reports.reportStatus(1)), uint256(ReportStatus.Substantiated), "substantiated");
        invariant_disputesInDefinedState();
        invariant_reportsInDefinedState();
        invariant_evidenceAcceptedOnce();
        invariant_appealWindowRespected();
    }
}

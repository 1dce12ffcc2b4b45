// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SupervisionSetup} from "./utils/SupervisionSetup.sol";
import {IDisputeRegistry} from "../../contracts/interfaces/IDisputeRegistry.sol";
import {SubjectKeys} from "../../contracts/libraries/SubjectKeys.sol";
import {SubjectKind} from "../../contracts/libraries/DataTypes.sol";
import {DisputeStatus, Outcome, OutcomeKind} from "../../contracts/libraries/SupervisionTypes.sol";

/// @notice Fuzzing of the appeal-window boundaries: for any window governance may set and any time after the ruling,
/// an appeal is accepted exactly when it comes before the deadline (ruling time + window), and execution exactly when
/// it does not. Both branches are asserted.
contract DisputeRegistryAppealWindowTest is SupervisionSetup {
    bytes32 internal constant CLAIM = keccak256("claim");
    bytes32 internal constant RULING = keccak256("ruling");

    function _ruled(uint40 window) internal returns (uint64 id, uint40 ruledAt, Outcome[] memory outcomes) {
        disputes.setAppealWindow(window);
        bytes32[] memory subjects = new bytes32[](1);
        subjects[0] = SubjectKeys.key(SubjectKind.Resource, resourceId);
        vm.prank(HOLDER2);
        id = disputes.open(HOLDER, subjects, CLAIM);
        disputes.assignArbiter(id, ARBITER1);
        outcomes = new Outcome[](1);
        outcomes[0] = Outcome(OutcomeKind.Compensation, 0, HOLDER2, 100);
        ruledAt = uint40(block.timestamp);
        vm.prank(ARBITER1);
        disputes.rule(id, RULING, outcomes);
    }

    function testFuzz_appeal_acceptedExactlyBeforeDeadline(uint40 windowSeed, uint40 elapsedSeed) public {
        uint40 window = uint40(bound(windowSeed, 1, 180 days));
        (uint64 id, uint40 ruledAt, Outcome[] memory outcomes) = _ruled(window);
        uint40 deadline = ruledAt + window;
        assertEq(disputes.getDispute(id).appealDeadline, deadline, "deadline");
        uint40 elapsed = uint40(bound(elapsedSeed, 0, uint256(window) * 2));
        vm.warp(uint256(ruledAt) + elapsed);
        if (elapsed < window) {
            assertFalse(disputes.isFinal(id), "not final before the deadline");
            vm.expectRevert(abi.encodeWithSelector(IDisputeRegistry.DisputeNotFinal.selector, id));
            disputes.execute(id, outcomes);
            vm.prank(HOLDER);
            disputes.appeal(id, keccak256("grounds"));
            assertEq(uint256(disputes.disputeStatus(id)), uint256(DisputeStatus.Appealed), "appealed");
        } else {
            assertTrue(disputes.isFinal(id), "final from the deadline on");
            vm.prank(HOLDER);
            vm.expectRevert(abi.encodeWithSelector(IDisputeRegistry.DisputeAppealWindowClosed.selector, id, uint256(deadline)));
            disputes.appeal(id, keccak256("grounds"));
            vm.prank(PROC1);
            disputes.execute(id, outcomes);
            assertEq(uint256(disputes.disputeStatus(id)), uint256(DisputeStatus.Executed), "executed");
            assertEq(disputes.compensationOf(id, HOLDER2), 100, "compensation recorded");
        }
    }

    /// @dev The window is read when the ruling is recorded: changing it later moves no deadline.
    function testFuzz_setAppealWindow_doesNotMoveRecordedDeadlines(uint40 firstSeed, uint40 laterSeed) public {
        uint40 first = uint40(bound(firstSeed, 1, 180 days));
        uint40 later = uint40(bound(laterSeed, 1, 180 days));
        (uint64 id, uint40 ruledAt,) = _ruled(first);
        disputes.setAppealWindow(later);
        assertEq(disputes.getDispute(id).appealDeadline, ruledAt + first, "deadline kept");
    }

    function testFuzz_setAppealWindow_bounds(uint40 window) public {
        if (window == 0 || window > 180 days) {
            vm.expectRevert(abi.encodeWithSelector(IDisputeRegistry.DisputeInvalidAppealWindow.selector, uint256(window), uint256(180 days)));
            disputes.setAppealWindow(window);
        } else {
            disputes.setAppealWindow(window);
            assertEq(disputes.appealWindow(), window, "window set");
        }
    }
}

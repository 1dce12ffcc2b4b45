// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DisputeStatus, Outcome} from "../libraries/SupervisionTypes.sol";
import {ISupervisedSubjects} from "./ISupervisedSubjects.sol";

/// @title IDisputeRegistry
/// @notice Disputes between members (数据争议处置): claim, evidence from each party (an evidence hash is accepted once
/// across all disputes), an arbiter assigned by governance or by both parties' agreement, a ruling (hash + outcome
/// actions), one appeal by either party within the window governance sets, ruled by a different arbiter, then final.
///
/// Freezes ordered by a ruling apply when the ruling is recorded, as interim measures during the appeal window (a
/// subject already frozen is left as it is and never lifted by the dispute); an appeal ruling lifts the interim
/// freezes it does not order again and applies its own. Every other effect (grant revocation, holding transfer
/// through a severe-action proposal, compensation entitlement) applies when the final ruling is executed, in one
/// transaction: any failing effect reverts them all.
interface IDisputeRegistry is ISupervisedSubjects {
    /// @notice The stored state of a dispute (claim, evidence and outcomes live in events; outcomes as a hash).
    struct Dispute {
        address claimant;
        uint40 openedAt;
        DisputeStatus status;
        uint8 subjectCount;
        uint8 frozenMask;
        address respondent;
        uint40 appealDeadline;
        address arbiter;
        address appealArbiter;
        bytes32 rulingHash;
        bytes32 outcomesHash;
    }

    /// @notice Thrown when `disputeId` was never opened.
    error DisputeUnknown(uint64 disputeId);
    /// @notice Thrown when a claim, evidence, ruling, grounds or reason hash is zero.
    error DisputeEmptyHash();
    /// @notice Thrown when the respondent is the claimant or not an active member.
    error DisputeInvalidRespondent(address respondent);
    /// @notice Thrown when the subject list is empty, too long, or names a subject twice.
    error DisputeInvalidSubjects(uint256 count, uint256 max);
    /// @notice Thrown when `account` is not a party to the dispute.
    error DisputeNotParty(uint64 disputeId, address account);
    /// @notice Thrown when `account` is not the claimant.
    error DisputeNotClaimant(uint64 disputeId, address account);
    /// @notice Thrown when an action does not apply to the dispute's status.
    error DisputeInvalidStatus(uint64 disputeId, DisputeStatus status);
    /// @notice Thrown when an evidence hash was accepted before (in any dispute).
    error DisputeEvidenceUsed(bytes32 evidenceHash);
    /// @notice Thrown when an evidence URI is empty or longer than the maximum.
    error DisputeInvalidUri(uint256 length, uint256 max);
    /// @notice Thrown when an arbiter is not an active arbiter, is a party, or (on appeal) ruled the first instance.
    error DisputeIneligibleArbiter(uint64 disputeId, address arbiter);
    /// @notice Thrown when `account` is not the dispute's arbiter for the current instance.
    error DisputeNotArbiter(uint64 disputeId, address account);
    /// @notice Thrown when the outcome list is empty or too long.
    error DisputeInvalidOutcomeCount(uint256 count, uint256 max);
    /// @notice Thrown when outcome `index` is not valid for the dispute (kind, subject, beneficiary or amount).
    error DisputeInvalidOutcome(uint256 index);
    /// @notice Thrown when an appeal comes at or after the deadline.
    error DisputeAppealWindowClosed(uint64 disputeId, uint256 deadline);
    /// @notice Thrown when executing a ruling that is not final yet.
    error DisputeNotFinal(uint64 disputeId);
    /// @notice Thrown when the outcomes passed to execution are not those of the final ruling.
    error DisputeOutcomesMismatch(uint64 disputeId);
    /// @notice Thrown when the appeal window would be zero or longer than the maximum.
    error DisputeInvalidAppealWindow(uint256 window, uint256 max);

    /// @notice Emitted when a member opens a dispute against another over `subjects` (subject keys).
    event DisputeOpened(
        uint64 indexed disputeId, address indexed claimant, address indexed respondent, bytes32 claimHash, bytes32[] subjects
    );
    /// @notice Emitted when a party submits evidence.
    event EvidenceSubmitted(uint64 indexed disputeId, address indexed party, bytes32 indexed evidenceHash, string uri);
    /// @notice Emitted when a party proposes an arbiter for the current instance (`appeal`: the appeal instance).
    event ArbiterProposed(uint64 indexed disputeId, address indexed party, address indexed arbiter, bool appeal);
    /// @notice Emitted when an arbiter is assigned, by governance or by the agreement of both parties (`by` is then
    /// the party whose proposal completed the agreement).
    event ArbiterAssigned(uint64 indexed disputeId, address indexed arbiter, address indexed by, bool appeal, bool agreed);
    /// @notice Emitted when an arbiter records a ruling (`appeal`: the appeal ruling, which is final).
    event RulingRecorded(
        uint64 indexed disputeId, address indexed arbiter, bool appeal, bytes32 rulingHash, uint40 appealDeadline, Outcome[] outcomes
    );
    /// @notice Emitted when a party appeals the first ruling.
    event AppealFiled(uint64 indexed disputeId, address indexed appellant, bytes32 groundsHash);
    /// @notice Emitted when a ruling freezes a dispute subject (a link: the registry traces the freeze on the subject).
    event RulingFreezeApplied(uint64 indexed disputeId, bytes32 indexed subject);
    /// @notice Emitted when an appeal ruling lifts an interim freeze of the first ruling.
    event RulingFreezeLifted(uint64 indexed disputeId, bytes32 indexed subject);
    /// @notice Emitted when a final ruling records a compensation entitlement (settled off-chain).
    event CompensationRecorded(uint64 indexed disputeId, address indexed payer, address indexed beneficiary, uint128 amount);
    /// @notice Emitted when the final ruling's effects are applied.
    event RulingExecuted(uint64 indexed disputeId, address indexed by, bytes32 outcomesHash);
    /// @notice Emitted when the claimant withdraws a dispute before any ruling.
    event DisputeWithdrawn(uint64 indexed disputeId, address indexed claimant, bytes32 reasonHash);
    /// @notice Emitted when governance sets the appeal window.
    event AppealWindowSet(uint40 window, address indexed by);

    /// @notice Opens a dispute against `respondent` over 1..MAX_SUBJECTS existing subjects. Any active member.
    /// @return disputeId the new dispute's id.
    function open(address respondent, bytes32[] calldata subjects, bytes32 claimHash) external returns (uint64 disputeId);

    /// @notice Submits evidence while the dispute is open or under appeal. Parties only; a hash is accepted once.
    function submitEvidence(uint64 disputeId, bytes32 evidenceHash, string calldata uri) external;

    /// @notice Assigns the arbiter of the current instance (first or appeal) before it is ruled. Governance only.
    function assignArbiter(uint64 disputeId, address arbiter) external;

    /// @notice Proposes an arbiter for the current instance; assigned when both parties proposed the same. Parties only.
    function agreeArbiter(uint64 disputeId, address arbiter) external;

    /// @notice Records the ruling of the current instance. Its assigned arbiter only.
    function rule(uint64 disputeId, bytes32 rulingHash, Outcome[] calldata outcomes) external;

    /// @notice Appeals the first ruling before its deadline, once per dispute. Parties only.
    function appeal(uint64 disputeId, bytes32 groundsHash) external;

    /// @notice Applies the final ruling's effects at once; `outcomes` must be the final ruling's. Any active member.
    function execute(uint64 disputeId, Outcome[] calldata outcomes) external;

    /// @notice Withdraws an open dispute before any ruling; it stays on record. The claimant only.
    function withdraw(uint64 disputeId, bytes32 reasonHash) external;

    /// @notice Sets the appeal window for rulings recorded from now on. Governance only.
    function setAppealWindow(uint40 window) external;

    /// @notice The stored state of `disputeId`.
    function getDispute(uint64 disputeId) external view returns (Dispute memory);

    /// @notice The status of `disputeId` (None when it was never opened).
    function disputeStatus(uint64 disputeId) external view returns (DisputeStatus);

    /// @notice Whether the ruling of `disputeId` is final (appeal deadline passed, or the appeal ruled).
    function isFinal(uint64 disputeId) external view returns (bool);

    /// @notice The subject keys of `disputeId`.
    function subjectsOf(uint64 disputeId) external view returns (bytes32[] memory);

    /// @notice Whether `evidenceHash` was accepted (in any dispute).
    function isEvidenceUsed(bytes32 evidenceHash) external view returns (bool);

    /// @notice The compensation entitlement recorded for `beneficiary` by `disputeId`.
    function compensationOf(uint64 disputeId, address beneficiary) external view returns (uint256);

    /// @notice The appeal window in seconds.
    function appealWindow() external view returns (uint40);

    /// @notice The number of disputes opened (ids are 1..count).
    function disputeCount() external view returns (uint64);
}

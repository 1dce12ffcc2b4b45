// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SevereKind, ProposalStatus} from "../libraries/SupervisionTypes.sol";

/// @title ISevereActions
/// @notice Severe actions: expelling a member, forcing an operation authorization to exit, transferring a holding
/// right by ruling. A regulator or arbiter proposes (counting as the first approval), distinct regulators or arbiters
/// approve, and the action executes in the transaction whose approval reaches the threshold governance set (default 1:
/// at once), so that one key cannot do it alone. The member registry names this contract as the severe executor; the
/// registries accept these actions from it only. Proposals are traced under this contract's Ledger subject.
interface ISevereActions {
    /// @notice The stored state of a proposal. `account` is the member to expel or the recipient of the holding
    /// right; `targetId` the authorization or resource id (0 for an expulsion).
    struct Proposal {
        SevereKind kind;
        ProposalStatus status;
        uint8 approvals;
        uint8 threshold;
        uint40 proposedAt;
        address account;
        uint64 targetId;
        address proposer;
        bytes32 cause;
        bytes32 reasonHash;
    }

    /// @notice Thrown when `proposalId` was never made.
    error SevereUnknown(uint64 proposalId);
    /// @notice Thrown when `account` may not propose or approve (neither an active regulator nor an active arbiter).
    error SevereNotApprover(address account);
    /// @notice Thrown when `account` approved the proposal before (the proposer included).
    error SevereAlreadyApproved(uint64 proposalId, address account);
    /// @notice Thrown when the proposal is not pending.
    error SevereNotPending(uint64 proposalId, ProposalStatus status);
    /// @notice Thrown when a reason hash is zero.
    error SevereEmptyReason();
    /// @notice Thrown when the cause is not an existing report or dispute.
    error SevereInvalidCause(bytes32 cause);
    /// @notice Thrown when the target does not fit the kind (zero account, missing target id, or a stray one).
    error SevereInvalidTarget(SevereKind kind, uint64 targetId, address account);
    /// @notice Thrown when the threshold would be zero or above the maximum.
    error SevereInvalidThreshold(uint256 threshold, uint256 max);
    /// @notice Thrown when a ruling-only entry point is called by another account than the dispute registry.
    error SevereNotDisputeRegistry(address account);
    /// @notice Thrown when the dispute registry is set a second time.
    error SevereDisputeRegistryAlreadySet(address current);
    /// @notice Thrown when `account` may not cancel (neither the proposer nor governance).
    error SevereNotCanceller(uint64 proposalId, address account);
    /// @notice Thrown when an address argument is zero.
    error SevereZeroAddress();

    /// @notice Emitted when a severe action is proposed; `approver` is the first approval (the proposer, or for a
    /// ruling the arbiter whose final ruling ordered it).
    event SevereProposed(
        uint64 indexed proposalId,
        SevereKind indexed kind,
        bytes32 indexed cause,
        address proposer,
        address approver,
        uint64 targetId,
        address account,
        uint8 threshold,
        bytes32 reasonHash
    );
    /// @notice Emitted on each approval after the first.
    event SevereApproved(uint64 indexed proposalId, address indexed approver, uint8 approvals);
    /// @notice Emitted when the action is carried out (the target registry emits and traces the action itself).
    event SevereExecuted(uint64 indexed proposalId, address indexed by);
    /// @notice Emitted when a pending proposal is cancelled; it stays on record.
    event SevereCancelled(uint64 indexed proposalId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when governance sets the approval threshold.
    event SevereThresholdSet(uint8 threshold, address indexed by);
    /// @notice Emitted once, when governance wires the dispute registry.
    event DisputeRegistrySet(address indexed registry, address indexed by);

    /// @notice Proposes a severe action caused by a report or dispute. Regulator or arbiter.
    /// @return proposalId the new proposal's id.
    function propose(SevereKind kind, uint64 targetId, address account, bytes32 cause, bytes32 reasonHash)
        external
        returns (uint64 proposalId);

    /// @notice Proposes the holding transfer a final ruling orders, counting `arbiter` (who ruled) as first approval.
    /// The dispute registry only.
    function proposeByRuling(uint64 resourceId, address to, bytes32 cause, bytes32 reasonHash, address arbiter)
        external
        returns (uint64 proposalId);

    /// @notice Approves a pending proposal; executes it when approvals reach its threshold. Regulator or arbiter,
    /// each at most once.
    function approve(uint64 proposalId) external;

    /// @notice Cancels a pending proposal. Its proposer or governance.
    function cancel(uint64 proposalId, bytes32 reasonHash) external;

    /// @notice Sets the number of distinct approvals proposals made from now on need. Governance only.
    function setThreshold(uint8 threshold) external;

    /// @notice Wires the dispute registry that may propose by ruling, once. Governance only.
    function setDisputeRegistry(address registry) external;

    /// @notice The stored state of `proposalId`.
    function getProposal(uint64 proposalId) external view returns (Proposal memory);

    /// @notice Whether `account` approved `proposalId`.
    function hasApproved(uint64 proposalId, address account) external view returns (bool);

    /// @notice The current approval threshold.
    function threshold() external view returns (uint8);

    /// @notice The dispute registry (zero until wired).
    function disputeRegistry() external view returns (address);

    /// @notice The number of proposals made (ids are 1..count).
    function proposalCount() external view returns (uint64);
}

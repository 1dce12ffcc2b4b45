// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISevereActions} from "../interfaces/ISevereActions.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {IOperationRegistry} from "../interfaces/IOperationRegistry.sol";
import {IReportRegistry} from "../interfaces/IReportRegistry.sol";
import {IDisputeRegistry} from "../interfaces/IDisputeRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SevereKind, ProposalStatus} from "../libraries/SupervisionTypes.sol";
import {Causes} from "./Causes.sol";

/// @title SevereActions
/// @notice Multi-approval of severe actions (see {ISevereActions}). Governance wires this contract as the member
/// registry's severe executor and admits it as a regulator member; from then on expulsion, forced exit and transfer by
/// ruling go through here.
contract SevereActions is MemberGated, Traceable, ISevereActions {
    /// @notice Highest approval threshold governance may set (approvals are counted in a uint8).
    uint8 public constant MAX_THRESHOLD = 16;

    IResourceRegistry private immutable _resources;
    IOperationRegistry private immutable _operations;
    IReportRegistry private immutable _reports;
    IDisputeRegistry private _disputes;
    uint8 private _threshold = 1;
    uint64 private _count;
    mapping(uint64 proposalId => Proposal) private _proposals;
    mapping(uint64 proposalId => mapping(address approver => bool)) private _approved;

    /// @param members_ the member registry (also the registry expulsions go to).
    /// @param resources the resource registry (transfers by ruling).
    /// @param operations the operation registry (forced exits).
    /// @param reports the report registry (causes).
    constructor(IMemberRegistry members_, IResourceRegistry resources, IOperationRegistry operations, IReportRegistry reports)
        MemberGated(members_)
    {
        _resources = resources;
        _operations = operations;
        _reports = reports;
    }

    // ==== WRITES ====

    /// @inheritdoc ISevereActions
    function propose(SevereKind kind, uint64 targetId, address account, bytes32 cause, bytes32 reasonHash)
        external
        returns (uint64)
    {
        _checkApprover(msg.sender);
        return _propose(kind, targetId, account, cause, reasonHash, msg.sender);
    }

    /// @inheritdoc ISevereActions
    function proposeByRuling(uint64 resourceId, address to, bytes32 cause, bytes32 reasonHash, address arbiter)
        external
        returns (uint64)
    {
        if (msg.sender != address(_disputes) || msg.sender == address(0)) revert SevereNotDisputeRegistry(msg.sender);
        return _propose(SevereKind.TransferHolding, resourceId, to, cause, reasonHash, arbiter);
    }

    /// @inheritdoc ISevereActions
    function approve(uint64 proposalId) external {
        _checkApprover(msg.sender);
        Proposal storage p = _pending(proposalId);
        if (_approved[proposalId][msg.sender]) revert SevereAlreadyApproved(proposalId, msg.sender);
        _approved[proposalId][msg.sender] = true;
        uint8 approvals = ++p.approvals;
        emit SevereApproved(proposalId, msg.sender, approvals);
        _trace(_ledgerSubject(), Actions.SEVERE_APPROVED, keccak256(abi.encode(proposalId, msg.sender, approvals)));
        if (approvals >= p.threshold) _execute(proposalId, p);
    }

    /// @inheritdoc ISevereActions
    function cancel(uint64 proposalId, bytes32 reasonHash) external onlyActiveMember {
        Proposal storage p = _pending(proposalId);
        if (msg.sender != p.proposer && !_members.hasActiveRole(msg.sender, Roles.GOVERNANCE)) {
            revert SevereNotCanceller(proposalId, msg.sender);
        }
        if (reasonHash == bytes32(0)) revert SevereEmptyReason();
        p.status = ProposalStatus.Cancelled;
        emit SevereCancelled(proposalId, msg.sender, reasonHash);
        _trace(_ledgerSubject(), Actions.SEVERE_CANCELLED, keccak256(abi.encode(proposalId, msg.sender, reasonHash)));
    }

    /// @inheritdoc ISevereActions
    function setThreshold(uint8 threshold_) external onlyMemberWith(Roles.GOVERNANCE) {
        if (threshold_ == 0 || threshold_ > MAX_THRESHOLD) revert SevereInvalidThreshold(threshold_, MAX_THRESHOLD);
        _threshold = threshold_;
        emit SevereThresholdSet(threshold_, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(threshold_, msg.sender)));
    }

    /// @inheritdoc ISevereActions
    function setDisputeRegistry(address registry) external onlyMemberWith(Roles.GOVERNANCE) {
        if (registry == address(0)) revert SevereZeroAddress();
        if (address(_disputes) != address(0)) revert SevereDisputeRegistryAlreadySet(address(_disputes));
        _disputes = IDisputeRegistry(registry);
        emit DisputeRegistrySet(registry, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(registry, msg.sender)));
    }

    // ==== VIEWS ====

    /// @inheritdoc ISevereActions
    function getProposal(uint64 proposalId) external view returns (Proposal memory) {
        return _existing(proposalId);
    }

    /// @inheritdoc ISevereActions
    function hasApproved(uint64 proposalId, address account) external view returns (bool) {
        return _approved[proposalId][account];
    }

    /// @inheritdoc ISevereActions
    function threshold() external view returns (uint8) {
        return _threshold;
    }

    /// @inheritdoc ISevereActions
    function disputeRegistry() external view returns (address) {
        return address(_disputes);
    }

    /// @inheritdoc ISevereActions
    function proposalCount() external view returns (uint64) {
        return _count;
    }

    // ==== INTERNAL ====

    function _propose(SevereKind kind, uint64 targetId, address account, bytes32 cause, bytes32 reasonHash, address approver)
        private
        returns (uint64 proposalId)
    {
        if (reasonHash == bytes32(0)) revert SevereEmptyReason();
        if (!Causes.isLive(cause, _reports, _disputes)) revert SevereInvalidCause(cause);
        bool needsTarget = kind != SevereKind.ExpelMember;
        bool needsAccount = kind != SevereKind.ForcedExit;
        if ((targetId != 0) != needsTarget || (account != address(0)) != needsAccount) {
            revert SevereInvalidTarget(kind, targetId, account);
        }
        proposalId = ++_count;
        uint8 t = _threshold;
        Proposal storage p = _proposals[proposalId];
        (p.kind, p.status, p.approvals, p.threshold, p.proposedAt) = (kind, ProposalStatus.Pending, 1, t, uint40(block.timestamp));
        (p.account, p.targetId, p.proposer, p.cause, p.reasonHash) = (account, targetId, msg.sender, cause, reasonHash);
        _approved[proposalId][approver] = true;
        _announce(proposalId, p, approver);
        if (t == 1) _execute(proposalId, p);
    }

    /// @dev Emits and traces a new proposal from its stored state (a separate frame keeps the stack shallow).
    function _announce(uint64 proposalId, Proposal storage p, address approver) private {
        (SevereKind kind, bytes32 cause, uint64 targetId, address account, uint8 t, bytes32 reasonHash) =
            (p.kind, p.cause, p.targetId, p.account, p.threshold, p.reasonHash);
        emit SevereProposed(proposalId, kind, cause, msg.sender, approver, targetId, account, t, reasonHash);
        _trace(
            _ledgerSubject(),
            Actions.SEVERE_PROPOSED,
            keccak256(abi.encode(proposalId, kind, cause, msg.sender, approver, targetId, account, t, reasonHash))
        );
    }

    /// @dev Marks the proposal executed, then calls the registry, which checks its own rules; a refusal reverts the
    /// approval that reached the threshold, and the proposal stays pending (or is cancelled).
    function _execute(uint64 proposalId, Proposal storage p) private {
        p.status = ProposalStatus.Executed;
        emit SevereExecuted(proposalId, msg.sender);
        _trace(_ledgerSubject(), Actions.SEVERE_EXECUTED, keccak256(abi.encode(proposalId, msg.sender)));
        SevereKind kind = p.kind;
        if (kind == SevereKind.ExpelMember) _members.expel(p.account, p.reasonHash);
        else if (kind == SevereKind.ForcedExit) _operations.exit(p.targetId, p.reasonHash);
        else _resources.transferByRuling(p.targetId, p.account, p.reasonHash);
    }

    /// @dev Approvers are active regulators or arbiters.
    function _checkApprover(address account) private view {
        _members.checkActive(account);
        if (!_members.hasActiveRole(account, Roles.REGULATOR) && !_members.hasActiveRole(account, Roles.ARBITER)) {
            revert SevereNotApprover(account);
        }
    }

    function _pending(uint64 proposalId) private view returns (Proposal storage p) {
        p = _existing(proposalId);
        if (p.status != ProposalStatus.Pending) revert SevereNotPending(proposalId, p.status);
    }

    function _existing(uint64 proposalId) private view returns (Proposal storage p) {
        p = _proposals[proposalId];
        if (p.status == ProposalStatus.None) revert SevereUnknown(proposalId);
    }
}

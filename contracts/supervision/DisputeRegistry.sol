// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDisputeRegistry} from "../interfaces/IDisputeRegistry.sol";
import {ISevereActions} from "../interfaces/ISevereActions.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {SupervisedSubjects} from "./SupervisedSubjects.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKind} from "../libraries/DataTypes.sol";
import {DisputeStatus, Outcome, OutcomeKind, LedgerRegistries} from "../libraries/SupervisionTypes.sol";

/// @title DisputeRegistry
/// @notice Disputes, evidence, arbiters, rulings, appeals and their execution (see {IDisputeRegistry} for how freezes
/// behave during the appeal window). Deployed as a regulator member: ruling effects are the registries' regulator
/// functions called by this contract, and a holding transfer becomes a severe-action proposal. Each dispute is a traced
/// subject (SubjectKind.Dispute); effects on other subjects are traced by their registries and linked by events here.
contract DisputeRegistry is SupervisedSubjects, IDisputeRegistry {
    /// @notice Most subjects one dispute names (each is checked on opening and may carry an outcome).
    uint256 public constant MAX_SUBJECTS = 8;
    /// @notice Most outcomes one ruling orders (each may cost an external call at execution).
    uint256 public constant MAX_OUTCOMES = 8;
    /// @notice Longest evidence URI, in bytes.
    uint256 public constant MAX_URI_LENGTH = 512;
    /// @notice Longest appeal window governance may set.
    uint40 public constant MAX_APPEAL_WINDOW = 180 days;

    ISevereActions private immutable _severe;
    mapping(uint64 disputeId => Dispute) private _disputes;
    mapping(uint64 disputeId => bytes32[] keys) private _subjects;
    mapping(bytes32 evidenceHash => bool used) private _evidence;
    mapping(uint64 disputeId => mapping(bool appeal => mapping(address party => address arbiter))) private _proposed;
    mapping(uint64 disputeId => mapping(address beneficiary => uint256 amount)) private _compensation;
    uint64 private _count;
    uint40 private _appealWindow;

    /// @param members_ the member registry.
    /// @param registries_ the ledger registries (subject existence; ruling effects).
    /// @param severe the severe-action contract that carries out holding transfers by ruling.
    /// @param appealWindow_ the initial appeal window in seconds.
    constructor(IMemberRegistry members_, LedgerRegistries memory registries_, ISevereActions severe, uint40 appealWindow_)
        SupervisedSubjects(members_, registries_)
    {
        if (appealWindow_ == 0 || appealWindow_ > MAX_APPEAL_WINDOW) revert DisputeInvalidAppealWindow(appealWindow_, MAX_APPEAL_WINDOW);
        _severe = severe;
        _appealWindow = appealWindow_;
    }

    // ==== WRITES ====

    /// @inheritdoc IDisputeRegistry
    function open(address respondent, bytes32[] calldata subjects, bytes32 claimHash)
        external
        onlyActiveMember
        returns (uint64 disputeId)
    {
        if (claimHash == bytes32(0)) revert DisputeEmptyHash();
        if (respondent == msg.sender || !_members.isActive(respondent)) revert DisputeInvalidRespondent(respondent);
        uint256 n = subjects.length;
        if (n == 0 || n > MAX_SUBJECTS) revert DisputeInvalidSubjects(n, MAX_SUBJECTS);
        for (uint256 i = 0; i < n; ++i) {
            _checkSubject(subjects[i]);
            // n is at most MAX_SUBJECTS, so the pairwise duplicate check is bounded.
            for (uint256 j = 0; j < i; ++j) {
                if (subjects[j] == subjects[i]) revert DisputeInvalidSubjects(n, MAX_SUBJECTS);
            }
        }
        disputeId = ++_count;
        Dispute storage d = _disputes[disputeId];
        (d.claimant, d.openedAt, d.status, d.subjectCount) = (msg.sender, uint40(block.timestamp), DisputeStatus.Open, uint8(n));
        d.respondent = respondent;
        _subjects[disputeId] = subjects;
        emit DisputeOpened(disputeId, msg.sender, respondent, claimHash, subjects);
        _trace(_key(disputeId), Actions.DISPUTE_OPENED, keccak256(abi.encode(disputeId, msg.sender, respondent, claimHash, subjects)));
    }

    /// @inheritdoc IDisputeRegistry
    function submitEvidence(uint64 disputeId, bytes32 evidenceHash, string calldata uri) external onlyActiveMember {
        Dispute storage d = _party(disputeId);
        if (d.status != DisputeStatus.Open && d.status != DisputeStatus.Appealed) revert DisputeInvalidStatus(disputeId, d.status);
        if (evidenceHash == bytes32(0)) revert DisputeEmptyHash();
        if (_evidence[evidenceHash]) revert DisputeEvidenceUsed(evidenceHash);
        uint256 length = bytes(uri).length;
        if (length == 0 || length > MAX_URI_LENGTH) revert DisputeInvalidUri(length, MAX_URI_LENGTH);
        _evidence[evidenceHash] = true;
        emit EvidenceSubmitted(disputeId, msg.sender, evidenceHash, uri);
        _trace(_key(disputeId), Actions.EVIDENCE_SUBMITTED, keccak256(abi.encode(disputeId, msg.sender, evidenceHash, uri)));
    }

    /// @inheritdoc IDisputeRegistry
    function assignArbiter(uint64 disputeId, address arbiter) external onlyMemberWith(Roles.GOVERNANCE) {
        Dispute storage d = _existing(disputeId);
        bool onAppeal = _instance(disputeId, d);
        _checkArbiter(disputeId, d, arbiter, onAppeal);
        _assign(disputeId, d, arbiter, onAppeal, false);
    }

    /// @inheritdoc IDisputeRegistry
    function agreeArbiter(uint64 disputeId, address arbiter) external onlyActiveMember {
        Dispute storage d = _party(disputeId);
        bool onAppeal = _instance(disputeId, d);
        _checkArbiter(disputeId, d, arbiter, onAppeal);
        _proposed[disputeId][onAppeal][msg.sender] = arbiter;
        emit ArbiterProposed(disputeId, msg.sender, arbiter, onAppeal);
        _trace(_key(disputeId), Actions.ARBITER_PROPOSED, keccak256(abi.encode(disputeId, msg.sender, arbiter, onAppeal)));
        address other = msg.sender == d.claimant ? d.respondent : d.claimant;
        if (_proposed[disputeId][onAppeal][other] == arbiter) _assign(disputeId, d, arbiter, onAppeal, true);
    }

    /// @inheritdoc IDisputeRegistry
    function rule(uint64 disputeId, bytes32 rulingHash, Outcome[] calldata outcomes) external onlyMemberWith(Roles.ARBITER) {
        Dispute storage d = _existing(disputeId);
        bool onAppeal = _instance(disputeId, d);
        if (msg.sender != (onAppeal ? d.appealArbiter : d.arbiter)) revert DisputeNotArbiter(disputeId, msg.sender);
        if (rulingHash == bytes32(0)) revert DisputeEmptyHash();
        uint8 freezes = _checkOutcomes(disputeId, d, outcomes);
        uint40 deadline = onAppeal ? d.appealDeadline : uint40(block.timestamp) + _appealWindow;
        (d.status, d.appealDeadline, d.rulingHash, d.outcomesHash) =
            (onAppeal ? DisputeStatus.AppealRuled : DisputeStatus.Ruled, deadline, rulingHash, keccak256(abi.encode(outcomes)));
        emit RulingRecorded(disputeId, msg.sender, onAppeal, rulingHash, deadline, outcomes);
        _trace(_key(disputeId), Actions.RULING_RECORDED, keccak256(abi.encode(disputeId, msg.sender, onAppeal, rulingHash, deadline, outcomes)));
        uint8 held = d.frozenMask;
        // Interim freezes of the first ruling that the appeal ruling does not order again are lifted.
        if (onAppeal) _lift(disputeId, held & ~freezes, rulingHash);
        d.frozenMask = (held & freezes) | _freeze(disputeId, freezes & ~held, rulingHash);
    }

    /// @inheritdoc IDisputeRegistry
    function appeal(uint64 disputeId, bytes32 groundsHash) external onlyActiveMember {
        Dispute storage d = _party(disputeId);
        if (d.status != DisputeStatus.Ruled) revert DisputeInvalidStatus(disputeId, d.status);
        if (groundsHash == bytes32(0)) revert DisputeEmptyHash();
        if (block.timestamp >= d.appealDeadline) revert DisputeAppealWindowClosed(disputeId, d.appealDeadline);
        d.status = DisputeStatus.Appealed;
        emit AppealFiled(disputeId, msg.sender, groundsHash);
        _trace(_key(disputeId), Actions.APPEAL_FILED, keccak256(abi.encode(disputeId, msg.sender, groundsHash)));
    }

    /// @inheritdoc IDisputeRegistry
    function execute(uint64 disputeId, Outcome[] calldata outcomes) external onlyActiveMember {
        Dispute storage d = _existing(disputeId);
        DisputeStatus status = d.status;
        if (status != DisputeStatus.Ruled && status != DisputeStatus.AppealRuled) revert DisputeInvalidStatus(disputeId, status);
        if (status == DisputeStatus.Ruled && block.timestamp < d.appealDeadline) revert DisputeNotFinal(disputeId);
        bytes32 outcomesHash = d.outcomesHash;
        if (keccak256(abi.encode(outcomes)) != outcomesHash) revert DisputeOutcomesMismatch(disputeId);
        d.status = DisputeStatus.Executed;
        emit RulingExecuted(disputeId, msg.sender, outcomesHash);
        _trace(_key(disputeId), Actions.RULING_EXECUTED, keccak256(abi.encode(disputeId, msg.sender, outcomesHash)));
        address arbiter = status == DisputeStatus.AppealRuled ? d.appealArbiter : d.arbiter;
        // outcomes.length is at most MAX_OUTCOMES (checked when the ruling was recorded, and the hash matches).
        for (uint256 i = 0; i < outcomes.length; ++i) {
            _apply(disputeId, d, outcomes[i], arbiter);
        }
    }

    /// @inheritdoc IDisputeRegistry
    function withdraw(uint64 disputeId, bytes32 reasonHash) external onlyActiveMember {
        Dispute storage d = _existing(disputeId);
        if (msg.sender != d.claimant) revert DisputeNotClaimant(disputeId, msg.sender);
        if (d.status != DisputeStatus.Open) revert DisputeInvalidStatus(disputeId, d.status);
        if (reasonHash == bytes32(0)) revert DisputeEmptyHash();
        d.status = DisputeStatus.Withdrawn;
        emit DisputeWithdrawn(disputeId, msg.sender, reasonHash);
        _trace(_key(disputeId), Actions.DISPUTE_WITHDRAWN, keccak256(abi.encode(disputeId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IDisputeRegistry
    function setAppealWindow(uint40 window) external onlyMemberWith(Roles.GOVERNANCE) {
        if (window == 0 || window > MAX_APPEAL_WINDOW) revert DisputeInvalidAppealWindow(window, MAX_APPEAL_WINDOW);
        _appealWindow = window;
        emit AppealWindowSet(window, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(window, msg.sender)));
    }

    // ==== VIEWS ====

    /// @inheritdoc IDisputeRegistry
    function getDispute(uint64 disputeId) external view returns (Dispute memory) {
        return _existing(disputeId);
    }

    /// @inheritdoc IDisputeRegistry
    function disputeStatus(uint64 disputeId) external view returns (DisputeStatus) {
        return _disputes[disputeId].status;
    }

    /// @inheritdoc IDisputeRegistry
    function isFinal(uint64 disputeId) external view returns (bool) {
        Dispute storage d = _disputes[disputeId];
        DisputeStatus s = d.status;
        return s == DisputeStatus.AppealRuled || s == DisputeStatus.Executed
            || (s == DisputeStatus.Ruled && block.timestamp >= d.appealDeadline);
    }

    /// @inheritdoc IDisputeRegistry
    function subjectsOf(uint64 disputeId) external view returns (bytes32[] memory) {
        _existing(disputeId);
        return _subjects[disputeId];
    }

    /// @inheritdoc IDisputeRegistry
    function isEvidenceUsed(bytes32 evidenceHash) external view returns (bool) {
        return _evidence[evidenceHash];
    }

    /// @inheritdoc IDisputeRegistry
    function compensationOf(uint64 disputeId, address beneficiary) external view returns (uint256) {
        return _compensation[disputeId][beneficiary];
    }

    /// @inheritdoc IDisputeRegistry
    function appealWindow() external view returns (uint40) {
        return _appealWindow;
    }

    /// @inheritdoc IDisputeRegistry
    function disputeCount() external view returns (uint64) {
        return _count;
    }

    /// @notice The severe-action contract holding transfers go through.
    function severeActions() external view returns (address) {
        return address(_severe);
    }

    // ==== INTERNAL: checks ====

    /// @dev Whether the current instance is the appeal; reverts unless the dispute awaits a ruling.
    function _instance(uint64 disputeId, Dispute storage d) private view returns (bool onAppeal) {
        if (d.status == DisputeStatus.Open) return false;
        if (d.status == DisputeStatus.Appealed) return true;
        revert DisputeInvalidStatus(disputeId, d.status);
    }

    function _checkArbiter(uint64 disputeId, Dispute storage d, address arbiter, bool onAppeal) private view {
        if (
            !_members.hasActiveRole(arbiter, Roles.ARBITER) || arbiter == d.claimant || arbiter == d.respondent
                || (onAppeal && arbiter == d.arbiter)
        ) revert DisputeIneligibleArbiter(disputeId, arbiter);
    }

    /// @dev Checks every outcome against the dispute; returns the bitmask of subject indexes to freeze.
    function _checkOutcomes(uint64 disputeId, Dispute storage d, Outcome[] calldata outcomes) private view returns (uint8 freezes) {
        uint256 n = outcomes.length;
        if (n == 0 || n > MAX_OUTCOMES) revert DisputeInvalidOutcomeCount(n, MAX_OUTCOMES);
        bytes32[] storage keys = _subjects[disputeId];
        for (uint256 i = 0; i < n; ++i) {
            Outcome calldata o = outcomes[i];
            OutcomeKind kind = o.kind;
            bool party = o.beneficiary == d.claimant || o.beneficiary == d.respondent;
            bool ok;
            if (kind == OutcomeKind.Dismiss || kind == OutcomeKind.Compensation) {
                ok = o.subject == 0
                    && (kind == OutcomeKind.Dismiss ? n == 1 && o.beneficiary == address(0) && o.amount == 0 : party && o.amount != 0);
            } else if (o.subject < d.subjectCount && o.amount == 0) {
                uint256 sk = uint256(keys[o.subject]) >> 248;
                if (kind == OutcomeKind.RevokeGrant) ok = sk == uint256(SubjectKind.Grant) && o.beneficiary == address(0);
                else if (kind == OutcomeKind.TransferHolding) ok = sk == uint256(SubjectKind.Resource) && party;
                else ok = o.beneficiary == address(0) && _freezable(sk);
                if (ok && kind == OutcomeKind.FreezeSubject) freezes |= uint8(1 << o.subject);
            }
            if (!ok) revert DisputeInvalidOutcome(i);
        }
    }

    function _party(uint64 disputeId) private view returns (Dispute storage d) {
        d = _existing(disputeId);
        if (msg.sender != d.claimant && msg.sender != d.respondent) revert DisputeNotParty(disputeId, msg.sender);
    }

    function _existing(uint64 disputeId) private view returns (Dispute storage d) {
        d = _disputes[disputeId];
        if (d.status == DisputeStatus.None) revert DisputeUnknown(disputeId);
    }

    // ==== INTERNAL: effects ====

    function _assign(uint64 disputeId, Dispute storage d, address arbiter, bool onAppeal, bool agreed) private {
        if (onAppeal) d.appealArbiter = arbiter;
        else d.arbiter = arbiter;
        emit ArbiterAssigned(disputeId, arbiter, msg.sender, onAppeal, agreed);
        _trace(_key(disputeId), Actions.ARBITER_ASSIGNED, keccak256(abi.encode(disputeId, arbiter, msg.sender, onAppeal, agreed)));
    }

    /// @dev Freezes the subjects in `mask` that are not frozen already; returns the mask of those it froze.
    function _freeze(uint64 disputeId, uint8 mask, bytes32 reasonHash) private returns (uint8 frozen) {
        for (uint256 i = 0; mask >> i != 0; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            bytes32 subject = _subjects[disputeId][i];
            if (_isFrozen(subject)) continue;
            frozen |= uint8(1 << i);
            emit RulingFreezeApplied(disputeId, subject);
            _trace(_key(disputeId), Actions.RULING_FREEZE_APPLIED, keccak256(abi.encode(disputeId, subject)));
            _setFrozen(subject, true, reasonHash);
        }
    }

    /// @dev Lifts the dispute's freezes in `mask` that still hold (a regulator may have lifted one meanwhile).
    function _lift(uint64 disputeId, uint8 mask, bytes32 reasonHash) private {
        for (uint256 i = 0; mask >> i != 0; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            bytes32 subject = _subjects[disputeId][i];
            if (!_isFrozen(subject)) continue;
            emit RulingFreezeLifted(disputeId, subject);
            _trace(_key(disputeId), Actions.RULING_FREEZE_LIFTED, keccak256(abi.encode(disputeId, subject)));
            _setFrozen(subject, false, reasonHash);
        }
    }

    function _apply(uint64 disputeId, Dispute storage d, Outcome calldata o, address arbiter) private {
        OutcomeKind kind = o.kind;
        if (kind == OutcomeKind.RevokeGrant) {
            uint64 grantId = _idOf(_subjects[disputeId][o.subject]);
            // A grant revoked meanwhile already is what the ruling orders.
            if (!_registries.grants.getGrant(grantId).revoked) _registries.grants.revoke(grantId, d.rulingHash);
        } else if (kind == OutcomeKind.TransferHolding) {
            _severe.proposeByRuling(_idOf(_subjects[disputeId][o.subject]), o.beneficiary, _key(disputeId), d.rulingHash, arbiter);
        } else if (kind == OutcomeKind.Compensation) {
            address payer = o.beneficiary == d.claimant ? d.respondent : d.claimant;
            _compensation[disputeId][o.beneficiary] += o.amount;
            emit CompensationRecorded(disputeId, payer, o.beneficiary, o.amount);
            _trace(_key(disputeId), Actions.COMPENSATION_RECORDED, keccak256(abi.encode(disputeId, payer, o.beneficiary, o.amount)));
        }
        // Dismiss orders nothing; freezes were applied when the ruling was recorded.
    }

    function _isFrozen(bytes32 subject) private view returns (bool) {
        uint256 kind = uint256(subject) >> 248;
        uint64 id = _idOf(subject);
        if (kind == uint256(SubjectKind.Resource)) return _registries.resources.getResource(id).frozen;
        if (kind == uint256(SubjectKind.Grant)) return _registries.grants.getGrant(id).frozen;
        return _registries.products.getProduct(id).frozen;
    }

    function _setFrozen(bytes32 subject, bool frozen, bytes32 reasonHash) private {
        uint256 kind = uint256(subject) >> 248;
        uint64 id = _idOf(subject);
        if (kind == uint256(SubjectKind.Resource)) {
            if (frozen) _registries.resources.freeze(id, reasonHash);
            else _registries.resources.unfreeze(id, reasonHash);
        } else if (kind == uint256(SubjectKind.Grant)) {
            if (frozen) _registries.grants.freeze(id, reasonHash);
            else _registries.grants.unfreeze(id, reasonHash);
        } else if (frozen) {
            _registries.products.freeze(id, reasonHash);
        } else {
            _registries.products.unfreeze(id, reasonHash);
        }
    }

    function _freezable(uint256 kind) private pure returns (bool) {
        return kind == uint256(SubjectKind.Resource) || kind == uint256(SubjectKind.Grant) || kind == uint256(SubjectKind.Product);
    }

    /// @dev Subject keys of resources, grants and products hold a 64-bit id (checked when the dispute was opened).
    function _idOf(bytes32 subject) private pure returns (uint64) {
        return uint64(uint256(subject));
    }

    function _key(uint64 disputeId) private pure returns (bytes32) {
        return _keyOf(SubjectKind.Dispute, disputeId);
    }
}

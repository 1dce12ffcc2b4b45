// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IReportRegistry} from "../interfaces/IReportRegistry.sol";
import {ISanctions} from "../interfaces/ISanctions.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {SupervisedSubjects} from "./SupervisedSubjects.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKind, Category} from "../libraries/DataTypes.sol";
import {ReportStatus, ReportCategories, LedgerRegistries} from "../libraries/SupervisionTypes.sol";

/// @title ReportRegistry
/// @notice Violation reports and privacy complaints, and their triage by regulators. Each report is a traced subject
/// (SubjectKind.Report); a substantiation names the sanctions (in {ISanctions}) whose cause is the report.
contract ReportRegistry is SupervisedSubjects, IReportRegistry {
    /// @notice Most sanctions one substantiation names (each is checked by an external call).
    uint256 public constant MAX_SANCTIONS = 8;

    mapping(uint64 reportId => Report) private _reports;
    uint64 private _count;
    ISanctions private _sanctions;

    /// @param members_ the member registry.
    /// @param registries_ the ledger registries (subject existence; personal-data check of privacy complaints).
    constructor(IMemberRegistry members_, LedgerRegistries memory registries_) SupervisedSubjects(members_, registries_) {}

    // ==== WRITES ====

    /// @inheritdoc IReportRegistry
    function file(bytes32 subject, uint16 category, bytes32 evidenceHash) external onlyActiveMember returns (uint64) {
        return _file(subject, category, evidenceHash, false, bytes32(0));
    }

    /// @inheritdoc IReportRegistry
    function fileConfidential(bytes32 subject, uint16 category, bytes32 evidenceHash, bytes32 commitment)
        external
        returns (uint64)
    {
        _members.checkActive(msg.sender);
        if (!_members.hasActiveRole(msg.sender, Roles.REGULATOR) && !_members.hasActiveRole(msg.sender, Roles.OPERATOR)) {
            revert ReportNotRelay(msg.sender);
        }
        if (commitment == bytes32(0)) revert ReportEmptyHash();
        return _file(subject, category, evidenceHash, true, commitment);
    }

    /// @inheritdoc IReportRegistry
    function investigate(uint64 reportId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Report storage r = _existing(reportId);
        if (r.status != ReportStatus.Received) revert ReportInvalidStatus(reportId, r.status);
        if (reasonHash == bytes32(0)) revert ReportEmptyHash();
        r.status = ReportStatus.Investigating;
        emit ReportInvestigating(reportId, msg.sender, reasonHash);
        _trace(_key(reportId), Actions.REPORT_INVESTIGATING, keccak256(abi.encode(reportId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IReportRegistry
    function substantiate(uint64 reportId, uint64[] calldata sanctionIds, bytes32 reasonHash)
        external
        onlyMemberWith(Roles.REGULATOR)
    {
        Report storage r = _existing(reportId);
        if (r.status != ReportStatus.Investigating) revert ReportInvalidStatus(reportId, r.status);
        if (reasonHash == bytes32(0)) revert ReportEmptyHash();
        uint256 n = sanctionIds.length;
        if (n == 0 || n > MAX_SANCTIONS) revert ReportInvalidSanctionCount(n, MAX_SANCTIONS);
        if (address(_sanctions) == address(0)) revert ReportSanctionsNotWired();
        bytes32 key = _key(reportId);
        // n is at most MAX_SANCTIONS: the loop is bounded.
        for (uint256 i = 0; i < n; ++i) {
            uint64 sid = sanctionIds[i];
            if (sid == 0 || sid > _sanctions.sanctionCount() || _sanctions.getSanction(sid).cause != key) {
                revert ReportSanctionNotLinked(reportId, sid);
            }
        }
        r.status = ReportStatus.Substantiated;
        emit ReportSubstantiated(reportId, msg.sender, reasonHash, sanctionIds);
        _trace(key, Actions.REPORT_SUBSTANTIATED, keccak256(abi.encode(reportId, msg.sender, reasonHash, sanctionIds)));
    }

    /// @inheritdoc IReportRegistry
    function dismiss(uint64 reportId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Report storage r = _existing(reportId);
        if (r.status != ReportStatus.Received && r.status != ReportStatus.Investigating) {
            revert ReportInvalidStatus(reportId, r.status);
        }
        if (reasonHash == bytes32(0)) revert ReportEmptyHash();
        r.status = ReportStatus.Dismissed;
        emit ReportDismissed(reportId, msg.sender, reasonHash);
        _trace(_key(reportId), Actions.REPORT_DISMISSED, keccak256(abi.encode(reportId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IReportRegistry
    function setSanctions(address sanctions_) external onlyMemberWith(Roles.GOVERNANCE) {
        if (sanctions_ == address(0)) revert SupervisionZeroAddress();
        if (address(_sanctions) != address(0)) revert ReportSanctionsAlreadySet(address(_sanctions));
        _sanctions = ISanctions(sanctions_);
        emit SanctionsSet(sanctions_, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(sanctions_, msg.sender)));
    }

    // ==== VIEWS ====

    /// @inheritdoc IReportRegistry
    function getReport(uint64 reportId) external view returns (Report memory) {
        return _existing(reportId);
    }

    /// @inheritdoc IReportRegistry
    function reportStatus(uint64 reportId) external view returns (ReportStatus) {
        return _reports[reportId].status;
    }

    /// @inheritdoc IReportRegistry
    function reportCount() external view returns (uint64) {
        return _count;
    }

    /// @notice The sanctions contract substantiations refer to (zero until wired).
    function sanctions() external view returns (address) {
        return address(_sanctions);
    }

    // ==== INTERNAL ====

    function _file(bytes32 subject, uint16 category, bytes32 evidenceHash, bool confidential, bytes32 commitment)
        private
        returns (uint64 reportId)
    {
        if (category == 0 || category > ReportCategories.MAX) revert ReportInvalidCategory(category);
        if (evidenceHash == bytes32(0)) revert ReportEmptyHash();
        (SubjectKind kind, uint256 id) = _checkSubject(subject);
        if (category == ReportCategories.PRIVACY_COMPLAINT) _checkPersonal(subject, kind, id);
        reportId = ++_count;
        _reports[reportId] = Report({
            filer: msg.sender,
            filedAt: uint40(block.timestamp),
            status: ReportStatus.Received,
            category: category,
            confidential: confidential,
            subject: subject
        });
        emit ReportFiled(reportId, subject, msg.sender, category, confidential, commitment, evidenceHash);
        _trace(
            _key(reportId),
            Actions.REPORT_FILED,
            keccak256(abi.encode(reportId, subject, msg.sender, category, confidential, commitment, evidenceHash))
        );
    }

    /// @dev A privacy complaint is about personal data: a personal-category resource or a consent record.
    function _checkPersonal(bytes32 subject, SubjectKind kind, uint256 id) private view {
        if (kind == SubjectKind.Consent) return;
        if (kind == SubjectKind.Resource) {
            (Category category,) = _registries.resources.classOf(uint64(id));
            if (category == Category.Personal) return;
        }
        revert ReportNotPersonalData(subject);
    }

    function _existing(uint64 reportId) private view returns (Report storage r) {
        r = _reports[reportId];
        if (r.status == ReportStatus.None) revert ReportUnknown(reportId);
    }

    function _key(uint64 reportId) private pure returns (bytes32) {
        return _keyOf(SubjectKind.Report, reportId);
    }
}

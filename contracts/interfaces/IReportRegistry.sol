// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ReportStatus} from "../libraries/SupervisionTypes.sol";
import {ISupervisedSubjects} from "./ISupervisedSubjects.sol";

/// @title IReportRegistry
/// @notice Violation reports (违法举报) and privacy complaints (个人隐私救济). Any member files against a subject with a
/// category and an evidence hash; a confidential report carries a commitment to the reporter (keccak256(abi.encode(
/// reporter, salt))) and is filed by a relay (regulator or operator) instead. Regulators triage: received ->
/// investigating -> substantiated (naming the sanctions applied, whose cause is the report) | dismissed.
interface IReportRegistry is ISupervisedSubjects {
    /// @notice The stored state of a report (the evidence hash and commitment live in ReportFiled).
    struct Report {
        address filer;
        uint40 filedAt;
        ReportStatus status;
        uint16 category;
        bool confidential;
        bytes32 subject;
    }

    /// @notice Thrown when `reportId` was never filed.
    error ReportUnknown(uint64 reportId);
    /// @notice Thrown when an evidence hash, commitment or reason hash is zero.
    error ReportEmptyHash();
    /// @notice Thrown when the category code is not one of {ReportCategories}.
    error ReportInvalidCategory(uint16 category);
    /// @notice Thrown when a privacy complaint names neither a personal-data resource nor a consent record.
    error ReportNotPersonalData(bytes32 subject);
    /// @notice Thrown when `account` may not relay a confidential report (neither regulator nor operator).
    error ReportNotRelay(address account);
    /// @notice Thrown when a triage step does not apply to the report's status.
    error ReportInvalidStatus(uint64 reportId, ReportStatus status);
    /// @notice Thrown when a substantiation names no sanction or more than the maximum.
    error ReportInvalidSanctionCount(uint256 count, uint256 max);
    /// @notice Thrown when a named sanction does not exist or was not caused by this report.
    error ReportSanctionNotLinked(uint64 reportId, uint64 sanctionId);
    /// @notice Thrown when a substantiation comes before governance wired the sanctions contract.
    error ReportSanctionsNotWired();
    /// @notice Thrown when the sanctions contract is set a second time.
    error ReportSanctionsAlreadySet(address current);

    /// @notice Emitted when a report is filed; `filer` is the reporter, or the relay of a confidential report.
    event ReportFiled(
        uint64 indexed reportId,
        bytes32 indexed subject,
        address indexed filer,
        uint16 category,
        bool confidential,
        bytes32 commitment,
        bytes32 evidenceHash
    );
    /// @notice Emitted when a regulator opens an investigation.
    event ReportInvestigating(uint64 indexed reportId, address indexed regulator, bytes32 reasonHash);
    /// @notice Emitted when a regulator substantiates a report, naming the sanctions applied for it.
    event ReportSubstantiated(uint64 indexed reportId, address indexed regulator, bytes32 reasonHash, uint64[] sanctionIds);
    /// @notice Emitted when a regulator dismisses a report.
    event ReportDismissed(uint64 indexed reportId, address indexed regulator, bytes32 reasonHash);
    /// @notice Emitted once, when governance wires the sanctions contract.
    event SanctionsSet(address indexed sanctions, address indexed by);

    /// @notice Files a report against `subject` (a subject key). Any active member.
    /// @return reportId the new report's id.
    function file(bytes32 subject, uint16 category, bytes32 evidenceHash) external returns (uint64 reportId);

    /// @notice Files a confidential report carrying `commitment` instead of the reporter. Regulator or operator (relay).
    /// @return reportId the new report's id.
    function fileConfidential(bytes32 subject, uint16 category, bytes32 evidenceHash, bytes32 commitment)
        external
        returns (uint64 reportId);

    /// @notice Received -> investigating. Regulator only.
    function investigate(uint64 reportId, bytes32 reasonHash) external;

    /// @notice Investigating -> substantiated, naming 1..MAX_SANCTIONS sanctions caused by this report. Regulator only.
    function substantiate(uint64 reportId, uint64[] calldata sanctionIds, bytes32 reasonHash) external;

    /// @notice Received or investigating -> dismissed. Regulator only.
    function dismiss(uint64 reportId, bytes32 reasonHash) external;

    /// @notice Wires the sanctions contract whose sanctions substantiations name, once. Governance only.
    function setSanctions(address sanctions) external;

    /// @notice The stored state of `reportId`.
    function getReport(uint64 reportId) external view returns (Report memory);

    /// @notice The status of `reportId` (None when it was never filed).
    function reportStatus(uint64 reportId) external view returns (ReportStatus);

    /// @notice The number of reports filed (ids are 1..count).
    function reportCount() external view returns (uint64);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IReportRegistry} from "../interfaces/IReportRegistry.sol";
import {IDisputeRegistry} from "../interfaces/IDisputeRegistry.sol";
import {SubjectKind} from "../libraries/DataTypes.sol";
import {ReportStatus, DisputeStatus} from "../libraries/SupervisionTypes.sol";

/// @title Causes
/// @notice What may cause a sanction or a severe action: a report that is not dismissed, or a dispute that is not
/// withdrawn, named by its subject key.
library Causes {
    uint256 private constant _ID_MASK = (uint256(1) << 248) - 1;

    /// @notice Whether `cause` is the well-formed key of a live report or dispute. `disputes` may be unset (zero).
    function isLive(bytes32 cause, IReportRegistry reports, IDisputeRegistry disputes) internal view returns (bool) {
        uint256 kind = uint256(cause) >> 248;
        uint256 id = uint256(cause) & _ID_MASK;
        if (id == 0 || id > type(uint64).max) return false;
        if (kind == uint256(SubjectKind.Report)) {
            ReportStatus s = reports.reportStatus(uint64(id));
            return s != ReportStatus.None && s != ReportStatus.Dismissed;
        }
        if (kind == uint256(SubjectKind.Dispute) && address(disputes) != address(0)) {
            DisputeStatus s = disputes.disputeStatus(uint64(id));
            return s != DisputeStatus.None && s != DisputeStatus.Withdrawn;
        }
        return false;
    }
}

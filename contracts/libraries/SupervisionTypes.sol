// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IOperationRegistry} from "../interfaces/IOperationRegistry.sol";
import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";

/// @title SupervisionTypes
/// @notice Enumerations and structs of the supervision contracts (reports, disputes, sanctions, severe actions).
/// As in DataTypes.sol, the numeric order of each enum is wire format: append, never reorder.

/// @notice Triage of a violation report (违法举报) or privacy complaint (个人隐私救济).
enum ReportStatus {
    None,
    Received,
    Investigating,
    Substantiated,
    Dismissed
}

/// @notice Lifecycle of a dispute (数据争议处置). "Final" is not a status: a `Ruled` dispute is final once its
/// appeal deadline has passed, an `AppealRuled` one at once.
enum DisputeStatus {
    None,
    Open,
    Ruled,
    Appealed,
    AppealRuled,
    Executed,
    Withdrawn
}

/// @notice The fixed set of outcome actions a ruling may order.
enum OutcomeKind {
    Dismiss,
    RevokeGrant,
    TransferHolding,
    FreezeSubject,
    Compensation
}

/// @notice One outcome of a ruling.
/// @param kind what is ordered.
/// @param subject index into the dispute's subject list (RevokeGrant: a grant; TransferHolding: a resource;
/// FreezeSubject: a resource, grant or product); 0 for Dismiss and Compensation.
/// @param beneficiary the party receiving the holding right (TransferHolding) or the compensation; zero otherwise.
/// @param amount the compensation entitlement (settled off-chain); 0 otherwise.
struct Outcome {
    OutcomeKind kind;
    uint8 subject;
    address beneficiary;
    uint128 amount;
}

/// @notice What a sanction did, and so how it is lifted.
enum SanctionKind {
    FreezeResource,
    FreezeGrant,
    FreezeProduct,
    SuspendMember,
    WithdrawConsent
}

/// @notice The severe actions that need approval by distinct regulators or arbiters.
enum SevereKind {
    ExpelMember,
    ForcedExit,
    TransferHolding
}

/// @notice Lifecycle of a severe-action proposal.
enum ProposalStatus {
    None,
    Pending,
    Executed,
    Cancelled
}

/// @notice The ledger registries a supervision contract reads (existence of subjects) or acts on as a member.
struct LedgerRegistries {
    IResourceRegistry resources;
    IGrantRegistry grants;
    IProductRegistry products;
    IOperationRegistry operations;
    IConsentRegistry consents;
}

/// @title ReportCategories
/// @notice Category codes of reports. A privacy complaint is about personal data, filed on behalf of a data subject.
library ReportCategories {
    uint16 internal constant PRIVACY_COMPLAINT = 1;
    uint16 internal constant UNAUTHORIZED_PROCESSING = 2;
    uint16 internal constant ILLEGAL_TRADING = 3;
    uint16 internal constant FALSE_REGISTRATION = 4;
    uint16 internal constant PRICING_VIOLATION = 5;
    uint16 internal constant DATA_LEAK = 6;
    uint16 internal constant OTHER = 7;
    /// @notice The highest category code in use.
    uint16 internal constant MAX = 7;
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Actions
/// @notice Action codes of trace entries. Each code names the domain event whose arguments form the payload.
/// Codes are part of the wire format: never renumber.
library Actions {
    // Ledger configuration (subject: the Ledger subject of the contract)
    uint16 internal constant PARAMETER_SET = 1;
    // Members (MemberRegistry)
    uint16 internal constant MEMBER_ADMITTED = 10;
    uint16 internal constant ROLE_GRANTED = 11;
    uint16 internal constant ROLE_REVOKED = 12;
    uint16 internal constant MEMBER_SUSPENDED = 13;
    uint16 internal constant MEMBER_REINSTATED = 14;
    uint16 internal constant MEMBER_EXPELLED = 15;
    // Resources (ResourceRegistry)
    uint16 internal constant RESOURCE_REGISTERED = 20;
    uint16 internal constant RESOURCE_TRANSFERRED = 21;
    uint16 internal constant RESOURCE_CHANGED = 22;
    uint16 internal constant RESOURCE_CANCELLED = 23;
    uint16 internal constant OBJECTION_FILED = 24;
    uint16 internal constant OBJECTION_RESOLVED = 25;
    uint16 internal constant RESOURCE_FROZEN = 26;
    uint16 internal constant RESOURCE_UNFROZEN = 27;
    // Grants (GrantRegistry)
    uint16 internal constant GRANT_ISSUED = 30;
    uint16 internal constant GRANT_REVOKED = 31;
    uint16 internal constant GRANT_FROZEN = 32;
    uint16 internal constant GRANT_UNFROZEN = 33;
    // Public-data operation authorizations (OperationRegistry)
    uint16 internal constant AUTHORIZATION_GRANTED = 40;
    uint16 internal constant AUTHORIZATION_EVALUATED = 41;
    uint16 internal constant AUTHORIZATION_EXITED = 42;
    // Personal-information consent (ConsentRegistry)
    uint16 internal constant CONSENT_RECORDED = 50;
    uint16 internal constant CONSENT_WITHDRAWN = 51;
    // Data products (ProductRegistry)
    uint16 internal constant PRODUCT_REGISTERED = 60;
    uint16 internal constant PRODUCT_FROZEN = 61;
    uint16 internal constant PRODUCT_UNFROZEN = 62;
    uint16 internal constant PRODUCT_CANCELLED = 63;
    // Admission: negative and positive lists, certification levels, ratings (AdmissionRegistry)
    uint16 internal constant NEGATIVE_ENTRY_SET = 70;
    uint16 internal constant POSITIVE_ENTRY_SET = 71;
    uint16 internal constant REQUIRED_LEVEL_SET = 72;
    uint16 internal constant GOVERNMENT_DEPARTMENT_SET = 73;
    uint16 internal constant RATING_RECORDED = 74;
    uint16 internal constant RATING_REVOKED = 75;
    // Listings and prices (Market)
    uint16 internal constant LISTED = 80;
    uint16 internal constant PRICE_FILED = 81;
    uint16 internal constant PRICE_APPROVED = 82;
    uint16 internal constant PRICE_REJECTED = 83;
    uint16 internal constant DELISTED = 84;
    // Trades (Market)
    uint16 internal constant TRADE_OPENED = 85;
    uint16 internal constant DELIVERY_CONFIRMED = 86;
    uint16 internal constant RECEIPT_CONFIRMED = 87;
    uint16 internal constant TRADE_DISPUTED = 88;
    // Supervision (codes 100..139): reports, disputes, sanctions, severe actions
    // Reports (ReportRegistry; subject: the report)
    uint16 internal constant REPORT_FILED = 100;
    uint16 internal constant REPORT_INVESTIGATING = 101;
    uint16 internal constant REPORT_SUBSTANTIATED = 102;
    uint16 internal constant REPORT_DISMISSED = 103;
    // Disputes (DisputeRegistry; subject: the dispute)
    uint16 internal constant DISPUTE_OPENED = 110;
    uint16 internal constant EVIDENCE_SUBMITTED = 111;
    uint16 internal constant ARBITER_PROPOSED = 112;
    uint16 internal constant ARBITER_ASSIGNED = 113;
    uint16 internal constant RULING_RECORDED = 114;
    uint16 internal constant APPEAL_FILED = 115;
    uint16 internal constant RULING_EXECUTED = 116;
    uint16 internal constant COMPENSATION_RECORDED = 117;
    uint16 internal constant DISPUTE_WITHDRAWN = 118;
    uint16 internal constant RULING_FREEZE_APPLIED = 119;
    uint16 internal constant RULING_FREEZE_LIFTED = 120;
    // Sanctions (Sanctions; subject: the Sanctions contract's Ledger subject)
    uint16 internal constant SANCTION_APPLIED = 125;
    uint16 internal constant SANCTION_LIFTED = 126;
    // Severe actions (SevereActions; subject: its Ledger subject), and the one they cause in ResourceRegistry
    uint16 internal constant SEVERE_PROPOSED = 130;
    uint16 internal constant SEVERE_APPROVED = 131;
    uint16 internal constant SEVERE_EXECUTED = 132;
    uint16 internal constant SEVERE_CANCELLED = 133;
    uint16 internal constant RESOURCE_TRANSFERRED_BY_RULING = 135;
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title DataTypes
/// @notice Enumerations and structs shared by every ledger contract. The numeric order of each enum is part of
/// the ledger's wire format (events, trace payloads, the indexer): append new members, never reorder.

/// @notice Lifecycle of a consortium member.
enum MemberStatus {
    None,
    Active,
    Suspended,
    Exited
}

/// @notice What a data resource is (数字资源编目: components, models, data, applications).
enum ResourceKind {
    DataSet,
    Api,
    Model,
    Component,
    Application
}

/// @notice Data classification (分类): public, enterprise or personal data.
enum Category {
    Public,
    Enterprise,
    Personal
}

/// @notice Data grading (分级): general, important, core. Core data never circulates.
enum Grade {
    General,
    Important,
    Core
}

/// @notice Market domain codes named by the seed document.
enum Domain {
    Health,
    PortLogistics,
    Finance,
    Manufacturing,
    NewMaterials,
    IndustryBrain,
    SocialGovernance,
    EcoEnvironment,
    Other
}

/// @notice Open-data class of public data. Non-public data is always `NotApplicable`.
enum OpenClass {
    NotApplicable,
    Unconditional,
    Conditional,
    NotOpen
}

/// @notice Lifecycle of a registered resource.
enum ResourceStatus {
    None,
    Active,
    UnderObjection,
    Cancelled
}

/// @notice The three separated rights (三权分置).
enum RightType {
    Holding,
    ProcessingUse,
    ProductOperation
}

/// @notice Kinds of subject that carry a trace and may be the subject of a grant.
/// @dev The kind is the top byte of a subject key (see {SubjectKeys}).
enum SubjectKind {
    None,
    Ledger,
    Member,
    Resource,
    Grant,
    Product,
    Trade,
    OperationAuthorization,
    Consent,
    Report,
    Dispute,
    Listing,
    Rating
}

/// @notice Why a grant is not valid; `None` means valid. Shared by the contract and the indexer.
enum Invalidity {
    None,
    Unknown,
    Revoked,
    Frozen,
    NotYetValid,
    Expired,
    GrantorInactive,
    GranteeInactive,
    SubjectCancelled,
    SubjectFrozen,
    SubjectUnderObjection,
    SubjectNotCirculable,
    AuthorizationEnded,
    ConsentWithdrawn
}

/// @notice Lifecycle of a public-data operation authorization (公共数据授权运营).
enum AuthorizationStatus {
    None,
    Active,
    Exited
}

/// @notice Which part of a scope a sub-grant exceeded.
enum ScopeField {
    Purposes,
    Region,
    Window,
    Depth,
    Cap,
    Exclusive
}

/// @notice The scope of a grant.
/// @param purposes bitmask of purpose codes (bit i = purpose i); never zero.
/// @param region GB/T 2260 administrative division code (e.g. 330200 Ningbo); 0 means unrestricted.
/// @param validFrom first second of validity (inclusive).
/// @param validUntil end of validity (exclusive); type(uint40).max for no expiry.
/// @param exclusive whether no other grant of the same right may overlap it in time and purpose.
/// @param maySubGrant whether the grantee may sub-grant within this scope.
/// @param depth remaining sub-grant depth below this grant.
/// @param cap optional usage cap (0 = none); a sub-grant's cap never exceeds its parent's.
struct Scope {
    uint32 purposes;
    uint32 region;
    uint40 validFrom;
    uint40 validUntil;
    bool exclusive;
    bool maySubGrant;
    uint8 depth;
    uint64 cap;
}

/// @notice What a grant registry needs to know about the subject of a grant.
struct SubjectState {
    address holder;
    Category category;
    Grade grade;
    bool exists;
    bool cancelled;
    bool frozen;
    bool underObjection;
}

/// @notice What a data product is (数据产品).
enum ProductKind {
    DataSet,
    ApiService,
    Model,
    Report,
    PrivacyComputingService
}

/// @notice How a product is delivered. Raw export hands the data over; the others keep raw data in its domain
/// ("原始数据不出域、数据可用不可见").
enum DeliveryMode {
    RawExport,
    Api,
    PrivacyComputing,
    Sandbox
}

/// @notice One input of a product: a resource or another product, the processing-use grant the registrant holds over
/// it, and the input holder's revenue share in basis points.
struct ProductInput {
    SubjectKind kind;
    uint64 id;
    uint64 grantId;
    uint16 shareBps;
}

/// @notice A product registration: what it is, how it is delivered, where it was made, and the rest of its share
/// policy (the operator's and, for products with public inputs, the public share).
struct ProductSpec {
    ProductKind kind;
    DeliveryMode delivery;
    Domain domain;
    bytes32 environmentHash;
    bytes32 metadataHash;
    string uri;
    uint16 operatorBps;
    uint16 publicBps;
}

/// @notice What a third-party rating (第三方认证评级) records: a product's certification, a member's qualification,
/// or a product's quality or valuation assessment.
enum RatingKind {
    Certification,
    Qualification,
    Quality,
    Valuation
}

/// @notice How a listed product is priced (价格备案).
enum PricingMethod {
    Fixed,
    PerCall,
    PerUnit,
    Subscription,
    Negotiated
}

/// @notice Lifecycle of a listing.
enum ListingStatus {
    None,
    Active,
    Delisted
}

/// @notice Where a listing's price stands: products with public inputs trade only at a price a regulator approved
/// (定价管理).
enum PriceStatus {
    NotRequired,
    Pending,
    Approved,
    Rejected
}

/// @notice Lifecycle of a trade: open until the seller confirms delivery and the buyer receipt; either may dispute
/// instead.
enum TradeStatus {
    None,
    Open,
    Delivered,
    Confirmed,
    Disputed
}

/// @notice Why a revenue entitlement is owed: as the holder of an input, as a product's operator, or as the public
/// share of a product with public inputs.
enum EntitlementRole {
    InputHolder,
    Operator,
    Public
}

/// @notice A price filing: amount per unit in the currency's minor unit, ISO 4217 currency code, the unit's label.
struct PriceFiling {
    uint128 amount;
    bytes3 currency;
    PricingMethod method;
    bytes12 unit;
}

/// @notice The licence a buyer gets: the purposes, region and usage cap of the processing-use grant a trade issues,
/// its term in seconds from the trade, the scenario code it serves, and the hash of the licence terms document.
struct ListingTerms {
    uint32 purposes;
    uint32 region;
    uint32 term;
    uint64 cap;
    uint32 scenario;
    bytes32 termsHash;
}

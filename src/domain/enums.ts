/** Mirrors of the Solidity enums in contracts/libraries/DataTypes.sol and Actions.sol (the numeric order is the wire format). */
export const MemberStatus = { None: 0, Active: 1, Suspended: 2, Exited: 3 } as const;
export const ResourceKind = { DataSet: 0, Api: 1, Model: 2, Component: 3, Application: 4 } as const;
export const Category = { Public: 0, Enterprise: 1, Personal: 2 } as const;
export const Grade = { General: 0, Important: 1, Core: 2 } as const;
export const Domain = {
  Health: 0,
  PortLogistics: 1,
  Finance: 2,
  Manufacturing: 3,
  NewMaterials: 4,
  IndustryBrain: 5,
  SocialGovernance: 6,
  EcoEnvironment: 7,
  Other: 8,
} as const;
export const OpenClass = { NotApplicable: 0, Unconditional: 1, Conditional: 2, NotOpen: 3 } as const;
export const ResourceStatus = { None: 0, Active: 1, UnderObjection: 2, Cancelled: 3 } as const;
export const RightType = { Holding: 0, ProcessingUse: 1, ProductOperation: 2 } as const;
export const SubjectKind = {
  None: 0,
  Ledger: 1,
  Member: 2,
  Resource: 3,
  Grant: 4,
  Product: 5,
  Trade: 6,
  OperationAuthorization: 7,
  Consent: 8,
  Report: 9,
  Dispute: 10,
  Listing: 11,
  Rating: 12,
} as const;
export const Invalidity = {
  None: 0,
  Unknown: 1,
  Revoked: 2,
  Frozen: 3,
  NotYetValid: 4,
  Expired: 5,
  GrantorInactive: 6,
  GranteeInactive: 7,
  SubjectCancelled: 8,
  SubjectFrozen: 9,
  SubjectUnderObjection: 10,
  SubjectNotCirculable: 11,
  AuthorizationEnded: 12,
  ConsentWithdrawn: 13,
} as const;
export const AuthorizationStatus = { None: 0, Active: 1, Exited: 2 } as const;
export const ProductKind = { DataSet: 0, ApiService: 1, Model: 2, Report: 3, PrivacyComputingService: 4 } as const;
export const DeliveryMode = { RawExport: 0, Api: 1, PrivacyComputing: 2, Sandbox: 3 } as const;
export const RatingKind = { Certification: 0, Qualification: 1, Quality: 2, Valuation: 3 } as const;
export const PricingMethod = { Fixed: 0, PerCall: 1, PerUnit: 2, Subscription: 3, Negotiated: 4 } as const;
export const ListingStatus = { None: 0, Active: 1, Delisted: 2 } as const;
export const PriceStatus = { NotRequired: 0, Pending: 1, Approved: 2, Rejected: 3 } as const;
export const TradeStatus = { None: 0, Open: 1, Delivered: 2, Confirmed: 3, Disputed: 4 } as const;
export const EntitlementRole = { InputHolder: 0, Operator: 1, Public: 2 } as const;
// Mirrors of contracts/libraries/SupervisionTypes.sol.
export const ReportStatus = { None: 0, Received: 1, Investigating: 2, Substantiated: 3, Dismissed: 4 } as const;
export const DisputeStatus = { None: 0, Open: 1, Ruled: 2, Appealed: 3, AppealRuled: 4, Executed: 5, Withdrawn: 6 } as const;
export const OutcomeKind = { Dismiss: 0, RevokeGrant: 1, TransferHolding: 2, FreezeSubject: 3, Compensation: 4 } as const;
export const SanctionKind = { FreezeResource: 0, FreezeGrant: 1, FreezeProduct: 2, SuspendMember: 3, WithdrawConsent: 4 } as const;
export const SevereKind = { ExpelMember: 0, ForcedExit: 1, TransferHolding: 2 } as const;
export const ProposalStatus = { None: 0, Pending: 1, Executed: 2, Cancelled: 3 } as const;
export const ScopeField = { Purposes: 0, Region: 1, Window: 2, Depth: 3, Cap: 4, Exclusive: 5 } as const;
/** Mirror of the trace action codes in contracts/libraries/Actions.sol (wire format: never renumber). */
export const Action = {
  PARAMETER_SET: 1,
  MEMBER_ADMITTED: 10,
  ROLE_GRANTED: 11,
  ROLE_REVOKED: 12,
  MEMBER_SUSPENDED: 13,
  MEMBER_REINSTATED: 14,
  MEMBER_EXPELLED: 15,
  RESOURCE_REGISTERED: 20,
  RESOURCE_TRANSFERRED: 21,
  RESOURCE_CHANGED: 22,
  RESOURCE_CANCELLED: 23,
  OBJECTION_FILED: 24,
  OBJECTION_RESOLVED: 25,
  RESOURCE_FROZEN: 26,
  RESOURCE_UNFROZEN: 27,
  GRANT_ISSUED: 30,
  GRANT_REVOKED: 31,
  GRANT_FROZEN: 32,
  GRANT_UNFROZEN: 33,
  AUTHORIZATION_GRANTED: 40,
  AUTHORIZATION_EVALUATED: 41,
  AUTHORIZATION_EXITED: 42,
  CONSENT_RECORDED: 50,
  CONSENT_WITHDRAWN: 51,
  PRODUCT_REGISTERED: 60,
  PRODUCT_FROZEN: 61,
  PRODUCT_UNFROZEN: 62,
  PRODUCT_CANCELLED: 63,
  NEGATIVE_ENTRY_SET: 70,
  POSITIVE_ENTRY_SET: 71,
  REQUIRED_LEVEL_SET: 72,
  GOVERNMENT_DEPARTMENT_SET: 73,
  RATING_RECORDED: 74,
  RATING_REVOKED: 75,
  LISTED: 80,
  PRICE_FILED: 81,
  PRICE_APPROVED: 82,
  PRICE_REJECTED: 83,
  DELISTED: 84,
  TRADE_OPENED: 85,
  DELIVERY_CONFIRMED: 86,
  RECEIPT_CONFIRMED: 87,
  TRADE_DISPUTED: 88,
  REPORT_FILED: 100,
  REPORT_INVESTIGATING: 101,
  REPORT_SUBSTANTIATED: 102,
  REPORT_DISMISSED: 103,
  DISPUTE_OPENED: 110,
  EVIDENCE_SUBMITTED: 111,
  ARBITER_PROPOSED: 112,
  ARBITER_ASSIGNED: 113,
  RULING_RECORDED: 114,
  APPEAL_FILED: 115,
  RULING_EXECUTED: 116,
  COMPENSATION_RECORDED: 117,
  DISPUTE_WITHDRAWN: 118,
  RULING_FREEZE_APPLIED: 119,
  RULING_FREEZE_LIFTED: 120,
  SANCTION_APPLIED: 125,
  SANCTION_LIFTED: 126,
  SEVERE_PROPOSED: 130,
  SEVERE_APPROVED: 131,
  SEVERE_EXECUTED: 132,
  SEVERE_CANCELLED: 133,
  RESOURCE_TRANSFERRED_BY_RULING: 135,
} as const;

/** The supervision action codes (100..139): exercised by the supervision tests, not the core trace scenario. */
export const SUPERVISION_ACTION_MIN = 100;

/** The name of value `n` in enum `e` (for projections and API output), or throws on a value it does not know. */
export function nameOf<E extends Record<string, number>>(e: E, n: number | bigint): keyof E & string {
  const v = Number(n);
  for (const [k, value] of Object.entries(e)) if (value === v) return k;
  throw new RangeError(`unknown enum value ${v}`);
}

/**
 * The projections the indexer writes, as stored (JSON). Enum values are stored by name; ids and amounts as decimal
 * strings; addresses in lower case. The API reads these shapes.
 */
export interface At {
  block: number;
  time: number;
  cp: string;
  tx: string;
}

export type MemberStatusName = "Active" | "Suspended" | "Exited";

export interface MemberRecord {
  account: string;
  orgId: string;
  credentialHash: string;
  status: MemberStatusName;
  roles: string[];
  admitted: At;
  updated: At;
}

export interface MemberHistory {
  status: MemberStatusName;
}

export type ResourceStatusName = "Active" | "UnderObjection" | "Cancelled";

export interface ResourceRecord {
  id: string;
  holder: string;
  kind: string;
  category: string;
  grade: string;
  domain: string;
  openClass: string;
  status: ResourceStatusName;
  frozen: boolean;
  version: number;
  catalogueHash: string;
  catalogueUri: string;
  objections: number;
  openObjections: number;
  registered: At;
  updated: At;
}

/** The state of a resource after an event: what grant validity reads at a past block. */
export interface ResourceHistory {
  holder: string;
  status: ResourceStatusName;
  frozen: boolean;
}

export interface ResourceVersion {
  version: number;
  catalogueHash: string;
  catalogueUri: string;
  at: At;
}

export interface ObjectionRecord {
  resourceId: string;
  objectionId: number;
  objector: string;
  evidenceHash: string;
  filed: At;
  resolution?: { upheld: boolean; regulator: string; reasonHash: string; at: At };
}

export interface ScopeRecord {
  purposes: number;
  region: number;
  validFrom: number;
  validUntil: number;
  exclusive: boolean;
  maySubGrant: boolean;
  depth: number;
  cap: string;
}

export interface GrantRecord {
  id: string;
  parentId: string;
  /** Root first, parent last; empty for a root grant. */
  ancestry: string[];
  grantee: string;
  grantor: string;
  rightType: string;
  subjectKind: string;
  subjectId: string;
  scope: ScopeRecord;
  termsHash: string;
  /** The operation authorization (public data) and consent (personal data) the grant rests on; "0" for none. */
  authorizationId: string;
  consentId: string;
  revoked: boolean;
  frozen: boolean;
  issued: At;
  updated: At;
}

export interface GrantHistory {
  revoked: boolean;
  frozen: boolean;
}

export interface TraceEntryRecord {
  subject: string;
  seq: string;
  action: number;
  actionName: string;
  actor: string;
  payloadHash: string;
  word: string;
  contract: string;
  at: At;
  logIndex: number;
}

export interface TraceHead {
  subject: string;
  contract: string;
  seq: string;
  word: string;
}

export type AuthorizationStatusName = "Active" | "Exited";

export interface AuthorizationRecord {
  id: string;
  operator: string;
  scenario: string;
  conditionsHash: string;
  validFrom: number;
  validUntil: number;
  resourceIds: string[];
  status: AuthorizationStatusName;
  evaluations: number;
  lastScore: number | null;
  exit?: { by: string; forced: boolean; reasonHash: string; at: At };
  granted: At;
  updated: At;
}

export interface AuthorizationHistory {
  status: AuthorizationStatusName;
}

export interface EvaluationRecord {
  authorizationId: string;
  evaluator: string;
  period: number;
  score: number;
  reportHash: string;
  at: At;
}

export interface ConsentRecord {
  id: string;
  resourceId: string;
  holder: string;
  commitment: string;
  purposes: number;
  subjects: number;
  expiry: number;
  recorded: At;
  updated: At;
}

/** The purposes a consent still covers after an event (validity at a past block reads it). */
export interface ConsentHistory {
  purposes: number;
}

export interface ProductInputRecord {
  kind: string;
  id: string;
  grantId: string;
  shareBps: number;
}

export interface ProductRecord {
  id: string;
  holder: string;
  kind: string;
  delivery: string;
  domain: string;
  depth: number;
  environmentHash: string;
  metadataHash: string;
  uri: string;
  inputs: ProductInputRecord[];
  operatorBps: number;
  publicBps: number;
  frozen: boolean;
  cancelled: boolean;
  registered: At;
  updated: At;
}

/** The state of a product after an event (validity of grants over it at a past block reads it). */
export interface ProductHistory {
  frozen: boolean;
  cancelled: boolean;
}

// ==== MARKET ====

export type ListingStatusName = "Active" | "Delisted";
export type PriceStatusName = "NotRequired" | "Pending" | "Approved" | "Rejected";
export type TradeStatusName = "Open" | "Delivered" | "Confirmed" | "Disputed";

/** A price filing (价格备案): amount per unit in the currency's minor unit, ISO 4217 code, method, unit label. */
export interface PriceRecord {
  amount: string;
  currency: string;
  method: string;
  unit: string;
}

/** The licence a buyer gets: the processing-use grant's purposes, region, term (seconds), cap, scenario, terms. */
export interface TermsRecord {
  purposes: number;
  region: number;
  term: number;
  cap: string;
  scenario: number;
  termsHash: string;
}

export interface ListingRecord {
  id: string;
  productId: string;
  seller: string;
  /** The product-operation grant the seller lists under; "0" when the seller holds the product. */
  authorityGrantId: string;
  status: ListingStatusName;
  priceStatus: PriceStatusName;
  price: PriceRecord;
  terms: TermsRecord;
  delisting: { by: string; reasonHash: string; at: At } | null;
  listed: At;
  updated: At;
}

/** One step of a listing's life: what happened, by whom, and the listing's status and price after it. */
export interface ListingHistory {
  event: "Listed" | "PriceFiled" | "PriceApproved" | "PriceRejected" | "Delisted";
  by: string;
  reasonHash: string | null;
  status: ListingStatusName;
  priceStatus: PriceStatusName;
  price: PriceRecord;
  at: At;
}

export interface TradeRecord {
  id: string;
  listingId: string;
  productId: string;
  buyer: string;
  seller: string;
  status: TradeStatusName;
  /** A procurement on governance's behalf (政府集中采购): it licenses the government departments, not the buyer. */
  procurement: boolean;
  amount: string;
  currency: string;
  quantity: string;
  settlementRef: string;
  /** The processing-use grant the trade issued the buyer; "0" for a procurement. */
  grantId: string;
  delivery: { by: string; deliveryHash: string; at: At } | null;
  receipt: { by: string; entitlements: number; entitlementsHash: string; at: At } | null;
  dispute: { by: string; reasonHash: string; at: At } | null;
  opened: At;
  updated: At;
}

export interface TradeHistory {
  event: "TradeOpened" | "DeliveryConfirmed" | "ReceiptConfirmed" | "TradeDisputed";
  by: string;
  status: TradeStatusName;
  at: At;
}

/** One share of a confirmed trade: `party` is owed `amount` (in the trade's currency) as `role` of a subject. */
export type EntitlementRoleName = "InputHolder" | "Operator" | "Public";

export interface EntitlementRecord {
  tradeId: string;
  party: string;
  role: EntitlementRoleName;
  subjectKind: string;
  subjectId: string;
  amount: string;
  currency: string;
  at: At;
}

// ==== ADMISSION ====

export interface NegativeEntryRecord {
  domain: string;
  category: string;
  grade: string;
  /** Bit set of prohibited purposes (0: the entry was removed). */
  purposes: number;
  reasonHash: string;
  by: string;
  at: At;
}

export interface PositiveEntryRecord {
  scenario: number;
  listed: boolean;
  descriptionHash: string;
  by: string;
  at: At;
}

export interface RequiredLevelRecord {
  grade: string;
  level: number;
  by: string;
  at: At;
}

export interface GovernmentDepartmentRecord {
  account: string;
  marked: boolean;
  by: string;
  at: At;
}

export type RatingKindName = "Certification" | "Qualification" | "Quality" | "Valuation";

export interface RatingRecord {
  id: string;
  kind: RatingKindName;
  /** The rated product's id, or the rated member's address (a qualification). */
  productId: string | null;
  member: string | null;
  certifier: string;
  level: number;
  expiry: number;
  value: string;
  reportHash: string;
  revoked: boolean;
  revocation: { by: string; reasonHash: string; at: At } | null;
  recorded: At;
  updated: At;
}

// ==== SUPERVISION ====

export type ReportStatusName = "Received" | "Investigating" | "Substantiated" | "Dismissed";

export interface ReportRecord {
  id: string;
  /** The subject key reported on, with its kind and id. */
  subject: string;
  subjectKind: string;
  subjectId: string;
  category: number;
  categoryName: string;
  confidential: boolean;
  /** The reporter; null for a confidential report, which carries `commitment` instead and is filed by `relay`. */
  reporter: string | null;
  relay: string | null;
  commitment: string | null;
  evidenceHash: string;
  status: ReportStatusName;
  /** The sanctions a substantiation named. */
  sanctionIds: string[];
  filed: At;
  updated: At;
}

export interface ReportHistory {
  event: "ReportFiled" | "ReportInvestigating" | "ReportSubstantiated" | "ReportDismissed";
  by: string;
  reasonHash: string | null;
  status: ReportStatusName;
  at: At;
}

export type DisputeStatusName = "Open" | "Ruled" | "Appealed" | "AppealRuled" | "Executed" | "Withdrawn";

export interface OutcomeRecord {
  kind: string;
  /** Index into the dispute's subjects, and that subject's key (null for Dismiss and Compensation). */
  subjectIndex: number;
  subject: string | null;
  beneficiary: string | null;
  amount: string;
}

export interface RulingRecord {
  appeal: boolean;
  arbiter: string;
  rulingHash: string;
  appealDeadline: number;
  outcomes: OutcomeRecord[];
  at: At;
}

/** A freeze of a subject (a ruling's interim freeze, or a sanction), and its lifting. */
export interface FreezeRecord {
  subject: string;
  /** What caused it: the dispute key (a ruling) or the report or dispute key a sanction names. */
  cause: string;
  by: "Ruling" | "Sanction";
  sanctionId: string | null;
  event: "Applied" | "Lifted";
  at: At;
}

export interface DisputeRecord {
  id: string;
  claimant: string;
  respondent: string;
  claimHash: string;
  subjects: string[];
  status: DisputeStatusName;
  arbiter: string | null;
  appealArbiter: string | null;
  /** Arbiters proposed by the parties for the current instance, not yet agreed. */
  proposals: { party: string; arbiter: string; appeal: boolean; at: At }[];
  rulings: RulingRecord[];
  appeal: { appellant: string; groundsHash: string; at: At } | null;
  execution: { by: string; outcomesHash: string; at: At } | null;
  compensations: { payer: string; beneficiary: string; amount: string; at: At }[];
  /** Subjects under an interim freeze of a ruling now. */
  frozen: string[];
  withdrawal: { by: string; reasonHash: string; at: At } | null;
  evidenceCount: number;
  opened: At;
  updated: At;
}

export interface DisputeHistory {
  event: string;
  by: string;
  status: DisputeStatusName;
  at: At;
}

export interface EvidenceRecord {
  disputeId: string;
  party: string;
  evidenceHash: string;
  uri: string;
  at: At;
}

export type SanctionKindName = "FreezeResource" | "FreezeGrant" | "FreezeProduct" | "SuspendMember" | "WithdrawConsent";

export interface SanctionRecord {
  id: string;
  subject: string;
  subjectKind: string;
  subjectId: string;
  cause: string;
  causeKind: string;
  causeId: string;
  kind: SanctionKindName;
  by: string;
  reasonHash: string;
  lifted: { by: string; reasonHash: string; at: At } | null;
  applied: At;
  updated: At;
}

export type ProposalStatusName = "Pending" | "Executed" | "Cancelled";

export interface SevereProposalRecord {
  id: string;
  kind: "ExpelMember" | "ForcedExit" | "TransferHolding";
  status: ProposalStatusName;
  cause: string;
  proposer: string;
  /** The member to expel or the recipient of the holding right; the authorization or resource id ("0": none). */
  account: string;
  targetId: string;
  threshold: number;
  approvers: string[];
  reasonHash: string;
  execution: { by: string; at: At } | null;
  cancellation: { by: string; reasonHash: string; at: At } | null;
  proposed: At;
  updated: At;
}

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

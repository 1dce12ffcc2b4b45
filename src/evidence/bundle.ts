import type { RpcHeader } from "./header.js";

/** The version of the bundle format a verifier understands. */
export const BUNDLE_FORMAT = "drl-evidence/1";

/** One raw log, exactly as the chain served it. */
export interface RawEvent {
  address: string;
  topics: string[];
  data: string;
  block: number;
  blockHash: string;
  tx: string;
  txIndex: number;
  logIndex: number;
}

export interface BundleEntry {
  seq: string;
  action: number;
  actionName: string;
  actor: string;
  payloadHash: string;
  word: string;
  /** The TraceRecorded log: the entry in its exact encoded form. */
  trace: RawEvent;
  /** The domain event the payload hash commits to, encoded and decoded. */
  event: RawEvent & { contract: string; name: string; args: Record<string, unknown> };
}

/** EIP-1186 proof of one contract account and one storage slot. */
export interface StorageProof {
  address: string;
  accountProof: string[];
  balance: string;
  codeHash: string;
  nonce: string;
  storageHash: string;
  storageProof: { key: string; value: string; proof: string[] }[];
}

export interface BundleSubject {
  subject: string;
  kind: string;
  contract: string;
  slot: string;
  head: { seq: string; word: string };
  proof: StorageProof;
  entries: BundleEntry[];
}

export interface BundleDocument {
  hash: string;
  citedBy: string[];
  included: boolean;
  contentType?: string;
  size?: number;
  /** Base64 of the file, when the caller may read it. */
  content?: string;
}

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  chainId: string;
  contracts: Record<string, string>;
  created: { at: string; by: string; tool: string };
  /** What the bundle is about: a subject, or a dispute (whose trace is the subject it names). */
  about: { kind: "subject"; subject: string } | { kind: "dispute"; subject: string; disputeId: string };
  anchor: { number: number; hash: string; header: RpcHeader };
  subjects: BundleSubject[];
  /** Grant chains with their validity at the anchor block (decoded data; the proofs are in `subjects`). */
  grants: { id: string; chain: string[]; validity: { valid: boolean; reason: string; atGrant: string } }[];
  documents: BundleDocument[];
  /** For a dispute: its parties, evidence, rulings and the lineage of its products, decoded from proven entries. */
  dispute?: DisputeSection;
  digest: string;
}

export interface DisputeOutcome {
  kind: string;
  /** Index into the dispute's subjects (0 where the outcome names none). */
  subject: number;
  beneficiary: string;
  amount: string;
}

/** Where a dispute's event sits in its proven trace. */
interface At {
  seq: string;
  block: number;
  tx: string;
}

/**
 * A dispute as its proven trace tells it (the verifier recomputes this from the encoded logs and requires equality):
 * who is party, what was disputed, each evidence entry and ruling in trace order, and the lineage of disputed products.
 */
export interface DisputeSection {
  id: string;
  claimant: string;
  respondent: string;
  claimHash: string;
  subjects: string[];
  status: string;
  arbiters: (At & { arbiter: string; by: string; appeal: boolean; agreed: boolean })[];
  evidence: (At & { party: string; evidenceHash: string; uri: string })[];
  rulings: (At & { arbiter: string; appeal: boolean; rulingHash: string; appealDeadline: string; outcomes: DisputeOutcome[] })[];
  appeals: (At & { appellant: string; groundsHash: string })[];
  executions: (At & { by: string; outcomesHash: string })[];
  /** The member subjects proven for the parties and arbiters. */
  members: string[];
  /** Disputed products and, bounded, the products they derive from: each input's subject and grant (all proven). */
  lineage: { product: string; depth: number; inputs: { subject: string; grant: string; shareBps: number }[] }[];
}

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
  /** What the bundle is about: a subject, or (later) a dispute. */
  about: { kind: "subject"; subject: string };
  anchor: { number: number; hash: string; header: RpcHeader };
  subjects: BundleSubject[];
  /** Grant chains with their validity at the anchor block (decoded data; the proofs are in `subjects`). */
  grants: { id: string; chain: string[]; validity: { valid: boolean; reason: string; atGrant: string } }[];
  documents: BundleDocument[];
  digest: string;
}

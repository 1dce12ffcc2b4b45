import type { Logger } from "../common/logger.js";
import type { IndexDb } from "../store/db.js";
import type { DocumentStore } from "../services/documents.js";
import type { Deployment } from "../chain/contracts.js";
import type { Eip1193 } from "../chain/rpc.js";

/** What the API knows of the indexer feeding it. */
export interface IndexerView {
  status(): { checkpoint: { block: number; hash: string | null }; head: number; caughtUp: boolean };
}

export interface ApiConfig {
  /** The EIP-4361 domain and URI members sign in to, and the chain they sign for. */
  domain: string;
  uri: string;
  chainId: bigint;
  /** Secret that signs session tokens (random per start unless configured). */
  tokenSecret: Buffer;
  tokenTtlSeconds: number;
  challengeTtlSeconds: number;
  /** Requests per minute per client, for reads and for login. */
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  maxDocumentBytes: number;
  maxPageSize: number;
  /** Largest evidence bundle POST /v1/evidence/verify accepts. */
  maxBundleBytes?: number;
}

/** The limits `npm start` runs the API with (the benches use the same). */
export const API_LIMITS = {
  tokenTtlSeconds: 900,
  challengeTtlSeconds: 300,
  loginRateLimitPerMinute: 60,
  maxDocumentBytes: 10 * 1024 * 1024,
  maxPageSize: 100,
  maxBundleBytes: 50 * 1024 * 1024,
} as const satisfies Partial<ApiConfig>;

export interface ApiDeps {
  db: IndexDb;
  indexer: IndexerView;
  documents: DocumentStore;
  config: ApiConfig;
  logger: Logger;
  /** The node and deployment, for what needs the chain itself (evidence proofs); absent in read-only setups. */
  chain?: { rpc: Eip1193; deployment: Deployment };
  /** Seconds since the epoch (injectable for tests). */
  now: () => number;
}

/**
 * The app's dependencies in the API benches (api-server.ts, api-js.ts): the values src/runtime/ledger.ts gives the
 * app, over a finished index that no indexer follows, but for the read rate limit (raised so one client can load it).
 */
import { randomBytes } from "node:crypto";
import { API_LIMITS, type ApiDeps } from "../../src/api/deps.js";
import type { Logger } from "../../src/common/logger.js";
import { DocumentStore } from "../../src/services/documents.js";
import type { IndexDb } from "../../src/store/db.js";
import { K } from "../../src/store/keys.js";

/** The API bench's domain: what members sign in to. */
export const BENCH_DOMAIN = "bench.drl.local";

export function benchApiDeps(db: IndexDb, opts: { documents: string; chainId: bigint; rateLimit: number; logger: Logger }): ApiDeps {
  const checkpoint = JSON.parse(db.getSync(K.meta("checkpoint")) ?? '{"block":0,"hash":null}') as { block: number; hash: string | null };
  return {
    db,
    // The index is complete and nothing follows a chain here.
    indexer: { status: () => ({ checkpoint, head: checkpoint.block, caughtUp: true }) },
    documents: new DocumentStore(opts.documents),
    config: {
      domain: BENCH_DOMAIN,
      uri: `http://${BENCH_DOMAIN}`,
      chainId: opts.chainId,
      tokenSecret: randomBytes(32),
      rateLimitPerMinute: opts.rateLimit,
      ...API_LIMITS,
    },
    logger: opts.logger,
    now: () => Math.floor(Date.now() / 1000),
  };
}

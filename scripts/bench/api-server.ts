/**
 * The servers of the API benchmark, in their own process over one LevelDB handle:
 *  - the floor: a bare express 5 app with one route doing one `level` get (a resource record), and /cpu (this
 *    process's CPU time, for the bench's CPU per request);
 *  - the real app (src/api/app.ts createApp) as `npm start` configures it, with authentication on, the production
 *    per-request log line (level info, written to this process's stderr, which the bench points at /dev/null),
 *    metrics and rate limits; only the read limit is raised (DRL_RATE_LIMIT), so that one client can load it.
 * Prints one JSON line {floor, api} with both URLs, then serves until SIGTERM or SIGINT.
 *
 *   node --import tsx scripts/bench/api-server.ts --db DIR --documents DIR --chain-id N [--rate-limit N] [--log-level info]
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import express, { type Express } from "express";
import { createApp } from "../../src/api/app.js";
import type { ApiDeps } from "../../src/api/deps.js";
import { createLogger, type LogLevel } from "../../src/common/logger.js";
import { DocumentStore } from "../../src/services/documents.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { K } from "../../src/store/keys.js";

/** The floor: what any route costs at least (express routing, one LevelDB get, a JSON body). */
function createFloorApp(db: IndexDb): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/floor/resources/:id", async (req, res) => {
    const v = await db.get(K.resource(BigInt(req.params.id)));
    if (v === undefined) res.status(404).json({ error: "not found" });
    else res.type("application/json").send(v);
  });
  // The server process's CPU time (user + system, µs), read by the bench before and after each run: CPU per request
  // does not depend on what else the machine is running, unlike req/s and latency.
  app.get("/cpu", (_req, res) => {
    const u = process.cpuUsage();
    res.json({ micros: u.user + u.system });
  });
  return app;
}

/** The API bench's domain: what members sign in to. */
const BENCH_DOMAIN = "bench.drl.local";

const listen = (app: Express) =>
  new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
const urlOf = (s: Server) => {
  const a = s.address();
  return `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: "string" },
      documents: { type: "string" },
      "chain-id": { type: "string" },
      "rate-limit": { type: "string", default: "100000000" },
      "log-level": { type: "string", default: "info" },
    },
  });
  if (!values.db || !values.documents || !values["chain-id"]) throw new Error("usage: api-server.ts --db DIR --documents DIR --chain-id N");
  const db = await openIndexDb(values.db);
  const checkpoint = JSON.parse((await db.get(K.meta("checkpoint"))) ?? '{"block":0,"hash":null}') as { block: number; hash: string | null };
  const deps: ApiDeps = {
    db,
    // The index is complete and nothing follows a chain here.
    indexer: { status: () => ({ checkpoint, head: checkpoint.block, caughtUp: true }) },
    documents: new DocumentStore(values.documents),
    // The values src/runtime/ledger.ts gives the app, but for the read rate limit.
    config: {
      domain: BENCH_DOMAIN,
      uri: `http://${BENCH_DOMAIN}`,
      chainId: BigInt(values["chain-id"]),
      tokenSecret: randomBytes(32),
      tokenTtlSeconds: 900,
      challengeTtlSeconds: 300,
      rateLimitPerMinute: Number(values["rate-limit"]),
      loginRateLimitPerMinute: 60,
      maxDocumentBytes: 10 * 1024 * 1024,
      maxPageSize: 100,
      maxBundleBytes: 50 * 1024 * 1024,
    },
    logger: createLogger(values["log-level"] as LogLevel).child({ component: "api" }),
    now: () => Math.floor(Date.now() / 1000),
  };
  const floor = await listen(createFloorApp(db));
  const api = await listen(createApp(deps));
  process.stdout.write(JSON.stringify({ floor: urlOf(floor), api: urlOf(api), pid: process.pid }) + "\n");
  const stop = () => {
    for (const s of [floor, api]) s.closeAllConnections();
    Promise.all([floor, api].map((s) => new Promise((r) => s.close(r))))
      .then(() => db.close())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }) + "\n");
  process.exit(1);
});

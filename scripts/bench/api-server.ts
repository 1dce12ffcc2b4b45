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
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import express, { type Express } from "express";
import { createApp } from "../../src/api/app.js";
import { createLogger, type LogLevel } from "../../src/common/logger.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { K } from "../../src/store/keys.js";
import { benchApiDeps } from "./api-deps.js";

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
  const deps = benchApiDeps(db, { documents: values.documents, chainId: BigInt(values["chain-id"]), rateLimit: Number(values["rate-limit"]), logger: createLogger(values["log-level"] as LogLevel).child({ component: "api" }) });
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

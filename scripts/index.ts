/**
 * The indexer as a command.
 *   tsx scripts/index.ts run --rpc URL --deployment FILE --db DIR [--follow] [--confirmations N] [--window N] [--max-range N]
 *   tsx scripts/index.ts digest --db DIR
 * Exit codes: 0 done, 1 failure (message on stderr), 2 bad usage, 3 deep reorganisation (the index refuses to go on).
 */
import { parseArgs } from "node:util";
import { createHttpRpc } from "../src/chain/rpc.js";
import { readDeploymentFile } from "../src/chain/deployment-file.js";
import { BaseError, DeepReorgError, errorMessage } from "../src/common/errors.js";
import { createLogger } from "../src/common/logger.js";
import { createIndexer } from "../src/indexer/sync.js";
import { openIndexDb } from "../src/store/db.js";
import { digestDb } from "../src/store/digest.js";

const USAGE = `usage:
  index run --rpc URL --deployment FILE --db DIR [--follow] [--confirmations N] [--window N] [--max-range N]
  index digest --db DIR`;

const int = (v: string | undefined, name: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new BaseError("DRL-USAGE", `--${name} must be a whole number, got "${v}"`);
  return Number(v);
};

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      rpc: { type: "string" },
      deployment: { type: "string" },
      db: { type: "string" },
      follow: { type: "boolean", default: false },
      confirmations: { type: "string" },
      window: { type: "string" },
      "max-range": { type: "string" },
    },
  });
  const command = positionals[0];
  const logger = createLogger();
  if (command === "digest") {
    if (!values.db) throw new BaseError("DRL-USAGE", "--db is required");
    const db = await openIndexDb(values.db);
    const { digest, entries } = await digestDb(db);
    await db.close();
    process.stdout.write(JSON.stringify({ digest, entries }) + "\n");
    return 0;
  }
  if (command !== "run") throw new BaseError("DRL-USAGE", USAGE);
  if (!values.rpc || !values.deployment || !values.db) throw new BaseError("DRL-USAGE", "--rpc, --deployment and --db are required");
  const deployment = await readDeploymentFile(values.deployment);
  const db = await openIndexDb(values.db);
  const indexer = createIndexer({
    rpc: createHttpRpc(values.rpc),
    db,
    deployment,
    confirmations: int(values.confirmations, "confirmations", 0),
    reorgWindow: int(values.window, "window", 64),
    maxRange: int(values["max-range"], "max-range", 2_000),
    logger,
    progress: true,
  });
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
  try {
    const status = await indexer.catchUp();
    logger.info("caught up", { block: status.checkpoint.block, events: status.eventsIndexed });
    if (values.follow) await indexer.follow(stop.signal);
  } finally {
    await db.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const code = e instanceof BaseError && e.code === "DRL-USAGE" ? 2 : e instanceof DeepReorgError ? 3 : 1;
    process.stderr.write(`index: ${errorMessage(e)}\n`);
    process.exit(code);
  },
);

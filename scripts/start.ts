/**
 * `npm start`: runs the ledger. With no DRL_RPC_URL it starts the embedded node (chain kept under ./data),
 * deploys the contracts once, creates the first governance key, then follows the chain with the indexer and
 * serves the API. Ctrl-C / SIGTERM stops it cleanly. Configuration: README, "Running the ledger".
 */
import { errorMessage } from "../src/common/errors.js";
import { createLogger } from "../src/common/logger.js";
import { loadConfig } from "../src/runtime/config.js";
import { startLedger } from "../src/runtime/ledger.js";

const STOP_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const ledger = await startLedger(config, logger);
  const lines = [
    "",
    "DataRights Ledger is running.",
    `  API          ${ledger.apiUrl}/v1   (docs ${ledger.apiUrl}/docs, OpenAPI ${ledger.apiUrl}/openapi.json)`,
    `  health       ${ledger.apiUrl}/health, ${ledger.apiUrl}/ready, ${ledger.apiUrl}/status, ${ledger.apiUrl}/metrics`,
    `  chain RPC    ${ledger.rpcUrl}${config.embedded ? "   (embedded node, state in " + config.dataDir + "/chain)" : ""}`,
    `  data         ${config.dataDir}   (deployment.json, keys/governance.key, index/, documents/)`,
    "Stop with Ctrl-C.",
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    const force = setTimeout(() => {
      logger.error("clean stop took too long; exiting");
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    ledger.stop().then(
      () => {
        logger.info("stopped cleanly");
        process.exit(0);
      },
      (e: unknown) => {
        logger.error("stop failed", { error: errorMessage(e) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  process.stderr.write(`start: ${errorMessage(e)}\n`);
  process.exit(1);
});

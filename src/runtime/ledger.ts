import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import { createApp } from "../api/app.js";
import { API_LIMITS, type ApiDeps } from "../api/deps.js";
import { DeepReorgError, errorMessage } from "../common/errors.js";
import { createLogger, type Logger } from "../common/logger.js";
import { createHttpRpc, type Eip1193 } from "../chain/rpc.js";
import { createIndexer } from "../indexer/sync.js";
import { startEmbeddedNode, type EmbeddedNode } from "../node/embedded-node.js";
import { DocumentStore } from "../services/documents.js";
import { indexSchemaOutdated, openIndexDb } from "../store/db.js";
import type { RuntimeConfig } from "./config.js";
import { ensureDeployed } from "./deploy-ledger.js";
import { loadOrCreateKey, readKeyFile, writeSecretFile } from "./keys.js";

export interface RunningLedger {
  apiUrl: string;
  rpcUrl: string;
  stop(): Promise<void>;
}

async function tokenSecret(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, "keys", "api-token.secret");
  try {
    return Buffer.from((await readFile(path, "utf8")).trim(), "hex");
  } catch {
    const secret = randomBytes(32);
    await writeSecretFile(path, secret.toString("hex") + "\n");
    return secret;
  }
}

/**
 * The composition root of `npm start`: the node (embedded, or the configured network), the deployment (made once),
 * the indexer following the head, and the API. Stopping is clean and bounded: the API stops taking requests, the
 * indexer finishes its batch, the chain is snapshotted, the node and the store close.
 */
export async function startLedger(config: RuntimeConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningLedger> {
  await mkdir(config.dataDir, { recursive: true });
  let node: EmbeddedNode | undefined;
  let rpc: Eip1193;
  let rpcUrl: string;
  if (config.embedded) {
    node = await startEmbeddedNode({ dataDir: config.dataDir, port: config.nodePort, chainId: config.chainId, snapshotIntervalSeconds: config.snapshotSeconds, logger });
    rpc = node.rpc;
    rpcUrl = node.url;
  } else {
    rpcUrl = config.rpcUrl!;
    rpc = createHttpRpc(rpcUrl);
    const chainId = Number(await rpc.request({ method: "eth_chainId" }));
    if (chainId !== config.chainId) throw new Error(`the node at ${rpcUrl} is chain ${chainId}, DRL_CHAIN_ID says ${config.chainId}`);
  }
  try {
    const { wallet: deployer, created } = config.embedded ? await loadOrCreateKey(config.deployerKeyFile) : { wallet: await readKeyFile(config.deployerKeyFile).catch(() => undefined), created: false };
    if (created) logger.info("created the first governance member's key (mode 0600)", { keyFile: config.deployerKeyFile, address: deployer!.address });
    if (config.embedded && deployer) {
      // The embedded node's governance key pays for its own transactions from a dev balance.
      const balance = BigInt((await rpc.request({ method: "eth_getBalance", params: [deployer.address, "latest"] })) as string);
      if (balance < 10n ** 20n) await rpc.request({ method: "anvil_setBalance", params: [deployer.address, "0x" + (10n ** 24n).toString(16)] });
    }
    const { deployment, created: deployed } = await ensureDeployed({ rpc, rpcUrl, chainId: config.chainId, deploymentFile: config.deploymentFile, deployer, logger });
    if (deployed) await node?.snapshot();

    const indexDir = join(config.dataDir, "index");
    let db = await openIndexDb(indexDir);
    if (await indexSchemaOutdated(db)) {
      // The index is derived from the chain: one written by an older version is rebuilt rather than misread.
      logger.warn("the index was built by an older version of the ledger; rebuilding it from the chain", { indexDir });
      await db.close();
      await rm(indexDir, { recursive: true, force: true });
      db = await openIndexDb(indexDir);
    }
    const makeIndexer = () => createIndexer({ rpc, db, deployment, confirmations: config.confirmations, reorgWindow: config.reorgWindow, logger, progress: true });
    let indexer = makeIndexer();
    if (node) {
      // After a crash the embedded node restarts from its last snapshot, and the index may hold blocks the chain
      // lost. The indexer rolls those back with its undo logs, but only within its reorg window: a burst of more
      // blocks than that, indexed but not yet snapshotted, would stop it for good. On our own node the surviving
      // chain is a prefix of the one indexed and nothing else can be trusted more, so rebuild the index from it.
      // (Other errors of this first step are left to the follow loop below, which meets them again and reports.)
      const deep = await indexer.step().then(
        () => undefined,
        (e: unknown) => (e instanceof DeepReorgError ? e : undefined),
      );
      if (deep) {
        logger.warn("the index is ahead of the restored chain by more than the reorg window; rebuilding the index from the chain", { error: deep.message });
        await db.close();
        await rm(indexDir, { recursive: true, force: true });
        db = await openIndexDb(indexDir);
        indexer = makeIndexer();
      }
    }
    const stopIndexer = new AbortController();
    const indexing = indexer.follow(stopIndexer.signal, 500).catch((e: unknown) => {
      logger.error("indexer stopped", { error: errorMessage(e) });
      throw e;
    });
    indexing.catch(() => undefined);

    const deps: ApiDeps = {
      db,
      indexer,
      documents: new DocumentStore(join(config.dataDir, "documents")),
      config: {
        domain: config.apiDomain,
        uri: `http://${config.apiDomain}`,
        chainId: BigInt(config.chainId),
        tokenSecret: await tokenSecret(config.dataDir),
        rateLimitPerMinute: config.rateLimit,
        ...API_LIMITS,
      },
      logger: logger.child({ component: "api" }),
      chain: { rpc, deployment },
      now: () => Math.floor(Date.now() / 1000),
    };
    const app = createApp(deps);
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.apiPort, config.apiHost, () => resolve(s));
      s.once("error", reject);
    });
    const apiUrl = `http://${config.apiHost}:${config.apiPort}`;
    return {
      apiUrl,
      rpcUrl,
      async stop() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        stopIndexer.abort();
        await indexing.catch(() => undefined);
        await db.close();
        await node?.stop();
      },
    };
  } catch (e) {
    await node?.stop().catch(() => undefined);
    throw e;
  }
}

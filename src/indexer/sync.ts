import { DeepReorgError, NonRetryableError, RangeTooLargeError } from "../common/errors.js";
import { silentLogger, type Logger } from "../common/logger.js";
import { LEDGER_INTERFACES, deployedContracts, type Deployment } from "../chain/contracts.js";
import { createDecoder, type RawLog } from "../chain/decoder.js";
import type { DecodedLog } from "../chain/events.js";
import { createChainReader, type Eip1193, type Header } from "../chain/rpc.js";
import { INDEX_SCHEMA, indexSchemaOutdated, schemaStamp, toJson, type IndexDb } from "../store/db.js";
import { K, block12, encodeCheckpoint } from "../store/keys.js";
import { ValueCache, WriteSet, undoBlocksAbove } from "../store/write-set.js";
import { prefetchRange } from "./reads.js";
import type { HandlerContext } from "./context.js";
import { HANDLERS } from "./handlers/index.js";
import { createProgress, type Progress } from "./progress.js";

export interface IndexerConfig {
  rpc: Eip1193;
  db: IndexDb;
  deployment: Deployment;
  /** Blocks to stay behind the head (0 for instant-finality networks: QBFT, the local node). */
  confirmations?: number;
  /** How many recent blocks keep headers and undo logs; a reorg deeper than this stops the indexer. */
  reorgWindow?: number;
  /** Largest block range per eth_getLogs; halved while the node refuses a range as too large. */
  maxRange?: number;
  /**
   * Most events committed in one batch (default 2,000). A range holding more is cut after the last whole block
   * that fits (a block is never split; one block alone may exceed this), and the next ranges shrink to the density
   * seen, so memory does not grow with the density of the chain.
   */
  maxEvents?: number;
  /** Bytes of read-modify-write values kept between ranges (default 8 MiB). */
  cacheBytes?: number;
  logger?: Logger;
  /** Show catch-up progress (bar on a terminal, log lines otherwise). */
  progress?: boolean;
}

export interface Checkpointed {
  block: number;
  hash: string | null;
}

export interface IndexerStatus {
  checkpoint: Checkpointed;
  head: number;
  target: number;
  caughtUp: boolean;
  eventsIndexed: number;
  reorgs: number;
}

export type StepResult =
  | { kind: "range"; from: number; to: number; events: number }
  | { kind: "reorg"; ancestor: number; depth: number }
  | { kind: "caught-up" };

export interface Indexer {
  /** Indexes one block range (or rolls back a reorg). */
  step(): Promise<StepResult>;
  /** Steps until caught up with the head (minus confirmations). */
  catchUp(): Promise<IndexerStatus>;
  /** Catches up, then follows the head until `signal` aborts. */
  follow(signal: AbortSignal, pollMs?: number): Promise<void>;
  status(): IndexerStatus;
}

/** Default cap on the events of one range (IndexerConfig.maxEvents). */
export const DEFAULT_MAX_EVENTS = 2_000;

const CHECKPOINT = K.meta("checkpoint");
/** Blocks in the first eth_getLogs of a run (then doubled while the ranges hold few events). */
const FIRST_RANGE = 16;
const DEPLOYMENT = K.meta("deployment");

/**
 * The indexer: reads the ledger's logs in block ranges from the deployment block, decodes them with the typed
 * interfaces, runs the handlers, and commits raw events, projections and the checkpoint in one LevelDB batch per
 * range. Resumes from the checkpoint after any stop; detects reorganisations by block hashes and rolls back with
 * the undo logs of the recent blocks.
 */
export function createIndexer(config: IndexerConfig): Indexer {
  const { db, deployment } = config;
  const confirmations = config.confirmations ?? 0;
  const window = config.reorgWindow ?? 64;
  const maxRange = config.maxRange ?? 2_000;
  const maxEvents = Math.max(1, config.maxEvents ?? DEFAULT_MAX_EVENTS);
  const logger = config.logger ?? silentLogger;
  const chain = createChainReader(config.rpc);
  const decode = createDecoder(LEDGER_INTERFACES, deployment.addresses);
  const addresses = deployedContracts(deployment).map(([, a]) => a.toLowerCase());
  const cache = new ValueCache(config.cacheBytes);
  // Start small and grow while ranges stay under maxEvents: the first range of a dense chain is then bounded too.
  let range = Math.min(maxRange, FIRST_RANGE);
  let checkpoint: Checkpointed | undefined;
  let head = 0;
  let target = 0;
  let caughtUp = false;
  let eventsIndexed = 0;
  let reorgs = 0;
  let progress: Progress | undefined;

  async function loadCheckpoint(): Promise<Checkpointed> {
    if (checkpoint) return checkpoint;
    const stored = await db.get(DEPLOYMENT);
    const mine = toJson({ chainId: deployment.chainId, deploymentBlock: deployment.deploymentBlock, addresses: deployment.addresses });
    if (stored === undefined) {
      const chainId = await chain.chainId();
      if (chainId !== deployment.chainId) {
        throw new NonRetryableError("DRL-INDEX-CHAIN", `node is on chain ${chainId}, the deployment on chain ${deployment.chainId}`);
      }
      await db.batch([{ type: "put", key: DEPLOYMENT, value: mine }, schemaStamp()]);
    } else if (stored !== mine) {
      throw new NonRetryableError("DRL-INDEX-DEPLOYMENT", "the index database belongs to another deployment; use another data directory or reindex");
    } else if (await indexSchemaOutdated(db)) {
      throw new NonRetryableError("DRL-INDEX-SCHEMA", `the index was built by an older version (layout ${INDEX_SCHEMA} is needed); remove the index directory to rebuild it from the chain`);
    }
    const cp = await db.get(CHECKPOINT);
    checkpoint = cp ? (JSON.parse(cp) as Checkpointed) : { block: deployment.deploymentBlock - 1, hash: null };
    return checkpoint;
  }

  async function headersOf(blocks: number[]): Promise<Map<number, Header>> {
    const out = new Map<number, Header>();
    for (let i = 0; i < blocks.length; i += 16) {
      const part = await Promise.all(blocks.slice(i, i + 16).map((b) => chain.header(b)));
      for (const h of part) out.set(h.number, h);
    }
    return out;
  }

  /** Finds the newest stored header the chain still has, and rolls everything above it back. */
  async function rollBack(from: Checkpointed): Promise<StepResult> {
    const stored: Header[] = [];
    for await (const [, v] of db.iterator({ gte: K.header(0), lte: K.header(from.block), reverse: true })) stored.push(JSON.parse(v) as Header);
    let ancestor: Header | undefined;
    for (const h of stored) {
      const onChain = h.number <= head ? await chain.header(h.number) : undefined;
      if (onChain && onChain.hash === h.hash) {
        ancestor = h;
        break;
      }
    }
    if (!ancestor) {
      throw new DeepReorgError("DRL-INDEX-DEEP-REORG", `the chain no longer contains indexed block ${from.block} (${from.hash}) nor any of the ${stored.length} recent blocks kept; a reorganisation deeper than the ${window}-block window, or a different chain. Refusing to serve wrong data: reindex into a fresh data directory.`, { details: { checkpoint: from, window } });
    }
    const ops = await undoBlocksAbove(db, ancestor.number);
    for await (const key of db.keys({ gt: K.header(ancestor.number), lt: "hdr:\xff" })) ops.push({ type: "del", key });
    const next: Checkpointed = { block: ancestor.number, hash: ancestor.hash };
    ops.push({ type: "put", key: CHECKPOINT, value: toJson(next) });
    await db.batch(ops);
    cache.clear();
    checkpoint = next;
    reorgs++;
    const depth = from.block - ancestor.number;
    logger.warn("reorganisation rolled back", { from: from.block, ancestor: ancestor.number, depth });
    return { kind: "reorg", ancestor: ancestor.number, depth };
  }

  async function fetchLogs(from: number, to: number): Promise<{ logs: RawLog[]; to: number }> {
    for (;;) {
      const end = Math.min(to, from + range - 1);
      try {
        const logs = (await chain.logs(addresses, from, end)).filter((l) => !l.removed);
        logs.sort((x, y) => Number(x.blockNumber) - Number(y.blockNumber) || Number(x.logIndex) - Number(y.logIndex));
        return boundByEvents(logs, from, end);
      } catch (e) {
        if (!(e instanceof RangeTooLargeError) || range === 1) throw e;
        range = Math.max(1, Math.floor(range / 2));
        logger.debug("log range refused, splitting", { range });
      }
    }
  }

  /**
   * Keeps the whole blocks of `logs` (in chain order) that fit in maxEvents, at least one block,
   * and sizes the next range from the density seen: shrunk to what would have fitted, doubled while under half.
   */
  function boundByEvents(logs: RawLog[], from: number, end: number): { logs: RawLog[]; to: number } {
    const span = end - from + 1;
    if (logs.length <= maxEvents) {
      if (logs.length <= maxEvents / 2 && range < maxRange) range = Math.min(maxRange, range * 2);
      return { logs, to: end };
    }
    range = Math.max(1, Math.min(maxRange, Math.floor((span * maxEvents) / logs.length)));
    let cut = maxEvents;
    const blockAt = (i: number) => Number(logs[i]!.blockNumber);
    // Back to the start of the block the limit falls in; if that is the first block, keep all of it.
    while (cut > 0 && blockAt(cut) === blockAt(cut - 1)) cut--;
    if (cut === 0) {
      cut = 1;
      while (cut < logs.length && blockAt(cut) === blockAt(0)) cut++;
    }
    if (cut === logs.length) return { logs, to: end };
    // Up to the block before the first one left out: the blocks in between hold no event.
    return { logs: logs.slice(0, cut), to: blockAt(cut) - 1 };
  }

  async function step(): Promise<StepResult> {
    const cp = await loadCheckpoint();
    head = await chain.blockNumber();
    target = head - confirmations;
    if (cp.hash !== null) {
      const current = cp.block <= head ? await chain.header(cp.block) : undefined;
      if (!current || current.hash !== cp.hash) return rollBack(cp);
    }
    const from = cp.block + 1;
    if (from > target) {
      caughtUp = true;
      return { kind: "caught-up" };
    }
    caughtUp = false;
    const fetched = await fetchLogs(from, target);
    const to = fetched.to;
    const windowStart = head - window + 1;
    const recent: number[] = [];
    for (let b = Math.max(from, windowStart); b <= to; b++) recent.push(b);
    const eventBlocks = [...new Set(fetched.logs.map((l) => Number(l.blockNumber)))];
    const headers = await headersOf([...new Set([...recent, ...eventBlocks, to])].sort((a, b) => a - b));

    // The range must hang from the checkpoint, and its logs from the headers just read; otherwise the chain
    // moved under us: roll back (or retry on the next step).
    const first = headers.get(from);
    if (first && cp.hash !== null && first.parentHash !== cp.hash) return rollBack(cp);
    for (const l of fetched.logs) {
      if (headers.get(Number(l.blockNumber))?.hash !== l.blockHash) {
        logger.debug("logs and headers disagree; chain moved, retrying", { block: Number(l.blockNumber) });
        return { kind: "range", from, to: from - 1, events: 0 };
      }
    }

    const logs: DecodedLog[] = fetched.logs.map(decode);
    logs.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    const ws = new WriteSet(db, cache);
    // The handlers' reads of the whole range, in a few getMany calls instead of one awaited get each.
    await prefetchRange(logs, (b) => headers.get(b)!.timestamp, ws);
    const blocks = [...new Set([...recent, ...eventBlocks])].sort((a, b) => a - b);
    let i = 0;
    for (const b of blocks) {
      ws.beginBlock(b, b >= windowStart);
      const h = headers.get(b)!;
      if (b >= windowStart) ws.insert(K.header(b), h);
      const inBlock: DecodedLog[] = [];
      while (i < logs.length && logs[i]!.blockNumber === b) inBlock.push(logs[i++]!);
      if (inBlock.length === 0) continue;
      ws.insert(K.blockTime(b), String(h.timestamp));
      ws.insert(K.timeBlock(h.timestamp, b), String(b));
      for (const log of inBlock) await apply(ws, log, h);
    }
    const ops = ws.toBatch();
    // Blocks that left the window are final: their headers and undo logs go.
    for await (const key of db.keys({ gte: K.header(0), lt: K.header(Math.max(0, windowStart)) })) ops.push({ type: "del", key });
    for await (const key of db.keys({ gte: "undo:", lt: `undo:${block12(Math.max(0, windowStart))}` })) ops.push({ type: "del", key });
    const next: Checkpointed = { block: to, hash: headers.get(to)!.hash };
    ops.push({ type: "put", key: CHECKPOINT, value: toJson(next) });
    await db.batch(ops);
    ws.committed();
    checkpoint = next;
    eventsIndexed += logs.length;
    progress?.update({ block: to, target, events: eventsIndexed });
    return { kind: "range", from, to, events: logs.length };
  }

  async function apply(ws: WriteSet, log: DecodedLog, h: Header): Promise<void> {
    const cp = encodeCheckpoint(log);
    ws.insert(K.event(cp), {
      contract: log.contract,
      name: log.name,
      address: log.address,
      block: log.blockNumber,
      blockHash: log.blockHash,
      tx: log.transactionHash,
      txIndex: log.transactionIndex,
      logIndex: log.logIndex,
      topics: log.topics,
      data: log.data,
      args: log.args,
    });
    const ctx: HandlerContext = { ws, log, cp, at: { block: log.blockNumber, time: h.timestamp, cp, tx: log.transactionHash } };
    const handler = HANDLERS[log.name] as ((c: HandlerContext, e: DecodedLog) => Promise<void>) | undefined;
    if (handler) await handler(ctx, log);
  }

  const status = (): IndexerStatus => ({
    checkpoint: checkpoint ?? { block: deployment.deploymentBlock - 1, hash: null },
    head,
    target,
    caughtUp,
    eventsIndexed,
    reorgs,
  });

  async function catchUp(): Promise<IndexerStatus> {
    const start = await loadCheckpoint();
    if (config.progress) progress = createProgress(logger, start.block);
    try {
      for (;;) {
        const r = await step();
        if (r.kind === "caught-up") return status();
      }
    } finally {
      progress?.done();
      progress = undefined;
    }
  }

  async function follow(signal: AbortSignal, pollMs = 1_000): Promise<void> {
    while (!signal.aborted) {
      const r = await step();
      if (r.kind === "caught-up") {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pollMs);
          signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
        });
      }
    }
  }

  return { step, catchUp, follow, status };
}


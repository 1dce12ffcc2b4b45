import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import { getJson, getRaw, range } from "../queries/history.js";
import type { ChainPoint } from "../queries/grant-validity.js";

/**
 * The time of `block`: from its stored header when the block is inside the indexer's header window (every recent
 * block, with or without events), else from the newest block with events at or before it. The contract judges a
 * call at a block by that block's own timestamp, so the header is exact; the fallback is exact for event blocks and
 * a lower bound for older empty blocks (the index keeps no time for those).
 */
async function timeOf(db: IndexDb, block: number): Promise<number> {
  const header = await getJson<{ timestamp: number }>(db, K.header(block));
  if (header) return header.timestamp;
  // A block with ledger events has its own time stored: a point read; only an empty block needs the seek.
  const own = getRaw(db, K.blockTime(block));
  if (own !== undefined) return Number(own);
  const [entry] = await range(db, { gte: "bts:", lte: K.blockTime(block), reverse: true }, 1);
  return entry === undefined ? 0 : Number(entry[1]);
}

/** The newest indexed point of the chain: the checkpoint block, judged at its own time (as a call there would be). */
export async function latestPoint(db: IndexDb): Promise<ChainPoint> {
  const cp = getRaw(db, K.meta("checkpoint"));
  const block = cp ? (JSON.parse(cp) as { block: number }).block : 0;
  return { block, time: await timeOf(db, block) };
}

/** The chain point of time `time`: the newest block with events at or before it, judged at `time`. */
export async function pointAtTime(db: IndexDb, time: number): Promise<ChainPoint> {
  const [entry] = await range(db, { gte: "tsb:", lt: `tsb:${String(time).padStart(12, "0")}:\xff`, reverse: true }, 1);
  return { block: entry === undefined ? 0 : Number(entry[1]), time };
}

/** The point of block `block`, judged at its own time (see {@link timeOf}). */
export async function pointAtBlock(db: IndexDb, block: number): Promise<ChainPoint> {
  return { block, time: await timeOf(db, block) };
}

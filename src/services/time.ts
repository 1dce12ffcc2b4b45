import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import type { ChainPoint } from "../queries/grant-validity.js";

/** The newest indexed point of the chain: the checkpoint block and the time of the newest block with events. */
export async function latestPoint(db: IndexDb): Promise<ChainPoint> {
  const cp = await db.get(K.meta("checkpoint"));
  const block = cp ? (JSON.parse(cp) as { block: number }).block : 0;
  let time = 0;
  for await (const [, v] of db.iterator({ gte: "bts:", lt: "bts:\xff", reverse: true, limit: 1 })) time = Number(v);
  return { block, time };
}

/** The chain point of time `time`: the newest block with events at or before it, judged at `time`. */
export async function pointAtTime(db: IndexDb, time: number): Promise<ChainPoint> {
  for await (const [, v] of db.iterator({ gte: "tsb:", lt: `tsb:${String(time).padStart(12, "0")}:\xff`, reverse: true, limit: 1 })) {
    return { block: Number(v), time };
  }
  return { block: 0, time };
}

/** The point of block `block`: its time if it holds events, else the time of the newest event block before it. */
export async function pointAtBlock(db: IndexDb, block: number): Promise<ChainPoint> {
  for await (const [, v] of db.iterator({ gte: "bts:", lte: K.blockTime(block), reverse: true, limit: 1 })) return { block, time: Number(v) };
  return { block, time: 0 };
}

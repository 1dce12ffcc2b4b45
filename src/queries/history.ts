import type { IndexDb } from "../store/db.js";
import { endOfBlock } from "../store/keys.js";

/** The latest history entry under `prefix` (keys `<prefix><checkpoint>`) at or before the end of `block`. */
export async function latestAt<T>(db: IndexDb, prefix: string, block: number): Promise<T | undefined> {
  for await (const [, v] of db.iterator({ gte: prefix, lte: prefix + endOfBlock(block), reverse: true, limit: 1 })) {
    return JSON.parse(v) as T;
  }
  return undefined;
}

export async function getJson<T>(db: IndexDb, key: string): Promise<T | undefined> {
  const v = await db.get(key);
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

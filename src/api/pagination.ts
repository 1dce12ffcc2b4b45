import type { IndexDb } from "../store/db.js";
import { prefixEnd } from "../store/keys.js";
import { ApiError } from "./errors.js";
import { nextBatch, openRange } from "../queries/history.js";

export const encodeCursor = (key: string): string => Buffer.from(key, "utf8").toString("base64url");

/** The key a cursor names; refused unless it lies under `prefix`. */
export function decodeCursor(cursor: string, prefix: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!key.startsWith(prefix)) throw new ApiError("VALIDATION", "cursor does not belong to this listing");
  return key;
}

/**
 * One page of the keys under `prefix`, in key order, after `cursor`. `select` maps an entry to an item or drops it
 * (visibility filters); scanning stops after `scanLimit` entries so a filter cannot turn a page into a full scan.
 */
export async function pageOf<T>(
  db: IndexDb,
  prefix: string,
  options: { cursor?: string; limit: number; reverse?: boolean; scanLimit?: number },
  select: (key: string, value: string) => Promise<T | undefined> | T | undefined,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor, prefix) : undefined;
  const range = options.reverse
    ? { gte: prefix, ...(after ? { lt: after } : { lt: prefixEnd(prefix) }), reverse: true }
    : { ...(after ? { gt: after } : { gte: prefix }), lt: prefixEnd(prefix) };
  const items: T[] = [];
  let scanned = 0;
  let lastKey: string | undefined;
  const scanLimit = options.scanLimit ?? 10_000;
  // Read in batches of what the page still needs (one thread-pool round trip each), not entry by entry.
  const it = openRange(db, { ...range, limit: scanLimit });
  try {
    scan: while (items.length < options.limit && scanned < scanLimit) {
      const { entries, done } = await nextBatch(it, Math.min(options.limit - items.length, scanLimit - scanned));
      for (const [key, value] of entries) {
        lastKey = key;
        scanned++;
        const item = await select(key, value);
        if (item !== undefined) items.push(item);
        if (items.length >= options.limit || scanned >= scanLimit) break scan;
      }
      if (done) break;
    }
  } finally {
    await it.close();
  }
  const more = lastKey !== undefined && (items.length >= options.limit || scanned >= scanLimit);
  return { items, nextCursor: more ? encodeCursor(lastKey!) : null };
}

import type { IndexDb } from "../store/db.js";
import { K, endOfBlock } from "../store/keys.js";

/**
 * Reads of the index for the API and the queries.
 *
 * Point reads are synchronous (`getSync`): an index entry comes from LevelDB's block cache or the OS page cache in
 * microseconds, while an async get costs a round trip through libuv's thread pool (queue, wake a thread, wake the
 * loop, settle a promise) that made up most of the API's time in the API bench (issue 6). Range reads stay async
 * (LevelDB iterators have no synchronous next) but take what they need in one `nextv` call rather than one per
 * entry.
 */

/**
 * The latest history entry under `prefix` (keys `<prefix><checkpoint>`) at or before the end of `block`: by the
 * prefix's history index (K.historyIndex: its checkpoints, oldest first) when it has one, a binary search and two
 * point reads; else by a reverse iterator seek (histories the indexer keeps no index for).
 */
export async function latestAt<T>(db: IndexDb, prefix: string, block: number): Promise<T | undefined> {
  const index = db.getSync(K.historyIndex(prefix));
  if (index !== undefined) {
    const cps = JSON.parse(index) as string[];
    const end = endOfBlock(block);
    // The last checkpoint <= end.
    let lo = 0;
    let hi = cps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cps[mid]! <= end) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : getJson<T>(db, prefix + cps[lo - 1]!);
  }
  return seekLatestAt<T>(db, prefix, block);
}

/** latestAt by a reverse iterator seek over the entries themselves (no index needed). */
export async function seekLatestAt<T>(db: IndexDb, prefix: string, block: number): Promise<T | undefined> {
  const [entry] = await range(db, { gte: prefix, lte: prefix + endOfBlock(block), reverse: true }, 1);
  return entry === undefined ? undefined : (JSON.parse(entry[1]) as T);
}

/** A stored JSON value, parsed; synchronous (callers may still await it: a plain value costs no promise). */
export function getJson<T>(db: IndexDb, key: string): T | undefined {
  const v = db.getSync(key);
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

/** The raw value of `key`, read synchronously (see above). */
export const getRaw = (db: IndexDb, key: string): string | undefined => db.getSync(key);

/** Range bounds of a LevelDB iterator over string keys. */
export interface KeyRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
}

/** classic-level's byte bound per `nextv`, raised from its 16 KiB default so that a page of large values is one read. */
const BATCH_BYTES = 4 * 1024 * 1024;

/** What these reads use of a LevelDB iterator over string keys and values. */
interface Iter {
  nextv(size: number): Promise<[string, string][]>;
  close(): Promise<void>;
}

/** An iterator over string keys, reading up to BATCH_BYTES per `nextv`. */
export const openRange = (db: IndexDb, r: KeyRange & { limit?: number }): Iter => db.iterator({ ...r, highWaterMarkBytes: BATCH_BYTES });

/**
 * Up to `n` entries, and whether the range is exhausted. classic-level answers fewer entries than asked only at the
 * end of the range or past the byte bound, so a short batch well under the bound (a UTF-16 unit is at most 3 UTF-8
 * bytes) is the end: this saves the empty read that would otherwise confirm it, a round trip of its own.
 */
export async function nextBatch(it: Iter, n: number): Promise<{ entries: [string, string][]; done: boolean }> {
  const entries = await it.nextv(n);
  if (entries.length === 0) return { entries, done: true };
  if (entries.length >= n) return { entries, done: false };
  let chars = 0;
  for (const [k, v] of entries) chars += k.length + v.length;
  return { entries, done: 3 * chars <= BATCH_BYTES };
}

/** Up to `limit` entries of a key range, in one read when they fit the byte bound. */
export async function range(db: IndexDb, r: KeyRange, limit: number): Promise<[string, string][]> {
  const it = openRange(db, { ...r, limit });
  try {
    const out: [string, string][] = [];
    while (out.length < limit) {
      const { entries, done } = await nextBatch(it, limit - out.length);
      for (const e of entries) out.push(e);
      if (done) break;
    }
    return out;
  } finally {
    await it.close();
  }
}

/** Every entry of a key range, read `batch` entries per round trip (entry-by-entry iteration costs one per entry). */
export async function* scan(db: IndexDb, r: KeyRange, batch = 64): AsyncGenerator<[string, string]> {
  const it = openRange(db, r);
  try {
    for (;;) {
      const { entries, done } = await nextBatch(it, batch);
      yield* entries;
      if (done) return;
    }
  } finally {
    await it.close();
  }
}

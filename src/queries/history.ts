import type { IndexDb } from "../store/db.js";
import { endOfBlock } from "../store/keys.js";

/**
 * Reads of the index for the API and the queries.
 *
 * Point reads are synchronous (`getSync`): an index entry comes from LevelDB's block cache or the OS page cache in
 * microseconds, while an async get costs a round trip through libuv's thread pool (queue, wake a thread, wake the
 * loop, settle a promise) that made up most of the API's time in the API bench (issue 6). Range reads stay async
 * (LevelDB iterators have no synchronous next) but take what they need in one `nextv` call rather than one per
 * entry.
 */

/** The latest history entry under `prefix` (keys `<prefix><checkpoint>`) at or before the end of `block`. */
export async function latestAt<T>(db: IndexDb, prefix: string, block: number): Promise<T | undefined> {
  const [entry] = await range(db, { gte: prefix, lte: prefix + endOfBlock(block), reverse: true }, 1);
  return entry === undefined ? undefined : (JSON.parse(entry[1]) as T);
}

export async function getJson<T>(db: IndexDb, key: string): Promise<T | undefined> {
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

/**
 * Up to `limit` entries of a key range in one read (one thread-pool round trip however many entries; the byte
 * bound is raised from classic-level's 16 KiB default so that a page of large values is not split).
 */
export async function range(db: IndexDb, r: KeyRange, limit: number): Promise<[string, string][]> {
  const it = db.iterator({ ...r, limit, highWaterMarkBytes: 4 * 1024 * 1024 });
  try {
    const out: [string, string][] = [];
    // nextv answers fewer entries than asked only at the end of the range or past the byte bound.
    while (out.length < limit) {
      const chunk = await it.nextv(limit - out.length);
      if (chunk.length === 0) break;
      for (const e of chunk) out.push(e);
    }
    return out;
  } finally {
    await it.close();
  }
}

/** Every entry of a key range, read `batch` entries per round trip (entry-by-entry iteration costs one per entry). */
export async function* scan(db: IndexDb, r: KeyRange, batch = 64): AsyncGenerator<[string, string]> {
  const it = db.iterator({ ...r, highWaterMarkBytes: 4 * 1024 * 1024 });
  try {
    for (;;) {
      const chunk = await it.nextv(batch);
      if (chunk.length === 0) return;
      yield* chunk;
    }
  } finally {
    await it.close();
  }
}

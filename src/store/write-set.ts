import type { AbstractBatchOperation } from "abstract-level";
import { IntegrityError } from "../common/errors.js";
import { toJson, type IndexDb } from "./db.js";
import { K } from "./keys.js";

type BatchOp = AbstractBatchOperation<IndexDb, string, string>;

/** Largest number of keys asked of LevelDB in one getMany. */
const GET_MANY_CHUNK = 1_000;

/**
 * The writes of one block range, kept in memory until they are committed in one LevelDB batch together with the
 * checkpoint. Inside the reorg window each block also gets an undo log: the value every key had before the block
 * (or its absence), so a reorganised block can be rolled back exactly.
 *
 * `insert` is for keys that are new by construction (they embed a checkpoint or a sequence): it skips the read
 * of the previous value. `put` is for read-modify-write records and reads the previous value when undo needs it.
 * `prefetch` reads many keys in one LevelDB call before the handlers ask for them one by one.
 */
export class WriteSet {
  private readonly pending = new Map<string, string | null>();
  /** Values read from the store (or the cache) during this range; what `committed` may keep in the cache. */
  private readonly reads = new Map<string, string | undefined>();
  private undo: { block: number; entries: { k: string; p: string | null }[]; seen: Set<string> } | undefined;
  private readonly undoBlocks: { block: number; entries: { k: string; p: string | null }[] }[] = [];

  constructor(
    private readonly db: IndexDb,
    private readonly cache: ValueCache,
  ) {}

  /** Starts the writes of `block`; with `keepUndo`, records what each first write of a key in it replaces. */
  beginBlock(block: number, keepUndo: boolean): void {
    if (this.undo && this.undo.block === block) return;
    this.undo = keepUndo ? { block, entries: [], seen: new Set() } : undefined;
    if (this.undo) this.undoBlocks.push(this.undo);
  }

  /** Reads the keys not yet known to this range or the cache, in chunked getMany calls. */
  async prefetch(keys: Iterable<string>): Promise<void> {
    const wanted: string[] = [];
    const asked = new Set<string>();
    for (const key of keys) {
      if (asked.has(key) || this.pending.has(key) || this.reads.has(key)) continue;
      asked.add(key);
      const hit = this.cache.lookup(key);
      if (hit.found) this.reads.set(key, hit.value);
      else wanted.push(key);
    }
    for (let i = 0; i < wanted.length; i += GET_MANY_CHUNK) {
      const chunk = wanted.slice(i, i + GET_MANY_CHUNK);
      const values = await this.db.getMany(chunk);
      chunk.forEach((key, n) => this.reads.set(key, values[n]));
    }
  }

  async get(key: string): Promise<string | undefined> {
    const p = this.pending.get(key);
    if (p !== undefined) return p === null ? undefined : p;
    if (this.pending.has(key)) return undefined;
    if (this.reads.has(key)) return this.reads.get(key);
    const hit = this.cache.lookup(key);
    const value = hit.found ? hit.value : await this.db.get(key);
    this.reads.set(key, value);
    return value;
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const v = await this.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  /** Writes a key that cannot exist yet. */
  insert(key: string, value: unknown): void {
    if (this.undo && !this.undo.seen.has(key)) {
      this.undo.seen.add(key);
      this.undo.entries.push({ k: key, p: null });
    }
    this.pending.set(key, typeof value === "string" ? value : toJson(value));
  }

  /** Writes a key that may exist (read-modify-write). */
  async put(key: string, value: unknown): Promise<void> {
    await this.recordUndo(key);
    this.pending.set(key, typeof value === "string" ? value : toJson(value));
  }

  async del(key: string): Promise<void> {
    await this.recordUndo(key);
    this.pending.set(key, null);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The batch operations, with the undo logs of the blocks that keep one. */
  toBatch(): BatchOp[] {
    const ops: BatchOp[] = [];
    for (const [key, value] of this.pending) ops.push(value === null ? { type: "del", key } : { type: "put", key, value });
    for (const u of this.undoBlocks) {
      u.entries.forEach((e, n) => ops.push({ type: "put", key: K.undo(u.block, n), value: toJson(e) }));
    }
    return ops;
  }

  /**
   * After a successful commit: the keys this range read and then changed (records, trace heads, counters) are
   * likely to be read and changed again, so the cache keeps their new values. Keys only written (raw events,
   * history rows, indexes) or only read are not kept: they are rarely read again and would crowd the cache out.
   */
  committed(): void {
    for (const [key, value] of this.pending) if (this.reads.has(key)) this.cache.remember(key, value === null ? undefined : value);
  }

  private async recordUndo(key: string): Promise<void> {
    if (!this.undo || this.undo.seen.has(key)) return;
    this.undo.seen.add(key);
    const prev = await this.get(key);
    this.undo.entries.push({ k: key, p: prev ?? null });
  }
}

/** A cache answer: `found` false means the cache does not know the key (its value may be anything). */
export type CacheLookup = { found: true; value: string | undefined } | { found: false };

/** Rough per-entry cost beyond the characters of key and value (Map slot, string headers). */
const ENTRY_OVERHEAD = 64;

/**
 * The last committed values of read-modify-write keys, so that records changed again and again (members,
 * resources, grants, trace heads, counters) rarely cost a LevelDB read. Bounded by an estimate of its bytes
 * (keys and values are ASCII, one byte per character): past `maxBytes` the least recently used entries go.
 */
export class ValueCache {
  private readonly values = new Map<string, string | undefined>();
  private used = 0;
  constructor(readonly maxBytes = 8 * 1024 * 1024) {}

  lookup(key: string): CacheLookup {
    const value = this.values.get(key);
    if (value === undefined && !this.values.has(key)) return { found: false };
    // Most recently used last: re-insert.
    this.values.delete(key);
    this.values.set(key, value);
    return { found: true, value };
  }

  remember(key: string, value: string | undefined): void {
    const old = this.values.get(key);
    if (old !== undefined || this.values.has(key)) {
      this.used -= cost(key, old);
      this.values.delete(key);
    }
    const c = cost(key, value);
    if (c > this.maxBytes) return;
    this.values.set(key, value);
    this.used += c;
    for (const [k, v] of this.values) {
      if (this.used <= this.maxBytes) break;
      this.values.delete(k);
      this.used -= cost(k, v);
    }
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.used;
  }

  get entries(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.used = 0;
  }
}

const cost = (key: string, value: string | undefined): number => key.length + (value?.length ?? 0) + ENTRY_OVERHEAD;

/** Reverts every block above `block` from its undo log, in one batch (without touching the checkpoint). */
export async function undoBlocksAbove(db: IndexDb, block: number): Promise<BatchOp[]> {
  const entries: { key: string; k: string; p: string | null }[] = [];
  for await (const [key, value] of db.iterator({ gt: K.undo(block, 99_999_999), lt: "undo:\xff" })) {
    const e = JSON.parse(value) as { k: string; p: string | null };
    if (typeof e.k !== "string") throw new IntegrityError("DRL-INDEX-UNDO", `corrupt undo entry ${key}`);
    entries.push({ key, ...e });
  }
  const ops: BatchOp[] = [];
  // Newest first: a key written in several blocks ends at the value it had before the oldest of them.
  for (const e of entries.reverse()) {
    ops.push(e.p === null ? { type: "del", key: e.k } : { type: "put", key: e.k, value: e.p });
    ops.push({ type: "del", key: e.key });
  }
  return ops;
}

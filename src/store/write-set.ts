import type { AbstractBatchOperation } from "abstract-level";
import { IntegrityError } from "../common/errors.js";
import { toJson, type IndexDb } from "./db.js";
import { K } from "./keys.js";

type BatchOp = AbstractBatchOperation<IndexDb, string, string>;

/**
 * The writes of one block range, kept in memory until they are committed in one LevelDB batch together with the
 * checkpoint. Inside the reorg window each block also gets an undo log: the value every key had before the block
 * (or its absence), so a reorganised block can be rolled back exactly.
 *
 * `insert` is for keys that are new by construction (they embed a checkpoint or a sequence): it skips the read
 * of the previous value. `put` is for read-modify-write records and reads the previous value when undo needs it.
 */
export class WriteSet {
  private readonly pending = new Map<string, string | null>();
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

  async get(key: string): Promise<string | undefined> {
    const p = this.pending.get(key);
    if (p !== undefined) return p === null ? undefined : p;
    if (this.pending.has(key)) return undefined;
    return this.cache.read(this.db, key);
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

  /** After a successful commit: what was written is now what the cache knows. */
  committed(): void {
    for (const [key, value] of this.pending) this.cache.remember(key, value === null ? undefined : value);
  }

  private async recordUndo(key: string): Promise<void> {
    if (!this.undo || this.undo.seen.has(key)) return;
    this.undo.seen.add(key);
    const prev = await this.get(key);
    this.undo.entries.push({ k: key, p: prev ?? null });
  }
}

/**
 * What the index last read or wrote, so that read-modify-write records (members, resources, grants, trace heads,
 * counters) rarely cost a LevelDB read. Bounded: past `capacity` entries it starts over.
 */
export class ValueCache {
  private readonly values = new Map<string, string | undefined>();
  constructor(private readonly capacity = 200_000) {}

  async read(db: IndexDb, key: string): Promise<string | undefined> {
    if (this.values.has(key)) return this.values.get(key);
    const value = await db.get(key);
    this.remember(key, value);
    return value;
  }

  remember(key: string, value: string | undefined): void {
    if (this.values.size >= this.capacity && !this.values.has(key)) this.values.clear();
    this.values.set(key, value);
  }

  clear(): void {
    this.values.clear();
  }
}

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

import type { DecodedLog, EventOf, LedgerEventName } from "../chain/events.js";
import type { WriteSet } from "../store/write-set.js";
import type { At } from "./records.js";
import { K } from "../store/keys.js";

/** What a handler sees of one log: the write set of its range, the log and where it sits. */
export interface HandlerContext {
  ws: WriteSet;
  log: DecodedLog;
  /** The log's checkpoint (block, transaction, log index; sortable). */
  cp: string;
  at: At;
}

export type Handler<N extends LedgerEventName> = (ctx: HandlerContext, event: EventOf<N>) => Promise<void>;
export type HandlerMap = { [N in LedgerEventName]?: Handler<N> };

/** The calendar month (UTC) of a block time, the period of the statistics. */
export const monthOf = (time: number): string => new Date(time * 1000).toISOString().slice(0, 7);

/** Adds `by` to a statistics counter. */
export async function bump(ctx: HandlerContext, key: string, by: bigint = 1n): Promise<void> {
  const current = await ctx.ws.get(key);
  await ctx.ws.put(key, (BigInt(current ?? "0") + by).toString());
}

/**
 * Appends a state to a record's history: the entry under `prefix` at this log's checkpoint, and the checkpoint to
 * the record's history index (K.historyIndex). `created`: the record is new in this event, so there is no index
 * to read (ids are counters); otherwise the index is read with the record (reads.ts lists it).
 */
export async function appendHistory(ctx: HandlerContext, prefix: string, state: unknown, created = false): Promise<void> {
  ctx.ws.insert(prefix + ctx.cp, state);
  const key = K.historyIndex(prefix);
  if (created) return ctx.ws.insert(key, [ctx.cp]);
  const cps = (await ctx.ws.getJson<string[]>(key)) ?? [];
  await ctx.ws.put(key, [...cps, ctx.cp]);
}

/** Records that `subject` references document `hash` (a zero hash references nothing). */
export async function referDocument(ctx: HandlerContext, hash: string, subject: string): Promise<void> {
  if (/^0x0{64}$/.test(hash)) return;
  // put, not insert: the same subject may reference the same document twice.
  await ctx.ws.put(K.docRef(hash, subject), ctx.cp);
}

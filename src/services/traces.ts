import { SubjectKind } from "../domain/enums.js";
import type { DisputeRecord, ListingRecord, RatingRecord, ReportRecord, TradeRecord } from "../indexer/records.js";
import { canReadDispute, canReadReport } from "./supervision-visibility.js";
import { getJson, getRaw } from "../queries/history.js";
import { traceChunkEntries, traceItem, type TraceItem } from "../store/trace-chunks.js";
import { K, TRACE_CHUNK } from "../store/keys.js";
import { canReadListing, canReadTrade } from "./market-visibility.js";
import { SerializedJson, type Caller } from "../api/route.js";
import { ApiError, notFound } from "../api/errors.js";
import { decodeCursor, encodeCursor, pageOf } from "../api/pagination.js";
import type { IndexDb } from "../store/db.js";
import { records } from "../store/repositories/records.js";
import { canReadGrant, canReadResource } from "./visibility.js";

/** Whether `caller` may read the trace of subject key `subject` (kind in the top byte). */
export async function canReadTrace(db: IndexDb, caller: Caller | null, subject: string): Promise<boolean> {
  if (!caller) return false;
  if (caller.isRegulator) return true;
  const value = BigInt(subject);
  const kind = Number(value >> 248n);
  const id = value & ((1n << 248n) - 1n);
  const rec = records(db);
  if (kind === SubjectKind.Member) return "0x" + id.toString(16).padStart(40, "0") === caller.address || caller.roles.includes("GOVERNANCE");
  if (kind === SubjectKind.Resource) {
    const r = await rec.resource(id);
    return r !== undefined && (await canReadResource(rec, caller, r));
  }
  if (kind === SubjectKind.Grant) {
    const g = await rec.grant(id);
    return g !== undefined && (await canReadGrant(rec, caller, g));
  }
  if (kind === SubjectKind.Listing) {
    const l = await getJson<ListingRecord>(db, K.listing(id));
    return l !== undefined && (await canReadListing(db, caller, l));
  }
  if (kind === SubjectKind.Trade) {
    const t = await getJson<TradeRecord>(db, K.trade(id));
    return t !== undefined && canReadTrade(caller, t);
  }
  if (kind === SubjectKind.Report) {
    const r = await getJson<ReportRecord>(db, K.report(id));
    return r !== undefined && canReadReport(caller, r);
  }
  if (kind === SubjectKind.Dispute) {
    const d = await getJson<DisputeRecord>(db, K.dispute(id));
    return d !== undefined && canReadDispute(db, caller, d);
  }
  // Ratings are read by every member (GET /v1/ratings).
  if (kind === SubjectKind.Rating) return (await getJson<RatingRecord>(db, K.rating(id))) !== undefined;
  return caller.roles.includes("GOVERNANCE");
}

/**
 * A page of a trace by point reads: a subject's entries are numbered 1..head.seq without gaps (the chain numbers
 * them), and every complete run of TRACE_CHUNK entries is also stored as one chunk (K.traceChunk), so the page after
 * seq s is read from the chunks it spans and, past the last complete chunk, from the entries themselves, all
 * synchronously: an iterator read costs two thread-pool round trips, fifty point reads half as much, a handful of
 * chunk reads a fraction of that (issue 6's bench). The items are stored JSON, sliced, not parsed. The
 * cursor is the last key read, as for every other listing. Undefined if something is missing (an index without
 * chunks), for the range read to answer instead.
 */
function tracePage(db: IndexDb, subject: string, headSeq: bigint, pageReq: { cursor?: string; limit: number }): { items: string[]; nextCursor: string | null } | undefined {
  // K.trace(subject, seq) is this prefix and the 12-digit seq.
  const prefix = K.trace(subject, 0n).slice(0, -12);
  let seq = 0;
  if (pageReq.cursor) {
    const key = decodeCursor(pageReq.cursor, prefix);
    const digits = key.slice(prefix.length);
    if (!/^[0-9]{12}$/.test(digits)) throw new ApiError("VALIDATION", "cursor does not belong to this listing");
    seq = Number(digits);
  }
  // Sequences are counters: far below 2^53.
  const head = Number(headSeq);
  const end = Math.min(head, seq + pageReq.limit);
  const items: string[] = [];
  while (seq < end) {
    const k = Math.floor(seq / TRACE_CHUNK);
    if ((k + 1) * TRACE_CHUNK <= head) {
      const chunk = getRaw(db, K.traceChunk(subject, k));
      if (chunk === undefined) return undefined;
      const from = seq - k * TRACE_CHUNK;
      const to = Math.min(TRACE_CHUNK, end - k * TRACE_CHUNK);
      items.push(traceChunkEntries(chunk, from, to));
      seq += to - from;
    } else {
      const v = getRaw(db, prefix + String(seq + 1).padStart(12, "0"));
      if (v === undefined) return undefined;
      items.push(traceItem(v));
      seq++;
    }
  }
  return { items, nextCursor: seq < head ? encodeCursor(prefix + String(seq).padStart(12, "0")) : null };
}

/** The trace of a subject: entries in order, each with the running word, and the current head. */
export async function getTrace(db: IndexDb, caller: Caller | null, subject: string, pageReq: { cursor?: string; limit: number }) {
  if (!/^0x[0-9a-f]{64}$/.test(subject)) throw new ApiError("VALIDATION", "subject must be a 32-byte subject key");
  // A regulator reads every trace: asked first, without canReadTrace's promise (this is the API's busiest route).
  if (!caller?.isRegulator && !(await canReadTrace(db, caller, subject))) throw notFound(`trace of ${subject}`);
  const head = records(db).traceHead(subject);
  if (!head) throw notFound(`trace of ${subject}`);
  // The items are stored JSON (chunks hold trace items; a lone entry is sliced into one): spliced in, not parsed.
  const page = tracePage(db, subject, BigInt(head.seq), pageReq) ?? (await pageOf(db, `tr:${subject}:`, pageReq, (_k, v) => traceItem(v)));
  const before = `{"subject":${JSON.stringify(subject)},"contract":${JSON.stringify(head.contract)},"head":${JSON.stringify({ seq: head.seq, word: head.word })},"items":[`;
  const after = `],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  type Page = { subject: string; contract: string; head: { seq: string; word: string }; items: TraceItem[]; nextCursor: string | null };
  // One join over the envelope and the items: the body comes out as one flat string, which the socket write then
  // encodes without flattening a concatenation of 28 KB first.
  // (The page's own array: wrapped in place.)
  const items = page.items;
  if (items.length === 0) return new SerializedJson<Page>(before + after);
  items[0] = before + items[0];
  items[items.length - 1] = items[items.length - 1] + after;
  return new SerializedJson<Page>(items.join(","));
}

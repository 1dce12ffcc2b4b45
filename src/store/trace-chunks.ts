import type { TraceEntryRecord } from "../indexer/records.js";
import { toJson } from "./db.js";
import { TRACE_CHUNK } from "./keys.js";

/** A trace entry as a page of the trace serves it: the record without the subject and contract its page names once. */
export type TraceItem = Omit<TraceEntryRecord, "subject" | "contract">;

// A stored entry (toJson of a TraceEntryRecord, keys in the record's order) starts `{"subject":"0x<64 hex>",` and
// holds `,"contract":"0x<40 hex>"` after the word.
const SUBJECT_FIELD_END = '{"subject":"0x'.length + 64 + '",'.length;
const CONTRACT_KEY = ',"contract":"';
const CONTRACT_FIELD = CONTRACT_KEY.length + 42 + 1;

/**
 * The trace item of a stored entry's JSON: two slices around the fields a page names once (they would repeat
 * ~135 of its ~550 characters fifty times a page); an entry of another shape is parsed and re-serialized instead.
 */
export function traceItem(entry: string): string {
  const c = entry.indexOf(CONTRACT_KEY, SUBJECT_FIELD_END);
  if (entry.startsWith('{"subject":"0x') && entry.charCodeAt(SUBJECT_FIELD_END - 1) === 44 && c > 0 && entry.charCodeAt(c + CONTRACT_FIELD) === 44) {
    return "{" + entry.slice(SUBJECT_FIELD_END, c) + entry.slice(c + CONTRACT_FIELD);
  }
  const { subject: _subject, contract: _contract, ...item } = JSON.parse(entry) as TraceEntryRecord;
  return toJson(item satisfies TraceItem);
}

/**
 * The value of a trace chunk (K.traceChunk): TRACE_CHUNK trace items' JSON (traceItem) joined by commas (a JSON
 * array's body, so a whole chunk goes into a page as it is), after a header of fixed-width offsets (in characters)
 * where items 2..TRACE_CHUNK start in that body, so a part of a chunk is one slice, found without scanning.
 */
const WIDTH = 6;
export const TRACE_CHUNK_HEADER = (TRACE_CHUNK - 1) * WIDTH;

export function encodeTraceChunk(entries: readonly string[]): string {
  if (entries.length !== TRACE_CHUNK) throw new RangeError(`a trace chunk holds ${TRACE_CHUNK} entries, not ${entries.length}`);
  const starts: string[] = [];
  let at = 0;
  entries.forEach((e, i) => {
    if (i > 0) starts.push(String(at).padStart(WIDTH, "0"));
    at += e.length + 1;
  });
  if (at > 10 ** WIDTH) throw new RangeError(`a trace chunk of ${at} characters does not fit its ${WIDTH}-digit offsets`);
  return starts.join("") + entries.join(",");
}

/** Entries [from, to) of a stored chunk (0-based, to > from), as comma-joined JSON. */
export function traceChunkEntries(chunk: string, from: number, to: number): string {
  const end = to === TRACE_CHUNK ? chunk.length - TRACE_CHUNK_HEADER : entryStart(chunk, to) - 1;
  return chunk.slice(TRACE_CHUNK_HEADER + entryStart(chunk, from), TRACE_CHUNK_HEADER + end);
}

/** Where entry i starts in a chunk's body. (A module function: a closure per call costs more than the slice.) */
function entryStart(chunk: string, i: number): number {
  return i === 0 ? 0 : Number(chunk.slice((i - 1) * WIDTH, i * WIDTH));
}

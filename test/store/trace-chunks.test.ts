import { expect } from "chai";
import { TRACE_CHUNK } from "../../src/store/keys.js";
import { TRACE_CHUNK_HEADER, encodeTraceChunk, traceChunkEntries } from "../../src/store/trace-chunks.js";

describe("trace chunks", function () {
  // Entries of different lengths, with commas, braces, escapes and non-ASCII text inside.
  const entries = Array.from({ length: TRACE_CHUNK }, (_, i) => JSON.stringify({ seq: String(i + 1), note: "x".repeat(i * 37), tricky: ',{"a":[1,2]}\\n数据', i }));
  const chunk = encodeTraceChunk(entries);

  it("holds a JSON array body of the entries after its offsets header", function () {
    expect(JSON.parse(`[${chunk.slice(TRACE_CHUNK_HEADER)}]`)).to.deep.equal(entries.map((e) => JSON.parse(e)));
  });

  it("gives every run [from, to) of entries as their comma-joined JSON", function () {
    for (let from = 0; from < TRACE_CHUNK; from++) {
      for (let to = from + 1; to <= TRACE_CHUNK; to++) {
        expect(traceChunkEntries(chunk, from, to), `${from}..${to}`).to.equal(entries.slice(from, to).join(","));
      }
    }
  });

  it("refuses a chunk of the wrong size", function () {
    expect(() => encodeTraceChunk(entries.slice(1))).to.throw(RangeError);
  });
});

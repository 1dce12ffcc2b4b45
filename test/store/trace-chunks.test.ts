import { expect } from "chai";
import { TRACE_CHUNK } from "../../src/store/keys.js";
import { toJson } from "../../src/store/db.js";
import { TRACE_CHUNK_HEADER, encodeTraceChunk, traceChunkEntries, traceItem } from "../../src/store/trace-chunks.js";

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

  describe("trace items", function () {
    const record = {
      subject: "0x03" + "00".repeat(30) + "0f",
      seq: "12",
      action: 22,
      actionName: "RESOURCE_CHANGED",
      actor: "0x976ea74026e726554db657fa54763abd0c3a0aa9",
      payloadHash: "0x" + "ab".repeat(32),
      word: "0x" + "cd".repeat(32),
      contract: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
      at: { block: 472, time: 1795883105, cp: "000000000472000024000049", tx: "0x" + "ef".repeat(32) },
      logIndex: 49,
    };
    const { subject: _s, contract: _c, ...item } = record;

    it("drop the subject and contract of a stored entry and keep the rest, in order", function () {
      expect(traceItem(toJson(record))).to.equal(toJson(item));
    });

    it("come from an entry of another shape by parsing it", function () {
      // Keys in another order, and a contract that is not 20 bytes: the slices do not apply.
      const { contract, subject, ...rest } = record;
      expect(traceItem(JSON.stringify({ ...rest, contract, subject }))).to.equal(toJson(item));
      expect(traceItem(toJson({ ...record, contract: "0xabc" }))).to.equal(toJson(item));
      expect(traceItem(toJson({ ...record, subject: "0x0f" }))).to.equal(toJson(item));
    });
  });
});

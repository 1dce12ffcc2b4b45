import { expect } from "chai";
import { Writable } from "node:stream";
import { createLogger } from "../../src/common/logger.js";
import { createProgress } from "../../src/indexer/progress.js";

describe("indexer progress", function () {
  it("logs structured lines with blocks/s, events/s and an ETA when not on a terminal", function () {
    const lines: string[] = [];
    const logger = createLogger("info", {}, (l) => lines.push(l));
    const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const p = createProgress(logger, 0, sink, 0);
    p.update({ block: 50, target: 100, events: 500 });
    p.update({ block: 100, target: 100, events: 1000 });
    p.done();
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.length).to.equal(2);
    expect(parsed[0]).to.include({ msg: "indexer progress", block: 50, target: 100, events: 500 });
    expect(parsed[0]).to.have.property("blocksPerSec").that.is.a("number");
    expect(parsed[0]).to.have.property("eventsPerSec").that.is.a("number");
    expect(parsed[0]).to.have.property("etaSec");
    expect(parsed[1]).to.include({ block: 100, etaSec: 0 });
  });

  it("draws a bar on a terminal", function () {
    let out = "";
    const tty = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const p = createProgress(createLogger("silent"), 0, tty, 0);
      p.update({ block: 100, target: 100, events: 10 });
      p.done();
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
    expect(out).to.match(/\[#+\] 100\.0% block 100\/100 .* ev\/s ETA/);
  });
});

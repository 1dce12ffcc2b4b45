import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { ValueCache, WriteSet } from "../../src/store/write-set.js";

describe("ValueCache", function () {
  it("stays within its byte budget, dropping the least recently used entries first", function () {
    const cache = new ValueCache(1_000);
    for (let i = 0; i < 100; i++) cache.remember(`k${i}`, "v".repeat(36));
    expect(cache.bytes).to.be.at.most(1_000);
    expect(cache.entries).to.be.greaterThan(5).and.lessThan(100);
    expect(cache.lookup("k0").found).to.equal(false);
    expect(cache.lookup("k99")).to.deep.equal({ found: true, value: "v".repeat(36) });
    // A lookup makes an entry the most recently used: it survives the next evictions, its neighbours do not.
    const oldest = 100 - cache.entries;
    expect(cache.lookup(`k${oldest}`).found).to.equal(true);
    cache.remember("new", "v".repeat(36));
    expect(cache.lookup(`k${oldest}`).found).to.equal(true);
    expect(cache.lookup(`k${oldest + 1}`).found).to.equal(false);
  });

  it("counts a replaced value once, remembers absence, and refuses an entry larger than the budget", function () {
    const cache = new ValueCache(1_000);
    cache.remember("a", "x".repeat(100));
    const one = cache.bytes;
    cache.remember("a", "x".repeat(100));
    expect(cache.bytes).to.equal(one);
    cache.remember("gone", undefined);
    expect(cache.lookup("gone")).to.deep.equal({ found: true, value: undefined });
    cache.remember("huge", "x".repeat(2_000));
    expect(cache.lookup("huge").found).to.equal(false);
    expect(cache.lookup("a").found).to.equal(true);
  });
});

describe("WriteSet", function () {
  let dir: string;
  let db: IndexDb;
  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "drl-ws-"));
    db = await openIndexDb(dir);
    await db.batch([
      { type: "put", key: "rec:1", value: "one" },
      { type: "put", key: "rec:2", value: "two" },
      { type: "put", key: "rec:3", value: "three" },
    ]);
  });
  afterEach(async function () {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps in the cache only the keys it read and then changed", async function () {
    const cache = new ValueCache();
    const ws = new WriteSet(db, cache);
    ws.beginBlock(1, false);
    expect(await ws.get("rec:1")).to.equal("one");
    await ws.put("rec:1", "one'"); // read, then modified
    expect(await ws.get("rec:2")).to.equal("two"); // only read
    await ws.put("rec:3", "three'"); // only written
    ws.insert("ev:1", "raw"); // new by construction
    await db.batch(ws.toBatch());
    ws.committed();
    expect(cache.lookup("rec:1")).to.deep.equal({ found: true, value: "one'" });
    for (const key of ["rec:2", "rec:3", "ev:1"]) expect(cache.lookup(key).found, key).to.equal(false);
  });

  it("prefetches keys in one getMany and serves the handlers' reads from it", async function () {
    const cache = new ValueCache();
    cache.remember("rec:3", "cached");
    const ws = new WriteSet(db, cache);
    let singles = 0;
    const asked: string[][] = [];
    const getMany = db.getMany.bind(db) as (keys: string[]) => Promise<(string | undefined)[]>;
    const target = db as unknown as Record<string, unknown>;
    target.getMany = (keys: string[]) => (asked.push([...keys]), getMany(keys));
    target.get = () => (singles++, Promise.resolve(undefined));
    ws.insert("rec:2", "written");
    await ws.prefetch(["rec:1", "rec:2", "rec:3", "rec:1", "missing"]);
    // Neither what the range wrote, nor what the cache knows, nor a key twice.
    expect(asked).to.deep.equal([["rec:1", "missing"]]);
    expect(await ws.get("rec:1")).to.equal("one");
    expect(await ws.get("rec:2")).to.equal("written");
    expect(await ws.get("rec:3")).to.equal("cached");
    expect(await ws.get("missing")).to.equal(undefined);
    expect(singles).to.equal(0);
  });
});

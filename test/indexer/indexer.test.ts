import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIndexer, type IndexerConfig } from "../../src/indexer/sync.js";
import { indexSchemaOutdated, openIndexDb, type IndexDb } from "../../src/store/db.js";
import { digestDb } from "../../src/store/digest.js";
import { K, TRACE_CHUNK } from "../../src/store/keys.js";
import { encodeTraceChunk, traceItem } from "../../src/store/trace-chunks.js";
import type { GrantRecord, MemberRecord, ProductRecord, ResourceRecord, TraceHead } from "../../src/indexer/records.js";
import { productSpec, resourceInput } from "../helpers/market.js";
import { ledgerFixture, ethers, h, networkHelpers, provider } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";
import { traceWordIn } from "../helpers/trace.js";

const dirs: string[] = [];
async function freshDb(): Promise<IndexDb> {
  const dir = await mkdtemp(join(tmpdir(), "drl-index-"));
  dirs.push(dir);
  return openIndexDb(dir);
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const rpc: IndexerConfig["rpc"] = provider;

async function indexAll(fx: Awaited<ReturnType<typeof ledgerFixture>>, options: Partial<IndexerConfig> = {}) {
  const db = await freshDb();
  const indexer = createIndexer({ rpc, db, deployment: await deploymentOf(fx), ...options });
  const status = await indexer.catchUp();
  return { db, indexer, status };
}

describe("Indexer", function () {
  it("projects members, resources, grants and traces, and every indexed head equals the contract's", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const { db, status } = await indexAll(fx);
    expect(status.caughtUp).to.equal(true);
    expect(status.checkpoint.block).to.equal(await ethers.provider.getBlockNumber());

    const processor3 = (await db.get(K.member(await fx.processor3.getAddress())))!;
    expect((JSON.parse(processor3) as MemberRecord).status).to.equal("Active");
    const suspended = JSON.parse((await db.get(K.member(await fx.suspended.getAddress())))!) as MemberRecord;
    expect(suspended.status).to.equal("Suspended");
    expect(suspended.roles).to.include("PROCESSOR").and.not.include("GOVERNANCE");

    const b = JSON.parse((await db.get(K.resource(3n)))!) as ResourceRecord;
    expect(b.holder).to.equal((await fx.holder2.getAddress()).toLowerCase());
    expect(b.status).to.equal("Active");
    expect(b.objections).to.equal(1);
    const a = JSON.parse((await db.get(K.resource(2n)))!) as ResourceRecord;
    expect(a.version).to.equal(2);
    expect(a.category).to.equal("Public");

    const sub = JSON.parse((await db.get(K.grant(2n)))!) as GrantRecord;
    expect(sub.ancestry).to.deep.equal(["1"]);
    expect(sub.scope.depth).to.equal(1);
    const root = JSON.parse((await db.get(K.grant(1n)))!) as GrantRecord;
    expect(root.revoked).to.equal(true);

    const deployed = await deploymentOf(fx);
    let heads = 0;
    for await (const [, v] of db.iterator({ gte: "trh:", lt: "trh:\xff" })) {
      const head = JSON.parse(v) as TraceHead;
      const onChain = await traceWordIn(deployed, ethers.provider, head.contract, head.subject);
      expect(head.word, head.subject).to.equal(onChain.toLowerCase());
      heads++;
    }
    expect(heads).to.be.greaterThan(15);
  });

  it("numbers the products made from each subject in the order the lineage index lists them", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    // Two more products over the scenario product's input, so that input has three children.
    const first = JSON.parse((await (await indexAll(fx)).db.get(K.product(1n)))!) as ProductRecord;
    expect(first.holder).to.equal((await fx.processor3.getAddress()).toLowerCase());
    for (let i = 0; i < 2; i++) {
      const inputs = first.inputs.map((x) => resourceInput(BigInt(x.id), BigInt(x.grantId), x.shareBps));
      await (await fx.products.connect(fx.processor3).register(productSpec(), inputs)).wait();
    }
    const { db } = await indexAll(fx);
    const byInput = new Map<string, string[]>();
    for await (const [k, v] of db.iterator({ gte: "lin-down:", lt: "lin-down;" })) {
      const input = k.slice("lin-down:".length, k.lastIndexOf(":"));
      byInput.set(input, [...(byInput.get(input) ?? []), v]);
    }
    expect(Math.max(...[...byInput.values()].map((p) => p.length))).to.equal(3);
    // And each product's inputs, as the lineage walk reads them, are its lin-up entries in order.
    for (let id = 1n; id <= (await fx.products.productCount()); id++) {
      const up: [string, string][] = [];
      for await (const [k, v] of db.iterator({ gte: `lin-up:${String(id).padStart(20, "0")}:`, lt: `lin-up:${String(id).padStart(20, "0")};` })) up.push([k.slice(k.lastIndexOf(":") + 1), v]);
      const inputs = JSON.parse((await db.get(K.productInputs(id)))!) as [string, string, string, string][];
      expect(inputs.map(([key, , , grant]) => [key, grant]), `product ${id}`).to.deep.equal(up);
    }
    for (const [input, products] of byInput) {
      const n = Number(await db.get(K.lineageChildCount(input)));
      const numbered: string[] = [];
      for (let i = 1; i <= n; i++) numbered.push((await db.get(K.lineageChild(input, i)))!);
      expect(numbered, input).to.deep.equal(products);
    }
  });

  it("stores every complete run of trace entries as a chunk of their trace items", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    // A resource with a long trace: two entries per freeze and unfreeze.
    for (let i = 0; i < 20; i++) {
      await (await fx.resources.connect(fx.regulator).freeze(2n, h(`f${i}`))).wait();
      await (await fx.resources.connect(fx.regulator).unfreeze(2n, h(`u${i}`))).wait();
    }
    // Ranges of 3 blocks: a chunk's entries come from earlier ranges as well as its own.
    const { db } = await indexAll(fx, { maxRange: 3 });
    let chunks = 0;
    for await (const [, v] of db.iterator({ gte: "trh:", lt: "trh;" })) {
      const head = JSON.parse(v) as TraceHead;
      const full = Math.floor(Number(head.seq) / TRACE_CHUNK);
      for (let k = 0; k < full; k++) {
        const entries: string[] = [];
        for (let s = k * TRACE_CHUNK + 1; s <= (k + 1) * TRACE_CHUNK; s++) entries.push((await db.get(K.trace(head.subject, BigInt(s))))!);
        expect(await db.get(K.traceChunk(head.subject, k)), `${head.subject} chunk ${k}`).to.equal(encodeTraceChunk(entries.map(traceItem)));
        for (const e of entries) {
          const { subject, contract, ...item } = JSON.parse(e) as Record<string, unknown>;
          expect([subject, contract, JSON.parse(traceItem(e))]).to.deep.equal([head.subject, head.contract, item]);
        }
        chunks++;
      }
      expect(await db.get(K.traceChunk(head.subject, full)), `${head.subject} has no chunk past its head`).to.equal(undefined);
    }
    expect(chunks).to.be.greaterThan(3);
  });

  it("refuses an index written with another layout, naming the fix", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const { db } = await indexAll(fx);
    expect(await indexSchemaOutdated(db)).to.equal(false);
    await db.put("meta:schema", "1");
    expect(await indexSchemaOutdated(db)).to.equal(true);
    const again = createIndexer({ rpc, db, deployment: await deploymentOf(fx) });
    const err = await again.step().then(() => undefined, (e: unknown) => e as { code?: string; message: string });
    expect(err?.code).to.equal("DRL-INDEX-SCHEMA");
    expect(err?.message).to.match(/remove the index directory/);
  });

  it("gives byte-identical databases whatever the block range size", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const digests = new Set<string>();
    for (const maxRange of [1, 3, 7, 2_000]) {
      const { db } = await indexAll(fx, { maxRange });
      digests.add((await digestDb(db)).digest);
      await db.close();
    }
    expect(digests.size).to.equal(1);
  });

  it("caps the events of a range at whole blocks and still gives the same database", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const expected = (await digestDb((await indexAll(fx)).db)).digest;
    const deployment = await deploymentOf(fx);
    for (const maxEvents of [1, 4, 9]) {
      const db = await freshDb();
      const indexer = createIndexer({ rpc, db, deployment, maxEvents });
      let ranges = 0;
      for (;;) {
        const r = await indexer.step();
        if (r.kind === "caught-up") break;
        if (r.kind !== "range") expect.fail(`unexpected ${r.kind}`);
        ranges++;
        if (r.events > maxEvents) {
          // Only a single block may exceed the cap: a block is never split.
          const blocks = new Set<string>();
          for await (const k of db.keys({ gte: K.event(String(r.from).padStart(12, "0")), lt: K.event(String(r.to + 1).padStart(12, "0")) })) blocks.add(k.slice(3, 15));
          expect(blocks.size, `range ${r.from}-${r.to} holds ${r.events} events`).to.equal(1);
        }
      }
      // The scenario's blocks hold one write each (a few events): every cap forces many ranges.
      expect(ranges).to.be.greaterThan(10);
      expect((await digestDb(db)).digest, `maxEvents ${maxEvents}`).to.equal(expected);
      await db.close();
    }
  });

  it("asks LevelDB for every key the handlers read in getMany calls, not one get per read", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const db = await freshDb();
    const singles: string[] = [];
    let many = 0;
    const get = db.get.bind(db) as (key: string) => Promise<string | undefined>;
    const getMany = db.getMany.bind(db) as (keys: string[]) => Promise<(string | undefined)[]>;
    const target = db as unknown as Record<string, unknown>;
    target.get = (key: string) => (singles.push(key), get(key));
    target.getMany = (keys: string[]) => ((many += keys.length), getMany(keys));
    // No reorg window: inside it, undo logs read the previous value of every key written (not prefetched).
    const indexer = createIndexer({ rpc, db, deployment: await deploymentOf(fx), reorgWindow: 0 });
    const status = await indexer.catchUp();
    expect(status.eventsIndexed).to.be.greaterThan(100);
    expect(singles.filter((k) => !k.startsWith("meta:")), "keys read one by one").to.deep.equal([]);
    expect(many).to.be.greaterThan(20);
  });

  it("resumes from its checkpoint after a stop and ends where a clean run ends", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const clean = await indexAll(fx);
    const expected = (await digestDb(clean.db)).digest;

    const dir = await mkdtemp(join(tmpdir(), "drl-index-"));
    dirs.push(dir);
    const deployment = await deploymentOf(fx);
    for (let run = 0; run < 50; run++) {
      const db = await openIndexDb(dir);
      const indexer = createIndexer({ rpc, db, deployment, maxRange: 2 });
      const r1 = await indexer.step();
      const r2 = await indexer.step();
      await db.close();
      if (r1.kind === "caught-up" || r2.kind === "caught-up") break;
    }
    const db = await openIndexDb(dir);
    expect((await digestDb(db)).digest).to.equal(expected);
  });

  for (const depth of [1, 3]) {
    it(`rolls back a reorganisation of depth ${depth} and matches a clean index of the new chain`, async function () {
      const fx = await ledgerFixture();
      await runCoreScenario(fx);
      const snapshot = await networkHelpers.takeSnapshot();
      const forkPoint = await ethers.provider.getBlockNumber();
      // `depth` blocks that will be reorganised away...
      const orphans = [
        () => fx.resources.connect(fx.holder).change(2, h("orphan:1"), "ipfs://orphan/1"),
        () => fx.resources.connect(fx.regulator).freeze(2, h("orphan:freeze")),
        async () => fx.members.suspend(await fx.processor.getAddress(), h("orphan:s")),
      ];
      for (const send of orphans.slice(0, depth)) await (await send()).wait();
      expect(await ethers.provider.getBlockNumber()).to.equal(forkPoint + depth);
      const deployment = await deploymentOf(fx);
      const db = await freshDb();
      const indexer = createIndexer({ rpc, db, deployment, reorgWindow: 16 });
      await indexer.catchUp();
      // ...replaced by a different, longer history.
      await snapshot.restore();
      await (await fx.resources.connect(fx.holder).change(2, h("canonical:1"), "ipfs://canonical/1")).wait();
      await networkHelpers.mine(depth);
      const status = await indexer.catchUp();
      expect(status.reorgs).to.equal(1);
      expect(status.checkpoint.block).to.equal(forkPoint + depth + 1);
      const clean = await indexAll(fx, { reorgWindow: 16 });
      expect((await digestDb(db)).digest).to.equal((await digestDb(clean.db)).digest);
      const r = JSON.parse((await db.get(K.resource(2n)))!) as ResourceRecord;
      expect(r.catalogueUri).to.equal("ipfs://canonical/1");
      expect(r.frozen).to.equal(false);
    });
  }

  it("stops with an alarm on a reorganisation deeper than its window", async function () {
    const fx = await ledgerFixture();
    const snapshot = await networkHelpers.takeSnapshot();
    await runCoreScenario(fx);
    const deployment = await deploymentOf(fx);
    const db = await freshDb();
    const indexer = createIndexer({ rpc, db, deployment, reorgWindow: 4 });
    await indexer.catchUp();
    await snapshot.restore();
    await networkHelpers.mine(30);
    let error: unknown;
    try {
      await indexer.catchUp();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as { code?: string }).code).to.equal("DRL-INDEX-DEEP-REORG");
  });
});

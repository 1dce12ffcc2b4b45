import { expect } from "chai";
import request from "supertest";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { K, TRACE_CHUNK } from "../../src/store/keys.js";
import { h } from "../helpers/fixtures.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

type Json = Record<string, unknown>;

/*
 * Trace pages are read from the stored chunks of complete runs of entries and, past the last complete chunk, from
 * the entries themselves (src/services/traces.ts). Whatever the page size and wherever a page starts, the pages
 * must give exactly the stored entries (as trace items), in order, and end where the trace ends.
 */
describe("API trace pages over chunks", function () {
  let f: ApiFixture;
  let token: string;
  const subject = subjectKey(SubjectKind.Resource, 2n);

  before(async function () {
    f = await apiFixture();
    // A long trace: two entries per freeze and unfreeze of resource 2, then an odd one so the trace ends mid-chunk.
    const resources = f.fx.resources.connect(f.fx.regulator);
    for (let i = 0; i < 2 * TRACE_CHUNK; i++) {
      await (await resources.freeze(2n, h(`freeze ${i}`))).wait();
      await (await resources.unfreeze(2n, h(`unfreeze ${i}`))).wait();
    }
    await (await resources.freeze(2n, h("last"))).wait();
    await f.indexer.catchUp();
    token = await f.login(f.fx.regulator);
  });

  async function walk(limit: number): Promise<{ items: Json[]; pages: number }> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let pages = 1; pages < 1_000; pages++) {
      const res = await request(f.app)
        .get(`/v1/traces/${subject}?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`)
        .set({ Authorization: `Bearer ${token}` })
        .expect(200);
      const page = res.body as { subject: string; contract: string; items: Json[]; nextCursor: string | null };
      expect(page.subject).to.equal(subject);
      expect(page.contract).to.equal((await f.fx.resources.getAddress()).toLowerCase());
      expect(page.items.length).to.be.at.most(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return { items, pages };
    }
    throw new Error("the pages did not end");
  }

  it("gives the stored entries in order at every page size, ending at the head", async function () {
    const stored: Json[] = [];
    for await (const e of f.db.values({ gte: `tr:${subject}:`, lt: `tr:${subject};` })) {
      // A page names the subject and contract once; its items are the entries without them.
      const { subject: s, contract: _contract, ...item } = JSON.parse(e) as Json;
      expect(s).to.equal(subject);
      stored.push(item);
    }
    expect(stored.length).to.be.greaterThan(4 * TRACE_CHUNK);
    expect(stored.length % TRACE_CHUNK).to.not.equal(0);
    // The chunks are there to be read (a missing one would send the page to the range read instead).
    for (let k = 0; k < Math.floor(stored.length / TRACE_CHUNK); k++) expect(await f.db.get(K.traceChunk(subject, k)), `chunk ${k}`).to.be.a("string");
    for (const limit of [1, 3, 7, TRACE_CHUNK, TRACE_CHUNK + 3, 50, 100]) {
      const { items, pages } = await walk(limit);
      expect(items, `pages of ${limit}`).to.deep.equal(stored);
      expect(pages, `pages of ${limit}`).to.equal(Math.ceil(stored.length / limit));
    }
  });
});

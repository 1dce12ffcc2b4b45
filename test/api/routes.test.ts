import { expect } from "chai";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import request, { type Response } from "supertest";
import { Invalidity, SubjectKind, nameOf } from "../../src/domain/enums.js";
import { ZERO_WORD, nextWord, subjectKey } from "../../src/domain/trace.js";
import { DocumentStore } from "../../src/services/documents.js";
import { K } from "../../src/store/keys.js";
import { addressesOf, type AccountName } from "../helpers/accounts.js";
import { ethers, networkHelpers } from "../helpers/fixtures.js";
import { traceWordIn } from "../helpers/trace.js";
import { deploymentOf } from "../helpers/scenario.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";

/*
 * The behaviour of every route on the core scenario (test/helpers/scenario.ts), indexed by the real indexer:
 *
 *   resources  1 holder   Enterprise/General/PortLogistics   (public catalogue)
 *              2 holder   Public/General/Health, 2 versions  (public catalogue)
 *              3 holder2  Personal/Important/Finance         (restricted; transferred from holder; one dismissed objection by holder2)
 *   grants     1 holder → processor on 2 (revoked)
 *              2 processor → processor2 on 2, sub-grant of 1 (invalid: its parent is revoked)
 *              3 holder → processor3 on 3 (frozen, then unfrozen: valid)
 *              4 processor3 → operator, product-operation over product 1
 *   market     the market round (test/helpers/market.ts): resources 4 (Enterprise) and 5 (Public), both holder's,
 *              General/PortLogistics; grants 5 and 8 holder → processor over them; products 2 and 3 of processor;
 *              listings 1 (re-priced to 1,234), 2 (delisted by a regulator), 3 (price approved), 4 (price rejected);
 *              trades 1 (3 units, confirmed), 2 (disputed), 4 (2 units, confirmed) bought by processor2 under
 *              licences 6, 7 and 9 from processor; trade 3 a procurement by operator (open, no licence)
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Collects a binary response body into a Buffer (supertest buffers only text and JSON by default). */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => done(null, Buffer.concat(chunks)));
};

const ids = (res: Response): string[] => (res.body as { items: { id: string }[] }).items.map((i) => i.id);

describe("API routes", function () {
  let f: ApiFixture;
  let addr: Record<AccountName, string>;
  const tokens = {} as Record<AccountName, string>;

  /** GET `path` as `who` (anonymous when undefined). */
  const get = (path: string, who?: AccountName) => {
    const r = request(f.app).get(path);
    return who === undefined ? r : r.set(bearer(tokens[who]));
  };

  /** Every page of a listing, following nextCursor; checks each page's size and returns all items. */
  async function walk(path: string, who: AccountName | undefined, limit: number): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, who).expect(200);
      const page = res.body as { items: Json[]; nextCursor: string | null };
      expect(page.items.length).to.be.at.most(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error(`${path} did not end after 100 pages`);
  }

  before(async function () {
    f = await apiFixture();
    const a = await addressesOf(f.fx);
    addr = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.toLowerCase()])) as Record<AccountName, string>;
    for (const who of ["gov", "regulator", "holder", "holder2", "processor", "processor2", "processor3", "operator"] as const) {
      tokens[who] = await f.login(f.fx[who]);
    }
  });

  // ==== MEMBERS ====

  describe("GET /v1/members", function () {
    it("pages through the whole directory with cursors, without repeats", async function () {
      const all = await walk("/v1/members", "operator", 3);
      expect(all.map((m) => m.account)).to.have.members(Object.values(addr).filter((a) => a !== addr.outsider));
      expect(new Set(all.map((m) => m.account)).size).to.equal(all.length);
      const one = await get("/v1/members?limit=100", "operator").expect(200);
      expect(one.body.items).to.have.length(11);
      expect(one.body.nextCursor).to.equal(null);
    });

    it("filters by role and by status", async function () {
      const processors = await get("/v1/members?role=PROCESSOR", "holder").expect(200);
      // The suspended member holds every role but GOVERNANCE.
      expect(processors.body.items.map((m: Json) => m.account)).to.have.members([addr.processor, addr.processor2, addr.processor3, addr.suspended]);
      const suspended = await get("/v1/members?status=Suspended", "holder").expect(200);
      expect(suspended.body.items.map((m: Json) => m.account)).to.deep.equal([addr.suspended]);
      const activeRegulators = await get("/v1/members?role=REGULATOR&status=Active", "holder").expect(200);
      expect(activeRegulators.body.items.map((m: Json) => m.account)).to.deep.equal([addr.regulator]);
    });

    it("refuses a page above the maximum size, a zero limit, an unknown role and a foreign cursor", async function () {
      await get("/v1/members?limit=100", "holder").expect(200);
      for (const q of ["limit=101", "limit=0", "limit=-1", "limit=1.5", "role=KING", "status=Gone", "cursor=!!", "unknown=1"]) {
        const res = await get(`/v1/members?${q}`, "holder").expect(400);
        expect(res.body.error.code, q).to.equal("DRL-400-VALIDATION");
      }
      const resources = await get("/v1/resources?limit=1", "holder").expect(200);
      const foreign = await get(`/v1/members?cursor=${resources.body.nextCursor}`, "holder").expect(400);
      expect(foreign.body.error.message).to.match(/cursor/);
    });
  });

  describe("GET /v1/members/:address", function () {
    it("returns one member by address in any case, 404 for a non-member, 400 for a malformed address", async function () {
      const res = await get(`/v1/members/${addr.processor3.toUpperCase().replace("0X", "0x")}`, "holder").expect(200);
      expect(res.body.account).to.equal(addr.processor3);
      expect(res.body.roles).to.deep.equal(["PROCESSOR"]);
      expect(res.body.status).to.equal("Active");
      expect((await get(`/v1/members/${addr.outsider}`, "holder").expect(404)).body.error.code).to.equal("DRL-404-NOT-FOUND");
      expect((await get("/v1/members/0x1234", "holder").expect(400)).body.error.code).to.equal("DRL-400-VALIDATION");
    });
  });

  // ==== RESOURCES ====

  describe("GET /v1/resources", function () {
    it("shows the public the unrestricted catalogue only, with catalogue fields and no holder", async function () {
      const res = await get("/v1/resources").expect(200);
      expect(ids(res)).to.deep.equal(["1", "2", "4", "5"]);
      for (const r of res.body.items as Json[]) {
        expect(r).to.not.have.any.keys("holder", "frozen", "objections", "registered", "updated");
        expect(r).to.include.keys("id", "kind", "category", "grade", "domain", "openClass", "status", "catalogueHash", "catalogueUri");
      }
    });

    it("shows a regulator everything and a party the restricted resources it is party to, with detail", async function () {
      const all = await get("/v1/resources", "regulator").expect(200);
      expect(ids(all)).to.deep.equal(["1", "2", "3", "4", "5"]);
      expect(all.body.items[2].holder).to.equal(addr.holder2);
      // processor3 holds a grant over resource 3; processor does not.
      expect(ids(await get("/v1/resources", "processor3").expect(200))).to.deep.equal(["1", "2", "3", "4", "5"]);
      const processor = await get("/v1/resources", "processor").expect(200);
      expect(ids(processor)).to.deep.equal(["1", "2", "4", "5"]);
      // processor is a party to 2 (grantee of grant 1) but not to 1.
      expect(processor.body.items[0]).to.not.have.property("holder");
      expect(processor.body.items[1].holder).to.equal(addr.holder);
    });

    it("filters by domain, category, grade, holder and status", async function () {
      const cases: [string, string[]][] = [
        ["domain=Health", ["2"]],
        ["domain=Finance", ["3"]],
        ["category=Enterprise", ["1", "4"]],
        ["category=Personal", ["3"]],
        ["grade=General", ["1", "2", "4", "5"]],
        ["grade=Important", ["3"]],
        ["grade=Core", []],
        [`holder=${addr.holder}`, ["1", "2", "4", "5"]],
        [`holder=${addr.holder2}`, ["3"]],
        [`holder=${addr.processor}`, []],
        ["status=Active", ["1", "2", "3", "4", "5"]],
        ["status=Cancelled", []],
        [`holder=${addr.holder}&domain=Health`, ["2"]],
        ["domain=Health&category=Personal", []],
      ];
      for (const [q, expected] of cases) expect(ids(await get(`/v1/resources?${q}`, "regulator").expect(200)), q).to.deep.equal(expected);
      // The same filters for the public leave restricted resources out.
      expect(ids(await get(`/v1/resources?holder=${addr.holder2}`).expect(200))).to.deep.equal([]);
      expect(ids(await get("/v1/resources?domain=Finance").expect(200))).to.deep.equal([]);
    });

    it("searches catalogue text case-insensitively (URI, kind, domain, category, hash)", async function () {
      const cases: [string, string[]][] = [
        ["health", ["2"]],
        ["HEALTH%2F0%2Fv2", ["2"]],
        ["ipfs%3A%2F%2Fcatalogue", ["1", "4", "5"]],
        ["dataset", ["1", "3", "4", "5"]],
        ["portlogistics", ["1", "4", "5"]],
        ["finance", ["3"]],
        ["no-such-text", []],
      ];
      for (const [q, expected] of cases) expect(ids(await get(`/v1/resources?q=${q}`, "regulator").expect(200)), q).to.deep.equal(expected);
      const hash = ((await get("/v1/resources/3", "regulator").expect(200)).body as Json).catalogueHash as string;
      expect(ids(await get(`/v1/resources?q=${hash.slice(10, 30)}`, "regulator").expect(200))).to.deep.equal(["3"]);
      expect(ids(await get("/v1/resources?q=finance").expect(200))).to.deep.equal([]);
      await get("/v1/resources?q=").expect(400);
      await get(`/v1/resources?q=${"x".repeat(101)}`).expect(400);
    });

    it("pages with cursors and enforces the maximum page size", async function () {
      const pages = await walk("/v1/resources", "regulator", 1);
      expect(pages.map((r) => r.id)).to.deep.equal(["1", "2", "3", "4", "5"]);
      expect((await walk("/v1/resources", undefined, 2)).map((r) => r.id)).to.deep.equal(["1", "2", "4", "5"]);
      const byHolder = await walk(`/v1/resources?holder=${addr.holder}`, "regulator", 1);
      expect(byHolder.map((r) => r.id)).to.deep.equal(["1", "2", "4", "5"]);
      await get(`/v1/resources?limit=${f.deps.config.maxPageSize}`).expect(200);
      await get(`/v1/resources?limit=${f.deps.config.maxPageSize + 1}`).expect(400);
      // A cursor of the catalogue does not walk a holder's index.
      const first = await get("/v1/resources?limit=1").expect(200);
      await get(`/v1/resources?holder=${addr.holder}&cursor=${first.body.nextCursor}`).expect(400);
    });
  });

  describe("GET /v1/resources/:resourceId", function () {
    it("gives the catalogue view to the public and the full state to the holder, parties and regulators", async function () {
      const pub = await get("/v1/resources/2").expect(200);
      expect(pub.body).to.not.have.property("holder");
      expect(pub.body.version).to.equal(2);
      for (const who of ["holder", "processor", "regulator"] as const) {
        const full = await get("/v1/resources/2", who).expect(200);
        expect(full.body.holder, who).to.equal(addr.holder);
        expect(full.body.registered.block).to.be.a("number");
      }
      const r3 = await get("/v1/resources/3", "holder2").expect(200);
      expect(r3.body).to.include({ holder: addr.holder2, status: "Active", frozen: false, objections: 1, openObjections: 0 });
    });

    it("answers 404 alike for a restricted resource and a missing one", async function () {
      const hidden = await get("/v1/resources/3").expect(404);
      const missing = await get("/v1/resources/999").expect(404);
      expect(hidden.body.error.code).to.equal(missing.body.error.code);
      await get("/v1/resources/3", "processor").expect(404);
      await get("/v1/resources/0").expect(400);
      await get("/v1/resources/abc").expect(400);
      await get("/v1/resources/18446744073709551616").expect(400);
      await get("/v1/resources/18446744073709551615").expect(404);
    });
  });

  describe("GET /v1/resources/:resourceId/versions", function () {
    it("lists every catalogue version in order", async function () {
      const res = await get("/v1/resources/2/versions").expect(200);
      expect(res.body.items.map((v: Json) => v.version)).to.deep.equal([1, 2]);
      expect(res.body.items[1].catalogueUri).to.equal("ipfs://health/0/v2");
      expect(res.body.items[0].at.block).to.be.lessThan(res.body.items[1].at.block);
      await get("/v1/resources/3/versions").expect(404);
      expect((await get("/v1/resources/3/versions", "processor3").expect(200)).body.items).to.have.length(1);
    });
  });

  describe("GET /v1/resources/:resourceId/objections", function () {
    it("shows the objection and its resolution to parties and regulators only", async function () {
      for (const who of ["holder2", "regulator", "processor3"] as const) {
        const res = await get("/v1/resources/3/objections", who).expect(200);
        expect(res.body.items).to.have.length(1);
        expect(res.body.items[0]).to.include({ resourceId: "3", objectionId: 1, objector: addr.holder2 });
        expect(res.body.items[0].resolution).to.include({ upheld: false, regulator: addr.regulator });
      }
      // A public resource's objections are for its parties too.
      await get("/v1/resources/2/objections", "operator").expect(404);
      expect((await get("/v1/resources/2/objections", "holder").expect(200)).body.items).to.deep.equal([]);
      await get("/v1/resources/3/objections", "processor").expect(404);
      await get("/v1/resources/3/objections").expect(401);
    });
  });

  describe("GET /v1/resources/:resourceId/rights", function () {
    it("gives the holding and the grants valid now, each with its chain", async function () {
      const r3 = await get("/v1/resources/3/rights", "holder2").expect(200);
      expect(r3.body.holding.holder).to.equal(addr.holder2);
      expect(r3.body.grants.map((g: Json) => g.grant.id)).to.deep.equal(["3"]);
      expect(r3.body.grants[0].chain).to.deep.equal(["3"]);
      expect(r3.body.grants[0].validity).to.deep.equal({ valid: true, reason: "None", atGrant: "0" });
      expect(r3.body.at.block).to.equal(await ethers.provider.getBlockNumber());
      // Grant 1 is revoked and grant 2 hangs from it: nothing over resource 2 is valid.
      const r2 = await get("/v1/resources/2/rights", "holder").expect(200);
      expect(r2.body.grants).to.deep.equal([]);
      expect(r2.body.truncated).to.equal(false);
      await get("/v1/resources/2/rights", "operator").expect(404);
    });
  });

  // ==== GRANTS ====

  describe("GET /v1/grants", function () {
    it("lists the grants a member received, or gave with role=grantor", async function () {
      expect(ids(await get("/v1/grants", "processor").expect(200))).to.deep.equal(["1", "5", "8"]);
      // A purchase's licence is granted by the seller.
      expect(ids(await get("/v1/grants?role=grantor", "processor").expect(200))).to.deep.equal(["2", "6", "7", "9"]);
      expect(ids(await get("/v1/grants?role=grantor", "holder").expect(200))).to.deep.equal(["1", "3", "5", "8"]);
      expect(ids(await get("/v1/grants", "holder").expect(200))).to.deep.equal([]);
      // The scenario's product-operation grant (经营权 over processor3's product).
      expect(ids(await get("/v1/grants", "operator").expect(200))).to.deep.equal(["4"]);
    });

    it("lets a regulator name any member, and answers 404 when another member does", async function () {
      expect(ids(await get(`/v1/grants?member=${addr.processor2}`, "regulator").expect(200))).to.deep.equal(["2", "6", "7", "9"]);
      expect(ids(await get(`/v1/grants?member=${addr.holder}&role=grantor`, "regulator").expect(200))).to.deep.equal(["1", "3", "5", "8"]);
      expect(ids(await get(`/v1/grants?member=${addr.processor}`, "processor").expect(200))).to.deep.equal(["1", "5", "8"]);
      await get(`/v1/grants?member=${addr.processor2}`, "processor").expect(404);
      await get(`/v1/grants?member=${addr.processor2}`, "holder").expect(404);
    });

    it("lists the grants over a resource that the caller may read", async function () {
      expect(ids(await get("/v1/grants?resourceId=2", "holder").expect(200))).to.deep.equal(["1", "2"]);
      expect(ids(await get("/v1/grants?resourceId=2", "processor2").expect(200))).to.deep.equal(["2"]);
      expect(ids(await get("/v1/grants?resourceId=2", "processor3").expect(200))).to.deep.equal([]);
      expect(ids(await get("/v1/grants?resourceId=3", "holder2").expect(200))).to.deep.equal(["3"]);
      expect(ids(await get("/v1/grants?resourceId=999", "regulator").expect(200))).to.deep.equal([]);
    });

    it("pages with cursors", async function () {
      expect((await walk("/v1/grants?role=grantor", "holder", 1)).map((g) => g.id)).to.deep.equal(["1", "3", "5", "8"]);
      expect((await walk("/v1/grants?resourceId=2", "regulator", 1)).map((g) => g.id)).to.deep.equal(["1", "2"]);
      await get("/v1/grants?role=owner", "holder").expect(400);
      await get("/v1/grants?limit=101", "holder").expect(400);
    });
  });

  /** The contract's grantValidity(id) at `blockTag`, as the API names it. */
  async function contractValidity(id: bigint, blockTag?: number) {
    const [reason, atGrant] = await f.fx.grants.grantValidity(id, blockTag === undefined ? {} : { blockTag });
    const name = nameOf(Invalidity, reason);
    return { valid: name === "None", reason: name, atGrant: atGrant.toString() };
  }

  describe("GET /v1/grants/:grantId", function () {
    it("gives the grant with its chain, root first, each link's validity equal to the contract's", async function () {
      const res = await get("/v1/grants/2", "processor2").expect(200);
      expect(res.body.grant).to.include({ id: "2", parentId: "1", grantor: addr.processor, grantee: addr.processor2, subjectKind: "Resource", subjectId: "2" });
      expect(res.body.chain.map((g: Json) => g.id)).to.deep.equal(["1", "2"]);
      expect(res.body.chain[0].revoked).to.equal(true);
      expect(res.body.validity).to.deep.equal(await contractValidity(2n));
      expect(res.body.validity).to.deep.equal({ valid: false, reason: "Revoked", atGrant: "1" });
      for (const link of res.body.chain as Json[]) expect(link.validity, link.id).to.deep.equal(await contractValidity(BigInt(link.id)));
      expect(res.body.at.block).to.equal(await ethers.provider.getBlockNumber());

      const g3 = await get("/v1/grants/3", "processor3").expect(200);
      expect(g3.body.chain.map((g: Json) => g.id)).to.deep.equal(["3"]);
      expect(g3.body.validity).to.deep.equal(await contractValidity(3n));
      expect(g3.body.grant.frozen).to.equal(false);
      expect(g3.body.grant.scope).to.include({ maySubGrant: false, depth: 0 });
    });

    it("answers 404 alike for another member's grant and a missing one, 400 for a malformed id", async function () {
      const hidden = await get("/v1/grants/3", "processor").expect(404);
      const missing = await get("/v1/grants/99", "processor").expect(404);
      expect(hidden.body.error.code).to.equal(missing.body.error.code);
      await get("/v1/grants/1", "processor3").expect(404);
      await get("/v1/grants/-1", "processor").expect(400);
      await get("/v1/grants/1?x=1", "processor").expect(400);
      await get("/v1/grants/1").expect(401);
    });
  });

  describe("GET /v1/grants/:grantId/validity", function () {
    it("gives validity now, equal to the contract's at the indexed head", async function () {
      const head = await ethers.provider.getBlockNumber();
      for (const id of [1n, 2n, 3n]) {
        const res = await get(`/v1/grants/${id}/validity`, "regulator").expect(200);
        expect(res.body.at.block).to.equal(head);
        expect({ valid: res.body.valid, reason: res.body.reason, atGrant: res.body.atGrant }, `grant ${id}`).to.deep.equal(await contractValidity(id, head));
        expect(res.body.grantId).to.equal(id.toString());
      }
    });

    it("gives at every past block (?block=) the contract's grantValidity at that block", async function () {
      const head = await ethers.provider.getBlockNumber();
      const start = (await f.fx.grants.deploymentTransaction()!.wait())!.blockNumber;
      const reasons = new Set<string>();
      let compared = 0;
      for (let block = start; block <= head; block++) {
        const time = (await ethers.provider.getBlock(block))!.timestamp;
        for (const id of [1n, 2n, 3n]) {
          const res = await get(`/v1/grants/${id}/validity?block=${block}`, "regulator").expect(200);
          expect(res.body.at, `grant ${id} at block ${block}`).to.deep.equal({ block, time });
          const expected = await contractValidity(id, block);
          expect({ valid: res.body.valid, reason: res.body.reason, atGrant: res.body.atGrant }, `grant ${id} at block ${block}`).to.deep.equal(expected);
          reasons.add(expected.reason);
          compared++;
        }
      }
      expect(compared).to.be.greaterThan(60);
      // The history passes through these answers.
      expect([...reasons], [...reasons].join()).to.include.members(["Unknown", "None", "Revoked", "Frozen", "SubjectFrozen", "GranteeInactive"]);
    });

    it("gives at a time (?time=) the answer of the newest block at or before it", async function () {
      const head = await ethers.provider.getBlockNumber();
      const start = (await f.fx.grants.deploymentTransaction()!.wait())!.blockNumber;
      for (let block = start; block <= head; block++) {
        const time = (await ethers.provider.getBlock(block))!.timestamp;
        for (const id of [2n, 3n]) {
          const res = await get(`/v1/grants/${id}/validity?time=${time}`, "regulator").expect(200);
          // The newest block with ledger events at or before the time (the state is the same up to `block`).
          expect(res.body.at.time).to.equal(time);
          expect(res.body.at.block).to.be.at.most(block);
          if (await f.db.get(K.blockTime(block))) expect(res.body.at.block, `time ${time}`).to.equal(block);
          expect({ valid: res.body.valid, reason: res.body.reason, atGrant: res.body.atGrant }, `grant ${id} at block ${block}`).to.deep.equal(await contractValidity(id, block));
        }
      }
      // Far in the future every grant has expired; before the chain began none existed.
      expect((await get("/v1/grants/3/validity?time=999999999999", "regulator").expect(200)).body.reason).to.equal("Expired");
      expect((await get("/v1/grants/3/validity?time=0", "regulator").expect(200)).body.reason).to.equal("Unknown");
    });

    it("refuses block and time together, a block not indexed yet, and malformed values", async function () {
      const head = await ethers.provider.getBlockNumber();
      for (const q of ["block=1&time=1", `block=${head + 1}`, "block=-1", "block=1e3", "time=abc", "block=1234567890123", "at=1"]) {
        const res = await get(`/v1/grants/3/validity?${q}`, "regulator").expect(400);
        expect(res.body.error.code, q).to.equal("DRL-400-VALIDATION");
      }
      await get("/v1/grants/3/validity?block=1", "processor").expect(404);
    });
  });

  describe("GET /v1/grants/:grantId/impact", function () {
    it("lists the grants below one, each with its validity now", async function () {
      const res = await get("/v1/grants/1/impact", "holder").expect(200);
      expect(res.body.grantId).to.equal("1");
      expect(res.body.grants).to.deep.equal([{ id: "2", parentId: "1", grantee: addr.processor2, validNow: false }]);
      expect(res.body.truncated).to.equal(false);
      expect((await get("/v1/grants/2/impact", "processor2").expect(200)).body.grants).to.deep.equal([]);
      expect((await get("/v1/grants/3/impact", "holder2").expect(200)).body.grants).to.deep.equal([]);
      await get("/v1/grants/3/impact", "processor").expect(404);
    });
  });

  // ==== TRACES ====

  describe("GET /v1/traces/:subject", function () {
    const traceWordOf = async (contract: string, subject: string): Promise<string> =>
      traceWordIn(await deploymentOf(f.fx), ethers.provider, contract, subject);

    it("gives every traced subject with a head equal to the contract's traceWord, and words that fold", async function () {
      const subjects: string[] = [];
      for await (const key of f.db.keys({ gte: "trh:", lt: "trh:\xff" })) subjects.push(key.slice(4));
      expect(subjects.length).to.be.greaterThan(15);
      for (const subject of subjects) {
        const res = await get(`/v1/traces/${subject}?limit=100`, "regulator").expect(200);
        const { head, items, contract } = res.body as { head: { seq: string; word: string }; items: Json[]; contract: string };
        expect(head.word, subject).to.equal((await traceWordOf(contract, subject)).toLowerCase());
        expect(items.map((e) => e.seq)).to.deep.equal(items.map((_, i) => String(i + 1)));
        expect(head.seq).to.equal(String(items.length));
        let word = ZERO_WORD;
        for (const e of items) {
          word = nextWord(word, { subject, seq: BigInt(e.seq), action: e.action, actor: e.actor, payloadHash: e.payloadHash, blockNumber: e.at.block });
          expect(e.word).to.equal(word);
        }
        expect(word).to.equal(head.word);
      }
    });

    it("pages a trace with cursors, and names the actions", async function () {
      const subject = subjectKey(SubjectKind.Resource, 3n);
      const all = await walk(`/v1/traces/${subject}`, "holder2", 2);
      expect(all.map((e) => e.seq)).to.deep.equal(["1", "2", "3", "4", "5", "6", "7"]);
      expect(all.map((e) => e.actionName)).to.deep.equal([
        "RESOURCE_REGISTERED",
        "OBJECTION_FILED",
        "OBJECTION_RESOLVED",
        "GRANT_ISSUED",
        "RESOURCE_FROZEN",
        "RESOURCE_UNFROZEN",
        "RESOURCE_TRANSFERRED",
      ]);
    });

    it("shows a member its own trace, another member's only to governance and regulators", async function () {
      const own = subjectKey(SubjectKind.Member, BigInt(addr.processor3));
      expect((await get(`/v1/traces/${own}`, "processor3").expect(200)).body.head.seq).to.equal("4");
      await get(`/v1/traces/${own}`, "processor").expect(404);
      await get(`/v1/traces/${own}`, "gov").expect(200);
      await get(`/v1/traces/${subjectKey(SubjectKind.Grant, 3n)}`, "processor").expect(404);
      await get(`/v1/traces/${subjectKey(SubjectKind.Grant, 3n)}`, "processor3").expect(200);
      await get(`/v1/traces/${subjectKey(SubjectKind.Grant, 99n)}`, "regulator").expect(404);
      await get("/v1/traces/0x1234", "regulator").expect(400);
    });
  });

  // ==== STATS ====

  describe("GET /v1/stats", function () {
    it("counts by dimension and month for regulators", async function () {
      const month = new Date((await ethers.provider.getBlock("latest"))!.timestamp * 1000).toISOString().slice(0, 7);
      const expected: [string, Record<string, string>][] = [
        ["resources.domain", { PortLogistics: "3", Health: "1", Finance: "1" }],
        ["resources.category", { Enterprise: "2", Public: "2", Personal: "1" }],
        ["resources.grade", { General: "4", Important: "1" }],
        ["grants.right", { ProcessingUse: "8", ProductOperation: "1" }],
        ["rights.transferred", { Holding: "1" }],
        ["members", { admitted: "11" }],
        ["products.domain", { Finance: "1", PortLogistics: "2" }],
        ["listings.domain", { PortLogistics: "4" }],
        ["ratings.kind", { Qualification: "1", Certification: "2", Quality: "1" }],
        // Trades: 3 × 1,234 (confirmed), 1 × 1,234 (disputed), a procurement of 5 × 1,234, 2 × 500 (confirmed).
        ["trades.domain", { PortLogistics: "4" }],
        ["trades.kind", { Purchase: "3", Procurement: "1" }],
        ["trades.amount", { "PortLogistics/CNY": "12106" }],
        ["trades.confirmed", { "PortLogistics/CNY": "4702" }],
      ];
      for (const [dimension, totals] of expected) {
        const res = await get(`/v1/stats?dimension=${dimension}`, "regulator").expect(200);
        expect(res.body.totals, dimension).to.deep.equal(totals);
        expect(res.body.rows.every((r: Json) => r.month === month)).to.equal(true);
      }
      const within = await get(`/v1/stats?dimension=members&from=${month}&to=${month}`, "regulator").expect(200);
      expect(within.body).to.deep.include({ from: month, to: month, totals: { admitted: "11" } });
      const before = await get("/v1/stats?dimension=members&to=2000-01", "regulator").expect(200);
      expect(before.body.rows).to.deep.equal([]);
      expect(before.body.totals).to.deep.equal({});
    });

    it("is for regulators only, and validates its query", async function () {
      expect((await get("/v1/stats?dimension=members", "gov").expect(403)).body.error.code).to.equal("DRL-403-FORBIDDEN");
      await get("/v1/stats?dimension=members").expect(401);
      for (const q of ["", "dimension=secrets", "dimension=members&from=2024-13", "dimension=members&to=24-01", "dimension=members&extra=1"]) {
        await get(`/v1/stats?${q}`, "regulator").expect(400);
      }
    });
  });

  // ==== DOCUMENTS ====

  describe("documents", function () {
    let dir: string;
    const upload = (who: AccountName, bytes: Buffer | string, type = "text/plain") =>
      request(f.app)
        .post("/v1/documents")
        .set(bearer(tokens[who]))
        .set("Content-Type", type)
        // As bytes, whatever the type (superagent would JSON-encode a Buffer sent as application/json).
        .serialize((b: unknown) => b as string)
        .send(Buffer.from(bytes));
    const download = (hash: string, who?: AccountName) => get(`/v1/documents/${hash}`, who).buffer(true).parse(binary);

    before(async function () {
      // A store whose directory the test knows, to tamper with; the app reads deps.documents on every request.
      dir = await mkdtemp(join(tmpdir(), "drl-docs-"));
      f.deps.documents = new DocumentStore(dir);
    });

    it("stores a document under its keccak256 and gives the same bytes back, with type and hash", async function () {
      const bytes = Buffer.from(JSON.stringify({ terms: "processing for research only" }));
      const put = await upload("holder", bytes, "application/json; charset=utf-8").expect(201);
      expect(put.body).to.deep.equal({ hash: keccak256(bytes), size: bytes.length, contentType: "application/json" });
      const got = await download(put.body.hash, "holder").expect(200);
      expect(Buffer.compare(got.body as Buffer, bytes)).to.equal(0);
      expect(got.headers["content-type"]).to.match(/^application\/json/);
      expect(got.headers["x-document-hash"]).to.equal(keccak256(bytes));
      // Uploading the same bytes again is idempotent.
      expect((await upload("holder", bytes, "application/json").expect(201)).body.hash).to.equal(keccak256(bytes));
    });

    it("refuses a document above the size limit (413), of a type not allowed (415), or empty (400)", async function () {
      const max = f.deps.config.maxDocumentBytes;
      await upload("holder", Buffer.alloc(max, 1), "application/octet-stream").expect(201);
      const big = await upload("holder", Buffer.alloc(max + 1, 1), "application/octet-stream").expect(413);
      expect(big.body.error.code).to.equal("DRL-413-TOO-LARGE");
      for (const type of ["text/html", "application/x-sh", "multipart/form-data", "image/svg+xml"]) {
        const res = await upload("holder", "<script>alert(1)</script>", type).expect(415);
        expect(res.body.error.code, type).to.equal("DRL-415-MEDIA-TYPE");
      }
      const untyped = await request(f.app).post("/v1/documents").set(bearer(tokens.holder)).send(Buffer.from("x")).unset("Content-Type");
      expect(untyped.status).to.equal(415);
      expect((await upload("holder", Buffer.alloc(0)).expect(400)).body.error.code).to.equal("DRL-400-VALIDATION");
      await request(f.app).post("/v1/documents").set("Content-Type", "text/plain").send("anonymous").expect(401);
    });

    it("re-checks the stored bytes against the hash on download and never serves altered bytes", async function () {
      const bytes = Buffer.from("evidence: the original");
      const { hash } = (await upload("holder2", bytes).expect(201)).body as { hash: string };
      await writeFile(join(dir, hash), Buffer.from("evidence: tampered!!!"));
      const res = await download(hash, "holder2");
      expect(res.status).to.equal(500);
      const body = JSON.parse((res.body as Buffer).toString("utf8")) as Json;
      expect(body).to.deep.equal({ error: { code: "DRL-500-INTERNAL", message: body.error.message } });
      expect((res.body as Buffer).toString("utf8")).to.not.include("tampered");
      expect(await readFile(join(dir, hash), "utf8")).to.include("tampered");
    });

    it("lets a member read a document cited by a subject it may read, and nobody else but the uploader and regulators", async function () {
      // The scenario's hashes are keccak256 of their labels, so the label is the document.
      const cases: { label: string; uploader: AccountName; readers: AccountName[]; others: AccountName[] }[] = [
        // The catalogue of public resource 2: every member.
        { label: "c:health:0", uploader: "holder", readers: ["processor3", "operator", "regulator"], others: [] },
        // The catalogue of restricted resource 3: its parties.
        { label: "c:fin:0", uploader: "holder2", readers: ["holder", "processor3", "regulator"], others: ["processor", "processor2", "operator"] },
        // The objection evidence on resource 3.
        { label: "objection:0", uploader: "holder2", readers: ["processor3", "holder"], others: ["operator"] },
        // The terms of grant 1: its parties and those of grants below it.
        { label: "terms:0", uploader: "holder", readers: ["processor", "regulator"], others: ["processor3", "holder2", "operator"] },
        // The terms of grant 3.
        { label: "terms:b:0", uploader: "holder", readers: ["processor3", "holder2"], others: ["processor", "processor2"] },
        // Cited by nothing: the uploader and regulators.
        { label: "uncited notes", uploader: "processor", readers: ["regulator"], others: ["holder", "processor2", "gov"] },
      ];
      for (const c of cases) {
        const hash = (await upload(c.uploader, c.label).expect(201)).body.hash as string;
        expect(hash).to.equal(keccak256(toUtf8Bytes(c.label)));
        await download(hash, c.uploader).expect(200);
        for (const who of c.readers) expect((await download(hash, who)).status, `${who} reads ${c.label}`).to.equal(200);
        for (const who of c.others) expect((await download(hash, who)).status, `${who} reads ${c.label}`).to.equal(404);
        await download(hash).expect(401);
      }
      const missing = await download(keccak256(toUtf8Bytes("never uploaded")), "regulator").expect(404);
      expect(JSON.parse((missing.body as Buffer).toString("utf8")).error.code).to.equal("DRL-404-NOT-FOUND");
      await download("0x1234", "regulator").expect(400);
      await download(`${keccak256(toUtf8Bytes("c:health:0"))}?inline=1`, "regulator").expect(400);
    });
  });
});

/** Mutates the chain (time travel), so it runs on a fixture of its own after the suite above. */
describe("API routes: validity as chain time passes without ledger events", function () {
  let g: ApiFixture;
  let token: string;
  before(async function () {
    g = await apiFixture();
    token = await g.login(g.fx.regulator);
    // Past the end of every grant's window (a year), in blocks that hold no ledger event.
    await networkHelpers.time.increase(400 * 24 * 3600);
    await networkHelpers.mine(3);
    await g.indexer.catchUp();
  });

  it("judges validity now at the time of the indexed head, as the contract does", async function () {
    const head = await ethers.provider.getBlockNumber();
    const [reason] = await g.fx.grants.grantValidity(3n, { blockTag: head });
    expect(nameOf(Invalidity, reason)).to.equal("Expired");
    const res = await request(g.app).get("/v1/grants/3/validity").set(bearer(token)).expect(200);
    expect(res.body.at).to.deep.equal({ block: head, time: (await ethers.provider.getBlock(head))!.timestamp });
    expect(res.body.reason).to.equal("Expired");
    const detail = await request(g.app).get("/v1/grants/3").set(bearer(token)).expect(200);
    expect(detail.body.validity.reason).to.equal("Expired");
    const rights = await request(g.app).get("/v1/resources/3/rights").set(bearer(token)).expect(200);
    expect(rights.body.grants).to.deep.equal([]);
  });

  it("judges an empty block at its own time (?block=)", async function () {
    const head = await ethers.provider.getBlockNumber();
    const res = await request(g.app).get(`/v1/grants/3/validity?block=${head - 1}`).set(bearer(token)).expect(200);
    expect(res.body.at.time).to.equal((await ethers.provider.getBlock(head - 1))!.timestamp);
    expect(res.body.reason).to.equal(nameOf(Invalidity, (await g.fx.grants.grantValidity(3n, { blockTag: head - 1 }))[0]));
  });
});

import { expect } from "chai";
import { keccak256 } from "ethers";
import request from "supertest";
import { h } from "../helpers/fixtures.js";
import { apiFixture, type ApiFixture } from "./api-fixture.js";
import { sk } from "./supervision-world.js";

/*
 * The supervision routes over the supervision scenario (test/api/supervision-world.ts): reports 1..3, disputes 1
 * (holder v processor, executed after an appeal) and 2 (holder2 v processor2, open, arbiter2), sanctions 1 (lifted)
 * and 2, severe proposals 1 (pending) and 2 (cancelled).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ids = (body: Json): string[] => (body.items as { id: string }[]).map((i) => i.id);

describe("API supervision", function () {
  let f: ApiFixture;
  type Who = "regulator" | "holder" | "holder2" | "processor" | "processor2" | "operator" | "arbiter" | "arbiter2" | "gov" | "certifier";
  let auth: Record<Who, Record<string, string>>;
  let addr: Record<Who, string>;
  const get = (path: string, who?: Record<string, string>) => (who ? request(f.app).get(path).set(who) : request(f.app).get(path));

  before(async function () {
    f = await apiFixture({}, { supervision: true });
    const { fx } = f;
    const s = f.supervision!;
    const signers = { regulator: fx.regulator, holder: fx.holder, holder2: fx.holder2, processor: fx.processor, processor2: fx.processor2, operator: fx.operator, arbiter: fx.arbiter, arbiter2: s.arbiter2, gov: fx.gov, certifier: fx.certifier };
    auth = {} as typeof auth;
    addr = {} as typeof addr;
    for (const [k, signer] of Object.entries(signers) as [Who, typeof fx.holder][]) {
      auth[k] = { Authorization: `Bearer ${await f.login(signer)}` };
      addr[k] = (await signer.getAddress()).toLowerCase();
    }
  });

  describe("GET /v1/reports", function () {
    it("shows regulators every report, filtered by status, subject and category", async function () {
      expect(ids((await get("/v1/reports", auth.regulator).expect(200)).body)).to.deep.equal(["1", "2", "3"]);
      expect(ids((await get("/v1/reports?status=Dismissed", auth.regulator).expect(200)).body)).to.deep.equal(["3"]);
      expect(ids((await get(`/v1/reports?subject=${sk.resource(3)}`, auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get("/v1/reports?category=1", auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      const first = await get("/v1/reports?limit=2", auth.regulator).expect(200);
      expect(ids((await get(`/v1/reports?limit=2&cursor=${first.body.nextCursor}`, auth.regulator).expect(200)).body)).to.deep.equal(["3"]);
      for (const q of ["status=Closed", "subject=0x12", "category=0", "unknown=1"]) await get(`/v1/reports?${q}`, auth.regulator).expect(400);
      await get("/v1/reports").expect(401);
    });

    it("shows a reporter its own non-confidential reports only, and the relay of a confidential one nothing", async function () {
      expect(ids((await get("/v1/reports", auth.holder).expect(200)).body)).to.deep.equal(["1"]);
      expect(ids((await get("/v1/reports", auth.processor2).expect(200)).body)).to.deep.equal(["3"]);
      expect(ids((await get("/v1/reports", auth.operator).expect(200)).body)).to.deep.equal([]);
      expect(ids((await get("/v1/reports", auth.processor).expect(200)).body)).to.deep.equal([]);
    });
  });

  describe("GET /v1/reports/:reportId", function () {
    it("serves a report with its triage steps and the sanctions a substantiation named", async function () {
      const res = await get("/v1/reports/1", auth.holder).expect(200);
      expect(res.body.report).to.deep.include({ subject: sk.product(1), subjectKind: "Product", subjectId: "1", categoryName: "UnauthorizedProcessing", reporter: addr.holder, status: "Substantiated", sanctionIds: ["1", "2"], confidential: false });
      expect(res.body.history.map((s: Json) => [s.event, s.by, s.reasonHash])).to.deep.equal([
        ["ReportFiled", addr.holder, null],
        ["ReportInvestigating", addr.regulator, h("report:1:investigate")],
        ["ReportSubstantiated", addr.regulator, h("report:1:substantiate")],
      ]);
    });

    it("shows a confidential report (commitment, relay, no reporter) to regulators only; guessed ids answer 404", async function () {
      const res = await get("/v1/reports/2", auth.regulator).expect(200);
      expect(res.body.report).to.deep.include({ confidential: true, reporter: null, relay: addr.operator, commitment: h("report:2:commitment") });
      for (const who of [auth.operator, auth.holder, auth.holder2]) {
        const refused = await get("/v1/reports/2", who).expect(404);
        expect(Object.keys(refused.body)).to.deep.equal(["error"]);
      }
      await get("/v1/reports/3", auth.holder).expect(404);
      await get("/v1/reports/999", auth.regulator).expect(404);
      await get("/v1/reports/1").expect(401);
    });
  });

  describe("GET /v1/disputes", function () {
    it("shows regulators all disputes, one member's with party=, and filters by status", async function () {
      expect(ids((await get("/v1/disputes", auth.regulator).expect(200)).body)).to.deep.equal(["1", "2"]);
      expect(ids((await get("/v1/disputes?status=Open", auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get(`/v1/disputes?party=${addr.processor2}`, auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get(`/v1/disputes?party=${addr.arbiter2}`, auth.regulator).expect(200)).body)).to.deep.equal(["1", "2"]);
    });

    it("shows parties their disputes and arbiters those assigned to them; naming another member answers 404", async function () {
      expect(ids((await get("/v1/disputes", auth.holder).expect(200)).body)).to.deep.equal(["1"]);
      expect(ids((await get("/v1/disputes", auth.processor).expect(200)).body)).to.deep.equal(["1"]);
      expect(ids((await get("/v1/disputes", auth.holder2).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get("/v1/disputes", auth.arbiter).expect(200)).body)).to.deep.equal(["1"]);
      expect(ids((await get("/v1/disputes", auth.arbiter2).expect(200)).body)).to.deep.equal(["1", "2"]);
      expect(ids((await get("/v1/disputes", auth.operator).expect(200)).body)).to.deep.equal([]);
      await get(`/v1/disputes?party=${addr.holder2}`, auth.holder).expect(404);
      expect(ids((await get(`/v1/disputes?party=${addr.holder}`, auth.holder).expect(200)).body)).to.deep.equal(["1"]);
    });
  });

  describe("GET /v1/disputes/:disputeId", function () {
    it("serves a dispute with evidence from both sides, both rulings, the appeal, execution, compensation and the lifted interim freeze", async function () {
      const res = await get("/v1/disputes/1", auth.processor).expect(200);
      const d = res.body.dispute;
      expect(d).to.deep.include({ claimant: addr.holder, respondent: addr.processor, claimHash: h("dispute:1:claim"), status: "Executed", arbiter: addr.arbiter, appealArbiter: addr.arbiter2, frozen: [], evidenceCount: 2 });
      expect(d.subjects).to.deep.equal([sk.grant(5), sk.resource(4)]);
      expect(d.rulings.map((r: Json) => [r.appeal, r.arbiter, r.rulingHash, r.outcomes.map((o: Json) => o.kind)])).to.deep.equal([
        [false, addr.arbiter, h("dispute:1:ruling"), ["FreezeSubject"]],
        [true, addr.arbiter2, h("dispute:1:appeal-ruling"), ["RevokeGrant", "Compensation"]],
      ]);
      expect(d.appeal).to.deep.include({ appellant: addr.processor, groundsHash: h("dispute:1:grounds") });
      expect(d.execution.by).to.equal(addr.holder);
      expect(d.compensations.map((c: Json) => [c.payer, c.beneficiary, c.amount])).to.deep.equal([[addr.processor, addr.holder, "1000"]]);
      expect(res.body.evidence.map((e: Json) => [e.party, e.evidenceHash, e.uri])).to.deep.equal([
        [addr.holder, h("dispute:1:evidence:holder"), "ipfs://evidence/holder"],
        [addr.processor, h("dispute:1:evidence:processor"), "ipfs://evidence/processor"],
      ]);
      expect(res.body.evidenceTruncated).to.equal(false);
      expect(res.body.history.map((s: Json) => s.event)).to.include.ordered.members(["DisputeOpened", "EvidenceSubmitted", "EvidenceSubmitted", "ArbiterAssigned", "RulingRecorded", "RulingFreezeApplied", "AppealFiled"]);
      expect(res.body.history.map((s: Json) => s.event).slice(-4)).to.deep.equal(["RulingRecorded", "RulingFreezeLifted", "RulingExecuted", "CompensationRecorded"]);
    });

    it("shows a dispute to its parties, its arbiters and regulators only; guessed ids answer 404", async function () {
      for (const who of [auth.regulator, auth.holder, auth.processor, auth.arbiter, auth.arbiter2]) await get("/v1/disputes/1", who).expect(200);
      for (const who of [auth.holder2, auth.operator, auth.gov, auth.certifier]) {
        const refused = await get("/v1/disputes/1", who).expect(404);
        expect(Object.keys(refused.body)).to.deep.equal(["error"]);
      }
      await get("/v1/disputes/2", auth.arbiter).expect(404);
      const agreed = await get("/v1/disputes/2", auth.arbiter2).expect(200);
      expect(agreed.body.dispute).to.deep.include({ status: "Open", arbiter: addr.arbiter2, proposals: [] });
      expect(agreed.body.history.map((s: Json) => s.event)).to.include("ArbiterAgreed");
      await get("/v1/disputes/999", auth.regulator).expect(404);
      await get("/v1/disputes/1").expect(401);
      await get("/v1/disputes/0", auth.regulator).expect(400);
    });
  });

  describe("GET /v1/sanctions", function () {
    it("lists sanctions with their cause for regulators, by subject, cause and lifted", async function () {
      const all = await get("/v1/sanctions", auth.regulator).expect(200);
      expect(all.body.items.map((s: Json) => [s.id, s.kind, s.subject, s.cause, s.lifted === null])).to.deep.equal([
        ["1", "FreezeResource", sk.resource(1), sk.report(1), false],
        ["2", "FreezeGrant", sk.grant(3), sk.report(1), true],
      ]);
      expect(ids((await get(`/v1/sanctions?subject=${sk.grant(3)}`, auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      expect(ids((await get(`/v1/sanctions?cause=${sk.report(1)}`, auth.regulator).expect(200)).body)).to.deep.equal(["1", "2"]);
      expect(ids((await get(`/v1/sanctions?cause=${sk.dispute(1)}`, auth.regulator).expect(200)).body)).to.deep.equal([]);
      expect(ids((await get("/v1/sanctions?lifted=false", auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
      await get("/v1/sanctions?lifted=maybe", auth.regulator).expect(400);
    });

    it("is for regulators only", async function () {
      for (const who of [auth.holder, auth.arbiter, auth.gov]) await get("/v1/sanctions", who).expect(403);
      await get("/v1/sanctions").expect(401);
    });
  });

  describe("GET /v1/severe-proposals", function () {
    it("lists proposals with kind, target, approvals and status for regulators and arbiters", async function () {
      const processor3 = (await f.fx.processor3.getAddress()).toLowerCase();
      for (const who of [auth.regulator, auth.arbiter, auth.arbiter2]) {
        const res = await get("/v1/severe-proposals", who).expect(200);
        expect(res.body.items.map((p: Json) => [p.id, p.kind, p.status, p.account, p.targetId, p.threshold, p.approvers])).to.deep.equal([
          ["1", "ExpelMember", "Pending", processor3, "0", 2, [addr.regulator]],
          ["2", "ForcedExit", "Cancelled", "0x0000000000000000000000000000000000000000", "1", 2, [addr.regulator]],
        ]);
      }
      const pending = await get("/v1/severe-proposals?status=Pending", auth.arbiter).expect(200);
      expect(pending.body.items[0].cause).to.equal(sk.report(1));
      expect(ids((await get("/v1/severe-proposals?kind=ForcedExit", auth.regulator).expect(200)).body)).to.deep.equal(["2"]);
    });

    it("refuses other members (403) and anonymous callers (401)", async function () {
      for (const who of [auth.holder, auth.gov, auth.operator]) await get("/v1/severe-proposals", who).expect(403);
      await get("/v1/severe-proposals").expect(401);
    });
  });

  describe("traces and documents of reports and disputes", function () {
    it("serves a report's or dispute's trace by the same rules as the record", async function () {
      await get(`/v1/traces/${sk.report(1)}`, auth.holder).expect(200);
      await get(`/v1/traces/${sk.report(2)}`, auth.operator).expect(404);
      await get(`/v1/traces/${sk.report(2)}`, auth.regulator).expect(200);
      const trace = await get(`/v1/traces/${sk.dispute(1)}`, auth.arbiter).expect(200);
      expect(trace.body.items.length).to.be.greaterThan(5);
      await get(`/v1/traces/${sk.dispute(1)}`, auth.holder2).expect(404);
      await get(`/v1/traces/${sk.dispute(2)}`, auth.holder2).expect(200);
    });

    it("serves a party's evidence document to the other party and the arbiter, not to outsiders of the dispute", async function () {
      const bytes = Buffer.from("processor2's evidence in dispute 2");
      const up = await request(f.app).post("/v1/documents").set(auth.processor2).set("Content-Type", "text/plain").send(bytes).expect(201);
      const hash = (up.body as { hash: string }).hash;
      expect(hash).to.equal(keccak256(bytes));
      await get(`/v1/documents/${hash}`, auth.holder2).expect(404);
      await (await f.supervision!.disputes.connect(f.fx.processor2).submitEvidence(2n, hash, "drl://documents/evidence")).wait();
      await f.indexer.catchUp();
      for (const who of [auth.holder2, auth.arbiter2, auth.regulator]) await get(`/v1/documents/${hash}`, who).expect(200);
      for (const who of [auth.holder, auth.arbiter, auth.operator]) await get(`/v1/documents/${hash}`, who).expect(404);
      const d = await get("/v1/disputes/2", auth.holder2).expect(200);
      expect(d.body.evidence.map((e: Json) => e.evidenceHash)).to.deep.equal([h("dispute:2:evidence"), hash]);
    });

    it("counts reports by category and disputes by month for regulators", async function () {
      const reports = await get("/v1/stats?dimension=reports.category", auth.regulator).expect(200);
      expect(reports.body.totals).to.deep.equal({ Other: "1", PrivacyComplaint: "1", UnauthorizedProcessing: "1" });
      expect((await get("/v1/stats?dimension=disputes.opened", auth.regulator).expect(200)).body.totals).to.deep.equal({ all: "2" });
      expect((await get("/v1/stats?dimension=sanctions.kind", auth.regulator).expect(200)).body.totals).to.deep.equal({ FreezeGrant: "1", FreezeResource: "1" });
    });
  });
});

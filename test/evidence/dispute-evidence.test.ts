import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment } from "../../src/chain/contracts.js";
import { buildSubjectBundle } from "../../src/evidence/build.js";
import { buildDisputeBundle } from "../../src/evidence/build-dispute.js";
import type { EvidenceBundle } from "../../src/evidence/bundle.js";
import { memberKeyOf } from "../../src/evidence/dispute.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { ethers, h, networkHelpers, provider } from "../helpers/fixtures.js";
import { deploySupervision, keys } from "../helpers/supervision-fixture.js";
import { DISPUTED, disputeScenario, supervisionDeployment } from "./dispute-scenario.js";
import { clone, flipByte, genericMutations, reseal, runMatrix, type Mutation } from "./tamper.js";

describe("Dispute evidence bundles", function () {
  let dir: string;
  let db: IndexDb;
  let bundle: EvidenceBundle;
  let other: EvidenceBundle;
  let trusted: string;
  let claimant: string;
  let respondent: string;

  before(async function () {
    const s = await disputeScenario();
    ({ dir, db } = s);
    claimant = (await s.fx.holder2.getAddress()).toLowerCase();
    respondent = (await s.fx.holder.getAddress()).toLowerCase();
    // The claimant may read its first evidence file: it is included, the others go by hash.
    const files = new Map([[h("ev:1"), Buffer.from("ev:1")]]);
    bundle = await buildDisputeBundle({ db, rpc: provider, deployment: s.deployment, disputeId: 1n, createdBy: "test", loadDocument: async (hash) => (files.has(hash) ? { contentType: "text/plain", bytes: files.get(hash)! } : undefined) });
    other = await buildDisputeBundle({ db, rpc: provider, deployment: s.deployment, disputeId: 2n, createdBy: "test" });
    trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("proves the dispute, its subjects, grant chain, lineage and members, and states its evidence and rulings", async function () {
    const v = await verifyBundle(bundle, trusted);
    expect(v.ok, v.summary).to.equal(true);
    expect(v.summary).to.match(/^VERIFIED: dispute 1: /);
    expect(v.checks.find((c) => c.check === "dispute")!.detail).to.match(/AppealRuled.*3 evidence entries, 2 ruling/);
    expect((await verifyBundle(other, trusted)).ok).to.equal(true);
    expect(bundle.about).to.deep.equal({ kind: "dispute", subject: keys.dispute(1n), disputeId: "1" });
    const proven = bundle.subjects.map((s) => s.subject);
    // Product 1 was made from resource 1 under grant 1, all disputed already; the arbiters' member traces come too.
    expect(proven.slice(0, 4)).to.deep.equal([keys.dispute(1n), ...DISPUTED]);
    const d = bundle.dispute!;
    expect(proven).to.include.members(d.members);
    expect(d.members.slice(0, 2)).to.deep.equal([memberKeyOf(claimant), memberKeyOf(respondent)]);
    expect(d.members).to.have.length(4);
    expect([d.claimant, d.respondent, d.status]).to.deep.equal([claimant, respondent, "AppealRuled"]);
    expect(d.evidence.map((e) => [e.party, e.evidenceHash, e.uri])).to.deep.equal([
      [claimant, h("ev:1"), "ipfs://ev/1"],
      [respondent, h("ev:2"), "ipfs://ev/2"],
      [respondent, h("ev:3"), "ipfs://ev/3"],
    ]);
    expect(d.rulings.map((r) => [r.appeal, r.rulingHash, r.outcomes.map((o) => `${o.kind}:${o.subject}:${o.amount}`)])).to.deep.equal([
      [false, h("ruling"), ["FreezeSubject:1:0", "Compensation:0:500"]],
      [true, h("appeal-ruling"), ["RevokeGrant:1:0"]],
    ]);
    expect(d.appeals.map((a) => [a.appellant, a.groundsHash])).to.deep.equal([[respondent, h("grounds")]]);
    expect(d.lineage).to.deep.equal([{ product: keys.product(1n), depth: 0, inputs: [{ subject: keys.resource(1n), grant: keys.grant(1n), shareBps: 8000 }] }]);
    expect(bundle.grants.map((g) => g.id)).to.deep.equal(["1"]);
    const docs = new Map(bundle.documents.map((x) => [x.hash, x]));
    for (const x of ["claim", "ev:1", "ev:2", "ev:3", "ruling", "appeal-ruling", "grounds"]) expect(docs.has(h(x)), x).to.equal(true);
    expect(docs.get(h("ev:1"))!.included).to.equal(true);
    expect(docs.get(h("ev:2"))!.included).to.equal(false);
  });

  it("rejects every single mutation of the tamper matrix on a dispute bundle", async function () {
    const own = bundle.subjects.findIndex((s) => s.subject === keys.dispute(1n));
    const at = (name: string) => bundle.subjects[own]!.entries.findIndex((e) => e.event.name === name);
    const firstEvidence = at("EvidenceSubmitted");
    const firstRuling = at("RulingRecorded");
    const mutations: Mutation[] = genericMutations(bundle, other);
    const d = (b: EvidenceBundle) => b.dispute!;
    mutations.push(
      ["dispute: drop an evidence entry from the stated section", (b) => void d(b).evidence.splice(1, 1)],
      ["dispute: reorder the stated evidence entries", (b) => { const e = d(b).evidence; [e[0], e[1]] = [e[1]!, e[0]!]; }],
      ["dispute: an evidence entry's uri", (b) => { d(b).evidence[0]!.uri = "ipfs://forged"; }],
      ["dispute: an evidence entry's hash", (b) => { d(b).evidence[2]!.evidenceHash = h("forged"); }],
      ["dispute: drop the evidence entry from the trace and the section", (b) => { b.subjects[own]!.entries.splice(firstEvidence, 1); d(b).evidence.splice(0, 1); }],
      ["dispute: swap two evidence entries in the trace", (b) => { const e = b.subjects[own]!.entries; [e[firstEvidence], e[firstEvidence + 1]] = [e[firstEvidence + 1]!, e[firstEvidence]!]; }],
      ["dispute: a ruling's hash", (b) => { d(b).rulings[0]!.rulingHash = h("forged"); }],
      ["dispute: a ruling's outcome kind", (b) => { d(b).rulings[0]!.outcomes[0]!.kind = "Dismiss"; }],
      ["dispute: a ruling's compensation amount", (b) => { d(b).rulings[0]!.outcomes[1]!.amount = "5000"; }],
      ["dispute: a ruling's outcome dropped", (b) => void d(b).rulings[0]!.outcomes.pop()],
      ["dispute: a ruling's appeal deadline", (b) => { d(b).rulings[0]!.appealDeadline = "1"; }],
      ["dispute: the appeal ruling dropped", (b) => void d(b).rulings.pop()],
      ["dispute: the ruling's encoded payload (outcome amount byte)", (b) => { const ev = b.subjects[own]!.entries[firstRuling]!.event; ev.data = flipByte(ev.data, ev.data.length - 3); }],
      ["dispute: its status", (b) => { d(b).status = "Executed"; }],
      ["dispute: its claimant", (b) => { d(b).claimant = respondent; }],
      ["dispute: a disputed subject", (b) => { d(b).subjects[2] = keys.product(2n); }],
      ["dispute: a member dropped from the section", (b) => void d(b).members.pop()],
      ["dispute: the lineage dropped", (b) => { d(b).lineage = []; }],
      ["dispute: a lineage input's share", (b) => { d(b).lineage[0]!.inputs[0]!.shareBps = 10_000; }],
      ["dispute: the appeal's grounds", (b) => { d(b).appeals[0]!.groundsHash = h("forged"); }],
      ["dispute: the section removed", (b) => void delete b.dispute],
      ["dispute: about another dispute id", (b) => { b.about = { kind: "dispute", subject: keys.dispute(1n), disputeId: "2" }; }],
      ["dispute: about turned into a subject bundle", (b) => { b.about = { kind: "subject", subject: keys.dispute(1n) }; }],
      ["dispute: the grant chain dropped", (b) => { b.grants = []; }],
      ["dispute: a document dropped", (b) => void b.documents.splice(0, 1)],
      ["dispute: a document's citing subjects", (b) => { b.documents[0]!.citedBy = [keys.product(1n)]; }],
      ["dispute: the included evidence file", (b) => { const x = b.documents.find((y) => y.included)!; x.content = Buffer.from("ev:X").toString("base64"); }],
      ["dispute: the dispute's proof swapped for dispute 2's", (b) => { b.subjects[own]!.proof = JSON.parse(JSON.stringify(other.subjects[0]!.proof)) as typeof b.subjects[number]["proof"]; }],
    );
    for (const [si, s] of bundle.subjects.entries()) if (si > 0) mutations.push([`dispute: subject ${si} (${s.kind}) dropped whole`, (b) => void b.subjects.splice(si, 1)]);
    const { rejected, escaped } = await runMatrix(bundle, trusted, mutations);
    console.log(`      dispute tamper matrix: ${rejected} of ${mutations.length} single mutations rejected`);
    expect(escaped, `accepted tampers: ${escaped.join("; ")}`).to.deep.equal([]);
    expect(mutations.length).to.be.greaterThan(150);
  });

  it("names the dispute check when the stated section and the proven trace disagree", async function () {
    const b = clone(bundle);
    b.dispute!.rulings[1]!.outcomes[0]!.kind = "TransferHolding";
    const v = await verifyBundle(reseal(b), trusted);
    expect(v.failure!.check).to.equal("dispute");
    expect(v.failure!.detail).to.match(/dispute\.rulings/);
  });

  it("refuses a dispute that does not exist, and a subject bundle of the dispute still verifies alone", async function () {
    const dep = { chainId: BigInt(bundle.chainId), deploymentBlock: 0, addresses: bundle.contracts as unknown as Deployment["addresses"] };
    const refused = await buildDisputeBundle({ db, rpc: provider, deployment: dep, disputeId: 9n, createdBy: "test" }).then(() => "built", (e: Error) => e.message);
    expect(refused).to.match(/dispute 9 does not exist/);
    const alone = await buildSubjectBundle({ db, rpc: provider, deployment: dep, subject: keys.dispute(1n), createdBy: "test" });
    expect((await verifyBundle(alone, trusted)).ok).to.equal(true);
  });

  it("fails a dispute bundle whose anchor block was reorganised away, against the new chain's hash", async function () {
    const fx = await deploySupervision();
    await (await fx.disputes.connect(fx.holder2).open(await fx.holder.getAddress(), [keys.grant(1n)], h("claim"))).wait();
    const snapshot = await networkHelpers.takeSnapshot();
    await (await fx.disputes.connect(fx.holder2).submitEvidence(1n, h("doomed"), "ipfs://doomed")).wait();
    const d2 = await mkdtemp(join(tmpdir(), "drl-dispute-reorg-"));
    const db2 = await openIndexDb(d2);
    const deployment = await supervisionDeployment(fx);
    await createIndexer({ rpc: provider, db: db2, deployment }).catchUp();
    const doomed = await buildDisputeBundle({ db: db2, rpc: provider, deployment, disputeId: 1n, createdBy: "test" });
    expect(doomed.dispute!.evidence).to.have.length(1);
    expect((await verifyBundle(doomed, (await ethers.provider.getBlock(doomed.anchor.number))!.hash!)).ok).to.equal(true);
    await snapshot.restore();
    await (await fx.disputes.connect(fx.holder).submitEvidence(1n, h("canonical"), "ipfs://canonical")).wait();
    const v = await verifyBundle(doomed, (await ethers.provider.getBlock(doomed.anchor.number))!.hash!);
    expect(v.ok).to.equal(false);
    expect(v.failure!.check).to.equal("anchor");
    await db2.close();
    await rm(d2, { recursive: true, force: true });
  });
});

import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { buildSubjectBundle } from "../../src/evidence/build.js";
import type { EvidenceBundle } from "../../src/evidence/bundle.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { ethers, ledgerFixture, networkHelpers, provider, h } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";
import { clone, genericMutations, reseal, runMatrix } from "./tamper.js";

describe("Evidence bundles", function () {
  let dir: string;
  let db: IndexDb;
  let bundle: EvidenceBundle;
  let other: EvidenceBundle;
  let trusted: string;

  before(async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    await runCoreScenario(fx, 1);
    dir = await mkdtemp(join(tmpdir(), "drl-evidence-"));
    db = await openIndexDb(dir);
    const deployment = await deploymentOf(fx);
    await createIndexer({ rpc: provider, db, deployment }).catchUp();
    const documents = new Map([[h("terms:0"), Buffer.from("terms:0")]]);
    // Grant 2 is a sub-grant: its bundle proves grant 2, its parent grant 1 and resource 2.
    bundle = await buildSubjectBundle({ db, rpc: provider, deployment, subject: subjectKey(SubjectKind.Grant, 2n), createdBy: "test", loadDocument: async () => undefined });
    other = await buildSubjectBundle({ db, rpc: provider, deployment, subject: subjectKey(SubjectKind.Resource, 3n), createdBy: "test" });
    void documents;
    trusted = (await ethers.provider.getBlock(bundle.anchor.number))!.hash!;
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("builds bundles from a real scenario that verify against the trusted block hash", async function () {
    expect(bundle.subjects.map((s) => s.kind)).to.deep.equal(["Grant", "Grant", "Resource"]);
    expect(bundle.grants.map((g) => g.id)).to.deep.equal(["1", "2"]);
    const verdict = await verifyBundle(bundle, trusted);
    expect(verdict.ok, verdict.summary).to.equal(true);
    expect((await verifyBundle(other, trusted)).ok).to.equal(true);
  });

  it("rejects every single mutation of the tamper matrix", async function () {
    // Entry-level mutations on the subject with the longest trace (the resource).
    const t = bundle.subjects.reduce((best, s, i) => (s.entries.length > bundle.subjects[best]!.entries.length ? i : best), 0);
    const mutations = genericMutations(bundle, other);
    mutations.push(["drop the last entry and restate the head to match", (b) => { const s = b.subjects[t]!; s.entries.pop(); s.head = { seq: s.entries[s.entries.length - 1]!.seq, word: s.entries[s.entries.length - 1]!.word }; }]);

    const { rejected, escaped } = await runMatrix(bundle, trusted, mutations);
    console.log(`      tamper matrix: ${rejected} of ${mutations.length} single mutations rejected`);
    expect(escaped, `accepted tampers: ${escaped.join("; ")}`).to.deep.equal([]);
    expect(mutations.length).to.be.greaterThan(80);
  });

  it("names the first failing check", async function () {
    const b = clone(bundle);
    b.subjects[2]!.entries.splice(1, 1);
    const v = await verifyBundle(reseal(b), trusted);
    expect(v.ok).to.equal(false);
    expect(v.failure!.check).to.equal("fold");
    expect(v.summary).to.match(/^NOT VERIFIED: fold: .*sequence/);
  });

  it("fails a bundle whose anchor block was reorganised away, against the new chain's hash", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    const snapshot = await networkHelpers.takeSnapshot();
    await (await fx.resources.connect(fx.holder).change(2, h("doomed"), "ipfs://doomed")).wait();
    const d2 = await mkdtemp(join(tmpdir(), "drl-evidence-reorg-"));
    const db2 = await openIndexDb(d2);
    const deployment = await deploymentOf(fx);
    await createIndexer({ rpc: provider, db: db2, deployment }).catchUp();
    const doomed = await buildSubjectBundle({ db: db2, rpc: provider, deployment, subject: subjectKey(SubjectKind.Resource, 2n), createdBy: "test" });
    expect((await verifyBundle(doomed, (await ethers.provider.getBlock(doomed.anchor.number))!.hash!)).ok).to.equal(true);
    await snapshot.restore();
    await (await fx.resources.connect(fx.holder).change(2, h("canonical"), "ipfs://canonical")).wait();
    const newHash = (await ethers.provider.getBlock(doomed.anchor.number))!.hash!;
    const v = await verifyBundle(doomed, newHash);
    expect(v.ok).to.equal(false);
    expect(v.failure!.check).to.equal("anchor");
    await db2.close();
    await rm(d2, { recursive: true, force: true });
  });
});

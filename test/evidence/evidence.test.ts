import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { buildSubjectBundle } from "../../src/evidence/build.js";
import type { EvidenceBundle } from "../../src/evidence/bundle.js";
import { bundleDigest } from "../../src/evidence/canonical.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { ethers, ledgerFixture, networkHelpers, provider, h } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

const clone = (b: EvidenceBundle): EvidenceBundle => JSON.parse(JSON.stringify(b)) as EvidenceBundle;
/** Re-seals the digest, so a tamper is caught by the check that matters, not only by the digest. */
const reseal = (b: EvidenceBundle): EvidenceBundle => ({ ...b, digest: bundleDigest(b as unknown as Record<string, unknown>) });
const flipByte = (hex: string, at = 10): string => {
  const i = Math.min(at, hex.length - 1);
  const c = hex[i] === "0" ? "1" : "0";
  return hex.slice(0, i) + c + hex.slice(i + 1);
};

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
    const mutations: [string, (b: EvidenceBundle) => void][] = [];
    for (const [si, s] of bundle.subjects.entries()) {
      const n = s.entries.length;
      for (let i = 0; i < n; i++) mutations.push([`subject ${si}: drop entry ${i + 1}`, (b) => void b.subjects[si]!.entries.splice(i, 1)]);
      for (let i = 0; i < n; i++) mutations.push([`subject ${si}: duplicate entry ${i + 1}`, (b) => void b.subjects[si]!.entries.splice(i, 0, JSON.parse(JSON.stringify(b.subjects[si]!.entries[i]!)))]);
      for (let i = 0; i + 1 < n; i++) mutations.push([`subject ${si}: swap entries ${i + 1} and ${i + 2}`, (b) => { const e = b.subjects[si]!.entries; [e[i], e[i + 1]] = [e[i + 1]!, e[i]!]; }]);
    }
    mutations.push(["a subject dropped whole", (b) => void b.subjects.splice(1, 1)]);
    for (const [si, s] of bundle.subjects.entries()) {
      for (let i = 0; i < s.entries.length; i++) {
        mutations.push([`subject ${si} entry ${i + 1}: one byte of the domain event's data`, (b) => { const ev = b.subjects[si]!.entries[i]!.event; ev.data = flipByte(ev.data, ev.data.length - 3); }]);
        mutations.push([`subject ${si} entry ${i + 1}: one byte of the trace log's data`, (b) => { const t = b.subjects[si]!.entries[i]!.trace; t.data = flipByte(t.data, 40); }]);
        mutations.push([`subject ${si} entry ${i + 1}: its payload hash`, (b) => { const e = b.subjects[si]!.entries[i]!; e.payloadHash = flipByte(e.payloadHash); }]);
        mutations.push([`subject ${si} entry ${i + 1}: its sequence number`, (b) => { const e = b.subjects[si]!.entries[i]!; e.seq = String(BigInt(e.seq) + 1n); }]);
        mutations.push([`subject ${si} entry ${i + 1}: a decoded argument`, (b) => { const a = b.subjects[si]!.entries[i]!.event.args; const k = Object.keys(a)[0]!; a[k] = typeof a[k] === "string" ? flipByte(a[k], (a[k]).length - 1) : "tampered"; }]);
        mutations.push([`subject ${si} entry ${i + 1}: its block number`, (b) => { b.subjects[si]!.entries[i]!.trace.block += 1; }]);
      }
      for (let k = 0; k < s.proof.accountProof.length; k++) mutations.push([`subject ${si}: one byte of account proof node ${k}`, (b) => { const p = b.subjects[si]!.proof.accountProof; p[k] = flipByte(p[k]!, 40); }]);
      for (let k = 0; k < s.proof.storageProof[0]!.proof.length; k++) mutations.push([`subject ${si}: one byte of storage proof node ${k}`, (b) => { const p = b.subjects[si]!.proof.storageProof[0]!.proof; p[k] = flipByte(p[k]!, 40); }]);
      mutations.push([`subject ${si}: its stated head`, (b) => { b.subjects[si]!.head.word = flipByte(b.subjects[si]!.head.word, 60); }]);
      mutations.push([`subject ${si}: another subject's proof`, (b) => { b.subjects[si]!.proof = JSON.parse(JSON.stringify(other.subjects[0]!.proof)) as typeof s.proof; }]);
    }
    for (const f of ["stateRoot", "parentHash", "timestamp", "number", "receiptsRoot", "extraData", "gasUsed"] as const) {
      mutations.push([`header field ${f}`, (b) => { const hh = b.anchor.header as unknown as Record<string, string>; hh[f] = f === "extraData" ? hh[f] + "00" : flipByte(hh[f]!, Math.max(2, hh[f]!.length - 1)); }]);
    }
    mutations.push(["a document's content", (b) => { b.documents.push({ hash: h("doc"), citedBy: [], included: true, contentType: "text/plain", size: 3, content: Buffer.from("doc!").toString("base64") }); }]);
    mutations.push(["drop the last entry and restate the head to match", (b) => { const s = b.subjects[t]!; s.entries.pop(); s.head = { seq: s.entries[s.entries.length - 1]!.seq, word: s.entries[s.entries.length - 1]!.word }; }]);

    let rejected = 0;
    const escaped: string[] = [];
    for (const [name, mutate] of mutations) {
      const b = clone(bundle);
      mutate(b);
      // Both with the digest left stale and with it re-sealed: the deeper checks must catch the tamper alone.
      const stale = await verifyBundle(b, trusted);
      const sealed = await verifyBundle(reseal(b), trusted);
      if (!stale.ok && !sealed.ok) rejected++;
      else escaped.push(name);
    }
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

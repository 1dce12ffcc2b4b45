import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment } from "../../src/chain/contracts.js";
import type { DisputeRecord, FreezeRecord, ReportRecord, SanctionRecord, SevereProposalRecord } from "../../src/indexer/records.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { digestDb } from "../../src/store/digest.js";
import { K } from "../../src/store/keys.js";
import { h, ledgerFixture, networkHelpers, provider, type LedgerFixture } from "../helpers/fixtures.js";
import { OutcomeKind, outcome } from "../helpers/supervision-fixture.js";
import type { ResourceRecord } from "../../src/indexer/records.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";
import { APPEAL_WINDOW, deploySupervisionOn, runSupervisionScenario, sk, type SupervisionContracts } from "../api/supervision-world.js";

/*
 * The supervision projections over the supervision scenario (test/api/supervision-world.ts), checked against the
 * contracts' own state; reads prefetched in getMany; the same database whatever the range sizes.
 */

const dirs: string[] = [];
async function freshDb(): Promise<IndexDb> {
  const dir = await mkdtemp(join(tmpdir(), "drl-index-sup-"));
  dirs.push(dir);
  return openIndexDb(dir);
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const json = async <T>(db: IndexDb, key: string): Promise<T> => {
  const v = await db.get(key);
  if (v === undefined) throw new Error(`no ${key}`);
  return JSON.parse(v) as T;
};
async function rows<T>(db: IndexDb, prefix: string): Promise<T[]> {
  const out: T[] = [];
  for await (const [, v] of db.iterator({ gte: prefix, lt: prefix + "\xff" })) out.push(JSON.parse(v) as T);
  return out;
}

describe("Indexer: supervision", function () {
  let fx: LedgerFixture;
  let s: SupervisionContracts;
  let deployment: Deployment;

  before(async function () {
    fx = await ledgerFixture();
    await runCoreScenario(fx);
    s = await deploySupervisionOn(fx);
    await runSupervisionScenario(fx, s);
    // Dispute 3: a final ruling transferring resource 1 from holder to holder2, which needs a second approval
    // (threshold 2): proposal 3, approved by the regulator, moves the holding right (ResourceTransferredByRuling).
    const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => void (await (await p).wait());
    await wait(s.disputes.connect(fx.holder2).open(await fx.holder.getAddress(), [sk.resource(1)], h("dispute:3:claim")));
    await wait(s.disputes.connect(fx.gov).assignArbiter(3n, await fx.arbiter.getAddress()));
    const transfer = [outcome(OutcomeKind.TransferHolding, { subject: 0, beneficiary: await fx.holder2.getAddress() })];
    await wait(s.disputes.connect(fx.arbiter).rule(3n, h("dispute:3:ruling"), transfer));
    await networkHelpers.time.increase(APPEAL_WINDOW);
    await wait(s.disputes.connect(fx.holder2).execute(3n, transfer));
    await wait(s.severe.connect(fx.regulator).approve(3n));
    const core = await deploymentOf(fx);
    deployment = {
      ...core,
      addresses: { ...core.addresses, ReportRegistry: await s.reports.getAddress(), DisputeRegistry: await s.disputes.getAddress(), Sanctions: await s.sanctions.getAddress(), SevereActions: await s.severe.getAddress() },
    };
  });

  it("projects reports, disputes, sanctions, proposals and freezes as the contracts hold them", async function () {
    const db = await freshDb();
    await createIndexer({ rpc: provider, db, deployment }).catchUp();
    const lower = async (signer: { getAddress(): Promise<string> }) => (await signer.getAddress()).toLowerCase();

    const r1 = await json<ReportRecord>(db, K.report(1n));
    expect(r1).to.deep.include({ subject: sk.product(1), subjectKind: "Product", subjectId: "1", categoryName: "UnauthorizedProcessing", reporter: await lower(fx.holder), status: "Substantiated", sanctionIds: ["1", "2"] });
    expect((await rows<{ event: string }>(db, "rpth:" + "1".padStart(20, "0") + ":")).map((e) => e.event)).to.deep.equal(["ReportFiled", "ReportInvestigating", "ReportSubstantiated"]);
    const r2 = await json<ReportRecord>(db, K.report(2n));
    expect(r2).to.deep.include({ confidential: true, reporter: null, relay: await lower(fx.operator), commitment: h("report:2:commitment"), status: "Received" });
    expect(await db.get(K.party(await fx.operator.getAddress(), sk.report(2)))).to.equal(undefined);
    for (const id of [1n, 2n, 3n]) {
      const onChain = await s.reports.getReport(id);
      expect((await json<ReportRecord>(db, K.report(id))).status).to.equal(["None", "Received", "Investigating", "Substantiated", "Dismissed"][Number(onChain.status)]);
    }

    const d1 = await json<DisputeRecord>(db, K.dispute(1n));
    expect(d1).to.deep.include({ claimant: await lower(fx.holder), respondent: await lower(fx.processor), status: "Executed", arbiter: await lower(fx.arbiter), appealArbiter: await lower(s.arbiter2), evidenceCount: 2, frozen: [] });
    expect(d1.subjects).to.deep.equal([sk.grant(5), sk.resource(4)]);
    expect(d1.rulings.map((r) => [r.appeal, r.arbiter, r.outcomes.map((o) => [o.kind, o.subject, o.beneficiary, o.amount])])).to.deep.equal([
      [false, await lower(fx.arbiter), [["FreezeSubject", sk.resource(4), null, "0"]]],
      [true, await lower(s.arbiter2), [["RevokeGrant", sk.grant(5), null, "0"], ["Compensation", null, await lower(fx.holder), "1000"]]],
    ]);
    expect(d1.appeal?.appellant).to.equal(await lower(fx.processor));
    expect(d1.compensations.map((c) => [c.payer, c.beneficiary, c.amount])).to.deep.equal([[await lower(fx.processor), await lower(fx.holder), "1000"]]);
    expect(BigInt(d1.compensations[0]!.amount)).to.equal(await s.disputes.compensationOf(1n, await fx.holder.getAddress()));
    expect(d1.execution?.outcomesHash).to.equal((await s.disputes.getDispute(1n)).outcomesHash);
    const evidence = await rows<{ party: string; evidenceHash: string }>(db, "dspev:" + "1".padStart(20, "0") + ":");
    expect(evidence.map((e) => e.party)).to.deep.equal([await lower(fx.holder), await lower(fx.processor)]);
    const d2 = await json<DisputeRecord>(db, K.dispute(2n));
    expect(d2).to.deep.include({ status: "Open", arbiter: await lower(s.arbiter2), proposals: [] });
    // Parties and arbiters find their disputes.
    expect(await db.get(K.party(await fx.arbiter.getAddress(), sk.dispute(1)))).to.equal("arbiter");
    expect(await db.get(K.party(await s.arbiter2.getAddress(), sk.dispute(2)))).to.equal("arbiter");
    expect(await db.get(K.party(await s.arbiter2.getAddress(), sk.dispute(1)))).to.equal("appealArbiter");

    const s1 = await json<SanctionRecord>(db, K.sanction(1n));
    expect(s1).to.deep.include({ subject: sk.resource(1), cause: sk.report(1), causeKind: "Report", causeId: "1", kind: "FreezeResource" });
    expect(s1.lifted?.reasonHash).to.equal(h("sanction:1:lift"));
    expect((await json<SanctionRecord>(db, K.sanction(2n))).lifted).to.equal(null);
    expect((await s.sanctions.getSanction(1n)).lifted).to.equal(true);

    const freezes4 = await rows<FreezeRecord>(db, `frz:${sk.resource(4)}:`);
    expect(freezes4.map((f) => [f.by, f.cause, f.event])).to.deep.equal([["Ruling", sk.dispute(1), "Applied"], ["Ruling", sk.dispute(1), "Lifted"]]);
    const freezes1 = await rows<FreezeRecord>(db, `frz:${sk.resource(1)}:`);
    expect(freezes1.map((f) => [f.by, f.sanctionId, f.event])).to.deep.equal([["Sanction", "1", "Applied"], ["Sanction", "1", "Lifted"]]);

    const p1 = await json<SevereProposalRecord>(db, K.severe(1n));
    expect(p1).to.deep.include({ kind: "ExpelMember", status: "Pending", threshold: 2, account: await lower(fx.processor3), approvers: [await lower(fx.regulator)] });
    expect((await json<SevereProposalRecord>(db, K.severe(2n))).status).to.equal("Cancelled");
    expect((await s.severe.getProposal(2n)).status).to.equal(3n);

    // The transfer by ruling moved the holding right in the index as on chain.
    const p3 = await json<SevereProposalRecord>(db, K.severe(3n));
    expect(p3).to.deep.include({ kind: "TransferHolding", status: "Executed", targetId: "1", account: await lower(fx.holder2), cause: sk.dispute(3) });
    expect(p3.approvers).to.deep.equal([await lower(fx.arbiter), await lower(fx.regulator)]);
    const r = await json<ResourceRecord>(db, K.resource(1n));
    expect(r.holder).to.equal(await lower(fx.holder2)).and.to.equal((await fx.resources.getResource(1n)).holder.toLowerCase());
    expect(await db.get(K.resourcesByHolder(await fx.holder2.getAddress(), 1n))).to.equal("1");
    expect(await db.get(K.resourcesByHolder(await fx.holder.getAddress(), 1n))).to.equal(undefined);

    let opened = 0n;
    for await (const [, v] of db.iterator({ gte: "stat:disputes.opened:all:", lt: "stat:disputes.opened:all:\xff" })) opened += BigInt(v);
    expect(opened).to.equal(await s.disputes.disputeCount());
  });

  it("asks LevelDB for the keys the supervision handlers read in getMany calls, not one get per read", async function () {
    const db = await freshDb();
    const singles: string[] = [];
    const get = db.get.bind(db) as (key: string) => Promise<string | undefined>;
    (db as unknown as Record<string, unknown>).get = (key: string) => (singles.push(key), get(key));
    await createIndexer({ rpc: provider, db, deployment, reorgWindow: 0 }).catchUp();
    expect(singles.filter((k) => !k.startsWith("meta:")), "keys read one by one").to.deep.equal([]);
  });

  it("gives byte-identical databases whatever the range sizes", async function () {
    const digests = new Set<string>();
    for (const maxRange of [1, 7, 2_000]) {
      const db = await freshDb();
      await createIndexer({ rpc: provider, db, deployment, maxRange }).catchUp();
      digests.add((await digestDb(db)).digest);
    }
    expect(digests.size).to.equal(1);
  });
});

import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Invalidity, RightType, SubjectKind, nameOf } from "../../src/domain/enums.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { grantValidityAt } from "../../src/queries/grant-validity.js";
import { latestAt, seekLatestAt } from "../../src/queries/history.js";
import { openIndexDb } from "../../src/store/db.js";
import { defaultScope, ethers, h, ledgerFixture, networkHelpers, provider } from "../helpers/fixtures.js";
import { deploymentOf, runCoreScenario } from "../helpers/scenario.js";

describe("grantValidityAt (indexer)", function () {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), "drl-validity-"))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it("gives, at every past block, the answer the contract gives for a call at that block", async function () {
    const fx = await ledgerFixture();
    await runCoreScenario(fx);
    // Windows that open and close during the history, and changes of every input of the rule.
    const now = BigInt(await networkHelpers.time.latest());
    const g = fx.grants.connect(fx.holder);
    await (await g.grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, await fx.processor.getAddress(), await defaultScope({ validFrom: now + 20n, validUntil: now + 60n }), h("short"), 0)).wait();
    const longScope = await defaultScope({ purposes: 0b100 });
    await (await g.grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, await fx.processor2.getAddress(), longScope, h("long"), 0)).wait();
    const long = await fx.grants.grantCount();
    await (await fx.grants.connect(fx.processor2).grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, await fx.processor3.getAddress(), { ...longScope, depth: 1 }, h("sub"), long)).wait();
    for (const step of [15, 10, 30, 20]) {
      await networkHelpers.time.increase(step);
    }
    await (await fx.members.suspend(await fx.processor2.getAddress(), h("s"))).wait();
    await (await fx.resources.connect(fx.holder2).object(1n, h("objection"))).wait();
    await (await fx.resources.connect(fx.regulator).resolveObjection(1n, 1, false, h("dismissed"))).wait();
    await (await fx.members.reinstate(await fx.processor2.getAddress(), h("r"))).wait();
    await (await fx.resources.connect(fx.regulator).freeze(1n, h("f"))).wait();
    await (await fx.members.suspend(await fx.holder.getAddress(), h("s2"))).wait();
    await (await fx.resources.connect(fx.regulator).unfreeze(1n, h("u"))).wait();
    await (await fx.members.reinstate(await fx.holder.getAddress(), h("r2"))).wait();
    await (await fx.resources.connect(fx.holder).cancel(1n, h("c"))).wait();
    // The scenario's public grant (resource 2, through processor's operation authorization) and personal grant
    // (resource 3, on consent): end the authorization, withdraw a purpose the personal grant uses.
    await (await g.grant(RightType.ProcessingUse, SubjectKind.Resource, 2n, await fx.processor.getAddress(), await defaultScope({ maySubGrant: false, depth: 0 }), h("public again"), 0)).wait();
    await (await fx.operations.exit(1n, h("forced exit"))).wait();
    await (await fx.consents.connect(fx.regulator).withdraw(1n, 0b001, h("complaint"))).wait();

    const deployment = await deploymentOf(fx);
    const db = await openIndexDb(dir);
    await createIndexer({ rpc: provider, db, deployment }).catchUp();

    const head = await ethers.provider.getBlockNumber();
    const count = await fx.grants.grantCount();
    let compared = 0;
    const reasons = new Set<string>();
    // From the block the grant registry exists in (before it a call returns no data).
    const start = (await fx.grants.deploymentTransaction()!.wait())!.blockNumber;
    for (let block = start; block <= head; block++) {
      const header = await ethers.provider.getBlock(block);
      for (let id = 1n; id <= count; id++) {
        const [reason, atGrant] = await fx.grants.grantValidity(id, { blockTag: block });
        const ours = await grantValidityAt(db, id, { block, time: header!.timestamp });
        const expected = nameOf(Invalidity, reason);
        expect(`${ours.reason}@${ours.atGrant}`, `grant ${id} at block ${block}`).to.equal(`${expected}@${atGrant}`);
        reasons.add(expected);
        compared++;
      }
    }
    // The history indexes the API reads give, at every block, the entry a seek over the history itself finds.
    let histories = 0;
    for await (const key of db.keys({ gte: "hix:", lt: "hix;" })) {
      const prefix = key.slice("hix:".length);
      const cps = JSON.parse((await db.get(key))!) as string[];
      const entries: string[] = [];
      for await (const k of db.keys({ gte: prefix, lt: prefix + "\xff" })) entries.push(k.slice(prefix.length));
      expect(cps, prefix).to.deep.equal(entries);
      for (let block = 0; block <= head; block++) {
        expect(await latestAt(db, prefix, block), `${prefix} at ${block}`).to.deep.equal(await seekLatestAt(db, prefix, block));
      }
      histories++;
    }
    expect(histories).to.be.greaterThan(20);
    await db.close();
    // The history went through most reasons.
    for (const r of ["None", "Unknown", "Revoked", "NotYetValid", "Expired", "GranteeInactive", "GrantorInactive", "SubjectFrozen", "SubjectCancelled", "AuthorizationEnded", "ConsentWithdrawn"]) {
      expect(reasons.has(r), r).to.equal(true);
    }
    expect(compared).to.be.greaterThan(200);
  });
});

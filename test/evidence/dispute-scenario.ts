import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment } from "../../src/chain/contracts.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, type IndexDb } from "../../src/store/db.js";
import { h, networkHelpers, provider } from "../helpers/fixtures.js";
import { deploymentOf } from "../helpers/scenario.js";
import { APPEAL_WINDOW, OutcomeKind, deploySupervision, keys, outcome, type SupervisionFixture } from "../helpers/supervision-fixture.js";

/** Dispute 1: holder2 against holder over resource 1, grant 1 and product 1 (made from resource 1 under grant 1). */
export const DISPUTED = [keys.resource(1n), keys.grant(1n), keys.product(1n)];

/** The deployment of a supervision fixture, supervision addresses included. */
export async function supervisionDeployment(fx: SupervisionFixture): Promise<Deployment> {
  const base = await deploymentOf(fx);
  return {
    ...base,
    addresses: {
      ...base.addresses,
      ReportRegistry: await fx.reports.getAddress(),
      DisputeRegistry: await fx.disputes.getAddress(),
      Sanctions: await fx.sanctions.getAddress(),
      SevereActions: await fx.severe.getAddress(),
    },
  };
}

/**
 * A dispute through both instances: opened, evidence from each party, an arbiter assigned, a ruling (freeze the
 * grant, compensate the claimant), an appeal with more evidence, a second arbiter, an appeal ruling. Dispute 2 is
 * opened by another claimant and left open (for access checks).
 */
export async function playDispute(fx: SupervisionFixture): Promise<void> {
  const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => void (await (await p).wait());
  const claimant = await fx.holder2.getAddress();
  const respondent = await fx.holder.getAddress();
  await wait(fx.disputes.connect(fx.holder2).open(respondent, DISPUTED, h("claim")));
  await wait(fx.disputes.connect(fx.holder2).submitEvidence(1n, h("ev:1"), "ipfs://ev/1"));
  await wait(fx.disputes.connect(fx.holder).submitEvidence(1n, h("ev:2"), "ipfs://ev/2"));
  await wait(fx.disputes.assignArbiter(1n, await fx.arbiter.getAddress()));
  const first = [outcome(OutcomeKind.FreezeSubject, { subject: 1 }), outcome(OutcomeKind.Compensation, { beneficiary: claimant, amount: 500n })];
  await wait(fx.disputes.connect(fx.arbiter).rule(1n, h("ruling"), first));
  await wait(fx.disputes.connect(fx.holder).appeal(1n, h("grounds")));
  await wait(fx.disputes.connect(fx.holder).submitEvidence(1n, h("ev:3"), "ipfs://ev/3"));
  await wait(fx.disputes.assignArbiter(1n, await fx.arbiter2.getAddress()));
  await wait(fx.disputes.connect(fx.arbiter2).rule(1n, h("appeal-ruling"), [outcome(OutcomeKind.RevokeGrant, { subject: 1 })]));
  await networkHelpers.time.increase(APPEAL_WINDOW);
  await wait(fx.disputes.connect(fx.processor).open(respondent, [keys.resource(1n)], h("claim:2")));
}

/** The fixture with the dispute played, indexed into a fresh store. */
export async function disputeScenario(): Promise<{ fx: SupervisionFixture; deployment: Deployment; db: IndexDb; dir: string }> {
  const fx = await deploySupervision();
  await playDispute(fx);
  const dir = await mkdtemp(join(tmpdir(), "drl-dispute-evidence-"));
  const db = await openIndexDb(join(dir, "index"));
  const deployment = await supervisionDeployment(fx);
  await createIndexer({ rpc: provider, db, deployment, reorgWindow: 1_024 }).catchUp();
  return { fx, deployment, db, dir };
}

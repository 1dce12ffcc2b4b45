import type { Signer } from "ethers";
import type { DisputeRegistry, ReportRegistry, Sanctions, SevereActions } from "../../types/ethers-contracts/index.js";
import { SubjectKind } from "../../src/domain/enums.js";
import { subjectKey } from "../../src/domain/trace.js";
import { ROLES, ethers, h, type LedgerFixture } from "../helpers/fixtures.js";
import { OutcomeKind, ReportCategory, SevereKind, outcome } from "../helpers/supervision-fixture.js";

/** The supervision contracts deployed over an API fixture's ledger, and the second arbiter (who rules appeals). */
export interface SupervisionContracts {
  reports: ReportRegistry;
  disputes: DisputeRegistry;
  sanctions: Sanctions;
  severe: SevereActions;
  arbiter2: Signer;
}

export const APPEAL_WINDOW = 3 * 24 * 3600;

const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => {
  await (await p).wait();
};

/**
 * Deploys and wires the supervision contracts over `fx` as a production deployment does (deploy/modules/Ledger.ts):
 * the acting contracts are regulator members, SevereActions is the severe executor, the dispute registry is wired
 * into SevereActions and the sanctions contract into the report registry. Admits a second arbiter (account 12).
 */
export async function deploySupervisionOn(fx: LedgerFixture): Promise<SupervisionContracts> {
  const arbiter2 = (await ethers.getSigners())[12];
  if (arbiter2 === undefined) throw new Error("the test network needs at least 13 accounts");
  const admit = (account: string, name: string, roles: string[]) => wait(fx.members.admit(account, h(`org:${name}`), h(`cred:${name}`), roles));
  await admit(await arbiter2.getAddress(), "arbiter2", [ROLES.ARBITER]);
  const registries = {
    resources: await fx.resources.getAddress(),
    grants: await fx.grants.getAddress(),
    products: await fx.products.getAddress(),
    operations: await fx.operations.getAddress(),
    consents: await fx.consents.getAddress(),
  };
  const members = await fx.members.getAddress();
  const reports = await ethers.deployContract("ReportRegistry", [members, registries]);
  const severe = await ethers.deployContract("SevereActions", [members, registries.resources, registries.operations, await reports.getAddress()]);
  const disputes = await ethers.deployContract("DisputeRegistry", [members, registries, await severe.getAddress(), APPEAL_WINDOW]);
  await wait(severe.setDisputeRegistry(await disputes.getAddress()));
  const sanctions = await ethers.deployContract("Sanctions", [members, registries, await reports.getAddress(), await disputes.getAddress()]);
  await wait(reports.setSanctions(await sanctions.getAddress()));
  for (const [c, name] of [
    [disputes, "disputes"],
    [sanctions, "sanctions"],
    [severe, "severe"],
  ] as const) {
    await admit(await c.getAddress(), `contract:${name}`, [ROLES.REGULATOR]);
  }
  await wait(fx.members.setSevereExecutor(await severe.getAddress()));
  return { reports, disputes, sanctions, severe, arbiter2 };
}

/** Subject keys. */
export const sk = {
  resource: (id: bigint | number) => subjectKey(SubjectKind.Resource, BigInt(id)),
  grant: (id: bigint | number) => subjectKey(SubjectKind.Grant, BigInt(id)),
  product: (id: bigint | number) => subjectKey(SubjectKind.Product, BigInt(id)),
  report: (id: bigint | number) => subjectKey(SubjectKind.Report, BigInt(id)),
  dispute: (id: bigint | number) => subjectKey(SubjectKind.Dispute, BigInt(id)),
};

/**
 * The supervision scenario, over the core scenario's subjects (it registers no resource, grant or product, and
 * moves no holding right, so every other route's answers keep their ids and visibility):
 *
 *   report 1   holder against product 1 (UnauthorizedProcessing): investigated, then substantiated naming
 *              sanction 1 (freeze of resource 1, lifted later) and sanction 2 (freeze of grant 3, in force)
 *   report 2   confidential privacy complaint about personal resource 3, relayed by operator with a commitment
 *   report 3   processor2 against resource 4 (Other): dismissed
 *   dispute 1  holder (claimant) against processor over [grant 5, resource 4]: evidence from both, arbiter assigned
 *              by governance, ruling freezing resource 4 (interim), appeal by processor, arbiter2 assigned for the
 *              appeal, appeal ruling revoking grant 5 with a compensation of 1,000 to holder (the interim freeze is
 *              lifted), executed by holder
 *   dispute 2  holder2 against processor2 over [resource 3]: arbiter2 agreed by both parties, evidence; open
 *   proposals  threshold 2; 1: ExpelMember processor3 (cause report 1), pending with regulator's approval;
 *              2: ForcedExit of authorization 1 (cause dispute 1), cancelled by its proposer
 */
export async function runSupervisionScenario(fx: LedgerFixture, s: SupervisionContracts): Promise<void> {
  const holder = await fx.holder.getAddress();
  const processor = await fx.processor.getAddress();
  const processor2 = await fx.processor2.getAddress();
  // Reports.
  await wait(s.reports.connect(fx.holder).file(sk.product(1), ReportCategory.UnauthorizedProcessing, h("report:1:evidence")));
  await wait(s.reports.connect(fx.operator).fileConfidential(sk.resource(3), ReportCategory.PrivacyComplaint, h("report:2:evidence"), h("report:2:commitment")));
  await wait(s.reports.connect(fx.processor2).file(sk.resource(4), 7, h("report:3:evidence")));
  await wait(s.reports.connect(fx.regulator).investigate(1n, h("report:1:investigate")));
  await wait(s.sanctions.connect(fx.regulator).freeze(sk.resource(1), sk.report(1), h("sanction:1")));
  await wait(s.sanctions.connect(fx.regulator).freeze(sk.grant(3), sk.report(1), h("sanction:2")));
  await wait(s.reports.connect(fx.regulator).substantiate(1n, [1n, 2n], h("report:1:substantiate")));
  await wait(s.sanctions.connect(fx.regulator).lift(1n, h("sanction:1:lift")));
  await wait(s.reports.connect(fx.regulator).dismiss(3n, h("report:3:dismiss")));
  // Dispute 1, through appeal to execution.
  await wait(s.disputes.connect(fx.holder).open(processor, [sk.grant(5), sk.resource(4)], h("dispute:1:claim")));
  await wait(s.disputes.connect(fx.holder).submitEvidence(1n, h("dispute:1:evidence:holder"), "ipfs://evidence/holder"));
  await wait(s.disputes.connect(fx.processor).submitEvidence(1n, h("dispute:1:evidence:processor"), "ipfs://evidence/processor"));
  await wait(s.disputes.connect(fx.gov).assignArbiter(1n, await fx.arbiter.getAddress()));
  await wait(s.disputes.connect(fx.arbiter).rule(1n, h("dispute:1:ruling"), [outcome(OutcomeKind.FreezeSubject, { subject: 1 })]));
  await wait(s.disputes.connect(fx.processor).appeal(1n, h("dispute:1:grounds")));
  await wait(s.disputes.connect(fx.gov).assignArbiter(1n, await s.arbiter2.getAddress()));
  const final = [outcome(OutcomeKind.RevokeGrant, { subject: 0 }), outcome(OutcomeKind.Compensation, { beneficiary: holder, amount: 1000n })];
  await wait(s.disputes.connect(s.arbiter2).rule(1n, h("dispute:1:appeal-ruling"), final));
  await wait(s.disputes.connect(fx.holder).execute(1n, final));
  // Dispute 2, open, with an arbiter the parties agreed on.
  await wait(s.disputes.connect(fx.holder2).open(processor2, [sk.resource(3)], h("dispute:2:claim")));
  await wait(s.disputes.connect(fx.holder2).agreeArbiter(2n, await s.arbiter2.getAddress()));
  await wait(s.disputes.connect(fx.processor2).agreeArbiter(2n, await s.arbiter2.getAddress()));
  await wait(s.disputes.connect(fx.processor2).submitEvidence(2n, h("dispute:2:evidence"), "ipfs://evidence/processor2"));
  // Severe-action proposals, under a threshold of two approvals.
  await wait(s.severe.connect(fx.gov).setThreshold(2));
  await wait(s.severe.connect(fx.regulator).propose(SevereKind.ExpelMember, 0n, await fx.processor3.getAddress(), sk.report(1), h("severe:1")));
  await wait(s.severe.connect(fx.regulator).propose(SevereKind.ForcedExit, 1n, "0x0000000000000000000000000000000000000000", sk.dispute(1), h("severe:2")));
  await wait(s.severe.connect(fx.regulator).cancel(2n, h("severe:2:cancel")));
}

import { id, keccak256, toBeHex, toUtf8Bytes, type ContractTransactionResponse } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { EAS_ATTEST_ANCHOR, type GasRow } from "./scenario.js";

const h = (label: string): string => keccak256(toUtf8Bytes(label));
const role = (name: string): string => id(`drl.role.${name}`);
const key = (kind: number, n: bigint | string): string => toBeHex((BigInt(kind) << 248n) | BigInt(n), 32);
const K = { member: 2, resource: 3, grant: 4, product: 5, authorization: 7, consent: 8, report: 9, dispute: 10 } as const;
const DAY = 86400n;
const ZERO = "0x0000000000000000000000000000000000000000";
type Outcome = { kind: number; subject: number; beneficiary: string; amount: bigint };
const outcome = (kind: number, o: Partial<Outcome> = {}): Outcome => ({ kind, subject: 0, beneficiary: ZERO, amount: 0n, ...o });

/**
 * Deploys the ledger and the supervision contracts (wired as a deployment wires them) on `ethers`' network and performs
 * every supervision write once in a warm state (counters and wiring already written), returning the gas of each.
 * Rows have the shape of scripts/gas/scenario.ts (budget: the EAS attest anchor, which no write may exceed).
 */
export async function measureSupervisionGas(ethers: HardhatEthers): Promise<GasRow[]> {
  const [gov, regulator, regulator2, holder, holder2, processor, operator, arbiter, arbiter2, reporter] = await ethers.getSigners();
  if (!reporter) throw new Error("need 10 accounts");
  const rows: GasRow[] = [];
  const measure = async (op: string, tx: Promise<ContractTransactionResponse>, note?: string) => {
    const receipt = await (await tx).wait();
    if (!receipt) throw new Error(`no receipt for ${op}`);
    rows.push({ op, gas: receipt.gasUsed, budget: EAS_ATTEST_ANCHOR, note });
  };
  const mined = async (tx: Promise<ContractTransactionResponse>) => {
    await (await tx).wait();
  };

  // The ledger.
  const members = await ethers.deployContract("MemberRegistry", [gov.address, h("org:gov"), h("cred:gov")]);
  const m = await members.getAddress();
  const resources = await ethers.deployContract("ResourceRegistry", [m, 7 * 24 * 3600]);
  const grants = await ethers.deployContract("GrantRegistry", [m, await resources.getAddress()]);
  const operations = await ethers.deployContract("OperationRegistry", [m, await resources.getAddress()]);
  const consents = await ethers.deployContract("ConsentRegistry", [m, await resources.getAddress()]);
  await mined(resources.setGrantRegistry(await grants.getAddress()));
  await mined(grants.setConditionRegistries(await operations.getAddress(), await consents.getAddress()));
  const products = await ethers.deployContract("ProductRegistry", [m, await resources.getAddress(), await grants.getAddress()]);
  await mined(grants.setSubjectRegistry(5, await products.getAddress()));
  for (const [s, r] of [
    [regulator, "REGULATOR"],
    [regulator2, "REGULATOR"],
    [holder, "HOLDER"],
    [holder2, "HOLDER"],
    [processor, "PROCESSOR"],
    [operator, "OPERATOR"],
    [arbiter, "ARBITER"],
    [arbiter2, "ARBITER"],
    [reporter, "PROCESSOR"],
  ] as const) {
    await mined(members.admit(s.address, h(`org:${s.address}`), h(`cred:${s.address}`), [role(r)]));
  }

  // The supervision contracts, wired.
  const registries = {
    resources: await resources.getAddress(),
    grants: await grants.getAddress(),
    products: await products.getAddress(),
    operations: await operations.getAddress(),
    consents: await consents.getAddress(),
  };
  const reports = await ethers.deployContract("ReportRegistry", [m, registries]);
  const severe = await ethers.deployContract("SevereActions", [m, registries.resources, registries.operations, await reports.getAddress()]);
  const disputes = await ethers.deployContract("DisputeRegistry", [m, registries, await severe.getAddress(), 3n * DAY]);
  await measure("wire dispute registry into SevereActions (once)", severe.setDisputeRegistry(await disputes.getAddress()));
  const sanctions = await ethers.deployContract("Sanctions", [m, registries, await reports.getAddress(), await disputes.getAddress()]);
  await measure("wire sanctions into ReportRegistry (once)", reports.setSanctions(await sanctions.getAddress()));
  for (const c of [disputes, sanctions, severe]) await mined(members.admit(await c.getAddress(), h(`org:${await c.getAddress()}`), h("cred:contract"), [role("REGULATOR")]));
  await measure("set severe executor (MemberRegistry, once)", members.setSevereExecutor(await severe.getAddress()));
  const trades = await ethers.deployContract("TradeLookupMock");
  await measure("wire trade lookup (once)", reports.setTradeLookup(await trades.getAddress()));

  // Subjects: resources 1..4 (holder), grant 1..2, product 1, authorization 1, consent 1.
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const scope = { purposes: 0b11, region: 330200, validFrom: now, validUntil: now + 365n * DAY, exclusive: false, maySubGrant: false, depth: 0, cap: 0n };
  for (let i = 0; i < 3; i++) await mined(resources.connect(holder).register(0, 1, 0, 1, 0, h(`cat:${i}`), "ipfs://bafy-catalogue/x"));
  await mined(resources.connect(holder).register(0, 2, 0, 0, 0, h("cat:personal"), "ipfs://bafy-catalogue/personal")); // 4
  await mined(consents.connect(holder).record(4, h("consents"), 0b11, 100, now + 365n * DAY));
  await mined(resources.connect(holder).register(0, 0, 0, 0, 2, h("cat:public"), "ipfs://bafy-catalogue/public")); // 5
  await mined(members.grantRole(role("OPERATOR"), operator.address));
  await mined(operations.authorize(operator.address, [5], h("scenario"), h("conditions"), 0, now + 365n * DAY));
  await mined(operations.authorize(operator.address, [5], h("scenario:2"), h("conditions:2"), 0, now + 365n * DAY));
  await mined(grants.connect(holder).grant(1, 3, 1, processor.address, scope, h("terms:1"), 0)); // grant 1
  await mined(grants.connect(holder).grant(1, 3, 2, processor.address, scope, h("terms:2"), 0)); // grant 2
  const spec = { kind: 3, delivery: 1, domain: 1, environmentHash: h("env"), metadataHash: h("meta"), uri: "ipfs://bafy-product/x", operatorBps: 2000, publicBps: 0 };
  await mined(products.connect(processor).register(spec, [{ kind: 3, id: 1, grantId: 1, shareBps: 8000 }]));

  // Reports (report 1 warms the counter).
  await mined(reports.connect(reporter).file(key(K.resource, 1n), 2, h("evidence:0")));
  await measure("file report", reports.connect(reporter).file(key(K.resource, 1n), 3, h("evidence:1")));
  await measure("file confidential report (relay)", reports.connect(regulator).fileConfidential(key(K.consent, 1n), 1, h("evidence:2"), h("commitment")), "privacy complaint: checks the resource is personal data");
  await measure("investigate report", reports.connect(regulator).investigate(2, h("reason:investigate")));
  await measure("dismiss report", reports.connect(regulator).dismiss(1, h("reason:dismiss")));

  // Sanctions (caused by report 2).
  const cause = key(K.report, 2n);
  await measure("sanction: freeze resource", sanctions.connect(regulator).freeze(key(K.resource, 2n), cause, h("reason:s1")), "stores the sanction (3 slots) and calls ResourceRegistry.freeze");
  await measure("sanction: freeze grant", sanctions.connect(regulator).freeze(key(K.grant, 2n), cause, h("reason:s2")));
  await measure("sanction: freeze product", sanctions.connect(regulator).freeze(key(K.product, 1n), cause, h("reason:s3")));
  await measure("sanction: suspend member", sanctions.connect(regulator).freeze(key(K.member, reporter.address), cause, h("reason:s4")));
  await measure("sanction: withdraw consent", sanctions.connect(regulator).withdrawConsent(1, 0b10, key(K.report, 3n), h("reason:s5")));
  await measure("lift sanction (unfreeze resource)", sanctions.connect(regulator).lift(1, h("reason:lift")));
  await measure("lift sanction (reinstate member)", sanctions.connect(regulator).lift(4, h("reason:lift")));
  await measure("substantiate report (2 sanctions)", reports.connect(regulator).substantiate(2, [1, 2], h("reason:substantiate")));

  // Disputes: 1 warms the counter and is withdrawn; 2 goes through appeal to execution; 3 is executed after its window.
  const subjects = [key(K.resource, 1n), key(K.grant, 1n), key(K.product, 1n)];
  await mined(disputes.connect(holder2).open(holder.address, [key(K.resource, 3n)], h("claim:0")));
  await measure("withdraw dispute", disputes.connect(holder2).withdraw(1, h("reason:withdraw")));
  await measure("open dispute (3 subjects)", disputes.connect(holder2).open(holder.address, subjects, h("claim:2")), "checks each subject exists (one call each)");
  await measure("submit evidence", disputes.connect(holder2).submitEvidence(2, h("ev:1"), "ipfs://bafy-evidence/contract-scan"));
  await measure("propose arbiter (party)", disputes.connect(holder2).agreeArbiter(2, arbiter.address));
  await measure("agree arbiter (assigns)", disputes.connect(holder).agreeArbiter(2, arbiter.address));
  await measure(
    "rule (freeze 2 subjects at once, interim)",
    disputes.connect(arbiter).rule(2, h("ruling:2"), [outcome(3, { subject: 0 }), outcome(3, { subject: 1 })]),
    "two registry freezes in the same transaction",
  );
  await measure("appeal", disputes.connect(holder).appeal(2, h("grounds")));
  await measure("assign arbiter (governance)", disputes.assignArbiter(2, arbiter2.address));
  const final: Outcome[] = [outcome(3, { subject: 1 }), outcome(1, { subject: 1 }), outcome(4, { beneficiary: holder2.address, amount: 1_000_000n })];
  await measure("rule appeal (lift 1 interim freeze, keep 1)", disputes.connect(arbiter2).rule(2, h("ruling:appeal"), final));
  await measure("execute ruling (revoke grant + compensation)", disputes.connect(holder2).execute(2, final));
  await mined(disputes.connect(holder2).open(holder.address, [key(K.resource, 3n)], h("claim:3")));
  await mined(disputes.assignArbiter(3, arbiter.address));
  await measure("rule (dismiss)", disputes.connect(arbiter).rule(3, h("ruling:3"), [outcome(0)]));
  const transfer: Outcome[] = [outcome(2, { subject: 0, beneficiary: holder2.address })];
  await mined(disputes.connect(holder2).open(holder.address, [key(K.resource, 3n)], h("claim:4")));
  await mined(disputes.assignArbiter(4, arbiter.address));
  await measure("rule (transfer holding)", disputes.connect(arbiter).rule(4, h("ruling:4"), transfer));
  await ethers.provider.send("evm_increaseTime", [Number(3n * DAY)]);
  await measure("execute ruling (dismiss, after the window)", disputes.connect(holder).execute(3, [outcome(0)]));
  await measure(
    "execute ruling (transfer holding: severe proposal executed at threshold 1)",
    disputes.connect(holder).execute(4, transfer),
    "proposal (4 slots) + approval + ResourceRegistry.transferByRuling in one transaction",
  );
  await measure("set appeal window", disputes.setAppealWindow(Number(5n * DAY)));

  // Severe actions.
  await measure("propose severe action (threshold 1: forced exit executes)", severe.connect(regulator).propose(1, 1, ZERO, cause, h("reason:exit")));
  await measure("set severe threshold", severe.setThreshold(2));
  await measure("propose severe action (threshold 2: pending)", severe.connect(regulator).propose(0, 0, processor.address, cause, h("reason:expel")));
  await measure("approve severe action (executes the expulsion)", severe.connect(arbiter).approve(3));
  await mined(severe.connect(regulator).propose(1, 2, ZERO, cause, h("reason:exit2")));
  await measure("cancel severe proposal", severe.connect(regulator).cancel(4, h("reason:cancel")));
  return rows;
}

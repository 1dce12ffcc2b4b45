import type { Signer } from "ethers";
import type { DisputeRegistry, ReportRegistry, Sanctions, SevereActions, TradeLookupMock } from "../../types/ethers-contracts/index.js";
import { defaultScope, deployLedger, ethers, h, networkHelpers, ROLES, type LedgerFixture } from "./fixtures.js";
import { Category, DeliveryMode, Domain, Grade, OpenClass, ProductKind, ResourceKind, RightType, SubjectKind } from "./enums.js";
import { subjectKey, memberKey } from "./trace.js";

export const APPEAL_WINDOW = 3 * 24 * 3600;

/** Subject keys, as SubjectKeys.key. */
export const keys = {
  member: memberKey,
  resource: (id: bigint): string => subjectKey(SubjectKind.Resource, id),
  grant: (id: bigint): string => subjectKey(SubjectKind.Grant, id),
  product: (id: bigint): string => subjectKey(SubjectKind.Product, id),
  trade: (id: bigint): string => subjectKey(SubjectKind.Trade, id),
  authorization: (id: bigint): string => subjectKey(SubjectKind.OperationAuthorization, id),
  consent: (id: bigint): string => subjectKey(SubjectKind.Consent, id),
  report: (id: bigint): string => subjectKey(SubjectKind.Report, id),
  dispute: (id: bigint): string => subjectKey(SubjectKind.Dispute, id),
};

/** Mirrors of contracts/libraries/SupervisionTypes.sol. */
export const ReportStatus = { None: 0, Received: 1, Investigating: 2, Substantiated: 3, Dismissed: 4 } as const;
export const DisputeStatus = { None: 0, Open: 1, Ruled: 2, Appealed: 3, AppealRuled: 4, Executed: 5, Withdrawn: 6 } as const;
export const OutcomeKind = { Dismiss: 0, RevokeGrant: 1, TransferHolding: 2, FreezeSubject: 3, Compensation: 4 } as const;
export const SanctionKind = { FreezeResource: 0, FreezeGrant: 1, FreezeProduct: 2, SuspendMember: 3, WithdrawConsent: 4 } as const;
export const SevereKind = { ExpelMember: 0, ForcedExit: 1, TransferHolding: 2 } as const;
export const ProposalStatus = { None: 0, Pending: 1, Executed: 2, Cancelled: 3 } as const;
export const ReportCategory = { PrivacyComplaint: 1, UnauthorizedProcessing: 2, IllegalTrading: 3, Max: 7 } as const;

export interface Outcome {
  kind: number;
  subject: number;
  beneficiary: string;
  amount: bigint;
}
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const outcome = (kind: number, o: Partial<Outcome> = {}): Outcome => ({ kind, subject: 0, beneficiary: ZERO_ADDRESS, amount: 0n, ...o });

export interface SupervisionFixture extends LedgerFixture {
  reports: ReportRegistry;
  disputes: DisputeRegistry;
  sanctions: Sanctions;
  severe: SevereActions;
  trades: TradeLookupMock;
  arbiter2: Signer;
  regulator2: Signer;
  /** Resource 2: personal data held by `holder`, with consent 1. */
  personalResourceId: bigint;
  consentId: bigint;
  /** Grant 1: holder -> processor, processing-use over resource 1. */
  grantId: bigint;
  /** Product 1: registered by processor over resource 1 (grant 1). */
  productId: bigint;
  /** Authorization 1: operator over public resource 3. */
  authorizationId: bigint;
}

/**
 * The ledger fixture plus the supervision contracts, deployed and wired as a deployment would: each acting contract
 * admitted as a regulator member, SevereActions wired as the severe executor, the dispute registry wired into
 * SevereActions, the sanctions contract into the report registry. Adds a second arbiter and a second regulator, a
 * personal resource with consent, a grant, a product and an operation authorization to act on.
 */
export async function deploySupervision(): Promise<SupervisionFixture> {
  const fx = await deployLedger();
  const signers = await ethers.getSigners();
  const arbiter2 = signers[12];
  const regulator2 = signers[13];
  if (arbiter2 === undefined || regulator2 === undefined) throw new Error("the test network needs at least 14 accounts");
  const admit = async (account: string, name: string, roles: string[]) =>
    (await fx.members.admit(account, h(`org:${name}`), h(`cred:${name}`), roles)).wait();
  await admit(await arbiter2.getAddress(), "arbiter2", [ROLES.ARBITER]);
  await admit(await regulator2.getAddress(), "regulator2", [ROLES.REGULATOR]);

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
  await (await severe.setDisputeRegistry(await disputes.getAddress())).wait();
  const sanctions = await ethers.deployContract("Sanctions", [members, registries, await reports.getAddress(), await disputes.getAddress()]);
  await (await reports.setSanctions(await sanctions.getAddress())).wait();
  for (const [c, name] of [
    [disputes, "disputes"],
    [sanctions, "sanctions"],
    [severe, "severe"],
  ] as const) {
    await admit(await c.getAddress(), `contract:${name}`, [ROLES.REGULATOR]);
  }
  await (await fx.members.setSevereExecutor(await severe.getAddress())).wait();
  const trades = await ethers.deployContract("TradeLookupMock");

  const scope = await defaultScope();
  const processor = await fx.processor.getAddress();
  // Resource 2 (personal) with consent 1.
  await (
    await fx.resources.connect(fx.holder).register(ResourceKind.DataSet, Category.Personal, Grade.General, Domain.Health, OpenClass.NotApplicable, h("cat:2"), "ipfs://cat/2")
  ).wait();
  await (await fx.consents.connect(fx.holder).record(2n, h("consents"), scope.purposes, 100, scope.validUntil)).wait();
  // Grant 1 and product 1.
  await (await fx.grants.connect(fx.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, 1n, processor, scope, h("terms:1"), 0n)).wait();
  const spec = {
    kind: ProductKind.Report,
    delivery: DeliveryMode.Api,
    domain: Domain.PortLogistics,
    environmentHash: h("env"),
    metadataHash: h("meta"),
    uri: "ipfs://product/1",
    operatorBps: 2000,
    publicBps: 0,
  };
  await (await fx.products.connect(fx.processor).register(spec, [{ kind: SubjectKind.Resource, id: 1n, grantId: 1n, shareBps: 8000 }])).wait();
  // Resource 3 (public) and authorization 1 for the operator.
  await (
    await fx.resources.connect(fx.holder).register(ResourceKind.DataSet, Category.Public, Grade.General, Domain.Other, OpenClass.Conditional, h("cat:3"), "ipfs://cat/3")
  ).wait();
  await (await fx.operations.authorize(await fx.operator.getAddress(), [3n], h("scenario"), h("conditions"), 0, scope.validUntil)).wait();

  return {
    ...fx,
    reports,
    disputes,
    sanctions,
    severe,
    trades,
    arbiter2,
    regulator2,
    personalResourceId: 2n,
    consentId: 1n,
    grantId: 1n,
    productId: 1n,
    authorizationId: 1n,
  };
}

/** The supervision fixture, deployed once and restored from a snapshot for every test. */
export const supervisionFixture = (): Promise<SupervisionFixture> => networkHelpers.loadFixture(deploySupervision);

// ==== TRACE CHECK ====

/** The domain event each supervision action code commits to (src/domain/actions.ts holds the codes below 100). */
export const SUPERVISION_ACTION_EVENTS: Readonly<Record<number, readonly string[]>> = {
  1: ["TradeLookupSet", "SanctionsSet", "AppealWindowSet", "SevereThresholdSet", "DisputeRegistrySet", "SevereExecutorSet"],
  100: ["ReportFiled"],
  101: ["ReportInvestigating"],
  102: ["ReportSubstantiated"],
  103: ["ReportDismissed"],
  110: ["DisputeOpened"],
  111: ["EvidenceSubmitted"],
  112: ["ArbiterProposed"],
  113: ["ArbiterAssigned"],
  114: ["RulingRecorded"],
  115: ["AppealFiled"],
  116: ["RulingExecuted"],
  117: ["CompensationRecorded"],
  118: ["DisputeWithdrawn"],
  119: ["RulingFreezeApplied"],
  120: ["RulingFreezeLifted"],
  125: ["SanctionApplied"],
  126: ["SanctionLifted"],
  130: ["SevereProposed"],
  131: ["SevereApproved"],
  132: ["SevereExecuted"],
  133: ["SevereCancelled"],
  135: ["ResourceTransferredByRuling"],
};

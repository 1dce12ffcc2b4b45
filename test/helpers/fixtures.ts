import { network } from "hardhat";
import { keccak256, toUtf8Bytes, type Signer } from "ethers";
import { ROLE_IDS, type RoleName } from "../../src/domain/roles.js";
import type { MemberRegistry, ResourceRegistry, GrantRegistry, OperationRegistry, ConsentRegistry, ProductRegistry, AdmissionRegistry, Market } from "../../types/ethers-contracts/index.js";
import { Category, Domain, Grade, OpenClass, ResourceKind } from "./enums.js";

export const { ethers, networkHelpers, provider } = await network.create();

/** Role ids, as in contracts/libraries/Roles.sol (one definition, in src/domain/roles.ts). */
export const ROLES = ROLE_IDS;
export type { RoleName };

export const OBJECTION_WINDOW = 7 * 24 * 3600;
export const NO_EXPIRY = 2n ** 40n - 1n;

/** A non-zero 32-byte hash named by a label, for terms, reasons, evidence and catalogue documents. */
export const h = (label: string): string => keccak256(toUtf8Bytes(label));

export interface ScopeInput {
  purposes: number;
  region: number;
  validFrom: bigint;
  validUntil: bigint;
  exclusive: boolean;
  maySubGrant: boolean;
  depth: number;
  cap: bigint;
}

/** A scope valid from now for a year, purposes 0b11, Ningbo, shared, sub-grantable two levels deep. */
export async function defaultScope(overrides: Partial<ScopeInput> = {}): Promise<ScopeInput> {
  const now = BigInt(await networkHelpers.time.latest());
  return {
    purposes: 0b11,
    region: 330200,
    validFrom: now,
    validUntil: now + 365n * 24n * 3600n,
    exclusive: false,
    maySubGrant: true,
    depth: 2,
    cap: 0n,
    ...overrides,
  };
}

export interface LedgerFixture {
  members: MemberRegistry;
  resources: ResourceRegistry;
  grants: GrantRegistry;
  operations: OperationRegistry;
  consents: ConsentRegistry;
  products: ProductRegistry;
  admission: AdmissionRegistry;
  market: Market;
  gov: Signer;
  regulator: Signer;
  holder: Signer;
  holder2: Signer;
  processor: Signer;
  processor2: Signer;
  processor3: Signer;
  operator: Signer;
  certifier: Signer;
  arbiter: Signer;
  suspended: Signer;
  outsider: Signer;
  /** A general-grade enterprise data set registered by `holder` (id 1). */
  resourceId: bigint;
}

/** Deploys the ledger and admits one member per role, plus a suspended processor and a non-member. */
export async function deployLedger(): Promise<LedgerFixture> {
  const signers = await ethers.getSigners();
  const signer = (i: number): Signer => {
    const s = signers[i];
    if (s === undefined) throw new Error("the test network needs at least 12 accounts");
    return s;
  };
  const [gov, regulator, holder, holder2, processor, processor2, processor3, operator, certifier, arbiter, suspended, outsider] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ].map(signer) as [Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer, Signer];

  const members = await ethers.deployContract("MemberRegistry", [await gov.getAddress(), h("org:gov"), h("cred:gov")]);
  const resources = await ethers.deployContract("ResourceRegistry", [await members.getAddress(), OBJECTION_WINDOW]);
  const grants = await ethers.deployContract("GrantRegistry", [await members.getAddress(), await resources.getAddress()]);
  const operations = await ethers.deployContract("OperationRegistry", [await members.getAddress(), await resources.getAddress()]);
  const consents = await ethers.deployContract("ConsentRegistry", [await members.getAddress(), await resources.getAddress()]);
  await (await resources.setGrantRegistry(await grants.getAddress())).wait();
  await (await grants.setConditionRegistries(await operations.getAddress(), await consents.getAddress())).wait();
  const products = await ethers.deployContract("ProductRegistry", [await members.getAddress(), await resources.getAddress(), await grants.getAddress()]);
  await (await grants.setSubjectRegistry(5, await products.getAddress())).wait();
  const admission = await ethers.deployContract("AdmissionRegistry", [await members.getAddress(), await products.getAddress()]);
  const market = await ethers.deployContract("Market", [
    await members.getAddress(),
    await products.getAddress(),
    await grants.getAddress(),
    await resources.getAddress(),
    await admission.getAddress(),
  ]);
  await (await grants.setMarket(await market.getAddress())).wait();
  await (await market.setPublicBeneficiary(await gov.getAddress())).wait();

  const admit = async (s: Signer, name: string, roles: string[]) =>
    (await members.admit(await s.getAddress(), h(`org:${name}`), h(`cred:${name}`), roles)).wait();
  await admit(regulator, "regulator", [ROLES.REGULATOR]);
  await admit(holder, "holder", [ROLES.HOLDER]);
  await admit(holder2, "holder2", [ROLES.HOLDER]);
  await admit(processor, "processor", [ROLES.PROCESSOR]);
  await admit(processor2, "processor2", [ROLES.PROCESSOR]);
  await admit(processor3, "processor3", [ROLES.PROCESSOR]);
  await admit(operator, "operator", [ROLES.OPERATOR]);
  await admit(certifier, "certifier", [ROLES.CERTIFIER]);
  await admit(arbiter, "arbiter", [ROLES.ARBITER]);
  await admit(suspended, "suspended", Object.values(ROLES).filter((r) => r !== ROLES.GOVERNANCE));
  await (await members.suspend(await suspended.getAddress(), h("reason:suspended"))).wait();

  await (
    await resources
      .connect(holder)
      .register(ResourceKind.DataSet, Category.Enterprise, Grade.General, Domain.PortLogistics, OpenClass.NotApplicable, h("catalogue:1"), "ipfs://catalogue/1")
  ).wait();

  return {
    members,
    resources,
    grants,
    operations,
    consents,
    products,
    admission,
    market,
    gov,
    regulator,
    holder,
    holder2,
    processor,
    processor2,
    processor3,
    operator,
    certifier,
    arbiter,
    suspended,
    outsider,
    resourceId: 1n,
  };
}

/** The ledger fixture, deployed once and restored from a snapshot for every test. */
export const ledgerFixture = (): Promise<LedgerFixture> => networkHelpers.loadFixture(deployLedger);

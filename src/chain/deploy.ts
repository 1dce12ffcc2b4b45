import { id, type ContractRunner, type Signer } from "ethers";
import {
  AdmissionRegistry__factory,
  ConsentRegistry__factory,
  DisputeRegistry__factory,
  GrantRegistry__factory,
  Market__factory,
  ReportRegistry__factory,
  Sanctions__factory,
  SevereActions__factory, MemberRegistry__factory, OperationRegistry__factory, ProductRegistry__factory, ResourceRegistry__factory } from "../../types/ethers-contracts/index.js";
import type { Deployment } from "./contracts.js";

export interface DeployOptions {
  governorOrgId?: string;
  governorCredentialHash?: string;
  objectionWindow?: number;
  /** The appeal window of dispute rulings, in seconds (default: 7 days). */
  appealWindow?: number;
  /** The account owed the public share of products with public inputs (default: the deployer). */
  publicBeneficiary?: string;
}

/**
 * Deploys the ledger core with plain ethers and the typechain factories, with the same constructor arguments and
 * wiring as the Ignition module deploy/modules/Ledger.ts (benchmarks and tests against a JSON-RPC node use this).
 */
export async function deployLedgerCore(signer: Signer, options: DeployOptions = {}): Promise<Deployment> {
  const runner: ContractRunner = signer;
  const governor = await signer.getAddress();
  const members = await new MemberRegistry__factory(signer).deploy(
    governor,
    options.governorOrgId ?? id("drl:org:governance"),
    options.governorCredentialHash ?? id("drl:credential:governance"),
  );
  const membersReceipt = await members.deploymentTransaction()!.wait();
  const resources = await new ResourceRegistry__factory(signer).deploy(await members.getAddress(), options.objectionWindow ?? 7 * 24 * 3600);
  await resources.waitForDeployment();
  const grants = await new GrantRegistry__factory(signer).deploy(await members.getAddress(), await resources.getAddress());
  await grants.waitForDeployment();
  const operations = await new OperationRegistry__factory(signer).deploy(await members.getAddress(), await resources.getAddress());
  await operations.waitForDeployment();
  const consents = await new ConsentRegistry__factory(signer).deploy(await members.getAddress(), await resources.getAddress());
  await consents.waitForDeployment();
  const products = await new ProductRegistry__factory(signer).deploy(await members.getAddress(), await resources.getAddress(), await grants.getAddress());
  await products.waitForDeployment();
  const admission = await new AdmissionRegistry__factory(signer).deploy(await members.getAddress(), await products.getAddress());
  await admission.waitForDeployment();
  const market = await new Market__factory(signer).deploy(
    await members.getAddress(),
    await products.getAddress(),
    await grants.getAddress(),
    await resources.getAddress(),
    await admission.getAddress(),
  );
  await market.waitForDeployment();
  await (await ResourceRegistry__factory.connect(await resources.getAddress(), runner).setGrantRegistry(await grants.getAddress())).wait();
  await (await GrantRegistry__factory.connect(await grants.getAddress(), runner).setConditionRegistries(await operations.getAddress(), await consents.getAddress())).wait();
  await (await GrantRegistry__factory.connect(await grants.getAddress(), runner).setSubjectRegistry(5, await products.getAddress())).wait();
  await (await GrantRegistry__factory.connect(await grants.getAddress(), runner).setMarket(await market.getAddress())).wait();
  await (await Market__factory.connect(await market.getAddress(), runner).setPublicBeneficiary(options.publicBeneficiary ?? governor)).wait();

  // Supervision, wired as deploy/modules/Ledger.ts wires it.
  const registries = {
    resources: await resources.getAddress(),
    grants: await grants.getAddress(),
    products: await products.getAddress(),
    operations: await operations.getAddress(),
    consents: await consents.getAddress(),
  };
  const reports = await new ReportRegistry__factory(signer).deploy(await members.getAddress(), registries);
  await reports.waitForDeployment();
  const severe = await new SevereActions__factory(signer).deploy(await members.getAddress(), registries.resources, registries.operations, await reports.getAddress());
  await severe.waitForDeployment();
  const disputes = await new DisputeRegistry__factory(signer).deploy(await members.getAddress(), registries, await severe.getAddress(), options.appealWindow ?? 7 * 24 * 3600);
  await disputes.waitForDeployment();
  const sanctions = await new Sanctions__factory(signer).deploy(await members.getAddress(), registries, await reports.getAddress(), await disputes.getAddress());
  await sanctions.waitForDeployment();
  await (await severe.setDisputeRegistry(await disputes.getAddress())).wait();
  await (await reports.setSanctions(await sanctions.getAddress())).wait();
  const memberRegistry = MemberRegistry__factory.connect(await members.getAddress(), runner);
  for (const [contract, name] of [[disputes, "disputes"], [sanctions, "sanctions"], [severe, "severe"]] as const) {
    await (await memberRegistry.admit(await contract.getAddress(), id(`drl:org:contract:${name}`), id(`drl:credential:contract:${name}`), [id("drl.role.REGULATOR")])).wait();
  }
  await (await memberRegistry.setSevereExecutor(await severe.getAddress())).wait();
  await (await reports.setTradeLookup(await market.getAddress())).wait();
  await (await disputes.setTradeLookup(await market.getAddress())).wait();
  const network = await signer.provider!.getNetwork();
  return {
    chainId: network.chainId,
    deploymentBlock: membersReceipt!.blockNumber,
    addresses: {
      MemberRegistry: await members.getAddress(),
      ResourceRegistry: await resources.getAddress(),
      GrantRegistry: await grants.getAddress(),
      OperationRegistry: await operations.getAddress(),
      ConsentRegistry: await consents.getAddress(),
      ProductRegistry: await products.getAddress(),
      AdmissionRegistry: await admission.getAddress(),
      Market: await market.getAddress(),
      ReportRegistry: await reports.getAddress(),
      DisputeRegistry: await disputes.getAddress(),
      Sanctions: await sanctions.getAddress(),
      SevereActions: await severe.getAddress(),
    },
  };
}

import type { ContractTransactionResponse, Signer } from "ethers";
import type { Deployment } from "../chain/contracts.js";
import {
  DisputeRegistry__factory,
  ReportRegistry__factory,
  Sanctions__factory,
  SevereActions__factory,
  AdmissionRegistry__factory,
  ConsentRegistry__factory,
  GrantRegistry__factory,
  Market__factory,
  MemberRegistry__factory,
  OperationRegistry__factory,
  ProductRegistry__factory,
  ResourceRegistry__factory,
} from "../../types/ethers-contracts/index.js";

/** The deployed ledger's contracts, typed, for the demo's writes. */
export function connectLedger(deployment: Deployment, runner: Signer) {
  const a = deployment.addresses;
  const need = (name: string, address: string | undefined): string => {
    if (address === undefined) throw new Error(`the deployment has no ${name}: it was made by an older version; start on a fresh data directory`);
    return address;
  };
  return {
    reports: ReportRegistry__factory.connect(need("ReportRegistry", a.ReportRegistry), runner),
    disputes: DisputeRegistry__factory.connect(need("DisputeRegistry", a.DisputeRegistry), runner),
    sanctions: Sanctions__factory.connect(need("Sanctions", a.Sanctions), runner),
    severe: SevereActions__factory.connect(need("SevereActions", a.SevereActions), runner),
    members: MemberRegistry__factory.connect(a.MemberRegistry, runner),
    resources: ResourceRegistry__factory.connect(a.ResourceRegistry, runner),
    grants: GrantRegistry__factory.connect(a.GrantRegistry, runner),
    operations: OperationRegistry__factory.connect(a.OperationRegistry, runner),
    consents: ConsentRegistry__factory.connect(a.ConsentRegistry, runner),
    products: ProductRegistry__factory.connect(a.ProductRegistry, runner),
    admission: AdmissionRegistry__factory.connect(a.AdmissionRegistry, runner),
    market: Market__factory.connect(a.Market, runner),
  };
}
export type Ledger = ReturnType<typeof connectLedger>;

/** Waits for a demo write and fails the demo if it reverted. */
export async function mined(tx: Promise<ContractTransactionResponse>): Promise<void> {
  const receipt = await (await tx).wait();
  if (receipt?.status !== 1) throw new Error("a demo transaction failed");
}

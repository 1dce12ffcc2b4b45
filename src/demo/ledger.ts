import type { Signer } from "ethers";
import type { Deployment } from "../chain/contracts.js";
import {
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
  return {
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

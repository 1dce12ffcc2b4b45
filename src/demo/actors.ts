import { keccak256, solidityPacked, id, type JsonRpcProvider } from "ethers";
import { HeadroomWallet } from "../chain/signer.js";
import { ROLE_IDS, type RoleName } from "../domain/roles.js";
import type { Ledger } from "./ledger.js";

/** The cast of the demo, after the seed document: who they are and the roles they hold. */
export const CAST = {
  bureau: { label: "市大数据局 Municipal Big Data Bureau (governance, regulator)", roles: ["REGULATOR", "HOLDER"] },
  inspector: { label: "市场监管 Market inspector (a second regulator)", roles: ["REGULATOR"] },
  operator: { label: "数据运营公司 Municipal data operating company", roles: ["OPERATOR", "PROCESSOR"] },
  hospital: { label: "医疗集团 Hospital group (health data, personal)", roles: ["HOLDER"] },
  port: { label: "港口集团 Port group (port logistics data)", roles: ["HOLDER"] },
  logistics: { label: "物流企业 Logistics firm (buyer)", roles: ["PROCESSOR"] },
  transport: { label: "市交通局 Transport bureau (government department)", roles: ["PROCESSOR"] },
  certifier: { label: "第三方认证机构 Certification body", roles: ["CERTIFIER"] },
  arbiter: { label: "争议仲裁员 Arbiter", roles: ["ARBITER"] },
  appealArbiter: { label: "复议仲裁员 Appeal arbiter", roles: ["ARBITER"] },
} as const satisfies Record<string, { label: string; roles: readonly RoleName[] }>;
export type ActorName = keyof typeof CAST;

export type Actors = Record<ActorName, HeadroomWallet> & { governance: HeadroomWallet };

/**
 * The demo's members. Their keys derive from the governance key and their names, so a second run finds the same
 * members (admitted once) and only adds new resources, products and trades.
 */
export function deriveActors(governanceKey: string, provider: JsonRpcProvider): Actors {
  const actors = { governance: new HeadroomWallet(governanceKey, provider) } as Actors;
  for (const name of Object.keys(CAST) as ActorName[]) {
    actors[name] = new HeadroomWallet(keccak256(solidityPacked(["bytes32", "string"], [governanceKey, `drl-demo:${name}`])), provider);
  }
  return actors;
}

/** Funds and admits every actor that is not a member yet (and gives the roles it lacks). */
export async function admitCast(ledger: Ledger, actors: Actors, fund: (address: string) => Promise<void>, say: (line: string) => void): Promise<void> {
  const members = ledger.members.connect(actors.governance);
  for (const name of Object.keys(CAST) as ActorName[]) {
    const wallet = actors[name];
    await fund(wallet.address);
    const roles = CAST[name].roles.map((r) => ROLE_IDS[r]);
    if ((await ledger.members.statusOf(wallet.address)) === 0n) {
      await (await members.admit(wallet.address, id(`drl-demo:org:${name}`), id(`drl-demo:credential:${name}`), roles)).wait();
      say(`admitted ${CAST[name].label}: ${wallet.address}`);
    } else {
      for (const role of roles) if (!(await ledger.members.hasRole(role, wallet.address))) await (await members.grantRole(role, wallet.address)).wait();
    }
  }
}

import type { Result } from "ethers";
import { DisputeRegistry__factory } from "../../types/ethers-contracts/index.js";
import { NonRetryableError } from "../common/errors.js";
import type { Eip1193 } from "../chain/rpc.js";
import type { BundleSubject, DisputeSection, EvidenceBundle } from "./bundle.js";
import { anchorOf, documentsOf, grantChain, seal, subjectPart, type BuildOptions } from "./build.js";
import { disputeFromTrace, disputeKey, lineageOf, requiredGrants, requiredSubjects } from "./dispute.js";

export interface DisputeBuildOptions extends Omit<BuildOptions, "subject" | "includeChain"> {
  disputeId: bigint;
}

/** What the DisputeRegistry says of a dispute, at a block (typechain interface, plain eth_call). */
export interface DisputeOnChain {
  claimant: string;
  respondent: string;
  arbiter: string;
  appealArbiter: string;
  subjects: string[];
}

const iface = DisputeRegistry__factory.createInterface();

/**
 * Reads a dispute's parties, arbiters and subjects from the DisputeRegistry's views at `block` (default: latest).
 * Undefined when the deployment has no DisputeRegistry or the dispute was never opened (the view reverts).
 */
export async function readDispute(rpc: Eip1193, address: string | undefined, disputeId: bigint, block?: number): Promise<DisputeOnChain | undefined> {
  if (address === undefined) return undefined;
  const tag = block === undefined ? "latest" : "0x" + block.toString(16);
  const call = async (data: string): Promise<string | undefined> => {
    try {
      return (await rpc.request({ method: "eth_call", params: [{ to: address, data }, tag] })) as string;
    } catch {
      return undefined; // DisputeUnknown
    }
  };
  const d = await call(iface.encodeFunctionData("getDispute", [disputeId]));
  const s = await call(iface.encodeFunctionData("subjectsOf", [disputeId]));
  if (d === undefined || s === undefined || d === "0x") return undefined;
  const dispute = iface.decodeFunctionResult("getDispute", d)[0] as Result;
  const subjects = (iface.decodeFunctionResult("subjectsOf", s)[0] as Result).toArray().map((k) => String(k).toLowerCase());
  const lower = (v: unknown) => String(v).toLowerCase();
  return { claimant: lower(dispute[0]), respondent: lower(dispute[5]), arbiter: lower(dispute[7]), appealArbiter: lower(dispute[8]), subjects };
}

/**
 * Builds the evidence bundle of a whole dispute, anchored at the indexer's checkpoint block: the dispute's own trace
 * and proof; each disputed subject's (a grant with its ancestors and root subject, a product with its lineage,
 * bounded); the member traces of the parties and arbiters; the chains of every grant involved with their validity;
 * every cited document; and the dispute decoded (evidence, rulings, appeals) from its proven entries.
 */
export async function buildDisputeBundle(o: DisputeBuildOptions): Promise<EvidenceBundle> {
  const id = o.disputeId;
  const { anchor, header } = await anchorOf(o);
  const onChain = await readDispute(o.rpc, o.deployment.addresses.DisputeRegistry, id, anchor);
  if (!onChain) throw new NonRetryableError("DRL-EVIDENCE-SUBJECT", `dispute ${id} does not exist at block ${anchor} (or the deployment has no DisputeRegistry)`);

  const parts = new Map<string, BundleSubject>();
  const grants = new Map<string, EvidenceBundle["grants"][number]>();
  const prove = async (key: string): Promise<void> => {
    if (!parts.has(key)) parts.set(key, await subjectPart(o, key, anchor));
  };
  const key = disputeKey(id);
  await prove(key);
  const told = disputeFromTrace(parts.get(key)!, id.toString());
  if (told.claimant !== onChain.claimant || told.respondent !== onChain.respondent || told.subjects.join() !== onChain.subjects.join()) {
    throw new NonRetryableError("DRL-EVIDENCE-INDEX", `the index's trace of dispute ${id} disagrees with the DisputeRegistry at block ${anchor}`);
  }
  for (const s of told.subjects) await prove(s);
  // Lineage: prove each product it reaches, then ask again (at most LINEAGE_MAX_PRODUCTS rounds).
  let walk = lineageOf(told.subjects, (k) => parts.get(k));
  while (walk.missing !== undefined) {
    await prove(walk.missing);
    walk = lineageOf(told.subjects, (k) => parts.get(k));
  }
  const section: DisputeSection = { ...told, lineage: walk.lineage };
  for (const s of requiredSubjects(section)) await prove(s);
  for (const g of requiredGrants(section)) {
    const chain = await grantChain(o, g, anchor, header);
    for (const s of chain.subjects) await prove(s);
    for (const c of chain.grants) grants.set(c.id, c);
  }
  const subjects = [...parts.values()];
  if (subjects.length > 1_000) throw new NonRetryableError("DRL-EVIDENCE-SUBJECT", `dispute ${id} reaches ${subjects.length} subjects, more than a bundle holds`);
  return seal(o, { kind: "dispute", subject: key, disputeId: id.toString() }, { number: anchor, hash: header.hash, header }, subjects, [...grants.values()], await documentsOf(o, subjects), section);
}

import type { Result } from "ethers";
import { DisputeRegistry__factory, ProductRegistry__factory } from "../../types/ethers-contracts/index.js";
import { OutcomeKind, SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey } from "../domain/trace.js";
import type { BundleEntry, BundleSubject, DisputeOutcome, DisputeSection } from "./bundle.js";

/** How far below a disputed product its lineage is followed, and how many products at most: bounded bundles. */
export const LINEAGE_MAX_DEPTH = 4;
export const LINEAGE_MAX_PRODUCTS = 64;

const disputes = DisputeRegistry__factory.createInterface();
const products = ProductRegistry__factory.createInterface();
const ZERO_ADDRESS = "0x" + "0".repeat(40);

export const disputeKey = (id: bigint | string): string => subjectKey(SubjectKind.Dispute, BigInt(id));
export const memberKeyOf = (account: string): string => subjectKey(SubjectKind.Member, BigInt(account));
const kindOf = (key: string): number => Number(BigInt(key) >> 248n);
const lower = (s: unknown): string => String(s).toLowerCase();

/** The entry's domain event parsed from its encoded form (the decoded `args` of a bundle are not trusted here). */
function parsed(e: BundleEntry, iface: typeof disputes | typeof products): Result {
  const log = iface.parseLog({ topics: e.event.topics, data: e.event.data });
  if (!log) throw new Error(`entry ${e.seq} is not an event of ${e.event.contract}`);
  return log.args;
}

function outcomesOf(list: Result): DisputeOutcome[] {
  return list.toArray().map((o: Result) => ({ kind: nameOf(OutcomeKind, Number(o[0])), subject: Number(o[1]), beneficiary: lower(o[2]), amount: String(o[3]) }));
}

/**
 * The dispute as its trace entries tell it (from their encoded logs): parties, subjects, arbiters, evidence,
 * rulings, appeals and executions in trace order, and the status the last of them leaves. Builder and verifier
 * both call this, so a bundle's stated dispute must be exactly what its proven entries say.
 */
export function disputeFromTrace(dispute: BundleSubject, disputeId: string): Omit<DisputeSection, "lineage"> {
  const first = dispute.entries[0];
  if (!first || first.event.name !== "DisputeOpened") throw new Error(`the trace of dispute ${disputeId} does not start with DisputeOpened`);
  const opened = parsed(first, disputes);
  if (String(opened[0]) !== disputeId) throw new Error(`the trace of dispute ${disputeId} opens dispute ${String(opened[0])}`);
  const out: Omit<DisputeSection, "lineage"> = {
    id: disputeId,
    claimant: lower(opened[1]),
    respondent: lower(opened[2]),
    claimHash: lower(opened[3]),
    subjects: (opened[4] as Result).toArray().map(lower),
    status: "Open",
    arbiters: [],
    evidence: [],
    rulings: [],
    appeals: [],
    executions: [],
    members: [],
  };
  for (const e of dispute.entries.slice(1)) {
    const at = { seq: e.seq, block: e.trace.block, tx: e.trace.tx };
    if (e.event.name === "EvidenceSubmitted") {
      const a = parsed(e, disputes);
      out.evidence.push({ ...at, party: lower(a[1]), evidenceHash: lower(a[2]), uri: String(a[3]) });
    } else if (e.event.name === "ArbiterAssigned") {
      const a = parsed(e, disputes);
      out.arbiters.push({ ...at, arbiter: lower(a[1]), by: lower(a[2]), appeal: Boolean(a[3]), agreed: Boolean(a[4]) });
    } else if (e.event.name === "RulingRecorded") {
      const a = parsed(e, disputes);
      const appeal = Boolean(a[2]);
      out.rulings.push({ ...at, arbiter: lower(a[1]), appeal, rulingHash: lower(a[3]), appealDeadline: String(a[4]), outcomes: outcomesOf(a[5] as Result) });
      out.status = appeal ? "AppealRuled" : "Ruled";
    } else if (e.event.name === "AppealFiled") {
      const a = parsed(e, disputes);
      out.appeals.push({ ...at, appellant: lower(a[1]), groundsHash: lower(a[2]) });
      out.status = "Appealed";
    } else if (e.event.name === "RulingExecuted") {
      const a = parsed(e, disputes);
      out.executions.push({ ...at, by: lower(a[1]), outcomesHash: lower(a[2]) });
      out.status = "Executed";
    } else if (e.event.name === "DisputeWithdrawn") {
      out.status = "Withdrawn";
    }
  }
  const accounts = [out.claimant, out.respondent, ...out.arbiters.map((a) => a.arbiter)].filter((a) => a !== ZERO_ADDRESS);
  out.members = [...new Set(accounts.map(memberKeyOf))];
  return out;
}

/** The inputs of a product, from the ProductRegistered entry of its trace. */
export function productInputs(product: BundleSubject): DisputeSection["lineage"][number]["inputs"] {
  const reg = product.entries.find((e) => e.event.name === "ProductRegistered");
  if (!reg) throw new Error(`the trace of product ${product.subject} has no ProductRegistered entry`);
  const inputs = parsed(reg, products)[4] as Result;
  return inputs.toArray().map((i: Result) => ({
    subject: subjectKey(Number(i[0]), BigInt(i[1] as bigint)),
    grant: BigInt(i[2] as bigint) === 0n ? "" : subjectKey(SubjectKind.Grant, BigInt(i[2] as bigint)),
    shareBps: Number(i[3]),
  }));
}

/**
 * The lineage of the disputed products, breadth first, down to LINEAGE_MAX_DEPTH levels and LINEAGE_MAX_PRODUCTS
 * products. `partOf` gives a product's proven trace; the first product it lacks is returned as `missing` (the
 * builder proves it and asks again; to the verifier it is a product the bundle should have proven).
 */
export function lineageOf(subjects: readonly string[], partOf: (key: string) => BundleSubject | undefined): { lineage: DisputeSection["lineage"]; missing?: string } {
  const lineage: DisputeSection["lineage"] = [];
  const seen = new Set<string>();
  let level = subjects.filter((s) => kindOf(s) === SubjectKind.Product);
  for (let depth = 0; depth <= LINEAGE_MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const product of level) {
      if (seen.has(product) || seen.size >= LINEAGE_MAX_PRODUCTS) continue;
      seen.add(product);
      const part = partOf(product);
      if (!part) return { lineage, missing: product };
      const inputs = productInputs(part);
      lineage.push({ product, depth, inputs });
      for (const i of inputs) if (kindOf(i.subject) === SubjectKind.Product) next.push(i.subject);
    }
    level = next;
  }
  return { lineage };
}

/** Every subject a dispute bundle must prove besides the dispute: disputed subjects, members, lineage inputs and grants. */
export function requiredSubjects(section: DisputeSection): string[] {
  const out = [...section.subjects, ...section.members];
  for (const l of section.lineage) {
    out.push(l.product);
    for (const i of l.inputs) out.push(i.subject, ...(i.grant ? [i.grant] : []));
  }
  return [...new Set(out)];
}

/** The grants whose chains a dispute bundle must state (disputed grants and grants its products were made under). */
export function requiredGrants(section: DisputeSection): string[] {
  return requiredSubjects(section).filter((s) => kindOf(s) === SubjectKind.Grant);
}

import { NonRetryableError } from "../common/errors.js";
import { deployedContracts, type Deployment, type LedgerContractName } from "../chain/contracts.js";
import type { Eip1193 } from "../chain/rpc.js";
import { ACTION_EVENTS } from "../domain/actions.js";
import { SubjectKind, nameOf } from "../domain/enums.js";
import { subjectKey, traceSlot } from "../domain/trace.js";
import type { TraceEntryRecord } from "../indexer/records.js";
import { grantValidityAt } from "../queries/grant-validity.js";
import type { IndexDb } from "../store/db.js";
import { K } from "../store/keys.js";
import { records } from "../store/repositories/records.js";
import { bundleDigest } from "./canonical.js";
import { contractOf } from "./subjects.js";
import { BUNDLE_FORMAT, type BundleDocument, type BundleEntry, type BundleSubject, type DisputeSection, type EvidenceBundle, type RawEvent, type StorageProof } from "./bundle.js";
import { citedHashes } from "./cited.js";
import { pickHeader, type RpcHeader } from "./header.js";
import { decodeWithPayload } from "./payload.js";

interface StoredEvent extends RawEvent {
  contract: LedgerContractName;
  name: string;
}

export interface BuildOptions {
  db: IndexDb;
  rpc: Eip1193;
  deployment: Deployment;
  subject: string;
  /** For a grant: add its ancestors and its root subject, so the bundle proves the whole chain. */
  includeChain?: boolean;
  createdBy: string;
  /** Loads a cited document when the requester may read it (undefined: hash only). */
  loadDocument?: (hash: string) => Promise<{ contentType: string; bytes: Buffer } | undefined>;
  tool?: string;
}

async function storedEvent(db: IndexDb, cp: string): Promise<StoredEvent> {
  const v = await db.get(K.event(cp));
  if (v === undefined) throw new NonRetryableError("DRL-EVIDENCE-INDEX", `the index has no event at ${cp}`);
  const e = JSON.parse(v) as StoredEvent & { tx: string; block: number };
  return { contract: e.contract, name: e.name, address: e.address, topics: e.topics, data: e.data, block: e.block, blockHash: e.blockHash, tx: e.tx, txIndex: e.txIndex, logIndex: e.logIndex };
}

const raw = (e: StoredEvent): RawEvent => ({ address: e.address, topics: e.topics, data: e.data, block: e.block, blockHash: e.blockHash, tx: e.tx, txIndex: e.txIndex, logIndex: e.logIndex });

/** The domain event of the entry's transaction whose arguments hash to the entry's payload hash. */
async function domainEvent(db: IndexDb, entry: TraceEntryRecord): Promise<BundleEntry["event"]> {
  const names = ACTION_EVENTS[entry.action] ?? [];
  const txPrefix = K.event(entry.at.cp.slice(0, 18));
  for await (const [, v] of db.iterator({ gte: txPrefix, lt: txPrefix + "\xff" })) {
    const e = JSON.parse(v) as StoredEvent;
    if (!names.includes(e.name)) continue;
    const decoded = decodeWithPayload(e.contract, e.topics, e.data);
    if (decoded && decoded.payloadHash === entry.payloadHash) return { ...raw(e), contract: e.contract, name: decoded.name, args: decoded.args };
  }
  throw new NonRetryableError("DRL-EVIDENCE-INDEX", `no domain event in ${entry.at.tx} matches trace entry ${entry.subject}#${entry.seq}`);
}

export async function subjectPart(o: Pick<BuildOptions, "db" | "rpc" | "deployment">, subject: string, anchor: number): Promise<BundleSubject> {
  const { address } = contractOf(o.deployment, subject);
  const slot = traceSlot(subject);
  const entries: BundleEntry[] = [];
  for await (const [, v] of o.db.iterator({ gte: `tr:${subject}:`, lt: `tr:${subject}:\xff` })) {
    const t = JSON.parse(v) as TraceEntryRecord;
    if (t.at.block > anchor) break;
    const trace = await storedEvent(o.db, t.at.cp);
    entries.push({ seq: t.seq, action: t.action, actionName: t.actionName, actor: t.actor, payloadHash: t.payloadHash, word: t.word, trace: raw(trace), event: await domainEvent(o.db, t) });
  }
  if (entries.length === 0) throw new NonRetryableError("DRL-EVIDENCE-SUBJECT", `subject ${subject} has no trace entry up to block ${anchor}`);
  const proof = (await o.rpc.request({ method: "eth_getProof", params: [address, [slot], "0x" + anchor.toString(16)] })) as StorageProof;
  const last = entries[entries.length - 1]!;
  return { subject, kind: nameOf(SubjectKind, Number(BigInt(subject) >> 248n)), contract: address.toLowerCase(), slot, head: { seq: last.seq, word: last.word }, proof, entries };
}

/**
 * Builds the evidence bundle of one subject, anchored at the indexer's checkpoint block: every trace entry with
 * its encoded logs and decoded payload, the anchor header, and the EIP-1186 proof of the subject's trace word in
 * that block's state. For a grant, its chain (ancestors and root subject) is proven too.
 */
export async function buildSubjectBundle(o: BuildOptions): Promise<EvidenceBundle> {
  const subject = o.subject.toLowerCase();
  contractOf(o.deployment, subject);
  const { anchor, header } = await anchorOf(o);
  const subjects = [subject];
  const grants: EvidenceBundle["grants"] = [];
  const kind = Number(BigInt(subject) >> 248n);
  if (kind === SubjectKind.Grant && o.includeChain !== false) {
    const chain = await grantChain(o, subject, anchor, header);
    subjects.push(...chain.subjects);
    grants.push(...chain.grants);
  }
  const parts: BundleSubject[] = [];
  for (const s of subjects) parts.push(await subjectPart(o, s, anchor));
  return seal(o, { kind: "subject", subject }, { number: anchor, hash: header.hash, header }, parts, grants, await documentsOf(o, parts));
}

/** The anchor: the indexer's checkpoint block, and its header from the node. */
export async function anchorOf(o: Pick<BuildOptions, "db" | "rpc">): Promise<{ anchor: number; header: RpcHeader }> {
  const cp = await o.db.get(K.meta("checkpoint"));
  if (cp === undefined) throw new NonRetryableError("DRL-EVIDENCE-NOT-READY", "the index has not indexed any block yet");
  const anchor = (JSON.parse(cp) as { block: number }).block;
  const rawHeader = (await o.rpc.request({ method: "eth_getBlockByNumber", params: ["0x" + anchor.toString(16), false] })) as Record<string, unknown> | null;
  if (!rawHeader) throw new NonRetryableError("DRL-EVIDENCE-ANCHOR", `the node has no block ${anchor}`);
  return { anchor, header: pickHeader(rawHeader) };
}

/** A grant's ancestors and root subject (to prove besides it), and each grant of its chain with its validity at the anchor. */
export async function grantChain(o: Pick<BuildOptions, "db">, grant: string, anchor: number, header: RpcHeader): Promise<{ subjects: string[]; grants: EvidenceBundle["grants"] }> {
  const g = await records(o.db).grant(BigInt(grant) & ((1n << 248n) - 1n));
  if (!g) return { subjects: [], grants: [] };
  const subjects = g.ancestry.map((id) => subjectKey(SubjectKind.Grant, BigInt(id)));
  subjects.push(subjectKey(SubjectKind[g.subjectKind as keyof typeof SubjectKind], BigInt(g.subjectId)));
  const at = { block: anchor, time: Number(BigInt(header.timestamp)) };
  const ids = [...g.ancestry, g.id];
  const grants: EvidenceBundle["grants"] = [];
  for (const [i, id] of ids.entries()) grants.push({ id, chain: ids.slice(0, i + 1), validity: await grantValidityAt(o.db, BigInt(id), at) });
  return { subjects, grants };
}

/** The documents the entries cite: each by hash, with its content where the requester may read it. */
export async function documentsOf(o: Pick<BuildOptions, "loadDocument">, parts: BundleSubject[]): Promise<BundleDocument[]> {
  const documents: BundleDocument[] = [];
  for (const [hash, by] of citedHashes(parts)) {
    const doc = o.loadDocument ? await o.loadDocument(hash) : undefined;
    documents.push(doc ? { hash, citedBy: [...by], included: true, contentType: doc.contentType, size: doc.bytes.length, content: doc.bytes.toString("base64") } : { hash, citedBy: [...by], included: false });
  }
  return documents;
}

/** Assembles the bundle and takes its digest. */
export function seal(
  o: Pick<BuildOptions, "deployment" | "createdBy" | "tool">,
  about: EvidenceBundle["about"],
  anchor: EvidenceBundle["anchor"],
  subjects: BundleSubject[],
  grants: EvidenceBundle["grants"],
  documents: BundleDocument[],
  dispute?: DisputeSection,
): EvidenceBundle {
  const bundle: EvidenceBundle = {
    format: BUNDLE_FORMAT,
    chainId: o.deployment.chainId.toString(),
    contracts: Object.fromEntries(deployedContracts(o.deployment).map(([n, a]) => [n, a.toLowerCase()])),
    created: { at: new Date().toISOString(), by: o.createdBy, tool: o.tool ?? "datarights-ledger" },
    about,
    anchor,
    subjects,
    grants,
    documents,
    ...(dispute ? { dispute } : {}),
    digest: "",
  };
  bundle.digest = bundleDigest(bundle as unknown as Record<string, unknown>);
  return bundle;
}

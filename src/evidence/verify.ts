import { RLP } from "@ethereumjs/rlp";
import { verifyMerkleProof } from "@ethereumjs/mpt";
import { getBytes, hexlify, keccak256, toBeHex } from "ethers";
import type { LedgerContractName } from "../chain/contracts.js";
import { SubjectKind } from "../domain/enums.js";
import { ZERO_WORD, nextWord, seqOf, subjectKey, traceSlot } from "../domain/trace.js";
import { bundleDigest } from "./canonical.js";
import { Action } from "../domain/enums.js";
import { BUNDLE_FORMAT, type BundleSubject, type EvidenceBundle } from "./bundle.js";
import { citedHashes } from "./cited.js";
import { disputeFromTrace, disputeKey, lineageOf, requiredGrants, requiredSubjects } from "./dispute.js";
import { headerHash } from "./header.js";
import { decodeWithPayload } from "./payload.js";
import { contractOf } from "./subjects.js";

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export interface Verdict {
  ok: boolean;
  checks: Check[];
  /** The first check that failed, and why. */
  failure?: Check;
  summary: string;
}

const ACTION_NAMES = new Map(Object.entries(Action).map(([name, code]) => [code as number, name]));

/** Deep equality of plain JSON values (key order does not matter). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

class Failed extends Error {
  constructor(readonly check: string, message: string) {
    super(message);
  }
}

const fail = (check: string, why: string): never => {
  throw new Failed(check, why);
};
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Verifies a bundle offline against one trusted block hash. In order: the format and digest; the anchor header
 * hashes to the trusted hash; for each subject, the account proof of its contract and the storage proof of its
 * trace slot against the header's state root; folding its entries gives exactly the proven word (so none was left
 * out, added, reordered or altered); each entry's encoded trace log says what the entry says; each domain event
 * decodes to its stated arguments and hashes to the entry's payload hash; each included document matches its hash.
 * Stops at the first failure and names it.
 */
export async function verifyBundle(bundle: EvidenceBundle, trustedBlockHash: string): Promise<Verdict> {
  const checks: Check[] = [];
  const pass = (check: string, detail: string) => checks.push({ check, ok: true, detail });
  try {
    if (bundle.format !== BUNDLE_FORMAT) fail("format", `unknown format ${String(bundle.format)}, expected ${BUNDLE_FORMAT}`);
    const digest = bundleDigest(bundle as unknown as Record<string, unknown>);
    if (!same(digest, bundle.digest)) fail("digest", `bundle digest ${bundle.digest} does not match its content (${digest})`);
    pass("digest", digest);

    const h = bundle.anchor.header;
    const computed = headerHash(h);
    if (!same(computed, trustedBlockHash)) fail("anchor", `the anchor header hashes to ${computed}, not to the trusted block hash ${trustedBlockHash}`);
    if (!same(h.hash, computed) || !same(bundle.anchor.hash, computed)) fail("anchor", "the anchor's stated hash is not its header's hash");
    if (Number(BigInt(h.number)) !== bundle.anchor.number) fail("anchor", "the anchor's stated number is not its header's");
    pass("anchor", `block ${bundle.anchor.number} ${computed}`);

    const deployment = { chainId: BigInt(bundle.chainId), deploymentBlock: 0, addresses: bundle.contracts as Record<LedgerContractName, string> };
    if (bundle.subjects.length === 0) fail("subjects", "the bundle proves no subject");
    checkStructure(bundle);
    pass("subjects", `${bundle.subjects.length} subject(s): ${bundle.subjects.map((s) => s.kind).join(", ")}`);
    for (const s of bundle.subjects) {
      await verifySubject(s, h.stateRoot, bundle.anchor.number, deployment, pass);
    }
    checkDispute(bundle, pass);
    checkCited(bundle);
    for (const d of bundle.documents) {
      if (!d.included) continue;
      if (d.content === undefined) fail("documents", `document ${d.hash} is marked included but has no content`);
      const hash = keccak256(Buffer.from(d.content!, "base64"));
      if (!same(hash, d.hash)) fail("documents", `document ${d.hash} does not match its content (${hash})`);
    }
    pass("documents", `${bundle.documents.filter((d) => d.included).length} included, ${bundle.documents.filter((d) => !d.included).length} by hash only`);
    const entries = bundle.subjects.reduce((n, s) => n + s.entries.length, 0);
    const what = bundle.about.kind === "dispute" ? `dispute ${bundle.about.disputeId}: ` : "";
    return { ok: true, checks, summary: `VERIFIED: ${what}${bundle.subjects.length} subject(s), ${entries} trace entries, complete and unaltered as of block ${bundle.anchor.number} (${bundle.anchor.hash})` };
  } catch (e) {
    const failure: Check = e instanceof Failed ? { check: e.check, ok: false, detail: e.message } : { check: "structure", ok: false, detail: `malformed bundle: ${(e as Error).message}` };
    checks.push(failure);
    return { ok: false, checks, failure, summary: `NOT VERIFIED: ${failure.check}: ${failure.detail}` };
  }
}

/**
 * The subjects a bundle must prove, whatever else it holds: the subject it is about, every grant of the chains it
 * states, and the root subject each chain hangs from (as its proven GrantIssued entry names it).
 */
function checkStructure(bundle: EvidenceBundle): void {
  const proven = new Set(bundle.subjects.map((s) => s.subject.toLowerCase()));
  if (new Set(bundle.subjects.map((s) => s.subject.toLowerCase())).size !== bundle.subjects.length) fail("subjects", "a subject appears twice");
  if (!proven.has(bundle.about.subject.toLowerCase())) fail("subjects", `the bundle is about ${bundle.about.subject} but does not prove it`);
  if (bundle.about.kind === "dispute") {
    if (!same(bundle.about.subject, disputeKey(bundle.about.disputeId))) fail("subjects", `the bundle is about dispute ${bundle.about.disputeId} but names subject ${bundle.about.subject}`);
    if (bundle.dispute === undefined) fail("dispute", "a dispute bundle without its dispute section");
  } else if (bundle.dispute !== undefined) fail("dispute", "a subject bundle with a dispute section");
  for (const g of bundle.grants) {
    for (const id of g.chain) {
      const key = subjectKey(SubjectKind.Grant, BigInt(id));
      if (!proven.has(key)) fail("subjects", `grant ${id} of a stated chain is not proven in the bundle`);
    }
    const root = bundle.subjects.find((s) => s.subject.toLowerCase() === subjectKey(SubjectKind.Grant, BigInt(g.chain[0]!)));
    const issued = root?.entries.find((e) => e.event.name === "GrantIssued" && String(e.event.args.grantId) === g.chain[0]);
    if (!issued) fail("subjects", `the issue of root grant ${g.chain[0]} is not in its proven trace`);
    const subject = subjectKey(Number(issued!.event.args.subjectKind), BigInt(String(issued!.event.args.subjectId)));
    if (!proven.has(subject)) fail("subjects", `the subject ${subject} that grant ${g.chain[0]} hangs from is not proven in the bundle`);
  }
}

/** The first key path where two JSON values differ (for a failure that says where). */
function firstDiff(a: unknown, b: unknown, path = "dispute"): string {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const k = keys.find((x) => !sameValue((a as Record<string, unknown>)[x], (b as Record<string, unknown>)[x]));
  return k === undefined ? path : firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
}

/**
 * A dispute bundle: its stated dispute (parties, evidence, rulings, lineage) must be exactly what the dispute's
 * proven entries and its products' proven registrations say, and every subject that makes it up must be proven:
 * disputed subjects, the members of parties and arbiters, the lineage's products, inputs and grants, and the chain
 * of every grant involved. Runs after the subjects verified, so it reads proven data only.
 */
function checkDispute(bundle: EvidenceBundle, pass: (c: string, d: string) => void): void {
  const about = bundle.about;
  if (about.kind !== "dispute") return;
  const byKey = new Map(bundle.subjects.map((s) => [s.subject.toLowerCase(), s]));
  let told: ReturnType<typeof disputeFromTrace>;
  try {
    told = disputeFromTrace(byKey.get(about.subject.toLowerCase())!, about.disputeId);
  } catch (e) {
    return fail("dispute", (e as Error).message);
  }
  const walk = lineageOf(told.subjects, (k) => byKey.get(k));
  if (walk.missing !== undefined) fail("dispute", `product ${walk.missing} of the dispute's lineage is not proven in the bundle`);
  const expected = { ...told, lineage: walk.lineage };
  if (!sameValue(expected, bundle.dispute)) fail("dispute", `the stated dispute differs from its proven trace at ${firstDiff(expected, bundle.dispute)}`);
  const required = requiredSubjects(expected);
  for (const s of required) if (!byKey.has(s)) fail("dispute", `subject ${s} of the dispute is not proven in the bundle`);
  for (const g of requiredGrants(expected)) {
    const id = (BigInt(g) & ((1n << 248n) - 1n)).toString();
    if (!bundle.grants.some((x) => x.id === id && x.chain[x.chain.length - 1] === id)) fail("dispute", `the chain of grant ${id} of the dispute is not stated`);
  }
  pass("dispute", `dispute ${about.disputeId} (${told.status}): ${told.evidence.length} evidence entries, ${told.rulings.length} ruling(s), ${expected.lineage.length} product(s) in its lineage; ${required.length} subjects it involves, all proven`);
}

/** The documents listed are exactly those the proven entries cite, each with the subjects citing it. */
function checkCited(bundle: EvidenceBundle): void {
  const cited = citedHashes(bundle.subjects);
  if (bundle.documents.length !== cited.size || new Set(bundle.documents.map((d) => d.hash.toLowerCase())).size !== cited.size) {
    fail("documents", `the bundle lists ${bundle.documents.length} document(s), its entries cite ${cited.size}`);
  }
  for (const d of bundle.documents) {
    const by = cited.get(d.hash.toLowerCase());
    if (!by) fail("documents", `document ${d.hash} is cited by no entry`);
    if (d.citedBy.length !== by!.size || !d.citedBy.every((s) => by!.has(s.toLowerCase()))) fail("documents", `document ${d.hash} is not cited by the subjects it names`);
  }
}

async function verifySubject(s: BundleSubject, stateRoot: string, anchor: number, deployment: Parameters<typeof contractOf>[0], pass: (c: string, d: string) => void): Promise<void> {
  const where = `subject ${s.subject}`;
  const { name: contractName, address } = contractOf(deployment, s.subject);
  if (!same(address, s.contract) || !same(address, s.proof.address)) fail("proof", `${where}: its trace lives in ${address}, the proof is for ${s.proof.address}`);
  const slot = traceSlot(s.subject);
  if (!same(slot, s.slot)) fail("proof", `${where}: stated slot ${s.slot} is not its trace slot ${slot}`);

  // Account proof: keccak(address) -> rlp([nonce, balance, storageRoot, codeHash]) under the state root.
  let account: Uint8Array | null;
  try {
    account = await verifyMerkleProof(getBytes(keccak256(address)), s.proof.accountProof.map((n) => getBytes(n)), { root: getBytes(stateRoot), useKeyHashing: false });
  } catch (e) {
    return fail("proof", `${where}: the account proof does not verify against the state root: ${(e as Error).message}`);
  }
  if (!account) return fail("proof", `${where}: the account proof shows no account at ${address}`);
  const fields = RLP.decode(account) as Uint8Array[];
  const storageRoot = hexlify(fields[2]!);
  const storage = s.proof.storageProof.find((p) => same(toBeHex(BigInt(p.key), 32), slot));
  if (!storage) return fail("proof", `${where}: no storage proof for slot ${slot}`);
  let value: Uint8Array | null;
  try {
    value = await verifyMerkleProof(getBytes(keccak256(slot)), storage.proof.map((n) => getBytes(n)), { root: fields[2]!, useKeyHashing: false });
  } catch (e) {
    return fail("proof", `${where}: the storage proof does not verify against the account's storage root ${storageRoot}: ${(e as Error).message}`);
  }
  const provenWord = value ? toBeHex(BigInt(hexlify(RLP.decode(value) as Uint8Array)), 32) : ZERO_WORD;
  if (!same(provenWord, s.head.word)) fail("proof", `${where}: the proven trace word ${provenWord} is not the stated head ${s.head.word}`);
  pass("proof", `${where}: trace word ${provenWord} (seq ${seqOf(provenWord)}) proven in ${contractName}'s storage`);

  // Fold: every entry in order, from the empty word, must end exactly at the proven word.
  let word = ZERO_WORD;
  for (const [i, e] of s.entries.entries()) {
    const at = `${where} entry ${i + 1}`;
    const seq = BigInt(e.seq);
    if (seq !== BigInt(i + 1)) fail("fold", `${at}: sequence ${e.seq} where ${i + 1} was due (an entry is missing, extra or out of order)`);
    if (e.trace.block > anchor) fail("fold", `${at}: recorded in block ${e.trace.block}, after the anchor ${anchor}`);
    // The encoded TraceRecorded log must say what the entry says.
    const t = decodeWithPayload(contractName, e.trace.topics, e.trace.data, false);
    if (!t || t.name !== "TraceRecorded") fail("encoding", `${at}: its trace log is not a TraceRecorded of ${contractName}`);
    if (!t!.canonical) fail("encoding", `${at}: its trace log is not the canonical encoding of its values`);
    const a = t!.args as { subject: string; seq: string; action: string; actor: string; payloadHash: string; word: string };
    if (!same(e.trace.address, address)) fail("encoding", `${at}: its trace log was emitted by ${e.trace.address}, not ${address}`);
    if (!same(a.subject, s.subject) || a.seq !== e.seq || Number(a.action) !== e.action || !same(a.actor, e.actor) || !same(a.payloadHash, e.payloadHash) || !same(a.word, e.word)) {
      fail("encoding", `${at}: the decoded entry does not match its encoded trace log`);
    }
    word = nextWord(word, { subject: s.subject, seq, action: e.action, actor: e.actor, payloadHash: e.payloadHash, blockNumber: e.trace.block });
    if (!same(word, e.word)) fail("fold", `${at}: folding gives ${word}, the entry says ${e.word}`);
    // The domain event: decodes to what the bundle states, and hashes to the entry's payload hash.
    const d = decodeWithPayload(e.event.contract as LedgerContractName, e.event.topics, e.event.data);
    if (!d) fail("payload", `${at}: its domain event does not decode with ${e.event.contract}'s interface`);
    if (!d!.canonical) fail("payload", `${at}: its domain event is not the canonical encoding of its values`);
    if (!same(e.event.address, deployment.addresses[e.event.contract as LedgerContractName] ?? "")) fail("payload", `${at}: its domain event was not emitted by the ledger's ${e.event.contract}`);
    if (e.event.tx !== e.trace.tx) fail("payload", `${at}: its domain event is from another transaction`);
    if (ACTION_NAMES.get(e.action) !== e.actionName) fail("encoding", `${at}: action ${e.action} is not named ${e.actionName}`);
    if (d!.name !== e.event.name || !sameValue(d!.args, e.event.args)) fail("payload", `${at}: the decoded payload (${e.event.name}) does not match its encoded form`);
    if (!same(d!.payloadHash, e.payloadHash)) fail("payload", `${at}: the domain event's arguments hash to ${d!.payloadHash}, not to the payload hash ${e.payloadHash}`);
  }
  if (!same(word, s.head.word) || seqOf(word) !== BigInt(s.entries.length)) fail("fold", `${where}: the entries fold to ${word}, the proven head is ${s.head.word}`);
  pass("fold", `${where}: ${s.entries.length} entries fold to the proven head`);
}

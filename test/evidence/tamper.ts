import type { EvidenceBundle } from "../../src/evidence/bundle.js";
import { bundleDigest } from "../../src/evidence/canonical.js";
import { verifyBundle } from "../../src/evidence/verify.js";
import { h } from "../helpers/fixtures.js";

export type Mutation = [name: string, mutate: (b: EvidenceBundle) => void];

export const clone = (b: EvidenceBundle): EvidenceBundle => JSON.parse(JSON.stringify(b)) as EvidenceBundle;
/** Re-seals the digest, so a tamper is caught by the check that matters, not only by the digest. */
export const reseal = (b: EvidenceBundle): EvidenceBundle => ({ ...b, digest: bundleDigest(b as unknown as Record<string, unknown>) });
export const flipByte = (hex: string, at = 10): string => {
  const i = Math.min(at, hex.length - 1);
  const c = hex[i] === "0" ? "1" : "0";
  return hex.slice(0, i) + c + hex.slice(i + 1);
};

/**
 * Single mutations any bundle must reject: per subject, drop, duplicate or swap each entry, change one byte of
 * each entry's logs, its payload hash, sequence, a decoded argument, its block, one byte of each proof node, the
 * stated head, another subject's proof; a subject dropped whole; header fields; a document added.
 * `other` lends a proof from another bundle.
 */
export function genericMutations(bundle: EvidenceBundle, other: EvidenceBundle): Mutation[] {
  const mutations: Mutation[] = [];
  for (const [si, s] of bundle.subjects.entries()) {
    const n = s.entries.length;
    for (let i = 0; i < n; i++) mutations.push([`subject ${si}: drop entry ${i + 1}`, (b) => void b.subjects[si]!.entries.splice(i, 1)]);
    for (let i = 0; i < n; i++) mutations.push([`subject ${si}: duplicate entry ${i + 1}`, (b) => void b.subjects[si]!.entries.splice(i, 0, JSON.parse(JSON.stringify(b.subjects[si]!.entries[i]!)))]);
    for (let i = 0; i + 1 < n; i++) mutations.push([`subject ${si}: swap entries ${i + 1} and ${i + 2}`, (b) => { const e = b.subjects[si]!.entries; [e[i], e[i + 1]] = [e[i + 1]!, e[i]!]; }]);
  }
  mutations.push(["a subject dropped whole", (b) => void b.subjects.splice(1, 1)]);
  for (const [si, s] of bundle.subjects.entries()) {
    for (let i = 0; i < s.entries.length; i++) {
      mutations.push([`subject ${si} entry ${i + 1}: one byte of the domain event's data`, (b) => { const ev = b.subjects[si]!.entries[i]!.event; ev.data = flipByte(ev.data, ev.data.length - 3); }]);
      mutations.push([`subject ${si} entry ${i + 1}: one byte of the trace log's data`, (b) => { const t = b.subjects[si]!.entries[i]!.trace; t.data = flipByte(t.data, 40); }]);
      mutations.push([`subject ${si} entry ${i + 1}: its payload hash`, (b) => { const e = b.subjects[si]!.entries[i]!; e.payloadHash = flipByte(e.payloadHash); }]);
      mutations.push([`subject ${si} entry ${i + 1}: its sequence number`, (b) => { const e = b.subjects[si]!.entries[i]!; e.seq = String(BigInt(e.seq) + 1n); }]);
      mutations.push([`subject ${si} entry ${i + 1}: a decoded argument`, (b) => { const a = b.subjects[si]!.entries[i]!.event.args; const k = Object.keys(a)[0]!; a[k] = typeof a[k] === "string" ? flipByte(a[k], (a[k]).length - 1) : "tampered"; }]);
      mutations.push([`subject ${si} entry ${i + 1}: its block number`, (b) => { b.subjects[si]!.entries[i]!.trace.block += 1; }]);
    }
    for (let k = 0; k < s.proof.accountProof.length; k++) mutations.push([`subject ${si}: one byte of account proof node ${k}`, (b) => { const p = b.subjects[si]!.proof.accountProof; p[k] = flipByte(p[k]!, 40); }]);
    for (let k = 0; k < s.proof.storageProof[0]!.proof.length; k++) mutations.push([`subject ${si}: one byte of storage proof node ${k}`, (b) => { const p = b.subjects[si]!.proof.storageProof[0]!.proof; p[k] = flipByte(p[k]!, 40); }]);
    mutations.push([`subject ${si}: its stated head`, (b) => { b.subjects[si]!.head.word = flipByte(b.subjects[si]!.head.word, 60); }]);
    mutations.push([`subject ${si}: another subject's proof`, (b) => { b.subjects[si]!.proof = JSON.parse(JSON.stringify(other.subjects[0]!.proof)) as typeof s.proof; }]);
  }
  for (const f of ["stateRoot", "parentHash", "timestamp", "number", "receiptsRoot", "extraData", "gasUsed"] as const) {
    mutations.push([`header field ${f}`, (b) => { const hh = b.anchor.header as unknown as Record<string, string>; hh[f] = f === "extraData" ? hh[f] + "00" : flipByte(hh[f]!, Math.max(2, hh[f]!.length - 1)); }]);
  }
  mutations.push(["a document added", (b) => { b.documents.push({ hash: h("doc"), citedBy: [], included: true, contentType: "text/plain", size: 3, content: Buffer.from("doc!").toString("base64") }); }]);
  return mutations;
}

/** Applies each mutation to a fresh copy and verifies it with the digest left stale and re-sealed: both must fail. */
export async function runMatrix(bundle: EvidenceBundle, trusted: string, mutations: Mutation[]): Promise<{ rejected: number; escaped: string[] }> {
  let rejected = 0;
  const escaped: string[] = [];
  for (const [name, mutate] of mutations) {
    const b = clone(bundle);
    mutate(b);
    const stale = await verifyBundle(b, trusted);
    const sealed = await verifyBundle(reseal(b), trusted);
    if (!stale.ok && !sealed.ok) rejected++;
    else escaped.push(name);
  }
  return { rejected, escaped };
}

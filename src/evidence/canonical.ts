import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level (keys with undefined values left out, as JSON.stringify does): the
 * one byte form a bundle's digest is taken over. Written out directly rather than through sorted copies, since a
 * bundle of 10,000 entries is several megabytes.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function write(v: unknown, out: string[]): void {
  if (typeof v === "bigint") {
    out.push(`"${v.toString()}"`);
    return;
  }
  if (v === null || typeof v !== "object") {
    out.push(JSON.stringify(v) ?? "null");
    return;
  }
  if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",");
      write(v[i], out);
    }
    out.push("]");
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  out.push("{");
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(",");
    out.push(JSON.stringify(keys[i]), ":");
    write(o[keys[i]!], out);
  }
  out.push("}");
}

/**
 * The digest of a bundle: SHA-256 of the canonical JSON of everything but the digest itself, in which each trace
 * entry stands as its trace word. The words bind every byte of the entries, through the fold and payload checks
 * the verifier makes anyway, so the digest stays cheap for bundles of many thousand entries and still changes
 * with any change to what the bundle says.
 */
export function bundleDigest(bundle: { digest?: string } & Record<string, unknown>): string {
  const { digest: _omit, ...rest } = bundle;
  const subjects = rest.subjects;
  const summary = Array.isArray(subjects)
    ? {
        ...rest,
        subjects: subjects.map((s: unknown) => {
          const subject = s as Record<string, unknown>;
          const entries = subject.entries;
          return { ...subject, entries: Array.isArray(entries) ? entries.map((e: unknown) => (e as { word?: unknown }).word ?? null) : entries };
        }),
      }
    : rest;
  return "0x" + createHash("sha256").update(canonicalJson(summary)).digest("hex");
}

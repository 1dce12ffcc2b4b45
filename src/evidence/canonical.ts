import { keccak256, toUtf8Bytes } from "ethers";

/** JSON with object keys sorted at every level: the one byte form a bundle's digest is taken over. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  if (typeof v === "bigint") return v.toString();
  return v;
}

/** The digest of a bundle: keccak256 of the canonical JSON of everything but the digest itself. */
export function bundleDigest(bundle: { digest?: string } & Record<string, unknown>): string {
  const { digest: _omit, ...rest } = bundle;
  return keccak256(toUtf8Bytes(canonicalJson(rest)));
}

import type { BundleSubject } from "./bundle.js";

/** Hashes cited by the entries' decoded arguments (terms, catalogues, evidence, claims, rulings, reasons, credentials), with the subjects citing each. */
export function citedHashes(subjects: readonly BundleSubject[]): Map<string, Set<string>> {
  const cited = new Map<string, Set<string>>();
  for (const s of subjects) {
    for (const e of s.entries) {
      for (const [k, v] of Object.entries(e.event.args)) {
        if (!/Hash$/.test(k) || typeof v !== "string" || /^0x0{64}$/.test(v)) continue;
        const set = cited.get(v.toLowerCase()) ?? new Set<string>();
        set.add(s.subject);
        cited.set(v.toLowerCase(), set);
      }
    }
  }
  return cited;
}

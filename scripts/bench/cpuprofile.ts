/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file/area, so a benchmark can say
 * where the time goes without a profiler UI.
 *   tsx scripts/bench/cpuprofile.ts FILE.cpuprofile [--top N]
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: ProfileRow[];
  byArea: ProfileRow[];
  /**
   * Each sample charged to the innermost project frame on its stack (src/..., else scripts/...), so library time
   * (keccak under getAddress, JSON, LevelDB bindings) counts for the project code that called it; samples with no
   * project frame keep their leaf's area ((idle), (garbage collector), undici...).
   */
  byProjectFile: ProfileRow[];
  /** Inclusive time of a few named frames (function name + file part), e.g. "decode@decoder.ts". */
  inclusive: ProfileRow[];
}

/** Short area of a frame: the project file (src/..., scripts/...), the package, or a V8/Node bucket. */
function area(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith("node:")) return path;
  const m = /\/(src|scripts|test)\/(.*)$/.exec(path);
  return m ? `${m[1]}/${m[2]}` : path;
}

export function summarise(profile: CpuProfile, top = 25, inclusiveOf: string[] = []): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const ar = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    const key = `${n.callFrame.functionName || "(anonymous)"} ${a}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    ar.set(a, (ar.get(a) ?? 0) + ms);
  }
  // Inclusive time: a node's self time plus its descendants', counted once per sample path.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  if (inclusiveOf.length) {
    for (const [id, ms] of self) {
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const n = byId.get(cur)!;
        const label = `${n.callFrame.functionName}@${n.callFrame.url.split("/").pop() ?? ""}`;
        for (const want of inclusiveOf) {
          if (!seen.has(want) && label.startsWith(want.split("@")[0]! + "@") && label.endsWith(want.split("@")[1] ?? "")) {
            seen.add(want);
            incl.set(want, (incl.get(want) ?? 0) + ms);
          }
        }
      }
    }
  }
  const proj = new Map<string, number>();
  for (const [id, ms] of self) {
    // The innermost src/ frame (bench wrappers in scripts/ are transparent), else the innermost scripts/ frame.
    let bucket: string | undefined;
    let script: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined && !bucket; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const a = area(n.callFrame.url, n.callFrame.functionName);
      if (a.startsWith("src/")) bucket = a;
      else if (!script && a.startsWith("scripts/")) script = a;
    }
    bucket ??= script;
    const leaf = byId.get(id)!;
    bucket ??= area(leaf.callFrame.url, leaf.callFrame.functionName);
    proj.set(bucket, (proj.get(bucket) ?? 0) + ms);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: ms / totalMs }));
  return { totalMs: Math.round(totalMs), byFunction: rows(fn, top), byArea: rows(ar, top), byProjectFile: rows(proj, top), inclusive: inclusiveOf.map((w) => ({ name: w, ms: Math.round(incl.get(w) ?? 0), share: (incl.get(w) ?? 0) / totalMs })) };
}

export async function summariseFile(file: string, top = 25, inclusiveOf: string[] = []): Promise<ProfileSummary> {
  return summarise(JSON.parse(await readFile(file, "utf8")) as CpuProfile, top, inclusiveOf);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatSummary(s: ProfileSummary): string {
  const lines = [`total sampled ${s.totalMs} ms`, "", "self time by area:"];
  for (const r of s.byArea) lines.push(`  ${pct(r.share).padStart(6)}  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  lines.push("", "time by innermost project file (library callees included):");
  for (const r of s.byProjectFile) lines.push(`  ${pct(r.share).padStart(6)}  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  lines.push("", "self time by function:");
  for (const r of s.byFunction) lines.push(`  ${pct(r.share).padStart(6)}  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  if (s.inclusive.length) {
    lines.push("", "inclusive time:");
    for (const r of s.inclusive) lines.push(`  ${pct(r.share).padStart(6)}  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: tsx scripts/bench/cpuprofile.ts FILE.cpuprofile [--top N] [--incl fn@file,...]\n");
    process.exit(2);
  }
  const ti = process.argv.indexOf("--top");
  const ii = process.argv.indexOf("--incl");
  const s = await summariseFile(file, ti > 0 ? Number(process.argv[ti + 1]) : 25, ii > 0 ? process.argv[ii + 1]!.split(",") : []);
  process.stdout.write(formatSummary(s) + "\n");
}

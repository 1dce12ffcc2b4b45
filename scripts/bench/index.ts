/**
 * Benchmarks. `npm run bench` runs the default set (the indexer bench); `npm run bench -- indexer --events 1000000`
 * or `npm run bench -- evidence --max 1000` runs the named ones with those options. Each bench lives in its own file under scripts/bench/ and writes its results to
 * bench-results/<name>.md and .json; the markdown (a README snippet) of every bench is printed here at the end.
 *
 * Two kinds of bench:
 *  - a module exporting `run(argv): Promise<BenchOutcome>` (indexer.ts), run in this process;
 *  - a standalone script (evidence.ts) run as a child process with the options given; its markdown is read back
 *    from bench-results/<name>.md.
 * To add one: create scripts/bench/<name>.ts in either form and add a line to BENCHES.
 */
import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BenchOutcome } from "./indexer.js";

export type { BenchOutcome } from "./indexer.js";

/** `inDefault`: run by a plain `npm run bench` (otherwise only when named). */
type Bench = { inDefault: boolean } & (
  | { kind: "module"; load: () => Promise<{ run(argv: string[]): Promise<BenchOutcome> }> }
  | { kind: "script"; file: string; markdown: string; help: string }
);

const BENCHES: Record<string, Bench> = {
  indexer: {
    inDefault: true,
    kind: "module",
    load: () => import("./indexer.js"),
  },
  // Issue 6: the API under load against an express + LevelDB floor (builds its own 100k-event index).
  api: {
    inDefault: false,
    kind: "module",
    load: () => import("./api.js"),
  },
  // Issue 6: the JavaScript part of the API bench's queries, in one process without sockets (needs api's data set).
  "api-js": {
    inDefault: false,
    kind: "script",
    file: fileURLToPath(new URL("./api-js.ts", import.meta.url)),
    markdown: "bench-results/api-js.md",
    help: "--data DIR (of api) --requests N (2000) --rounds N (15) --queries health,trace,validity,lineage --out DIR",
  },
  // Standalone script of the evidence work; run it by name until it joins the default set.
  evidence: {
    inDefault: false,
    kind: "script",
    file: fileURLToPath(new URL("./evidence.ts", import.meta.url)),
    markdown: "bench-results/evidence.md",
    help: "--max N (10000)",
  },
};

const HELP = `usage: npm run bench [-- [${Object.keys(BENCHES).join("|")}...] [options]]   (default: ${Object.keys(BENCHES).filter((n) => BENCHES[n]!.inDefault).join(", ")})
  indexer options: --events N (100000) --tx-per-block N --range N --max-events N --repeat N --mining manual|auto
                   --phases floor-a,floor-b,indexer --profile|--no-profile --out DIR
  api options: --events N (100000) --seconds S (5) --repeat N (3) --warmup S (3) --connections 10,100
               --data DIR (kept, reused) --rebuild --product-chains N (40) --long-traces N (40) --long-trace-entries N (120)
               --paths N (500) --queries trace,validity,lineage --profile --out DIR
  api-js options: ${(BENCHES["api-js"] as { help: string }).help}
  evidence options: ${(BENCHES.evidence as { help: string }).help}
Options go to every bench named (name one bench when passing options).`;

/** Runs a standalone bench script with the same Node and the TypeScript loader; stderr and stdout pass through. */
async function runScript(name: string, b: Extract<Bench, { kind: "script" }>, argv: string[]): Promise<BenchOutcome> {
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", b.file, ...argv], { stdio: ["ignore", process.stderr, "inherit"] });
    child.on("error", reject);
    child.on("exit", (c) => resolve(c ?? 1));
  });
  // Only a file this run wrote (a failed run leaves the previous results in place).
  const fresh = await stat(b.markdown).then((s) => s.mtimeMs >= started - 1000, () => false);
  const markdown = fresh ? await readFile(b.markdown, "utf8") : `(${name}: no results from this run)\n`;
  const failures = code === 0 ? [] : [`${b.file} exited with ${code}`];
  return { name, ok: code === 0, failures, markdown };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const named: string[] = [];
  while (argv.length && !argv[0]!.startsWith("-")) named.push(argv.shift()!);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const unknown = named.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    process.stderr.write(`bench: unknown bench ${unknown.join(", ")}\n${HELP}\n`);
    return 2;
  }
  const outcomes: BenchOutcome[] = [];
  for (const name of named.length ? named : Object.keys(BENCHES).filter((n) => BENCHES[n]!.inDefault)) {
    const b = BENCHES[name]!;
    const t0 = performance.now();
    outcomes.push(b.kind === "module" ? await (await b.load()).run(argv) : await runScript(name, b, argv));
    process.stderr.write(`[bench] ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write("\n" + outcomes.map((o) => o.markdown.trimEnd()).join("\n\n") + "\n");
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) process.stderr.write(`[bench] ${o.name} FAILED: ${o.failures.join("; ")}\n`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

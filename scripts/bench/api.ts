/**
 * API benchmark (issue 6): throughput and p50/p99 latency at 10 and 100 connections of three queries, against a
 * floor measured in the same run on the same machine:
 *   trace     GET /v1/traces/:subject?limit=50&cursor=…   a page of 50 trace entries
 *   validity  GET /v1/grants/:id/validity?block=B         grant validity at a past block
 *   lineage   GET /v1/products/:id/lineage?depth=3         lineage 3 deep, up and down
 *   floor     a bare express 5 route doing one LevelDB get (same process, same LevelDB handle)
 * over an index of >= 100,000 events (load generator + products 4 deep; scripts/bench/api-data.ts), served by the
 * real app with authentication on (a regulator signs in through the EIP-4361 flow; bearer token on every request).
 * The servers run in one child process (api-server.ts), autocannon in another (api-load.ts).
 * Targets: each query >= 0.3x the floor's req/s and p99 <= 3x the floor's p99.
 *
 *   npm run bench -- api [--events N] [--seconds S] [--repeat N] [--warmup S] [--connections 10,100] [--data DIR]
 *                        [--rebuild] [--product-chains N] [--long-traces N] [--long-trace-entries N] [--paths N]
 *                        [--queries trace,validity,lineage] [--profile] [--out DIR]
 * Other jobs on the machine move the figures: each query run is paired with a floor run just before it, and the
 * server's CPU time per request is reported beside them (it does not depend on the other jobs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { cpus, tmpdir, totalmem } from "node:os";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Wallet } from "ethers";
import { buildApiData, indexDir, readManifest, type ApiBenchManifest } from "./api-data.js";
import type { LoadResult, LoadSpec } from "./api-load.js";
import { formatSummary, summariseFile } from "./cpuprofile.js";
import type { BenchOutcome } from "./indexer.js";

const SERVER = fileURLToPath(new URL("./api-server.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./api-load.ts", import.meta.url));

export const QUERIES = ["trace", "validity", "lineage"] as const;
type Query = (typeof QUERIES)[number];
type Target = Query | "floor";
const LABEL: Record<Target, string> = {
  floor: "floor: express route, one LevelDB get",
  trace: "trace: page of 50 entries",
  validity: "grant validity at a block",
  lineage: "lineage, depth 3",
};
/** The issue's targets. */
const MIN_RPS_RATIO = 0.3;
const MAX_P99_RATIO = 3;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? fmt(n, 2) : fmt(n, 1));

interface RunningServer {
  floor: string;
  api: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(manifest: ApiBenchManifest, dir: string, work: string, cpuProfDir?: string): Promise<RunningServer> {
  const args = ["--import", "tsx", ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : []), SERVER, "--db", indexDir(dir), "--documents", join(work, "documents"), "--chain-id", manifest.chainId];
  // stderr (one log line per request) goes to /dev/null: formatted and written, as in production, but not kept.
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", (l) => {
      rl.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`api-server exited with ${code} before it listened`)));
  });
  const info = JSON.parse(line) as { floor?: string; api?: string; error?: string };
  if (info.error || !info.floor || !info.api) throw new Error(`api-server: ${info.error ?? line}`);
  return {
    floor: info.floor,
    api: info.api,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

/** Signs in through the API's EIP-4361 flow with the member's own key; returns the bearer token. */
async function login(apiUrl: string, key: string): Promise<string> {
  const wallet = new Wallet(key);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(apiUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { message } = (await post("/v1/auth/challenge", { address: wallet.address })) as { message: string };
  const signed = (await post("/v1/auth/login", { message, signature: await wallet.signMessage(message) })) as { token: string; roles: string[] };
  if (!signed.roles.includes("REGULATOR")) throw new Error(`signed in as ${wallet.address} with roles ${signed.roles.join(",")}, not a regulator`);
  return signed.token;
}

interface Checked {
  distinct: number;
  meanBytes: number;
  detail: string;
}

/** GETs every distinct path once and checks the answer is a 200 of the expected shape (so the load measures real work). */
async function checkPaths(target: Target, base: string, paths: string[], token: string): Promise<Checked> {
  const distinct = [...new Set(paths)];
  let bytes = 0;
  const tally = new Map<string, number>();
  const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
  for (const p of distinct) {
    const res = await fetch(base + p, { headers: target === "floor" ? {} : { authorization: `Bearer ${token}` } });
    const text = await res.text();
    bytes += text.length;
    if (res.status !== 200) throw new Error(`${target} GET ${p}: ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (target === "trace") {
      const n = (body.items as unknown[]).length;
      if (n !== 50) throw new Error(`trace GET ${p}: ${n} entries, not 50`);
    } else if (target === "validity") {
      count(body.valid ? "valid" : String(body.reason));
    } else if (target === "lineage") {
      const nodes = body.nodes as { depth: number }[];
      const up = -Math.min(...nodes.map((x) => x.depth));
      if (up < 3) throw new Error(`lineage GET ${p}: reaches ${up} levels up, not 3`);
      count(`${nodes.length} nodes`);
    }
  }
  const detail = [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fmt((100 * v) / distinct.length)}%`)
    .join(", ");
  return { distinct: distinct.length, meanBytes: bytes / distinct.length, detail };
}

async function runLoad(spec: LoadSpec, work: string): Promise<LoadResult> {
  const file = join(work, `load-${process.hrtime.bigint()}.json`);
  await writeFile(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", LOAD, file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`api-load exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!) as LoadResult);
      } catch (e) {
        reject(new Error(`api-load printed no result: ${out} ${err}`, { cause: e }));
      }
    });
  });
}

/** One measured run, with the server's CPU time per request over it. */
interface Measured extends LoadResult {
  cpuMicrosPerRequest: number;
}

/** A query at one connection count: its runs, each paired with a floor run just before it. */
interface Row {
  target: Query;
  connections: number;
  runs: Measured[];
  floors: Measured[];
  /** Medians over the runs (and over the floor runs). */
  rps: number;
  p50: number;
  p99: number;
  cpu: number;
  floor: { rps: number; p50: number; p99: number; cpu: number };
  /** Medians of the per-pair ratios (each run over the floor run just before it). */
  rpsRatio: number;
  p99Ratio: number;
  cpuRatio: number;
  pass: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function run(argv: string[]): Promise<BenchOutcome> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: "string", default: "100000" },
      seconds: { type: "string", default: "5" },
      repeat: { type: "string", default: "3" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "10,100" },
      data: { type: "string" },
      rebuild: { type: "boolean", default: false },
      "product-chains": { type: "string", default: "40" },
      "long-traces": { type: "string", default: "40" },
      "long-trace-entries": { type: "string", default: "120" },
      paths: { type: "string", default: "500" },
      queries: { type: "string", default: QUERIES.join(",") },
      profile: { type: "boolean", default: false },
      out: { type: "string", default: "bench-results" },
    },
  });
  const log = (msg: string) => process.stderr.write(`[bench:api] ${msg}\n`);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const repeat = Math.max(1, Number(values.repeat));
  const connections = values.connections.split(",").map(Number);
  const queries = values.queries.split(",") as Query[];
  for (const q of queries) if (!QUERIES.includes(q)) throw new Error(`unknown query ${q} (${QUERIES.join(", ")})`);
  const failures: string[] = [];

  const work = await mkdtemp(join(tmpdir(), "drl-bench-api-"));
  const dir = values.data ?? join(work, "data");
  let server: RunningServer | undefined;
  const rows: Row[] = [];
  const checks = new Map<Target, Checked>();
  let manifest: ApiBenchManifest | undefined;
  let built = false;
  let profileText: string | undefined;
  try {
    manifest = values.rebuild ? undefined : await readManifest(dir);
    if (manifest && manifest.eventsOnChain < Number(values.events)) manifest = undefined;
    if (manifest) log(`reusing the data set in ${dir} (${fmt(manifest.eventsIndexed)} events indexed)`);
    else {
      manifest = await buildApiData(dir, { events: Number(values.events), productChains: Number(values["product-chains"]), longTraces: Number(values["long-traces"]), longTraceEntries: Number(values["long-trace-entries"]), pathsPerQuery: Number(values.paths), log });
      built = true;
      log(`data set: ${fmt(manifest.eventsIndexed)} events indexed, ${manifest.products.registered} products, in ${dir}`);
    }
    const m = manifest;
    const profDir = values.profile ? join(work, "prof") : undefined;
    server = await startServer(m, dir, work, profDir);
    log(`servers: floor ${server.floor}, api ${server.api}`);
    const srv = server;
    const url = (t: Target) => (t === "floor" ? srv.floor : srv.api);

    let token = await login(srv.api, m.regulatorKey);
    for (const t of ["floor", ...queries] as Target[]) {
      const c = await checkPaths(t, url(t), m.paths[t], token);
      checks.set(t, c);
      log(`checked ${t}: ${c.distinct} distinct paths, all 200, mean ${fmt(c.meanBytes)} bytes${c.detail ? `; ${c.detail}` : ""}`);
    }

    const cpu = async () => ((await (await fetch(srv.floor + "/cpu")).json()) as { micros: number }).micros;
    const measure = async (t: Target, conns: number, secs: number): Promise<Measured> => {
      // A fresh session before each query run (tokens last 15 minutes).
      if (t !== "floor") token = await login(srv.api, m.regulatorKey);
      const before = await cpu();
      const r = await runLoad({ url: url(t), connections: conns, seconds: secs, paths: m.paths[t], headers: t === "floor" ? {} : { authorization: `Bearer ${token}` } }, work);
      const used = (await cpu()) - before;
      if (r.non2xx > 0 || r.errors > 0) failures.push(`${t} at c=${conns}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)}), ${r.errors} errors`);
      return { ...r, cpuMicrosPerRequest: used / Math.max(1, r.ok + r.non2xx) };
    };
    if (warmup > 0) {
      log(`warm-up: ${warmup} s per target at c=${connections[0]}`);
      for (const t of ["floor", ...queries] as Target[]) await measure(t, connections[0]!, warmup);
    }
    // Other jobs on the machine move throughput by tens of percent within a minute: each query run is paired with
    // a floor run just before it, `repeat` times, and the ratios are the medians of the pairs'.
    for (const conns of connections) {
      for (const q of queries) {
        const runs: Measured[] = [];
        const floors: Measured[] = [];
        for (let i = 0; i < repeat; i++) {
          floors.push(await measure("floor", conns, seconds));
          runs.push(await measure(q, conns, seconds));
          const f = floors[i]!;
          const r = runs[i]!;
          log(`c=${conns} ${q} #${i + 1}: ${fmt(r.requestsPerSecond)} req/s, p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms, ${fmt(r.cpuMicrosPerRequest)} µs CPU/req | floor ${fmt(f.requestsPerSecond)} req/s, p99 ${ms(f.latency.p99)} ms, ${fmt(f.cpuMicrosPerRequest)} µs CPU/req`);
        }
        const pairs = runs.map((r, i) => ({ r, f: floors[i]! }));
        const rpsRatio = median(pairs.map(({ r, f }) => r.requestsPerSecond / f.requestsPerSecond));
        const p99Ratio = median(pairs.map(({ r, f }) => r.latency.p99 / f.latency.p99));
        rows.push({
          target: q,
          connections: conns,
          runs,
          floors,
          rps: median(runs.map((r) => r.requestsPerSecond)),
          p50: median(runs.map((r) => r.latency.p50)),
          p99: median(runs.map((r) => r.latency.p99)),
          cpu: median(runs.map((r) => r.cpuMicrosPerRequest)),
          floor: {
            rps: median(floors.map((r) => r.requestsPerSecond)),
            p50: median(floors.map((r) => r.latency.p50)),
            p99: median(floors.map((r) => r.latency.p99)),
            cpu: median(floors.map((r) => r.cpuMicrosPerRequest)),
          },
          rpsRatio,
          p99Ratio,
          cpuRatio: median(pairs.map(({ r, f }) => r.cpuMicrosPerRequest / f.cpuMicrosPerRequest)),
          pass: rpsRatio >= MIN_RPS_RATIO && p99Ratio <= MAX_P99_RATIO,
        });
      }
    }
    await server.stop();
    server = undefined;
    if (profDir) {
      const file = (await readdir(profDir)).find((f) => f.endsWith(".cpuprofile"));
      if (file) profileText = formatSummary(await summariseFile(join(profDir, file), 30));
    }
  } finally {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  }

  // ---- report
  const m = manifest!;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`;
  const md: string[] = [
    "### API benchmark",
    "",
    `\`npm run bench -- api${argv.length ? " " + argv.join(" ") : ""}\` · ${new Date().toISOString().slice(0, 10)} · ${machine}`,
    "",
    `Index: ${fmt(m.eventsIndexed)} events (${fmt(m.blocks)} blocks; the load generator's write mix plus ${m.products.registered} products in ${m.products.chains} chains ${m.products.maxDepth} deep, fan-in 2, and resources with long traces). ` +
      `Servers in one process (the real app with authentication on, as a signed-in regulator; the floor app on the same LevelDB handle), autocannon in another; ` +
      `${seconds} s runs after a ${warmup} s warm-up, each query run paired with a floor run just before it, ${repeat} pairs per row (medians; ratios are medians of the pairs' ratios); each connection cycles through ${m.paths.trace.length} request paths per query. ` +
      `Read rate limit raised to ${fmt(100_000_000)}/min for the bench (on, not off). CPU/req = the server process's CPU time over the run ÷ requests answered (independent of other load on the machine).`,
    "",
    "| query | conns | req/s | p50 ms | p99 ms | CPU/req | floor req/s | floor p99 ms | floor CPU/req | req/s vs floor (≥ 0.3×) | p99 vs floor (≤ 3×) | CPU vs floor | |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    md.push(
      `| ${LABEL[r.target]} | ${r.connections} | **${fmt(r.rps)}** | ${ms(r.p50)} | ${ms(r.p99)} | ${fmt(r.cpu)} µs | ${fmt(r.floor.rps)} | ${ms(r.floor.p99)} | ${fmt(r.floor.cpu)} µs | ${fmt(r.rpsRatio, 2)}× | ${fmt(r.p99Ratio, 2)}× | ${fmt(r.cpuRatio, 2)}× | ${r.pass ? "PASS" : "**FAIL**"} |`,
    );
  }
  const judged = rows;
  const passed = rows.filter((r) => r.pass).length;
  md.push("", `Targets (each query ≥ 0.3× the floor's req/s and p99 ≤ 3× the floor's p99): **${passed}/${judged.length} met**.`);
  const resp = (t: Target) => checks.get(t);
  md.push(
    "",
    `Responses: trace ${fmt(resp("trace")?.meanBytes ?? 0)} bytes (50 entries, ${m.notes.traceSubjects} of ${fmt(m.notes.traceSubjectsTotal)} subjects have ≥ 50 entries); ` +
      `validity ${fmt(resp("validity")?.meanBytes ?? 0)} bytes over ${fmt(m.notes.validityGrants)} grants (${resp("validity")?.detail ?? ""}); ` +
      `lineage ${fmt(resp("lineage")?.meanBytes ?? 0)} bytes over ${m.notes.lineageProducts} products at depth ≥ 3 (${resp("lineage")?.detail ?? ""}); floor ${fmt(resp("floor")?.meanBytes ?? 0)} bytes.`,
  );
  if (built) md.push("", `Data set built in ${fmt(m.loadSeconds, 1)} s of load generation and ${fmt(m.indexSeconds, 1)} s of indexing.`);
  const markdown = md.join("\n") + "\n";

  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, "api.md"), markdown);
  const json = {
    date: new Date().toISOString(),
    machine,
    options: { seconds, warmup, repeat, connections, queries, events: m.eventsIndexed },
    data: { ...m, paths: undefined, regulatorKey: undefined },
    rows,
    checks: Object.fromEntries(checks),
    targets: { minRpsRatio: MIN_RPS_RATIO, maxP99Ratio: MAX_P99_RATIO, met: passed, of: judged.length },
    failures,
  };
  await writeFile(join(values.out, "api.json"), JSON.stringify(json, null, 2) + "\n");
  if (profileText) await writeFile(join(values.out, "api-profile.txt"), profileText + "\n");
  return { name: "api", ok: failures.length === 0, failures, markdown };
}

/**
 * Indexer benchmark: one anvil chain with a realistic mix of ledger writes, then three ways of reading it into a
 * fresh LevelDB, each in its own process (so peak memory is per phase):
 *   (a) floor A  eth_getLogs by ranges + ethers Interface.parseLog + one batch of raw decoded events per range
 *   (b) floor B  the same with the compiled fixed-layout decoder (src/chain/decoder.ts)
 *   (c) indexer  createIndexer(...).catchUp(), writing every projection
 * Target: (c) >= 1.0x (a). When (c) is slower, a timing breakdown and a CPU profile of (c) say where the time goes.
 *
 *   tsx scripts/bench/index.ts indexer [--events N] [--tx-per-block N] [--range N] [--max-events N] [--repeat N] [--mining manual|auto]
 *                                      [--phases floor-a,floor-b,indexer] [--profile|--no-profile] [--out DIR]
 */
import { spawn } from "node:child_process";
import { cpus, totalmem, tmpdir } from "node:os";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { JsonRpcProvider, Wallet } from "ethers";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { writeDeploymentFile } from "../../src/chain/deployment-file.js";
import { startAnvil, type AnvilNode } from "../lib/anvil.js";
import { anvilDevKeys, generateLedgerLoad, type LoadResult } from "../lib/load.js";
import { formatSummary, summariseFile, type ProfileSummary } from "./cpuprofile.js";
import { PHASES, type Phase, type PhaseResult } from "./indexer-phase.js";
import { DEFAULT_MAX_EVENTS } from "../../src/indexer/sync.js";

export interface BenchOutcome {
  name: string;
  ok: boolean;
  failures: string[];
  markdown: string;
}

const PHASE_SCRIPT = fileURLToPath(new URL("./indexer-phase.ts", import.meta.url));
const LABEL: Record<Phase, string> = {
  "floor-a": "(a) floor A: getLogs + ethers parseLog + batch",
  "floor-b": "(b) floor B: getLogs + fixed-layout decoder + batch",
  indexer: "(c) indexer: catchUp() with all projections",
};

/** Runs one phase in a child process (optionally under --cpu-prof) and returns its JSON result. */
async function runChild(phase: Phase, args: string[], cpuProfDir?: string): Promise<PhaseResult> {
  const nodeArgs = ["--import", "tsx", ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : []), PHASE_SCRIPT, phase, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`phase ${phase} exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!) as PhaseResult);
      } catch (e) {
        reject(new Error(`phase ${phase} printed no result: ${out} ${err}`, { cause: e }));
      }
    });
  });
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(argv: string[]): Promise<BenchOutcome> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: "string", default: "100000" },
      "tx-per-block": { type: "string" },
      range: { type: "string" },
      "max-events": { type: "string" },
      repeat: { type: "string", default: "1" },
      mining: { type: "string", default: "manual" },
      phases: { type: "string", default: PHASES.join(",") },
      profile: { type: "boolean" },
      "no-profile": { type: "boolean", default: false },
      out: { type: "string", default: "bench-results" },
    },
  });
  const events = Number(values.events);
  // anvil recomputes its state root from the whole state on every block (an empty block costs ~1 ms per 1,000
  // events already on chain), so a large chain must have dense blocks to be generated in minutes.
  const txPerBlock = Number(values["tx-per-block"] ?? (events >= 500_000 ? 1000 : 100));
  // About 10,000 transactions (~24,000 events) per range, whatever the block density, so that 100k and 1M events
  // run the same per-range work (the indexer's default of 2,000 blocks assumes sparse blocks: at 100 tx/block one
  // range would hold the whole 100k-event chain).
  const range = Number(values.range ?? Math.max(1, Math.round(10_000 / txPerBlock)));
  const repeat = Math.max(1, Number(values.repeat));
  const mining = values.mining === "auto" ? "auto" : "manual";
  const phases = values.phases.split(",").map((p) => p.trim()) as Phase[];
  for (const p of phases) if (!PHASES.includes(p)) throw new Error(`unknown phase ${p} (${PHASES.join(", ")})`);
  const failures: string[] = [];
  const log = (msg: string) => process.stderr.write(`[bench:indexer] ${msg}\n`);

  const work = await mkdtemp(join(tmpdir(), "drl-bench-indexer-"));
  // --cache-path: anvil 1.7.1 leaves its state directory (~/.foundry/anvil/tmp/anvil-state-*, gigabytes for a large
  // chain) behind even on a clean exit; keep it in the work directory that is removed at the end.
  // --prune-history: no historical states (nothing here reads state at old blocks); less memory.
  let node: AnvilNode | undefined;
  let load: LoadResult;
  const results = new Map<Phase, PhaseResult[]>();
  let profile: { summary: ProfileSummary; breakdown?: Record<string, number>; text: string } | undefined;
  try {
    node = await startAnvil(["--gas-limit", "1000000000", "--prune-history", "--cache-path", join(work, "anvil-cache")]);
    log(`anvil on ${node.url}; deploying`);
    const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    const deployment = await deployLedgerCore(new Wallet(anvilDevKeys(1)[0]!, provider));
    provider.destroy();
    const deploymentFile = join(work, "deployment.json");
    await writeDeploymentFile(deploymentFile, deployment);

    log(`generating >= ${fmt(events)} events (${mining} mining, ${txPerBlock} tx/block)`);
    let lastLog = 0;
    load = await generateLedgerLoad(node.url, deployment, events, {
      mining,
      txPerBlock,
      onProgress: (p) => {
        if (p.seconds - lastLog < 10 && p.phase !== "verify") return;
        lastLog = p.seconds;
        log(`load ${p.phase}: ${fmt(p.events)}/${fmt(p.target)} events, ${fmt(p.confirmed)} tx, ${fmt(p.confirmed / Math.max(p.seconds, 1e-3))} tx/s, ${fmt(p.inFlight)} in flight, ${fmt(p.seconds, 1)} s`);
      },
    });
    log(`load done: ${fmt(load.events)} events in ${fmt(load.transactions)} tx over ${fmt(load.blocks)} blocks, ${fmt(load.seconds, 1)} s (${fmt(load.txPerSecond)} tx/s, ${fmt(load.eventsPerSecond)} events/s); stranded ${load.stranded}, hung ${load.hungWaits}, reverted ${load.reverted}`);
    if (load.stranded > 0) failures.push(`${load.stranded} transactions stranded`);
    if (load.hungWaits > 0) failures.push(`${load.hungWaits} hung waits`);
    if (load.reverted > 0) failures.push(`${load.reverted} writes reverted: ${JSON.stringify(load.revertedByKind)}`);

    const common = ["--url", node.url, "--deployment", deploymentFile, "--range", String(range)];
    // The indexer also caps the events of a range (its default unless --max-events); the floors do not.
    const indexerArgs = values["max-events"] === undefined ? [] : ["--max-events", values["max-events"]];
    for (let r = 0; r < repeat; r++) {
      for (const phase of phases) {
        const db = await mkdtemp(join(work, `${phase}-`));
        const res = await runChild(phase, [...common, ...(phase === "indexer" ? indexerArgs : []), "--db", db]);
        await rm(db, { recursive: true, force: true });
        log(`${phase}${repeat > 1 ? ` #${r + 1}` : ""}: ${fmt(res.events)} events in ${fmt(res.seconds, 2)} s = ${fmt(res.eventsPerSecond)} events/s, peak RSS ${fmt(res.peakRssMiB)} MiB`);
        if (res.events !== load.logsOnChain) failures.push(`${phase} read ${res.events} events, the chain has ${load.logsOnChain}`);
        results.set(phase, [...(results.get(phase) ?? []), res]);
      }
    }

    const best = (p: Phase) => results.get(p)?.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
    const c = best("indexer");
    const a = best("floor-a");
    // Profile (c) when asked, or by default when it is slower than floor A (not at 500k+ events: one more long run).
    const wantProfile = values.profile === true || (!values["no-profile"] && events < 500_000 && c !== undefined && a !== undefined && c.eventsPerSecond < a.eventsPerSecond);
    if (wantProfile && c) {
      log("profiling (c): timing breakdown and CPU profile in one more run");
      const profDir = join(work, "prof");
      const db = await mkdtemp(join(work, "profile-"));
      const res = await runChild("indexer", [...common, ...indexerArgs, "--db", db, "--breakdown"], profDir);
      await rm(db, { recursive: true, force: true });
          const file = (await readdir(profDir)).find((f) => f.endsWith(".cpuprofile"));
      if (file) {
        const summary = await summariseFile(join(profDir, file), 30, [
          "decode@decoder.ts",
          "getAddress@address.js",
          "nextWord@trace.ts",
          "toJson@db.ts",
          "toBatch@write-set.ts",
          "encodeCheckpoint@keys.ts",
        ]);
        profile = { summary, breakdown: res.breakdown, text: formatSummary(summary) };
      }
    }
  } finally {
    await node?.stop();
    await rm(work, { recursive: true, force: true });
  }

  // ---- report
  const best = (p: Phase) => results.get(p)?.reduce((x, y) => (y.eventsPerSecond > x.eventsPerSecond ? y : x));
  const peak = (p: Phase) => Math.max(...(results.get(p) ?? []).map((r) => r.peakRssMiB));
  const A = best("floor-a");
  const B = best("floor-b");
  const C = best("indexer");
  const ratio = (x?: PhaseResult, y?: PhaseResult) => (x && y ? x.eventsPerSecond / y.eventsPerSecond : undefined);
  const cOverA = ratio(C, A);
  const cOverB = ratio(C, B);
  const memoryLimitMiB = 1024;
  const memoryCheck = events >= 1_000_000 && C ? { limitMiB: memoryLimitMiB, peakRssMiB: peak("indexer"), ok: peak("indexer") < memoryLimitMiB } : undefined;
  if (memoryCheck && !memoryCheck.ok) failures.push(`(c) peak RSS ${fmt(memoryCheck.peakRssMiB)} MiB >= ${memoryLimitMiB} MiB at ${fmt(events)} events`);

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, anvil 1.7.1`;
  const rows = PHASES.filter((p) => results.has(p)).map((p) => {
    const r = best(p)!;
    const vsA = ratio(r, A);
    const vsB = ratio(r, B);
    return `| ${LABEL[p]} | ${fmt(r.events)} | ${fmt(r.ranges)} | ${fmt(r.seconds, 2)} | **${fmt(r.eventsPerSecond)}** | ${vsA ? fmt(vsA, 2) + "×" : "–"} | ${vsB ? fmt(vsB, 2) + "×" : "–"} | ${fmt(peak(p))} (start ${fmt(r.startRssMiB)}) |`;
  });
  const md: string[] = [
    "### Indexer benchmark",
    "",
    `\`npm run bench -- indexer${argv.length ? " " + argv.join(" ") : ""}\` · ${new Date().toISOString().slice(0, 10)} · ${machine}`,
    "",
    `Chain: ${fmt(load!.logsOnChain)} ledger events (${fmt(load!.transactions)} writes over ${fmt(load!.blocks)} blocks, ${fmt(load!.txPerBlock, 1)} tx/block, ${mining} mining); every phase reads it in ranges of ${range} blocks (~${fmt(load!.logsOnChain / Math.max(1, Math.ceil(load!.blocks / range)))} events per range) into a fresh LevelDB, in its own process${repeat > 1 ? `; best of ${repeat} runs` : ""}. The indexer also caps a range at ${values["max-events"] ? fmt(Number(values["max-events"])) : `its default of ${fmt(DEFAULT_MAX_EVENTS)}`} events (whole blocks), hence its larger number of ranges.`,
    "",
    "| phase | events | ranges | seconds | events/s | vs (a) | vs (b) | peak RSS MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `Target (c) ≥ 1.0× (a): **${cOverA === undefined ? "not measured" : cOverA >= 1 ? `met (${fmt(cOverA, 2)}×)` : `not met (${fmt(cOverA, 2)}×)`}**${cOverB !== undefined ? `; (c)/(b) = ${fmt(cOverB, 2)}×` : ""}.`,
  ];
  if (memoryCheck) md.push("", `Memory at ${fmt(events)} events: (c) peak RSS ${fmt(memoryCheck.peakRssMiB)} MiB — ${memoryCheck.ok ? "under" : "**over**"} the ${memoryLimitMiB} MiB limit.`);
  if (C && C.rssSeriesMiB.length >= 4) {
    // The memory trend of (c): peak RSS in each quarter of its run.
    const q = C.rssSeriesMiB;
    const quarter = (i: number) => Math.max(...q.slice(Math.floor((i * q.length) / 4), Math.max(Math.floor(((i + 1) * q.length) / 4), Math.floor((i * q.length) / 4) + 1)));
    md.push("", `(c) peak RSS by quarter of its run: ${[0, 1, 2, 3].map((i) => `${fmt(quarter(i))}`).join(" → ")} MiB (peaks: V8 heap used ${fmt(C.peakHeapUsedMiB)}, heap reserved ${fmt(C.peakHeapTotalMiB)}, external ${fmt(C.peakExternalMiB)} MiB).`);
  }
  const mix = Object.entries(load!.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${fmt((100 * n) / load!.transactions, 1)}%`)
    .join(", ");
  md.push(
    "",
    "| load generation | value |",
    "|---|---:|",
    `| events emitted (receipts = eth_getLogs) | ${fmt(load!.events)} |`,
    `| transactions / blocks | ${fmt(load!.transactions)} / ${fmt(load!.blocks)} |`,
    `| time | ${fmt(load!.seconds, 1)} s |`,
    `| throughput | ${fmt(load!.txPerSecond)} tx/s, ${fmt(load!.eventsPerSecond)} events/s |`,
    `| senders / window | ${load!.senders} / ≤ 500 unconfirmed each |`,
    `| stranded transactions | ${load!.stranded} |`,
    `| hung waits | ${load!.hungWaits} |`,
    `| stalls recovered (re-broadcast) | ${load!.stallsRecovered} |`,
    `| reverted writes | ${load!.reverted} |`,
    "",
    `Write mix: ${mix}.`,
  );
  if (profile) {
    const b = profile.breakdown ?? {};
    const total = b["total"] ?? 0;
    const parts = Object.entries(b)
      .filter(([k]) => !k.endsWith("calls") && !k.endsWith("(count)") && k !== "total")
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${fmt(v)} ms (${fmt((100 * v) / Math.max(total, 1), 1)}%${b[`${k} calls`] !== undefined ? `, ${fmt(b[`${k} calls`]!)} calls` : ""})`);
    const counts = Object.entries(b)
      .filter(([k]) => k.endsWith("(count)"))
      .map(([k, v]) => `${k.replace(" (count)", "")} ${fmt(v)}`);
    md.push("", `Where (c) spends its wall time (one more run with timing wrappers, ${fmt(total)} ms): ${parts.join("; ")}.`);
    if (counts.length) md.push("", `LevelDB traffic of (c): ${counts.join(", ")}.`);
    md.push("", "CPU profile of (c): time by innermost project file (library callees included; top 14):", "", "| share | ms | charged to |", "|---:|---:|---|");
    for (const r of profile.summary.byProjectFile.slice(0, 14)) md.push(`| ${fmt(100 * r.share, 1)}% | ${fmt(r.ms)} | ${r.name} |`);
    md.push("", "Self time by area (top 10):", "", "| share | ms | area |", "|---:|---:|---|");
    for (const r of profile.summary.byArea.slice(0, 10)) md.push(`| ${fmt(100 * r.share, 1)}% | ${fmt(r.ms)} | ${r.name} |`);
    md.push("", "Inclusive CPU time of synchronous steps:", "", "| share | ms | function |", "|---:|---:|---|");
    for (const r of profile.summary.inclusive) md.push(`| ${fmt(100 * r.share, 1)}% | ${fmt(r.ms)} | ${r.name} |`);
  }
  const markdown = md.join("\n") + "\n";

  await mkdir(values.out, { recursive: true });
  const suffix = events === 100_000 ? "" : `-${events}`;
  await writeFile(join(values.out, `indexer${suffix}.md`), markdown);
  const json = {
    date: new Date().toISOString(),
    machine,
    options: { events, txPerBlock, range, maxEvents: values["max-events"] === undefined ? undefined : Number(values["max-events"]), repeat, mining, phases },
    load: load!,
    phases: Object.fromEntries([...results.entries()].map(([p, rs]) => [p, { best: best(p), runs: rs, peakRssMiB: peak(p) }])),
    ratios: { indexerOverFloorA: cOverA, indexerOverFloorB: cOverB },
    targetMet: cOverA === undefined ? undefined : cOverA >= 1,
    memoryCheck,
    profile: profile ? { breakdown: profile.breakdown, summary: profile.summary } : undefined,
    failures,
  };
  await writeFile(join(values.out, `indexer${suffix}.json`), JSON.stringify(json, null, 2) + "\n");
  if (profile) await writeFile(join(values.out, `indexer${suffix}-profile.txt`), profile.text + "\n");
  return { name: "indexer", ok: failures.length === 0, failures, markdown };
}

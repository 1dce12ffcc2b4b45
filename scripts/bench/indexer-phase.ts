/**
 * One phase of the indexer benchmark, in its own process so that its peak memory is its own:
 *   tsx scripts/bench/indexer-phase.ts <floor-a|floor-b|indexer> --url URL --deployment FILE --db DIR --range N [--max-events N] [--breakdown]
 * Prints one JSON line (PhaseResult) on stdout.
 *
 *   floor-a  eth_getLogs by ranges + ethers Interface.parseLog on every log + one LevelDB batch per range (the raw
 *            decoded event as JSON per log, keyed by its checkpoint, plus a checkpoint record)
 *   floor-b  the same with the compiled fixed-layout decoder (src/chain/decoder.ts createDecoder)
 *   indexer  createIndexer(...) stepped until caught up: raw events, every projection, headers, undo logs, checkpoint
 *            (ranges of at most --range blocks and, by default, the indexer's own cap of events per range)
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Interface, Result } from "ethers";
import { LEDGER_CONTRACT_NAMES, LEDGER_INTERFACES, type LedgerContractName } from "../../src/chain/contracts.js";
import { createDecoder, type RawLog } from "../../src/chain/decoder.js";
import { readDeploymentFile } from "../../src/chain/deployment-file.js";
import { createChainReader, createHttpRpc, type Eip1193 } from "../../src/chain/rpc.js";
import { createIndexer } from "../../src/indexer/sync.js";
import { openIndexDb, toJson, type IndexDb } from "../../src/store/db.js";
import { K, encodeCheckpoint } from "../../src/store/keys.js";

export const PHASES = ["floor-a", "floor-b", "indexer"] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseResult {
  phase: Phase;
  events: number;
  ranges: number;
  blocks: number;
  seconds: number;
  eventsPerSecond: number;
  /** Peak resident set size (MiB): sampled every 100 ms, or the kernel's high-water mark when higher. */
  peakRssMiB: number;
  /** RSS before the phase started (MiB): the process's own baseline (node, tsx, ethers). */
  startRssMiB: number;
  peakHeapUsedMiB: number;
  /** Peak V8 heap reserved (used + free) and peak memory of C++ objects bound to JS (Buffers, LevelDB values), MiB. */
  peakHeapTotalMiB: number;
  peakExternalMiB: number;
  /** Peak RSS of each second of the phase (MiB), for the memory trend. */
  rssSeriesMiB: number[];
  /** Where the wall time went (only with --breakdown): RPC by method, LevelDB calls, the rest (CPU). */
  breakdown?: Record<string, number>;
}

const MiB = 1024 * 1024;

/** VmHWM of /proc/self/status (peak resident set of this process, bytes), where there is one. */
function kernelPeakRss(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples RSS every 100 ms (and on demand), keeping the peak (and the kernel's high-water mark at the end). */
function memorySampler() {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  let peakHeapTotal = 0;
  let peakExternal = 0;
  // The peak of every second, for the trend.
  const series: number[] = [];
  let secondPeak = 0;
  let n = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.heapTotal > peakHeapTotal) peakHeapTotal = m.heapTotal;
    if (m.external > peakExternal) peakExternal = m.external;
    if (m.rss > secondPeak) secondPeak = m.rss;
    if (++n % 10 === 0) {
      series.push(Math.round(secondPeak / MiB));
      secondPeak = 0;
    }
  };
  const timer = setInterval(sample, 100);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      // A busy event loop delays the 100 ms samples; the kernel's high-water mark misses no peak (Linux only).
      const hwm = kernelPeakRss();
      if (hwm !== undefined && hwm > peakRss) peakRss = hwm;
      return { peakRssMiB: peakRss / MiB, peakHeapUsedMiB: peakHeap / MiB, peakHeapTotalMiB: peakHeapTotal / MiB, peakExternalMiB: peakExternal / MiB, rssSeriesMiB: series };
    },
  };
}

/**
 * Times RPC calls by method as wall time covered (calls of one method that overlap, e.g. 16 header reads in
 * parallel, count once), plus the number of calls.
 */
function timedRpc(rpc: Eip1193, acc: Record<string, number>): Eip1193 {
  const open = new Map<string, { n: number; since: number }>();
  return {
    async request(args) {
      const k = `rpc ${args.method}`;
      const o = open.get(k) ?? { n: 0, since: 0 };
      if (o.n++ === 0) o.since = performance.now();
      open.set(k, o);
      acc[`${k} calls`] = (acc[`${k} calls`] ?? 0) + 1;
      try {
        return await rpc.request(args);
      } finally {
        if (--o.n === 0) acc[k] = (acc[k] ?? 0) + (performance.now() - o.since);
      }
    },
  };
}

/** Times the LevelDB calls the indexer makes (batch, get; the indexer awaits them one at a time) and counts gets by key table. */
function timeDb(db: IndexDb, acc: Record<string, number>): void {
  const target = db as unknown as Record<string, unknown>;
  const batch = db.batch.bind(db) as (ops: unknown) => Promise<void>;
  const get = db.get.bind(db) as (key: string) => Promise<string | undefined>;
  target.batch = async (ops: unknown[]) => {
    const t0 = performance.now();
    try {
      return await batch(ops);
    } finally {
      acc["db batch"] = (acc["db batch"] ?? 0) + (performance.now() - t0);
      acc["db batch calls"] = (acc["db batch calls"] ?? 0) + 1;
      acc["db batch ops (count)"] = (acc["db batch ops (count)"] ?? 0) + ops.length;
    }
  };
  target.get = async (key: string) => {
    const t0 = performance.now();
    const v = await get(key);
    acc["db get"] = (acc["db get"] ?? 0) + (performance.now() - t0);
    acc["db get calls"] = (acc["db get calls"] ?? 0) + 1;
    const table = key.slice(0, key.indexOf(":") + 1);
    acc[`db get ${table} (count)`] = (acc[`db get ${table} (count)`] ?? 0) + 1;
    if (v === undefined) acc["db get misses (count)"] = (acc["db get misses (count)"] ?? 0) + 1;
    return v;
  };
}

/** Floors A and B: fetch by ranges, decode, one batch per range with the raw decoded events and a checkpoint. */
async function floor(phase: "floor-a" | "floor-b", rpc: Eip1193, db: IndexDb, deploymentBlock: number, addresses: Partial<Record<LedgerContractName, string>>, range: number, acc?: Record<string, number>) {
  const chain = createChainReader(rpc);
  const list = LEDGER_CONTRACT_NAMES.flatMap((n) => (addresses[n] === undefined ? [] : [addresses[n].toLowerCase()]));
  const head = await chain.blockNumber();

  let decode: (log: RawLog) => { contract: string; name: string; args: unknown };
  if (phase === "floor-b") {
    const d = createDecoder(LEDGER_INTERFACES, addresses);
    decode = (log) => d(log);
  } else {
    const byAddress = new Map<string, { contract: LedgerContractName; iface: Interface }>();
    for (const n of LEDGER_CONTRACT_NAMES) if (addresses[n] !== undefined) byAddress.set(addresses[n].toLowerCase(), { contract: n, iface: LEDGER_INTERFACES[n] });
    decode = (log) => {
      const source = byAddress.get(log.address.toLowerCase())!;
      const parsed = source.iface.parseLog({ topics: [...log.topics], data: log.data });
      if (!parsed) throw new Error(`unknown log ${log.transactionHash}#${Number(log.logIndex)}`);
      // Named arguments, structs as named objects (what an API would serve).
      const args = (parsed.args as Result).toObject(true);
      return { contract: source.contract, name: parsed.name, args };
    };
  }

  let events = 0;
  let ranges = 0;
  for (let from = deploymentBlock; from <= head; from += range) {
    const to = Math.min(head, from + range - 1);
    const t0 = performance.now();
    const logs = await chain.logs(list, from, to);
    const t1 = performance.now();
    const ops: { type: "put"; key: string; value: string }[] = [];
    for (const log of logs) {
      const e = decode(log);
      const position = { blockNumber: Number(log.blockNumber), transactionIndex: Number(log.transactionIndex), logIndex: Number(log.logIndex) };
      const record = {
        contract: e.contract,
        name: e.name,
        address: log.address.toLowerCase(),
        block: position.blockNumber,
        blockHash: log.blockHash,
        tx: log.transactionHash,
        txIndex: position.transactionIndex,
        logIndex: position.logIndex,
        topics: log.topics,
        data: log.data,
        args: e.args,
      };
      ops.push({ type: "put", key: K.event(encodeCheckpoint(position)), value: toJson(record) });
    }
    ops.push({ type: "put", key: K.meta("checkpoint"), value: toJson({ block: to }) });
    const t2 = performance.now();
    await db.batch(ops);
    const t3 = performance.now();
    if (acc) {
      acc["rpc eth_getLogs"] = (acc["rpc eth_getLogs"] ?? 0) + (t1 - t0);
      acc["decode+serialise"] = (acc["decode+serialise"] ?? 0) + (t2 - t1);
      acc["db batch"] = (acc["db batch"] ?? 0) + (t3 - t2);
    }
    events += logs.length;
    ranges++;
  }
  return { events, ranges, blocks: head - deploymentBlock + 1 };
}

export async function runPhase(phase: Phase, opts: { url: string; deploymentFile: string; dbPath: string; range: number; maxEvents?: number; breakdown: boolean }): Promise<PhaseResult> {
  const deployment = await readDeploymentFile(opts.deploymentFile);
  const db = await openIndexDb(opts.dbPath);
  const acc: Record<string, number> | undefined = opts.breakdown ? {} : undefined;
  const startRssMiB = process.memoryUsage().rss / MiB;
  const mem = memorySampler();
  const t0 = performance.now();
  let out: { events: number; ranges: number; blocks: number };
  try {
    const base = createHttpRpc(opts.url);
    const rpc = acc ? timedRpc(base, acc) : base;
    if (phase === "indexer") {
      if (acc) timeDb(db, acc);
      const indexer = createIndexer({ rpc, db, deployment, maxRange: opts.range, maxEvents: opts.maxEvents });
      // catchUp() is this loop; stepping here counts the ranges (commits) it took.
      let ranges = 0;
      for (;;) {
        const r = await indexer.step();
        if (r.kind === "caught-up") break;
        if (r.kind === "range" && r.to >= r.from) ranges++;
      }
      const status = indexer.status();
      const blocks = status.checkpoint.block - deployment.deploymentBlock + 1;
      out = { events: status.eventsIndexed, ranges, blocks };
    } else {
      out = await floor(phase, rpc, db, deployment.deploymentBlock, deployment.addresses, opts.range, acc);
    }
  } finally {
    await db.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const { peakRssMiB, peakHeapUsedMiB, peakHeapTotalMiB, peakExternalMiB, rssSeriesMiB } = mem.stop();
  let breakdown: Record<string, number> | undefined;
  if (acc) {
    const ms = (v: number) => Math.round(v);
    breakdown = Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, k.endsWith("calls") || k.endsWith("(count)") ? v : ms(v)]));
    const timed = Object.entries(acc)
      .filter(([k]) => !k.endsWith("calls") && !k.endsWith("(count)"))
      .reduce((n, [, v]) => n + v, 0);
    breakdown["total"] = ms(seconds * 1000);
    breakdown[phase === "indexer" ? "rest (decode, handlers, write set, JSON)" : "rest"] = ms(seconds * 1000 - timed);
  }
  return { phase, ...out, seconds, eventsPerSecond: out.events / seconds, peakRssMiB, startRssMiB, peakHeapUsedMiB, peakHeapTotalMiB, peakExternalMiB, rssSeriesMiB, breakdown };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      deployment: { type: "string" },
      db: { type: "string" },
      range: { type: "string", default: "2000" },
      "max-events": { type: "string" },
      breakdown: { type: "boolean", default: false },
    },
  });
  const phase = positionals[0] as Phase;
  if (!PHASES.includes(phase) || !values.url || !values.deployment || !values.db) {
    process.stderr.write(`usage: indexer-phase.ts <${PHASES.join("|")}> --url URL --deployment FILE --db DIR [--range N] [--max-events N] [--breakdown]\n`);
    process.exit(2);
  }
  const result = await runPhase(phase, { url: values.url, deploymentFile: values.deployment, dbPath: values.db, range: Number(values.range), maxEvents: values["max-events"] === undefined ? undefined : Number(values["max-events"]), breakdown: values.breakdown });
  process.stdout.write(JSON.stringify(result) + "\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`indexer-phase: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Bulk registration benchmark: `drl resource import` (src/cli/import.ts, called in-process exactly as the command
 * calls it) registers a catalogue of N resources (default 2,000) on a fresh anvil, next to the raw limit measured in
 * the same run: N register transactions pre-signed before the clock starts, sent raw from a second holder with at
 * most 500 in flight (JSON-RPC batches of half the window as room frees, nonce polling). Each run measures both on
 * two fresh anvils in the same state (anvil slows as its chain grows), alternating which goes first; the median of
 * the runs' ratios is reported.
 *
 * Counted for both: stranded transactions (sent, never mined) and hung waits (a transaction not mined within the
 * wait timeout); stalls recovered by re-broadcast (and, on anvil, evm_mine) are reported too. Every registration is
 * checked afterwards (ResourceRegistered logs per holder).
 *
 *   tsx scripts/bench/bulk.ts [--rows 2000] [--concurrency 500,200] [--raw-window 500] [--repeat 3] [--out bench-results]
 *   (--concurrency: the import's windows to measure; the first, by default the raw sender's in-flight limit, is the
 *   headline compared with the target, the others are reported next to it)
 *   (or exported `run(argv)` for scripts/bench/index.ts)
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { JsonRpcProvider, Wallet, id, keccak256, toUtf8Bytes, zeroPadValue } from "ethers";
import { LEDGER_INTERFACES, type Deployment } from "../../src/chain/contracts.js";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { ROLE_IDS } from "../../src/domain/roles.js";
import { runImport, type ImportReport } from "../../src/cli/import.js";
import { DEFAULT_WINDOW, JsonRpc, TxSigner, bumpFees, currentFees, hex, sleep } from "../../src/cli/send.js";
import { ANVIL_KEYS, startAnvil } from "../lib/anvil.js";

export interface BenchOutcome {
  name: string;
  ok: boolean;
  failures: string[];
  markdown: string;
}

const REGISTRY = LEDGER_INTERFACES.ResourceRegistry;
const TARGET = 0.5;
/** Stall detection of the raw sender: the same as the CLI's on a development node (DEFAULT_WINDOW.devStallMs). */
const STALL_MS = DEFAULT_WINDOW.devStallMs;

interface RawResult {
  txPerSecond: number;
  seconds: number;
  /** Signing the n transactions before the clock started (one thread; not part of the raw limit). */
  signSeconds: number;
  sent: number;
  mined: number;
  stranded: number;
  hung: number;
  stallsRecovered: number;
  rebroadcasts: number;
  devMines: number;
  feeBumps: number;
  blocks: number;
}

const registerData = (tag: string, i: number) => REGISTRY.encodeFunctionData("register", [i % 5, 1, i % 2, i % 9, 0, keccak256(toUtf8Bytes(`${tag} catalogue ${i}`)), `ipfs://bench/${tag}/${i}`]);

/**
 * The raw limit: `n` register transactions signed before the clock starts, broadcast in batches with at most
 * `window` unconfirmed, confirmed by polling the nonce. Stalls: re-broadcast, then evm_mine (as the CLI does).
 */
export async function rawLimit(rpc: JsonRpc, key: string, deployment: Deployment, n: number, window: number, tag: string, waitTimeoutMs = 60_000): Promise<RawResult> {
  const wallet = new Wallet(key);
  const to = deployment.addresses.ResourceRegistry;
  const estimate = BigInt(await rpc.call<string>("eth_estimateGas", [{ from: wallet.address, to, data: registerData(tag, n) }]));
  const gas = (estimate * 12n) / 10n + 5_000n;
  const signer = new TxSigner(key, deployment.chainId, await currentFees(rpc));
  const base = Number(await rpc.call<string>("eth_getTransactionCount", [wallet.address, "pending"]));
  const s0 = performance.now();
  const txs = Array.from({ length: n }, (_, i) => signer.sign(base + i, { to, data: registerData(tag, i), gas }));
  const signSeconds = (performance.now() - s0) / 1000;
  const b0 = Number(await rpc.call<string>("eth_blockNumber"));
  const t0 = performance.now();
  let sent = 0;
  let mined = 0;
  let lastProgress = Date.now();
  let stallStep = 0;
  let nextStallAt = Number.POSITIVE_INFINITY;
  let stallsRecovered = 0;
  let stalled = false;
  let rebroadcasts = 0;
  let devMines = 0;
  let feeBumps = 0;
  let hung = 0;
  const sentAt: number[] = [];
  const refill = Math.max(1, Math.ceil(window / 2));
  while (mined < n) {
    const room = Math.min(n - sent, window - (sent - mined));
    if (room >= Math.min(refill, n - sent) && room > 0) {
      const batch = txs.slice(sent, sent + room);
      const answers = await rpc.batches(batch.map((t) => ({ method: "eth_sendRawTransaction", params: [t.raw] })), 250);
      const bad = answers.find((a) => a.error);
      if (bad) throw new Error(`raw send refused: ${bad.error!.message}`);
      const now = Date.now();
      for (let i = 0; i < batch.length; i++) sentAt[sent + i] = now;
      if (sent === mined) {
        lastProgress = now;
        nextStallAt = now + STALL_MS;
      }
      sent += batch.length;
    }
    const latest = Number(await rpc.call<string>("eth_getTransactionCount", [wallet.address, "latest"])) - base;
    const now = Date.now();
    if (latest > mined) {
      mined = latest;
      lastProgress = now;
      nextStallAt = now + STALL_MS;
      if (stalled) stallsRecovered++;
      stalled = false;
      stallStep = 0;
      continue;
    }
    for (let i = mined; i < sent; i++) if (sentAt[i]! > 0 && now - sentAt[i]! > waitTimeoutMs) {
      hung++;
      sentAt[i] = -1;
    }
    if (now - lastProgress > waitTimeoutMs) break;
    if (sent > mined && now >= nextStallAt) {
      stalled = true;
      stallStep++;
      nextStallAt = Date.now() + STALL_MS * 2 ** Math.min(stallStep, 3);
      // As the CLI's window: re-broadcast the lowest unmined transaction (all of them if the node lost it, or from the
      // second stall on), then evm_mine.
      const [probe] = await rpc.batch([{ method: "eth_sendRawTransaction", params: [txs[mined]!.raw] }]);
      rebroadcasts++;
      if (!(probe!.error && /already|known|imported|nonce too low/i.test(probe!.error.message)) || stallStep > 1) {
        const rest = txs.slice(mined + 1, sent);
        await rpc.batches(rest.map((t) => ({ method: "eth_sendRawTransaction", params: [t.raw] })), 250);
        rebroadcasts += rest.length;
      }
      // Still stuck although the node says it holds the lowest one: sign that nonce again with a higher fee.
      if (stallStep > 2) {
        const again = new TxSigner(key, deployment.chainId, bumpFees(signer.fees, stallStep - 2)).sign(txs[mined]!.nonce, { to, data: registerData(tag, mined), gas });
        txs[mined] = again;
        feeBumps++;
        await rpc.batch([{ method: "eth_sendRawTransaction", params: [again.raw] }]);
      }
      await rpc.call("evm_mine").then(() => devMines++, () => undefined);
    }
    if (room <= 0 || sent === n) await sleep(5);
  }
  const seconds = (performance.now() - t0) / 1000;
  const b1 = Number(await rpc.call<string>("eth_blockNumber"));
  return { txPerSecond: mined / seconds, seconds, signSeconds, sent, mined, stranded: sent - mined, hung, stallsRecovered, rebroadcasts, devMines, feeBumps, blocks: b1 - b0 };
}

/** Registrations on a fresh chain where only `holder` registers: resourceCount, checked against the holder's logs. */
async function registeredBy(rpc: JsonRpc, d: Deployment, holder: string): Promise<number> {
  const [count] = REGISTRY.decodeFunctionResult("resourceCount", await rpc.call<string>("eth_call", [{ to: d.addresses.ResourceRegistry, data: REGISTRY.encodeFunctionData("resourceCount") }, "latest"]));
  // anvil's log index trails the head by a moment right after a burst: wait until the logs agree (or 5 s).
  const deadline = Date.now() + 5_000;
  for (;;) {
    const logs = await rpc.call<unknown[]>("eth_getLogs", [
      { address: d.addresses.ResourceRegistry, fromBlock: hex(d.deploymentBlock), toBlock: "latest", topics: [REGISTRY.getEvent("ResourceRegistered")!.topicHash, null, zeroPadValue(holder, 32)] },
    ]);
    if (BigInt(logs.length) === count || Date.now() > deadline) return Math.min(logs.length, Number(count));
    await sleep(100);
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

interface ImportRun {
  concurrency: number;
  report: ImportReport;
  seconds: number;
  txPerSecond: number;
  ratio: number;
  registered: number;
}

interface Run {
  raw: RawResult;
  rawRegistered: number;
  imports: ImportRun[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function run(argv: string[]): Promise<BenchOutcome> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      rows: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "500,200" },
      "raw-window": { type: "string", default: "500" },
      repeat: { type: "string", default: "3" },
      out: { type: "string", default: "bench-results" },
    },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) throw new Error("--rows must be a positive integer");
  const concurrencies = String(values.concurrency).split(",").map(Number);
  if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) throw new Error("--concurrency must be positive integers (a list: the first is the headline)");
  const rawWindow = Math.min(500, Number(values["raw-window"]));
  const repeat = Math.max(1, Number(values.repeat));
  const out = String(values.out);
  const failures: string[] = [];
  const runs: Run[] = [];
  const importer = new Wallet(ANVIL_KEYS[1]);
  const rawHolder = new Wallet(ANVIL_KEYS[2]);

  /** A fresh anvil with the ledger deployed and both holders admitted (the same state for every phase). */
  const freshLedger = async () => {
    const node = await startAnvil();
    const provider = new JsonRpcProvider(node.url, undefined, { cacheTimeout: -1 });
    const gov = new Wallet(ANVIL_KEYS[0], provider);
    const deployment = await deployLedgerCore(gov);
    for (const w of [importer, rawHolder]) {
      await (await gov.sendTransaction({ to: deployment.addresses.MemberRegistry, data: LEDGER_INTERFACES.MemberRegistry.encodeFunctionData("admit", [w.address, id(`org ${w.address}`), id("cred"), [ROLE_IDS.HOLDER]]) })).wait();
    }
    provider.destroy();
    return { node, deployment, rpc: new JsonRpc(node.url) };
  };

  const dir = await mkdtemp(join(tmpdir(), "bulk-bench-"));
  try {
    for (let r = 0; r < repeat; r++) {
      // Each phase on a fresh chain in the same state (anvil slows as its chain grows); the order rotates per run.
      const phases: ("raw" | number)[] = ["raw", ...concurrencies];
      for (let k = 0; k < r % phases.length; k++) phases.push(phases.shift()!);
      let raw: RawResult | undefined;
      let rawRegistered = 0;
      const imports: Omit<ImportRun, "ratio">[] = [];
      for (const phase of phases) {
        const { node, deployment, rpc } = await freshLedger();
        try {
          if (phase === "raw") {
            raw = await rawLimit(rpc, ANVIL_KEYS[2], deployment, rows, rawWindow, `raw-${r}`);
            rawRegistered = await registeredBy(rpc, deployment, rawHolder.address);
            process.stderr.write(`[bulk] run ${r + 1} raw (${rawWindow} in flight): ${fmt(raw.txPerSecond)} tx/s, ${raw.blocks} blocks\n`);
          } else {
            const csv = join(dir, `catalogue-${r}-${phase}.csv`);
            const lines = ["kind,category,grade,domain,openClass,catalogue,uri"];
            for (let i = 0; i < rows; i++) lines.push(`${["DataSet", "Api", "Model", "Component", "Application"][i % 5]},Enterprise,${i % 2 ? "Important" : "General"},${i % 9},NotApplicable,import catalogue ${r} ${phase} ${i},ipfs://bench/import/${r}/${i}`);
            await writeFile(csv, lines.join("\n") + "\n");
            const t0 = performance.now();
            const report = await runImport({ file: csv, rpc, deployment, privateKey: ANVIL_KEYS[1], window: phase });
            const seconds = (performance.now() - t0) / 1000;
            const registered = await registeredBy(rpc, deployment, importer.address);
            imports.push({ concurrency: phase, report, seconds, txPerSecond: report.registeredNow / seconds, registered });
            process.stderr.write(`[bulk] run ${r + 1} import (--concurrency ${phase}): ${fmt(report.registeredNow / seconds)} tx/s, ${report.failed.length} failed\n`);
          }
        } finally {
          await node.stop();
        }
      }
      if (rawRegistered !== rows) failures.push(`run ${r + 1}: the raw run registered ${rawRegistered} of ${rows}`);
      for (const i of imports) {
        if (i.registered !== rows) failures.push(`run ${r + 1}: the import (--concurrency ${i.concurrency}) registered ${i.registered} of ${rows}`);
        if (i.report.failed.length) failures.push(`run ${r + 1}: ${i.report.failed.length} import rows failed (${i.report.failed[0]!.error.sentence})`);
      }
      runs.push({ raw: raw!, rawRegistered, imports: concurrencies.map((c) => imports.find((i) => i.concurrency === c)!).map((i) => ({ ...i, ratio: i.txPerSecond / raw!.txPerSecond })) });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const ratios = (c: number) => runs.map((x) => x.imports.find((i) => i.concurrency === c)!.ratio);
  const headline = concurrencies[0]!;
  const headRatio = median(ratios(headline));
  const stranded = runs.reduce((s, x) => s + x.raw.stranded + x.imports.reduce((t, i) => t + i.report.stats.stranded, 0), 0);
  const hung = runs.reduce((s, x) => s + x.raw.hung + x.imports.reduce((t, i) => t + i.report.stats.hung, 0), 0);
  if (headRatio < TARGET) failures.push(`import (--concurrency ${headline}) at ${fmt(headRatio, 2)}x the raw limit (target >= ${TARGET}x)`);
  if (stranded) failures.push(`${stranded} stranded transaction(s)`);
  if (hung) failures.push(`${hung} hung wait(s)`);

  const rawMed = median(runs.map((x) => x.raw.txPerSecond));
  const md = [
    `### Bulk registration (\`drl resource import\`), ${fmt(rows)} resources, anvil`,
    "",
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, shared with other jobs. ${runs.length} run(s); in each, the raw limit and the import at each --concurrency run on fresh anvils in the same state (ledger deployed, two holders admitted), in rotating order.`,
    `Raw limit: ${fmt(rows)} register transactions signed before the clock starts, sent from the second holder with at most ${rawWindow} in flight (JSON-RPC batches of half the window as room frees, nonce polling). Import: \`runImport\`, as \`drl resource import FILE.csv --concurrency N\` runs it, on the clock from start to end: CSV, the rule check (eth_call for rows that break a register rule), signing in worker threads, the journal fsynced before each broadcast, sending, confirmation from logs.`,
    "",
    "| path | tx/s (median) | / raw limit (median) | runs: tx/s | stranded | hung | stalls recovered (evm_mine, fee bumps) |",
    "|---|---:|---:|---|---:|---:|---|",
    `| raw limit (${rawWindow} in flight) | ${fmt(rawMed)} | 1.00x | ${runs.map((x) => fmt(x.raw.txPerSecond)).join(", ")} | ${runs.reduce((s, x) => s + x.raw.stranded, 0)} | ${runs.reduce((s, x) => s + x.raw.hung, 0)} | ${runs.reduce((s, x) => s + x.raw.stallsRecovered, 0)} (${runs.reduce((s, x) => s + x.raw.devMines, 0)}, ${runs.reduce((s, x) => s + x.raw.feeBumps, 0)}) |`,
    ...concurrencies.map((c) => {
      const is = runs.map((x) => x.imports.find((i) => i.concurrency === c)!);
      const label = c === headline ? `**drl resource import --concurrency ${c}**` : `drl resource import --concurrency ${c}${c === 200 ? " (the CLI default)" : ""}`;
      const tps = median(is.map((i) => i.txPerSecond));
      return `| ${label} | ${c === headline ? `**${fmt(tps)}**` : fmt(tps)} | ${c === headline ? `**${fmt(median(ratios(c)), 2)}x**` : `${fmt(median(ratios(c)), 2)}x`} | ${is.map((i) => fmt(i.txPerSecond)).join(", ")} | ${is.reduce((s, i) => s + i.report.stats.stranded, 0)} | ${is.reduce((s, i) => s + i.report.stats.hung, 0)} | ${is.reduce((s, i) => s + i.report.stats.stallsRecovered, 0)} (${is.reduce((s, i) => s + i.report.stats.devMines, 0)}, ${is.reduce((s, i) => s + i.report.stats.feeBumps, 0)}) |`;
    }),
    "",
    `Import at the raw sender's in-flight limit (--concurrency ${headline}) / raw limit, median of the runs: **${fmt(headRatio, 2)}x** (target >= ${TARGET}x: ${headRatio >= TARGET ? "met" : "NOT met"}). Stranded ${stranded}, hung ${hung} over all runs and paths. Every registration checked afterwards (resourceCount and the holder's ResourceRegistered logs): raw ${runs.map((x) => x.rawRegistered).join("/")}, import ${runs.map((x) => x.imports.map((i) => i.registered).join("+")).join("/")} of ${fmt(rows)}.`,
    "",
    `For scale: signing the ${fmt(rows)} raw transactions beforehand (one thread, off the raw clock) took ${fmt(median(runs.map((x) => x.raw.signSeconds)), 2)} s (median), ${fmt(median(runs.map((x) => x.raw.seconds)) ? median(runs.map((x) => x.raw.signSeconds)) / median(runs.map((x) => x.raw.seconds)) : 0, 2)}x the raw sending time itself.`,
    "",
    "A stall is anvil's automine leaving ready transactions in its pool (foundry-rs/foundry#10122): both senders then re-broadcast the lowest unmined transaction (all of them if the node lost it, or from the second stall on), ask the development node to mine (evm_mine), and from the third stall on sign the lowest nonce again with a higher fee. What the import pays and the raw path does not is client CPU: a secp256k1 signature and two keccak256 in JavaScript per transaction (about 0.45 ms on one idle core), spread over two worker threads that compete with anvil for the machine's two cores; the check, the fsynced journal and log-based confirmation cost little next to it.",
    "",
  ];
  const markdown = md.join("\n");
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "bulk.md"), markdown);
  await writeFile(
    join(out, "bulk.json"),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
        options: { rows, concurrency: concurrencies, rawWindow, repeat },
        target: TARGET,
        median: {
          rawTxPerSecond: rawMed,
          imports: concurrencies.map((c) => ({ concurrency: c, txPerSecond: median(runs.map((x) => x.imports.find((i) => i.concurrency === c)!.txPerSecond)), ratio: median(ratios(c)) })),
        },
        ratio: headRatio,
        stranded,
        hung,
        runs: runs.map((x) => ({
          raw: x.raw,
          rawRegistered: x.rawRegistered,
          imports: x.imports.map((i) => ({ concurrency: i.concurrency, txPerSecond: i.txPerSecond, seconds: i.seconds, ratio: i.ratio, registered: i.registered, failed: i.report.failed.length, stats: i.report.stats })),
        })),
        failures,
      },
      null,
      2,
    ) + "\n",
  );
  return { name: "bulk", ok: failures.length === 0, failures, markdown };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2)).then(
    (o) => {
      process.stdout.write(o.markdown);
      for (const f of o.failures) process.stderr.write(`[bulk] FAILED: ${f}\n`);
      process.exit(o.ok ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`bulk: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

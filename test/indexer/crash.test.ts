/**
 * Crash safety of the indexer command: kill -9 the indexer process at 10 or more random points during catch-up,
 * restart it each time, and check that the database always opens, holds exactly a prefix of a clean index's raw
 * events (never half a range), that its checkpoint never goes back, and that the final digest equals the digest
 * of a clean full index. Then every indexed trace head is compared with the contracts' traceWord.
 *
 * The chain is a local anvil with ~800 automined transactions (one block each); the indexer runs as a child
 * process (`node --import tsx scripts/index.ts run ... --max-range 3`) in its own process group, killed with
 * SIGKILL. Kill points are drawn with a seeded PRNG (DRL_CRASH_SEED overrides the seed) as target blocks spread
 * over the catch-up, and turned into delays from the measured startup time and block rate of a clean run.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Interface, JsonRpcProvider, Wallet, id } from "ethers";
import { ANVIL_KEYS, startAnvil, type AnvilNode } from "../../scripts/lib/anvil.js";
import type { Deployment } from "../../src/chain/contracts.js";
import { deployLedgerCore } from "../../src/chain/deploy.js";
import { writeDeploymentFile } from "../../src/chain/deployment-file.js";
import { Category, Domain, Grade, OpenClass, ResourceKind, RightType, SubjectKind } from "../../src/domain/enums.js";
import { ROLE_IDS } from "../../src/domain/roles.js";
import type { Checkpointed } from "../../src/indexer/sync.js";
import type { TraceHead } from "../../src/indexer/records.js";
import { openIndexDb } from "../../src/store/db.js";
import { digestDb } from "../../src/store/digest.js";
import { K } from "../../src/store/keys.js";
import { GrantRegistry__factory, MemberRegistry__factory, ResourceRegistry__factory } from "../../types/ethers-contracts/index.js";
import { traceWordIn } from "../helpers/trace.js";
import { mulberry32 } from "../../scripts/lib/prng.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The real node binary (an ELF, not a wrapper): with `--import tsx` the indexer is this one process. */
const NODE = join(ROOT, "node_modules", "node", "bin", "node");
const SCRIPT = join(ROOT, "scripts", "index.ts");

const MAX_RANGE = 3;
const WINDOW = 128;
const RESOURCES_PER_HOLDER = 70;
const TARGET_KILLS = 12;
const MIN_KILLS = 10;
const SEED = Number(process.env.DRL_CRASH_SEED ?? 0xd47a);


const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const h = (label: string) => id(label);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const running = new Set<ChildProcess>();

/** Runs `scripts/index.ts` as one process in its own process group. */
function spawnIndexer(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const env: NodeJS.ProcessEnv = { ...process.env, DRL_LOG_LEVEL: "warn" };
  delete env.NODE_OPTIONS;
  const t0 = Date.now();
  const child = spawn(NODE, ["--import", "tsx", SCRIPT, ...args], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8_000)));
  const exit = new Promise<Exit>((resolveExit, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
  return { child, exit };
}

/** Kills the child's whole process group (a wrapper leaving a grandchild behind would be caught too). */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/**
 * Live (non-zombie) processes of a process group, from /proc. `node --import tsx` starts an esbuild service as
 * a child, so killing the node process alone would leave esbuild behind: the group kill must take both.
 */
function liveInGroup(pgid: number): string[] {
  const live: string[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const [state, , pgrp] = stat.slice(close + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") live.push(`${name} ${stat.slice(stat.indexOf("(") + 1, close)} ${state}`);
  }
  return live;
}

async function expectGroupGone(pgid: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const live = liveInGroup(pgid);
    if (live.length === 0) return;
    if (Date.now() > deadline) expect(live, "processes left running in the indexer's group").to.deep.equal([]);
    await sleep(20);
  }
}

async function runToEnd(args: string[]): Promise<Exit> {
  const r = await spawnIndexer(args).exit;
  if (r.code !== 0) throw new Error(`indexer ${args[0]} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r;
}

async function cliDigest(dir: string): Promise<{ digest: string; entries: number }> {
  const r = await runToEnd(["digest", "--db", dir]);
  return JSON.parse(r.stdout.trim()) as { digest: string; entries: number };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

interface Tx {
  from: Wallet;
  to: string;
  data: string;
}

describe("Indexer crash safety (kill -9 during catch-up)", function () {
  this.timeout(180_000);

  let anvil: AnvilNode;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  const dirs: string[] = [];
  let deploymentFile = "";
  let head = 0;
  let transactions = 0;
  let clean: { digest: string; entries: number; ms: number; startupMs: number; events: number };
  /** The clean index's raw events (`ev:` rows) in key order, with their block numbers. */
  let cleanEvents: { key: string; value: string; block: number }[] = [];
  let finalDir = "";

  const tmp = async (prefix: string) => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };

  /** Signs and sends every transaction (each sender's in nonce order, senders side by side), then waits for all receipts. */
  async function send(txs: Tx[], nonces: Map<string, number>): Promise<void> {
    const fees = { maxFeePerGas: 20_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, gasLimit: 1_500_000n, chainId: deployment.chainId, type: 2 };
    for (let i = 0; i < txs.length; i += 240) {
      const chunk = txs.slice(i, i + 240);
      const bySender = new Map<Wallet, Tx[]>();
      for (const t of chunk) bySender.set(t.from, [...(bySender.get(t.from) ?? []), t]);
      const hashes: string[] = [];
      await Promise.all(
        [...bySender].map(async ([wallet, list]) => {
          for (const t of list) {
            const nonce = nonces.get(wallet.address)!;
            nonces.set(wallet.address, nonce + 1);
            const raw = await wallet.signTransaction({ to: t.to, data: t.data, nonce, ...fees });
            hashes.push(await provider.send("eth_sendRawTransaction", [raw]));
          }
        }),
      );
      const deadline = Date.now() + 60_000;
      await Promise.all(
        hashes.map(async (hash) => {
          for (;;) {
            const receipt = (await provider.send("eth_getTransactionReceipt", [hash])) as { status: string } | null;
            if (receipt) {
              expect(receipt.status, `transaction ${hash}`).to.equal("0x1");
              return;
            }
            if (Date.now() > deadline) throw new Error(`transaction ${hash} not mined`);
            await sleep(20);
          }
        }),
      );
      transactions += chunk.length;
    }
  }

  before(async function () {
    const t0 = Date.now();
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, undefined, { cacheTimeout: -1, batchMaxCount: 1, staticNetwork: true, pollingInterval: 50 });
    // ANVIL_KEYS[4] does not derive to a funded anvil account (its last byte is off by one): skip it.
    const [gov, regulator, holderA, holderB, holderC, processorA, processorB] = [0, 1, 2, 3, 5, 6, 7].map((i) => new Wallet(ANVIL_KEYS[i]!, provider)) as [
      Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet,
    ];
    const holders = [holderA, holderB, holderC];
    const processors = [processorA, processorB];

    // deployLedgerCore waits on receipts without a timeout (ethers' wait() can hang on an idle automine chain):
    // bound it and try again on a hang.
    for (let attempt = 1; ; attempt++) {
      try {
        deployment = await withTimeout(deployLedgerCore(gov), 30_000, "deployLedgerCore");
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
    const members = MemberRegistry__factory.connect(deployment.addresses.MemberRegistry, provider);
    const resources = ResourceRegistry__factory.connect(deployment.addresses.ResourceRegistry, provider);
    const grants = GrantRegistry__factory.connect(deployment.addresses.GrantRegistry, provider);
    const mi = members.interface as unknown as Interface;
    const ri = resources.interface as unknown as Interface;
    const gi = grants.interface as unknown as Interface;
    const M = deployment.addresses.MemberRegistry;
    const R = deployment.addresses.ResourceRegistry;
    const G = deployment.addresses.GrantRegistry;

    const nonces = new Map<string, number>();
    for (const w of [gov, regulator, ...holders, ...processors]) nonces.set(w.address, await provider.getTransactionCount(w.address, "latest"));

    // Members.
    await send(
      [
        [regulator, "regulator", [ROLE_IDS.REGULATOR]],
        ...holders.map((w, i) => [w, `holder${i}`, [ROLE_IDS.HOLDER]] as const),
        ...processors.map((w, i) => [w, `processor${i}`, [ROLE_IDS.PROCESSOR]] as const),
      ].map(([w, name, roles]) => ({
        from: gov,
        to: M,
        data: mi.encodeFunctionData("admit", [(w as Wallet).address, h(`org:${name as string}`), h(`cred:${name as string}`), roles]),
      })),
      nonces,
    );

    // Resources: each holder registers its own, side by side (ids interleave; read back who holds which).
    const reg: Tx[] = [];
    const domains = Object.values(Domain);
    for (let n = 0; n < RESOURCES_PER_HOLDER; n++) {
      holders.forEach((w, i) =>
        reg.push({
          from: w,
          to: R,
          data: ri.encodeFunctionData("register", [
            n % 3 === 0 ? ResourceKind.Api : ResourceKind.DataSet,
            Category.Enterprise,
            n % 4 === 0 ? Grade.Important : Grade.General,
            domains[(n + i) % domains.length]!,
            OpenClass.NotApplicable,
            h(`catalogue:${i}:${n}`),
            `ipfs://catalogue/${i}/${n}`,
          ]),
        }),
      );
    }
    await send(reg, nonces);
    const resourceCount = Number(await resources.resourceCount());
    const holderOf = new Map<number, Wallet>();
    for (let r = 1; r <= resourceCount; r++) {
      const holder = (await resources.getResource(r)).holder;
      holderOf.set(r, holders.find((w) => w.address === holder)!);
    }

    // A new catalogue version of every resource, and a root grant on each to one of the processors.
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const scope = { purposes: 0b111, region: 330200, validFrom: now, validUntil: now + 365n * 24n * 3600n, exclusive: false, maySubGrant: true, depth: 2, cap: 0n };
    const phase2: Tx[] = [];
    for (let r = 1; r <= resourceCount; r++) {
      const from = holderOf.get(r)!;
      phase2.push({ from, to: R, data: ri.encodeFunctionData("change", [r, h(`catalogue:v2:${r}`), `ipfs://catalogue/${r}/v2`]) });
      phase2.push({
        from,
        to: G,
        data: gi.encodeFunctionData("grant", [RightType.ProcessingUse, SubjectKind.Resource, r, processors[r % 2]!.address, scope, h(`terms:${r}`), 0]),
      });
    }
    await send(phase2, nonces);
    const grantCount = Number(await grants.grantCount());
    const roots = [];
    for (let g = 1; g <= grantCount; g++) {
      const { grantee, grantor, subjectId } = await grants.getGrant(g);
      roots.push({ id: g, grantee, grantor, subjectId });
    }

    // Sub-grants by the processors (each to the other) on some grants; revocations by the holders on others.
    const phase3: Tx[] = [];
    roots.forEach((g, i) => {
      if (i % 4 === 0) {
        const from = processors.find((p) => p.address === g.grantee)!;
        const to = processors.find((p) => p.address !== g.grantee)!;
        phase3.push({
          from,
          to: G,
          data: gi.encodeFunctionData("grant", [RightType.ProcessingUse, SubjectKind.Resource, g.subjectId, to.address, { ...scope, purposes: 0b011, depth: 1 }, h(`terms:sub:${g.id}`), g.id]),
        });
      } else if (i % 4 === 1) {
        phase3.push({ from: holders.find((w) => w.address === g.grantor)!, to: G, data: gi.encodeFunctionData("revoke", [g.id, h(`revoke:${g.id}`)]) });
      }
    });
    await send(phase3, nonces);

    // A regulator freezes and unfreezes resources and grants; governance suspends and reinstates a processor.
    const phase4: Tx[] = [];
    for (let r = 1; r <= resourceCount; r += 4) {
      phase4.push({ from: regulator, to: R, data: ri.encodeFunctionData("freeze", [r, h(`freeze:${r}`)]) });
      phase4.push({ from: regulator, to: R, data: ri.encodeFunctionData("unfreeze", [r, h(`unfreeze:${r}`)]) });
    }
    for (const g of roots.filter((_, i) => i % 4 === 2).slice(0, 30)) {
      phase4.push({ from: regulator, to: G, data: gi.encodeFunctionData("freeze", [g.id, h(`gfreeze:${g.id}`)]) });
      phase4.push({ from: regulator, to: G, data: gi.encodeFunctionData("unfreeze", [g.id, h(`gunfreeze:${g.id}`)]) });
    }
    phase4.push({ from: gov, to: M, data: mi.encodeFunctionData("suspend", [processorB.address, h("suspend:pB")]) });
    phase4.push({ from: gov, to: M, data: mi.encodeFunctionData("reinstate", [processorB.address, h("reinstate:pB")]) });
    await send(phase4, nonces);

    head = await provider.getBlockNumber();
    const dir = await tmp("drl-crash-");
    deploymentFile = join(dir, "deployment.json");
    await writeDeploymentFile(deploymentFile, deployment);
    const setupMs = Date.now() - t0;

    // Startup cost of the command (node + tsx + imports + opening a db: the median of three), then a clean full index.
    const startups: number[] = [];
    for (let i = 0; i < 3; i++) startups.push((await runToEnd(["digest", "--db", await tmp("drl-crash-empty-")])).ms);
    const startupMs = startups.sort((a, b) => a - b)[1]!;
    const cleanDir = await tmp("drl-crash-clean-");
    const run = await runToEnd(["run", "--rpc", anvil.url, "--deployment", deploymentFile, "--db", cleanDir, "--max-range", String(MAX_RANGE), "--window", String(WINDOW)]);
    const d = await cliDigest(cleanDir);
    const db = await openIndexDb(cleanDir);
    try {
      for await (const [key, value] of db.iterator({ gte: "ev:", lt: "ev:\xff" })) cleanEvents.push({ key, value, block: (JSON.parse(value) as { block: number }).block });
      const cp = JSON.parse((await db.get(K.meta("checkpoint")))!) as Checkpointed;
      expect(cp.block).to.equal(head);
    } finally {
      await db.close();
    }
    clean = { ...d, ms: run.ms, startupMs, events: cleanEvents.length };
    console.log(
      `      setup: ${transactions} transactions, head ${head}, ${cleanEvents.length} events in ${setupMs} ms; clean index ${run.ms} ms (startup ~${startupMs} ms), ${d.entries} entries`,
    );
  });

  after(async function () {
    for (const child of running) killGroup(child);
    provider?.destroy();
    await anvil?.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("ends, after 10+ kill -9s during catch-up, with the digest of a clean full index; the db opens after every kill", async function () {
    const t0 = Date.now();
    let dir = await tmp("drl-crash-run-");
    const argsFor = (d: string) => ["run", "--rpc", anvil.url, "--deployment", deploymentFile, "--db", d, "--max-range", String(MAX_RANGE), "--window", String(WINDOW)];
    let args = argsFor(dir);
    const first = deployment.deploymentBlock;
    const blocks = head - first + 1;
    const workMs = Math.max(clean.ms - clean.startupMs, 1);
    const msPerBlock = workMs / blocks;
    // The time before the first range commits, re-estimated from where each kill actually landed.
    let startupMs = clean.startupMs;
    const landed: string[] = [];
    let checkpoint = first - 1;
    let kills = 0;
    let killsWithProgress = 0;
    let finishedEarly = 0;
    const killedAt: number[] = [];
    const rand = mulberry32(SEED);
    // Kill targets: the next one is a random block ahead of the checkpoint, a random share of an even split of
    // what is left (up to 92% of the catch-up) among the kills still to make; then turned into a delay.
    const end = first + Math.floor(0.92 * blocks);
    const nextTarget = (cp: number) => cp + Math.max(2, Math.round((0.3 + 1.4 * rand()) * ((end - cp) / Math.max(TARGET_KILLS - killsWithProgress, 1))));
    for (let attempt = 0; attempt < TARGET_KILLS * 4 && killsWithProgress < TARGET_KILLS; attempt++) {
      const target = nextTarget(checkpoint);
      const delay = Math.round(startupMs + Math.max(target - checkpoint, 2) * msPerBlock);
      const { child, exit } = spawnIndexer(args);
      await sleep(delay);
      if (child.exitCode === null && child.signalCode === null) killGroup(child);
      const r = await exit;
      // Nothing of the indexer (node, nor its esbuild child) is left running in its process group.
      await expectGroupGone(child.pid!);
      if (r.signal !== "SIGKILL") {
        // It caught up before the kill landed (a slow or busy machine throws the timing off). That index must be
        // the clean one too; the remaining kills go to a fresh directory.
        expect(r.code, `indexer failed before the kill: ${r.stderr}`).to.equal(0);
        finishedEarly++;
        expect((await cliDigest(dir)).digest, "an uninterrupted-to-the-end run").to.equal(clean.digest);
        dir = await tmp("drl-crash-run-");
        args = argsFor(dir);
        checkpoint = first - 1;
        startupMs = clean.startupMs;
        continue;
      }
      kills++;

      // The partial db opens, scans end to end, and holds exactly the clean index's events up to its checkpoint.
      const db = await openIndexDb(dir);
      try {
        const raw = await db.get(K.meta("checkpoint"));
        const cp = raw === undefined ? first - 1 : (JSON.parse(raw) as Checkpointed).block;
        expect(cp, "the checkpoint never goes back").to.be.at.least(checkpoint);
        expect(cp).to.be.at.most(head);
        await digestDb(db);
        const events: { key: string; value: string }[] = [];
        for await (const [key, value] of db.iterator({ gte: "ev:", lt: "ev:\xff" })) events.push({ key, value });
        const expected = cleanEvents.filter((e) => e.block <= cp).map(({ key, value }) => ({ key, value }));
        expect(events.length, `events after kill ${kills} (checkpoint ${cp})`).to.equal(expected.length);
        expect(events, `events after kill ${kills} (checkpoint ${cp})`).to.deep.equal(expected);
        landed.push(`${delay}ms:${target}->${cp}`);
        if (cp > checkpoint && cp < head) {
          killsWithProgress++;
          killedAt.push(cp);
          const observed = delay - (cp - checkpoint) * msPerBlock;
          startupMs = Math.min(Math.max((startupMs + observed) / 2, 50), 3 * clean.startupMs);
        } else {
          // Killed before its first range committed: it needs longer to start.
          startupMs = Math.min(Math.max(startupMs, delay) + 25, 3 * clean.startupMs);
        }
        checkpoint = cp;
      } finally {
        await db.close();
      }
    }
    expect(killsWithProgress, `kills during catch-up (delay:checkpoint ${landed.join(" ")})`).to.be.at.least(MIN_KILLS);

    // One more restart, to the end.
    const last = await runToEnd(args);
    const final = await cliDigest(dir);
    expect(final.entries).to.equal(clean.entries);
    expect(final.digest).to.equal(clean.digest);
    finalDir = dir;
    console.log(
      `      crash: kills ${kills} (${killsWithProgress} mid-catch-up, ${finishedEarly} runs caught up before their kill, checkpoints ${killedAt.join(",")} of ${first}..${head}), events ${clean.events}, ` +
        `clean digest ${clean.digest}, clean ${clean.ms} ms, crash runs + final ${Date.now() - t0} ms (final run ${last.ms} ms), seed ${SEED}; delay:checkpoint ${landed.join(" ")}`,
    );
  });

  it("the recovered index's trace heads equal the contracts' traceWord", async function () {
    expect(finalDir, "needs the crash test's index").to.not.equal("");
    const heads: TraceHead[] = [];
    const db = await openIndexDb(finalDir);
    try {
      for await (const [, v] of db.iterator({ gte: "trh:", lt: "trh:\xff" })) heads.push(JSON.parse(v) as TraceHead);
    } finally {
      await db.close();
    }
    for (let i = 0; i < heads.length; i += 50) {
      await Promise.all(
        heads.slice(i, i + 50).map(async (head) => {
          const onChain = await traceWordIn(deployment, provider, head.contract, head.subject);
          expect(head.word, head.subject).to.equal(onChain.toLowerCase());
        }),
      );
    }
    const resources = Number(await ResourceRegistry__factory.connect(deployment.addresses.ResourceRegistry, provider).resourceCount());
    expect(heads.length).to.be.greaterThan(resources * 2);
    console.log(`      trace heads: ${heads.length} equal on chain`);
  });
});

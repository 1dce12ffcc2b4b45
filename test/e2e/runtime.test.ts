/**
 * End to end: `npm start` (scripts/start.ts) as a child process on fresh temporary directories.
 *
 *  1. Restart: run a scenario (members admitted, resources registered, a catalogue change, a grant, a sub-grant, a
 *     revocation, a document uploaded through the API and cited as a grant's terms hash), record every block hash
 *     and the API's answers, stop with SIGTERM (clean exit 0, no node left behind), start again on the same data
 *     directory, and check that everything survived: the chain, the index, the documents, the deployment (not
 *     redone), evidence bundles (through the API and the `drl` CLI, proofs at the anchor block), and that new
 *     writes are indexed.
 *  2. Crash: the same scenario, then bursts of writes killed mid-way with SIGKILL to the whole process group,
 *     three times; after each restart the index must equal the node's chain (checkpoint, trace heads, version
 *     counts), no node may be left behind, and new writes must be indexed.
 *
 * The runtime runs from a mirror of the project (contracts, deploy module, src, scripts) under the system temp
 * directory, with node_modules linked: the Ignition deployment of `npm start` builds the production profile, and
 * doing that in the project itself would overwrite the default-profile artifacts the rest of the test run (or a
 * concurrent one) deploys from, and leave Ignition journals under deploy/deployments. The mirror is reused between
 * runs (only changed files are rewritten, so its production build is cached), guarded by a lock; a run that finds
 * it locked builds a private one.
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { JsonRpcProvider, Wallet, id, keccak256, type TransactionResponse } from "ethers";
import { freePort } from "../../scripts/lib/anvil.js";
import type { Deployment } from "../../src/chain/contracts.js";
import { readDeploymentFile } from "../../src/chain/deployment-file.js";
import { Category, Domain, Grade, OpenClass, ResourceKind, RightType, SubjectKind } from "../../src/domain/enums.js";
import { ROLE_IDS } from "../../src/domain/roles.js";
import { subjectKey } from "../../src/domain/trace.js";
import { GrantRegistry__factory, MemberRegistry__factory, ResourceRegistry__factory } from "../../types/ethers-contracts/index.js";
import { HeadroomWallet } from "../../src/chain/signer.js";
import { deriveActors } from "../../src/demo/actors.js";
import { Market__factory, DisputeRegistry__factory, ProductRegistry__factory } from "../../types/ethers-contracts/index.js";

const require = createRequire(import.meta.url);
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const HARDHAT_CLI = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
/** What the runtime needs of the project: its sources, the contracts and the Ignition module, the configuration. */
const MIRRORED = ["contracts", "deploy/modules", "src", "scripts/start.ts", "scripts/demo.ts", "scripts/lib", "hardhat.config.ts", "package.json", "tsconfig.json"];
const RUNNING = "DataRights Ledger is running.";
/**
 * The crashes. Each sends `sends` writes of a burst, one after another (`paceMs` apart), and kills the process
 * group then (`wait` says after what):
 *  - "sent": at once, before the indexer has seen the burst: the restart loses it, nothing to roll back;
 *  - "indexed-unsnapshotted": once the index holds the burst while the last chain snapshot does not (told by the
 *    state file's time, checked twice 150 ms apart so that a snapshot being written is seen), writing `more` again
 *    while a snapshot caught up: the restart rolls the index back (within the 64-block reorg window);
 *  - "indexed-presnapshot": once the index holds the burst; then the state file is put back to the snapshot made
 *    just before the burst, as if no snapshot of it had reached the disk (a slow disk, or the default 2 s interval):
 *    the index is ahead of the restored chain by more than the reorg window and must be rebuilt.
 */
const CRASHES = [
  { name: "burst not yet indexed", sends: 37, paceMs: 0, wait: "sent", more: 0 },
  { name: "burst indexed, no snapshot of it on disk, deeper than the reorg window", sends: 71, paceMs: 0, wait: "indexed-presnapshot", more: 0 },
  { name: "paced burst indexed, ahead of the last snapshot", sends: 40, paceMs: 20, wait: "indexed-unsnapshotted", more: 3 },
] as const;
/** Writes signed for each crash (the most a crash can send). */
const BURST = 300;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------------------------
// The runtime's project mirror

/** Rewrites in `dst` only what differs from `src`, and removes what `src` no longer has. */
async function syncTree(src: string, dst: string): Promise<number> {
  const s = await lstat(src);
  if (s.isFile()) {
    const want = await readFile(src);
    const have = existsSync(dst) ? await readFile(dst).catch(() => undefined) : undefined;
    if (have && have.equals(want)) return 0;
    await mkdir(dirname(dst), { recursive: true });
    await writeFile(dst, want);
    return 1;
  }
  if (!s.isDirectory()) return 0;
  await mkdir(dst, { recursive: true });
  const names = new Set(await readdir(src));
  let written = 0;
  for (const name of names) written += await syncTree(join(src, name), join(dst, name));
  for (const name of await readdir(dst)) if (!names.has(name)) await rm(join(dst, name), { recursive: true, force: true });
  return written;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface RuntimeRoot {
  root: string;
  shared: boolean;
  release(): Promise<void>;
}

async function acquireRoot(): Promise<RuntimeRoot> {
  const shared = join(tmpdir(), `drl-e2e-runtime-${createHash("sha256").update(PROJECT).digest("hex").slice(0, 12)}`);
  const lock = `${shared}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      return { root: shared, shared: true, release: () => rm(lock, { recursive: true, force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number((await readFile(join(lock, "pid"), "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) await rm(lock, { recursive: true, force: true });
      else break;
    }
  }
  const root = await mkdtemp(join(tmpdir(), "drl-e2e-runtime-private-"));
  return { root, shared: false, release: () => rm(root, { recursive: true, force: true }) };
}

/**
 * The environment of the children: ours without DRL_ settings (a stray DRL_RPC_URL would change the mode) and
 * without what `hardhat test` sets for itself: HARDHAT_CONFIG would point the mirror's builds and Ignition
 * deployment at the project's own config (and artifacts), NODE_ENV=test is not what `npm start` runs with.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("DRL_") && !k.startsWith("HARDHAT_") && k !== "NODE_ENV") env[k] = v;
  return { ...env, FORCE_COLOR: "0", ...extra };
}

async function prepareRoot(root: string): Promise<{ written: number; buildMs: number }> {
  let written = 0;
  for (const entry of MIRRORED) written += await syncTree(join(PROJECT, entry), join(root, entry));
  if (!existsSync(join(root, "node_modules"))) await symlink(join(PROJECT, "node_modules"), join(root, "node_modules"), "dir");
  // Ignition journals of earlier runs (their chains are gone).
  await rm(join(root, "deploy", "deployments"), { recursive: true, force: true });
  const t = performance.now();
  const build = spawnSync(process.execPath, [HARDHAT_CLI, "--config", join(root, "hardhat.config.ts"), "build", "--build-profile", "production"], { cwd: root, env: childEnv(), encoding: "utf8" });
  if (build.status !== 0) throw new Error(`production build in ${root} failed:\n${build.stdout}\n${build.stderr}`);
  return { written, buildMs: performance.now() - t };
}

// ---------------------------------------------------------------------------------------------------------------
// The runtime as a child process

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<Runtime>();
/** Every runtime of the current test, whose output a failed test leaves in its data directory. */
const started: Runtime[] = [];
process.on("exit", () => {
  for (const r of live) r.kill();
});

class Runtime {
  out = "";
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly nodePort: number,
    readonly apiPort: number,
  ) {
    child.stdout!.on("data", (d: Buffer) => (this.out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }
  get api(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }
  get rpc(): string {
    return `http://127.0.0.1:${this.nodePort}`;
  }

  static async start(root: string, dataDir: string, nodePort: number, apiPort: number): Promise<Runtime> {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      env: childEnv({
        DRL_DATA_DIR: dataDir,
        DRL_NODE_PORT: String(nodePort),
        DRL_API_PORT: String(apiPort),
        DRL_SNAPSHOT_SECONDS: "0.5",
        // info, not warn: the clean stop says "stopped cleanly" at info level.
        DRL_LOG_LEVEL: "info",
        DRL_RATE_LIMIT: "100000",
      }),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r = new Runtime(child, dataDir, nodePort, apiPort);
    live.add(r);
    started.push(r);
    const deadline = Date.now() + 180_000;
    while (!r.out.includes(RUNNING)) {
      if (r.exit) throw new Error(`the runtime exited (${JSON.stringify(r.exit)}) before it was running:\n${r.tail()}`);
      if (Date.now() > deadline) throw new Error(`the runtime did not start within 180 s:\n${r.tail()}`);
      await sleep(50);
    }
    try {
      await until("GET /ready = 200", async () => (await fetch(`${r.api}/ready`)).status === 200, 60_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}; the runtime said:\n${r.tail()}`);
    }
    return r;
  }

  tail(n = 4_000): string {
    return this.out.slice(-n);
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM to the process group; resolves with the exit and how long it took. */
  async stop(timeoutMs = 20_000): Promise<Exit & { ms: number }> {
    const t = performance.now();
    this.kill("SIGTERM");
    const exit = await Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
    if (!exit) {
      this.kill("SIGKILL");
      throw new Error(`the runtime did not stop within ${timeoutMs} ms:\n${this.tail()}`);
    }
    return { ...exit, ms: performance.now() - t };
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(everyMs);
  }
}

/** anvil processes (or their watchdog shells) serving `port` or the chain of `dataDir`. */
function nodeProcesses(port: number, dataDir: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (!args.some((a) => a.endsWith("/anvil") || a === "anvil-watchdog")) continue;
    const portAt = args.indexOf("--port");
    if ((portAt >= 0 && args[portAt + 1] === String(port)) || args.some((a) => a.startsWith(join(dataDir, "chain")))) out.push({ pid: Number(name), cmd: args.join(" ").trim() });
  }
  return out;
}

async function noNodeLeft(r: Runtime, graceMs: number): Promise<number> {
  const t = performance.now();
  for (;;) {
    const left = nodeProcesses(r.nodePort, r.dataDir);
    if (left.length === 0) return performance.now() - t;
    if (performance.now() - t > graceMs) {
      for (const p of left) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      expect.fail(`the node outlived the runtime by more than ${graceMs} ms: ${left.map((p) => `${p.pid} ${p.cmd}`).join("; ")}`);
    }
    await sleep(25);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Node and API clients

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const headOf = async (url: string) => Number(await rpc<string>(url, "eth_blockNumber"));
const blockHash = async (url: string, n: number) => (await rpc<{ hash: string } | null>(url, "eth_getBlockByNumber", ["0x" + n.toString(16), false]))?.hash;

async function blockHashes(url: string): Promise<string[]> {
  const head = await headOf(url);
  const out: string[] = [];
  for (let from = 0; from <= head; from += 32) {
    const part = await Promise.all(Array.from({ length: Math.min(32, head - from + 1) }, (_, i) => blockHash(url, from + i)));
    out.push(...part.map((h) => h!));
  }
  return out;
}

interface Reply<T = unknown> {
  status: number;
  body: T;
}

async function call<T = unknown>(base: string, path: string, o: { token?: string; method?: string; json?: unknown } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, { method: o.method ?? (o.json === undefined ? "GET" : "POST"), headers, body: o.json === undefined ? undefined : JSON.stringify(o.json) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: body as T };
}

async function ok<T>(base: string, path: string, token?: string): Promise<T> {
  const r = await call<T>(base, path, { token });
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function login(base: string, wallet: Wallet): Promise<string> {
  const c = await call<{ message: string }>(base, "/v1/auth/challenge", { json: { address: wallet.address } });
  expect(c.status, JSON.stringify(c.body)).to.equal(200);
  const signature = await wallet.signMessage(c.body.message);
  const l = await call<{ token: string }>(base, "/v1/auth/login", { json: { message: c.body.message, signature } });
  expect(l.status, JSON.stringify(l.body)).to.equal(200);
  return l.body.token;
}

interface Status {
  checkpoint: { block: number; hash: string | null };
  head: number;
  lag: number;
  caughtUp: boolean;
}

/** Waits until the index holds the node's head, and returns /status then. */
async function indexed(r: Runtime): Promise<Status> {
  return until(
    "the index to reach the node's head",
    async () => {
      const head = await headOf(r.rpc);
      const s = await ok<Status>(r.api, "/status");
      return s.caughtUp && s.checkpoint.block === head ? s : undefined;
    },
    60_000,
    50,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario

interface Actors {
  gov: Wallet;
  holder: Wallet;
  processor: Wallet;
  processor2: Wallet;
  provider: JsonRpcProvider;
  deployment: Deployment;
}

interface Played {
  resources: bigint[];
  grants: { root: bigint; sub: bigint; revoked: bigint };
  document: { hash: string; bytes: Buffer };
  /** A block in the middle of the scenario, for proofs at an old state. */
  midBlock: number;
}

function connect(r: Runtime, keys: { gov: string; holder: string; processor: string; processor2: string }, deployment: Deployment): Actors {
  const provider = new JsonRpcProvider(r.rpc, Number(deployment.chainId), { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  return {
    gov: new HeadroomWallet(keys.gov, provider),
    holder: new HeadroomWallet(keys.holder, provider),
    processor: new HeadroomWallet(keys.processor, provider),
    processor2: new HeadroomWallet(keys.processor2, provider),
    provider,
    deployment,
  };
}

const contracts = (a: Actors) => ({
  members: MemberRegistry__factory.connect(a.deployment.addresses.MemberRegistry, a.gov),
  resources: ResourceRegistry__factory.connect(a.deployment.addresses.ResourceRegistry, a.holder),
  grants: GrantRegistry__factory.connect(a.deployment.addresses.GrantRegistry, a.holder),
});

const mined = async (p: Promise<TransactionResponse>): Promise<void> => {
  const receipt = await (await p).wait();
  if (receipt?.status !== 1) throw new Error("transaction failed");
};

async function runScenario(r: Runtime, a: Actors): Promise<Played> {
  const { members, resources, grants } = contracts(a);
  for (const w of [a.holder, a.processor, a.processor2]) await rpc(r.rpc, "anvil_setBalance", [w.address, "0x" + (10n ** 21n).toString(16)]);

  // Governance: the governor also takes the regulator role (to read everything through the API); members admitted.
  await mined(members.grantRole(ROLE_IDS.REGULATOR, a.gov.address));
  await mined(members.admit(a.holder.address, id("org:holder"), id("cred:holder"), [ROLE_IDS.HOLDER]));
  await mined(members.admit(a.processor.address, id("org:processor"), id("cred:processor"), [ROLE_IDS.PROCESSOR]));
  await mined(members.admit(a.processor2.address, id("org:processor2"), id("cred:processor2"), [ROLE_IDS.PROCESSOR]));

  // Resources: three enterprise data (grants over them rest on no operation authorization or consent), one public.
  const ids: bigint[] = [];
  const register = async (kind: number, category: number, grade: number, domain: number, open: number, label: string) => {
    await mined(resources.register(kind, category, grade, domain, open, id(`catalogue:${label}`), `ipfs://catalogue/${label}`));
    ids.push(await resources.resourceCount());
  };
  await register(ResourceKind.DataSet, Category.Enterprise, Grade.General, Domain.PortLogistics, OpenClass.NotApplicable, "port");
  await register(ResourceKind.Api, Category.Enterprise, Grade.Important, Domain.Manufacturing, OpenClass.NotApplicable, "plant");
  await register(ResourceKind.Model, Category.Enterprise, Grade.General, Domain.Finance, OpenClass.NotApplicable, "risk");
  await register(ResourceKind.DataSet, Category.Public, Grade.General, Domain.Health, OpenClass.Unconditional, "health");
  const [r1, r2, r3] = ids as [bigint, bigint, bigint];
  await mined(resources.change(r1, id("catalogue:port:v2"), "ipfs://catalogue/port/v2"));
  const midBlock = await headOf(r.rpc);

  // The terms of the grant: a document uploaded by the holder through the API, cited by its hash.
  await indexed(r);
  const holderToken = await login(r.api, a.holder);
  const bytes = Buffer.from(`Processing-use terms for resource ${r1}: purposes 0b11, Ningbo, one year. ${new Date().toISOString()}\n`);
  const res = await fetch(`${r.api}/v1/documents`, { method: "POST", headers: { authorization: `Bearer ${holderToken}`, "content-type": "text/plain" }, body: bytes });
  const uploaded = (await res.json()) as { hash: string; size: number };
  expect(res.status, JSON.stringify(uploaded)).to.equal(201);
  expect(uploaded.hash).to.equal(keccak256(bytes));

  const now = BigInt((await a.provider.getBlock("latest"))!.timestamp);
  const scope = { purposes: 0b11, region: 330200, validFrom: now, validUntil: now + 365n * 24n * 3600n, exclusive: false, maySubGrant: true, depth: 2, cap: 0n };
  await mined(grants.grant(RightType.ProcessingUse, SubjectKind.Resource, r1, a.processor.address, scope, uploaded.hash, 0));
  const root = await grants.grantCount();
  await mined(grants.connect(a.processor).grant(RightType.ProcessingUse, SubjectKind.Resource, r1, a.processor2.address, { ...scope, depth: 1 }, id("terms:sub"), root));
  const sub = await grants.grantCount();
  await mined(grants.grant(RightType.ProcessingUse, SubjectKind.Resource, r2, a.processor2.address, { ...scope, maySubGrant: false, depth: 0 }, id("terms:r2"), 0));
  const revoked = await grants.grantCount();
  await mined(grants.revoke(revoked, id("reason:revoked")));
  await mined(resources.change(r3, id("catalogue:risk:v2"), "ipfs://catalogue/risk/v2"));
  return { resources: ids, grants: { root, sub, revoked }, document: { hash: uploaded.hash, bytes }, midBlock };
}

/** Everything the governor (a regulator too) can read about the scenario through the API, by path. */
async function readAll(r: Runtime, token: string, a: Actors): Promise<Record<string, unknown>> {
  const { resources, grants } = contracts(a);
  const out: Record<string, unknown> = {};
  const read = async (path: string) => (out[path] = await ok(r.api, path, token));
  await read("/status");
  const members = (await read("/v1/members?limit=100")) as { items: { account: string }[] };
  await read("/v1/resources?limit=100");
  for (const m of members.items) {
    await read(`/v1/members/${m.account}`);
    await read(`/v1/traces/${subjectKey(SubjectKind.Member, m.account)}?limit=100`);
  }
  for (let i = 1n; i <= (await resources.resourceCount()); i++) {
    for (const suffix of ["", "/versions", "/objections", "/rights"]) await read(`/v1/resources/${i}${suffix}`);
    await read(`/v1/grants?resourceId=${i}&limit=100`);
    await read(`/v1/traces/${subjectKey(SubjectKind.Resource, i)}?limit=100`);
  }
  for (let i = 1n; i <= (await grants.grantCount()); i++) {
    for (const suffix of ["", "/validity", "/impact"]) await read(`/v1/grants/${i}${suffix}`);
    await read(`/v1/traces/${subjectKey(SubjectKind.Grant, i)}?limit=100`);
  }
  for (const dimension of ["resources.domain", "resources.category", "grants.right", "members"]) await read(`/v1/stats?dimension=${dimension}`);
  return out;
}

async function download(r: Runtime, token: string, hash: string): Promise<Buffer> {
  const res = await fetch(`${r.api}/v1/documents/${hash}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).to.equal(200);
  expect(res.headers.get("x-document-hash")).to.equal(hash);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(keccak256(bytes)).to.equal(hash);
  return bytes;
}

interface Bundle {
  anchor: { number: number; hash: string };
  subjects: unknown[];
}

/** Pulls the subject's evidence bundle and has the API verify it against the anchor block's hash read from the node. */
async function verifiedBundle(r: Runtime, token: string, subject: string): Promise<Bundle> {
  const bundle = await ok<Bundle>(r.api, `/v1/evidence/subjects/${subject}`, token);
  const trusted = await blockHash(r.rpc, bundle.anchor.number);
  expect(trusted, "the anchor block is on the node").to.equal(bundle.anchor.hash);
  const verdict = await call<{ ok: boolean; summary: string; failure?: unknown }>(r.api, "/v1/evidence/verify", { json: { bundle, trustedBlockHash: trusted } });
  expect(verdict.status).to.equal(200);
  expect(verdict.body.ok, JSON.stringify(verdict.body.failure ?? verdict.body.summary)).to.equal(true);
  return bundle;
}

const drl = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(PROJECT, "scripts", "drl.ts"), ...args], { cwd: PROJECT, encoding: "utf8", env: childEnv({ DRL_LOG_LEVEL: "silent" }) });

/** The index agrees with the node: checkpoint at the head with its hash, every trace head, every version count. */
async function checkConsistent(r: Runtime, token: string, a: Actors): Promise<{ checkpoint: number; resources: number; grants: number; members: number }> {
  const status = await indexed(r);
  const head = await headOf(r.rpc);
  expect(status.checkpoint.block).to.equal(head);
  expect(status.checkpoint.hash).to.equal(await blockHash(r.rpc, head));
  // The chain hangs from its genesis (anvil adds a genesis block of its own at every start: see embedded-node.ts).
  expect((await rpc<{ parentHash: string }>(r.rpc, "eth_getBlockByNumber", ["0x1", false])).parentHash, "block 1 hangs from block 0").to.equal(await blockHash(r.rpc, 0));
  const { members, resources, grants } = contracts(a);
  const traceHead = async (subject: string) => (await ok<{ head: { word: string } }>(r.api, `/v1/traces/${subject}?limit=1`, token)).head.word;

  const resourceCount = await resources.resourceCount();
  const listed = await ok<{ items: { id: string }[] }>(r.api, "/v1/resources?limit=100", token);
  expect(listed.items.length).to.equal(Number(resourceCount));
  const changes = await resources.queryFilter(resources.filters.ResourceChanged(), a.deployment.deploymentBlock, head);
  for (let i = 1n; i <= resourceCount; i++) {
    const key = subjectKey(SubjectKind.Resource, i);
    expect(await traceHead(key), `trace head of resource ${i}`).to.equal(await resources.traceWord(key, { blockTag: head }));
    const api = await ok<{ version: number }>(r.api, `/v1/resources/${i}`, token);
    const onChain = changes.filter((e) => e.args.resourceId === i).length;
    expect(api.version - 1, `versions of resource ${i}`).to.equal(onChain);
    expect(api.version).to.equal(Number((await resources.getObjectionState(i, { blockTag: head })).version));
  }
  const grantCount = await grants.grantCount();
  for (let i = 1n; i <= grantCount; i++) {
    const key = subjectKey(SubjectKind.Grant, i);
    expect(await traceHead(key), `trace head of grant ${i}`).to.equal(await grants.traceWord(key, { blockTag: head }));
  }
  const memberList = await ok<{ items: { account: string }[] }>(r.api, "/v1/members?limit=100", token);
  for (const m of memberList.items) {
    const key = subjectKey(SubjectKind.Member, m.account);
    expect(await traceHead(key), `trace head of member ${m.account}`).to.equal(await members.traceWord(key, { blockTag: head }));
  }
  return { checkpoint: status.checkpoint.block, resources: Number(resourceCount), grants: Number(grantCount), members: memberList.items.length };
}

/** A write after a restart: a new catalogue version of `resourceId`, which the API must show once indexed. */
async function writeAndSeeIndexed(r: Runtime, token: string, a: Actors, resourceId: bigint, label: string): Promise<void> {
  const { resources } = contracts(a);
  const before = await ok<{ version: number }>(r.api, `/v1/resources/${resourceId}`, token);
  await mined(resources.change(resourceId, id(`catalogue:${label}`), `ipfs://catalogue/${label}`));
  await indexed(r);
  const after = await ok<{ version: number; catalogueUri: string }>(r.api, `/v1/resources/${resourceId}`, token);
  expect(after.version).to.equal(before.version + 1);
  expect(after.catalogueUri).to.equal(`ipfs://catalogue/${label}`);
}

async function freshKeys(dataDir: string) {
  const gov = (await readFile(join(dataDir, "keys", "governance.key"), "utf8")).trim();
  return { gov, holder: Wallet.createRandom().privateKey, processor: Wallet.createRandom().privateKey, processor2: Wallet.createRandom().privateKey };
}

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------
// The demo (npm run demo) against a runtime

/** Starts `npm run demo`'s script against runtime `r`, as a child process of its own. */
function startDemo(root: string, r: Runtime): { child: ChildProcess; out: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: root,
    env: childEnv({ DRL_DATA_DIR: r.dataDir, DRL_NODE_PORT: String(r.nodePort), DRL_API_PORT: String(r.apiPort), DRL_LOG_LEVEL: "warn" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out: () => out, done };
}

/** What the demo left, read through the API as the demo's regulator (the bureau) and from the chain. */
async function demoState(r: Runtime, deployment: Deployment): Promise<{ api: Record<string, unknown>; chain: Record<string, string> }> {
  const govKey = readFileSync(join(r.dataDir, "keys", "governance.key"), "utf8").trim();
  const provider = new JsonRpcProvider(r.rpc, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const actors = deriveActors(govKey, provider);
    const token = await login(r.api, new Wallet(actors.bureau.privateKey));
    const market = Market__factory.connect(deployment.addresses.Market, provider);
    const disputes = DisputeRegistry__factory.connect(deployment.addresses.DisputeRegistry!, provider);
    const [listings, trades] = await market.counts();
    const api = {
      listings: await ok(r.api, "/v1/listings?limit=100", token),
      trades: await ok(r.api, "/v1/trades?limit=100", token),
      trade1: await ok(r.api, "/v1/trades/1", token),
      entitlements: await ok(r.api, `/v1/entitlements?party=${actors.port.address.toLowerCase()}`, token),
      products: await ok(r.api, "/v1/products?limit=100", token),
      lineage: await ok(r.api, "/v1/products/2/lineage?depth=3", token),
      disputeTrace: await ok(r.api, `/v1/traces/${subjectKey(SubjectKind.Dispute, 1n)}?limit=100`, token),
    };
    const chain = {
      listings: listings.toString(),
      trades: trades.toString(),
      disputes: (await disputes.disputeCount()).toString(),
      owedPort: (await market.owed(actors.port.address, "0x434e59")).toString(),
      disputeWord: await disputes.traceWord(subjectKey(SubjectKind.Dispute, 1n)),
    };
    return { api, chain };
  } finally {
    provider.destroy();
  }
}

describe("runtime end to end (npm start as a child process)", function () {
  this.timeout(600_000);
  let root: RuntimeRoot;
  const dirs: string[] = [];
  const summary: string[] = [];

  before(async function () {
    const t = performance.now();
    root = await acquireRoot();
    const { written, buildMs } = await prepareRoot(root.root);
    summary.push(`e2e setup: ${root.shared ? "shared" : "private"} runtime mirror ${root.root}, ${written} file(s) synced, production build ${seconds(buildMs)} (setup ${seconds(performance.now() - t)})`);
  });

  afterEach(async function () {
    for (const r of [...live]) {
      r.kill("SIGKILL");
      await Promise.race([r.exited, sleep(5_000)]);
      for (const p of nodeProcesses(r.nodePort, r.dataDir)) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
    const runs = started.splice(0);
    if (this.currentTest?.state === "failed") {
      for (const [i, r] of runs.entries()) await writeFile(join(r.dataDir, "..", `runtime-${i + 1}.log`), r.out).catch(() => undefined);
      for (const d of dirs) process.stdout.write(`(kept ${d} of the failed test: data/ and the runtimes' output, runtime-N.log)\n`);
      dirs.length = 0;
    }
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  after(async function () {
    await rm(join(root.root, "deploy", "deployments"), { recursive: true, force: true }).catch(() => undefined);
    await root.release();
    for (const line of summary) process.stdout.write(`      ${line}\n`);
  });

  it("stops cleanly and restarts with the chain, index, documents and deployment intact", async function () {
    const work = await mkdtemp(join(tmpdir(), "drl-e2e-restart-"));
    dirs.push(work);
    const dataDir = join(work, "data");
    const nodePort = await freePort();
    const apiPort = await freePort();
    const t0 = performance.now();
    let r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const firstStartMs = performance.now() - t0;
    expect(r.out).to.include("deploying the ledger with Ignition");
    const deploymentJson = await readFile(join(dataDir, "deployment.json"), "utf8");
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const keys = await freshKeys(dataDir);
    const a = connect(r, keys, deployment);

    const t1 = performance.now();
    const played = await runScenario(r, a);
    await indexed(r);
    const scenarioMs = performance.now() - t1;

    // Before: every block hash, the API's answers, the document, a proof at an old block, an evidence bundle.
    const govToken = await login(r.api, a.gov);
    const hashes = await blockHashes(r.rpc);
    const answers = await readAll(r, govToken, a);
    const doc = await download(r, govToken, played.document.hash);
    const { resources } = contracts(a);
    const r1Key = subjectKey(SubjectKind.Resource, played.resources[0]!);
    const slot = await resources.traceSlot(r1Key);
    const proofAt = (block: number) => rpc(r.rpc, "eth_getProof", [deployment.addresses.ResourceRegistry, [slot], "0x" + block.toString(16)]);
    const oldProof = await proofAt(played.midBlock);
    const rootGrantKey = subjectKey(SubjectKind.Grant, played.grants.root);
    const bundleBefore = await verifiedBundle(r, govToken, rootGrantKey);
    const bundleFile = join(work, "bundle-before.json");
    await writeFile(bundleFile, JSON.stringify(bundleBefore));

    // Stop: SIGTERM to the group, exit 0 within 20 s, said so, no node left.
    const stopped = await r.stop(20_000);
    expect(stopped, r.tail()).to.include({ code: 0, signal: null });
    expect(r.out).to.include("stopped cleanly");
    const nodeGoneMs = await noNodeLeft(r, 2_000);
    const stateBytes = (await lstat(join(dataDir, "chain", "state.json"))).size;

    // Start again on the same data directory.
    const t2 = performance.now();
    r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const restartMs = performance.now() - t2;
    expect(r.out).to.not.include("deploying the ledger");
    expect(await readFile(join(dataDir, "deployment.json"), "utf8"), "deployment.json unchanged").to.equal(deploymentJson);
    const b = connect(r, keys, deployment);
    await indexed(r);

    const hashesAfter = await blockHashes(r.rpc);
    expect(hashesAfter.length, "no block lost or added").to.equal(hashes.length);
    expect(hashesAfter).to.deep.equal(hashes);
    // The session token survives (its secret is kept in the data directory); a new sign-in works too.
    expect((await call(r.api, "/v1/members?limit=1", { token: govToken })).status).to.equal(200);
    const govToken2 = await login(r.api, b.gov);
    const answersAfter = await readAll(r, govToken2, b);
    expect(Object.keys(answersAfter)).to.deep.equal(Object.keys(answers));
    for (const path of Object.keys(answers)) expect(answersAfter[path], path).to.deep.equal(answers[path]);
    expect(await download(r, govToken2, played.document.hash)).to.deep.equal(doc);
    expect(await proofAt(played.midBlock), "eth_getProof at an old block").to.deep.equal(oldProof);

    // Evidence after the restart: the bundle pulled before verifies against the restarted node (CLI, trusted
    // node), a fresh one from the API verifies (API verify and CLI verify with the anchor hash).
    const cliOld = drl(["evidence", "verify", bundleFile, "--trusted-rpc", r.rpc]);
    expect(cliOld.status, cliOld.stdout + cliOld.stderr).to.equal(0);
    const fresh = await verifiedBundle(r, govToken2, rootGrantKey);
    expect(fresh.anchor).to.deep.equal(bundleBefore.anchor);
    const pulledFile = join(work, "bundle-after.json");
    const pull = drl(["evidence", "pull", "--api", r.api, "--token", govToken2, "--subject", r1Key, "--out", pulledFile]);
    expect(pull.status, pull.stdout + pull.stderr).to.equal(0);
    const pulled = JSON.parse(await readFile(pulledFile, "utf8")) as Bundle;
    const cliNew = drl(["evidence", "verify", pulledFile, "--trusted-hash", (await blockHash(r.rpc, pulled.anchor.number))!]);
    expect(cliNew.status, cliNew.stdout + cliNew.stderr).to.equal(0);
    expect(cliNew.stdout).to.match(/^VERIFIED: /m);

    // New writes after the restart are mined on the restored chain and indexed.
    const { resources: res2 } = contracts(b);
    await mined(res2.register(ResourceKind.DataSet, Category.Enterprise, Grade.General, Domain.NewMaterials, OpenClass.NotApplicable, id("catalogue:after"), "ipfs://catalogue/after"));
    const newId = await res2.resourceCount();
    await writeAndSeeIndexed(r, govToken2, b, played.resources[0]!, "port:v3");
    const consistent = await checkConsistent(r, govToken2, b);
    expect(consistent.resources).to.equal(Number(newId));
    const afterWrites = await verifiedBundle(r, govToken2, r1Key);
    expect(afterWrites.anchor.number).to.be.greaterThan(fresh.anchor.number);
    expect((await blockHashes(r.rpc)).slice(0, hashes.length)).to.deep.equal(hashes);

    const stopped2 = await r.stop(20_000);
    expect(stopped2, r.tail()).to.include({ code: 0, signal: null });
    await noNodeLeft(r, 2_000);
    summary.push(
      `restart: blocks ${hashes.length} (0..${hashes.length - 1}), same hashes after restart; ${Object.keys(answers).length} API answers identical; document, deployment, proofs at block ${played.midBlock} and evidence (API + CLI) intact; ` +
        `first start ${seconds(firstStartMs)} (deploys), scenario ${seconds(scenarioMs)}, clean stop ${seconds(stopped.ms)} (node gone +${Math.round(nodeGoneMs)} ms), restart ${seconds(restartMs)}, state.json ${(stateBytes / 1024).toFixed(0)} KiB`,
    );
  });

  it("recovers to a consistent state after SIGKILL mid-burst, three times", async function () {
    const work = await mkdtemp(join(tmpdir(), "drl-e2e-crash-"));
    dirs.push(work);
    const dataDir = join(work, "data");
    const nodePort = await freePort();
    const apiPort = await freePort();
    let r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const keys = await freshKeys(dataDir);
    let a = connect(r, keys, deployment);
    const played = await runScenario(r, a);
    await indexed(r);
    let govToken = await login(r.api, a.gov);
    await checkConsistent(r, govToken, a);

    for (const [cycle, crash] of CRASHES.entries()) {
      // A burst of catalogue changes over the scenario's resources, signed up front and sent one after another
      // without waiting for receipts (anvil mines one block per transaction); the process group is killed mid-way.
      const { resources } = contracts(a);
      const ids = played.resources.slice(0, 3);
      const nonce = await a.provider.getTransactionCount(a.holder.address, "latest");
      const fee = await a.provider.getFeeData();
      const gasLimit = ((await resources.change.estimateGas(ids[0]!, id("estimate"), "ipfs://burst/estimate/0000")) * 3n) / 2n;
      const signed = await Promise.all(
        Array.from({ length: BURST }, async (_, i) =>
          a.holder.signTransaction({
            type: 2,
            chainId: deployment.chainId,
            nonce: nonce + i,
            to: deployment.addresses.ResourceRegistry,
            data: resources.interface.encodeFunctionData("change", [ids[i % ids.length]!, id(`burst:${cycle}:${i}`), `ipfs://burst/${cycle}/${String(i).padStart(4, "0")}`]),
            gasLimit,
            maxFeePerGas: fee.maxFeePerGas! * 4n,
            maxPriorityFeePerGas: fee.maxPriorityFeePerGas!,
          }),
        ),
      );
      const before = await blockHashes(r.rpc);
      const burstStart = before.length - 1;
      const stateFile = join(dataDir, "chain", "state.json");
      const t = performance.now();
      let sent = 0;
      let lastSentAt = 0;
      const send = async (n: number) => {
        for (let i = 0; i < n && sent < signed.length; i++) {
          await rpc(r.rpc, "eth_sendRawTransaction", [signed[sent++]]);
          lastSentAt = Date.now();
          if (crash.paceMs) await sleep(crash.paceMs);
        }
      };
      // anvil answers a raw transaction before it has mined it (and may mine a few in one block): wait for the
      // last one's receipt, to know the head.
      const mined = async () => {
        const last = keccak256(signed[sent - 1]!);
        return Number(await until("the burst's last receipt", async () => (await rpc<{ blockNumber: string } | null>(r.rpc, "eth_getTransactionReceipt", [last]))?.blockNumber, 5_000, 2));
      };
      let preBurst: Buffer | undefined;
      if (crash.wait === "indexed-presnapshot") {
        // The snapshot of the chain as it was before the burst.
        preBurst = await until(
          "a snapshot of the chain before the burst",
          async () => {
            const bytes = await readFile(stateFile);
            return (JSON.parse(bytes.toString("utf8")) as { best_block_number: number }).best_block_number === burstStart && bytes;
          },
          10_000,
          100,
        );
      }
      await send(crash.sends);
      let headBeforeKill = await mined();
      let attempts = 1;
      const indexedTo = (target: number) => until("the burst to be indexed", async () => (await ok<Status>(r.api, "/status")).checkpoint.block >= target, 10_000, 5);
      if (crash.wait === "indexed-presnapshot") await indexedTo(headBeforeKill);
      if (crash.wait === "indexed-unsnapshotted") {
        for (;;) {
          await indexedTo(headBeforeKill);
          const unsnapshotted = () => statSync(stateFile).mtimeMs < lastSentAt;
          if (unsnapshotted() && (await sleep(150), unsnapshotted())) break;
          if (attempts >= 8 || sent + crash.more > signed.length) break;
          // A snapshot holds the burst already: write on, and try again.
          await sleep(Math.floor(Math.random() * 200));
          await send(crash.more);
          headBeforeKill = await mined();
          attempts++;
        }
      }
      const indexedBeforeKill = (await ok<Status>(r.api, "/status")).checkpoint.block;
      expect(await headOf(r.rpc)).to.equal(headBeforeKill);
      const burstMs = performance.now() - t;
      r.kill("SIGKILL");
      const exit = await Promise.race([r.exited, sleep(10_000).then(() => undefined)]);
      expect(exit, "the runtime died").to.deep.equal({ code: null, signal: "SIGKILL" });
      const nodeGoneMs = await noNodeLeft(r, 5_000);
      const leftovers = readdirSync(join(dataDir, "chain")).filter((f) => f !== "state.json");
      const cutShort = leftovers.length > 0;
      if (!cutShort) {
        // As a kill during a snapshot leaves it (the killed runtime's pid names it), to see it cleared.
        leftovers.push(`state.json.tmp-${r.pid}`);
        await writeFile(join(dataDir, "chain", leftovers[0]!), "{");
      }
      if (preBurst) await writeFile(stateFile, preBurst);

      const t2 = performance.now();
      r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
      const restartMs = performance.now() - t2;
      a = connect(r, keys, deployment);
      // The temporary file of a snapshot the kill cut short is cleared at the start.
      expect(readdirSync(join(dataDir, "chain")).filter((f) => leftovers.includes(f)), "stale snapshot files").to.deep.equal([]);
      const headAfter = await headOf(r.rpc);
      expect(headAfter).to.be.at.least(played.midBlock);
      expect(headAfter).to.be.at.most(headBeforeKill);
      // The restored chain is a prefix of the one that was killed: the blocks before the burst, then the burst's
      // first transactions in order.
      const after = await blockHashes(r.rpc);
      expect(after.slice(0, burstStart + 1)).to.deep.equal(before.slice(0, Math.min(after.length, burstStart + 1)));
      const survived: string[] = [];
      for (let b = burstStart + 1; b <= headAfter; b++) survived.push(...(await rpc<{ transactions: string[] }>(r.rpc, "eth_getBlockByNumber", ["0x" + b.toString(16), false])).transactions);
      expect(survived).to.deep.equal(signed.slice(0, survived.length).map((tx) => keccak256(tx)));
      const writesLost = sent - survived.length;
      govToken = await login(r.api, a.gov);
      const state = await checkConsistent(r, govToken, a);
      const rolled = /"msg":"reorganisation rolled back"[^\n]*"depth":(\d+)/.exec(r.out);
      const rebuilt = r.out.includes("rebuilding the index");
      await writeAndSeeIndexed(r, govToken, a, played.resources[0]!, `after-crash-${cycle}`);
      await checkConsistent(r, govToken, a);
      summary.push(
        `crash ${cycle + 1} (${crash.name}): killed after ${sent} burst writes in ${seconds(burstMs)}${attempts > 1 ? ` (${attempts} tries to outrun the snapshot)` : ""}, blocks ${burstStart + 1}..${headBeforeKill}, indexed to ${indexedBeforeKill}${preBurst ? `, state file put back to block ${burstStart}` : ""}; ` +
          `head before kill ${headBeforeKill}, after restart ${headAfter}: lost ${headBeforeKill - headAfter} block(s) (${writesLost} write(s)); ` +
          `indexer ${rebuilt ? "rebuilt the index (ran ahead further than the reorg window)" : rolled ? `rolled back ${rolled[1]} block(s)` : "did not roll back"}; ` +
          `checkpoint ${state.checkpoint} = node head, ${state.resources} resources / ${state.grants} grants / ${state.members} members consistent; ` +
          `node gone +${Math.round(nodeGoneMs)} ms${cutShort ? `, the kill cut a snapshot short (${leftovers.join(", ")}, removed at the start)` : ""}; restart ${seconds(restartMs)}`,
      );
    }
    // What the snapshots cost at this length: the state file (historical states included) and one dump.
    const t = performance.now();
    const dump = await rpc<string>(r.rpc, "anvil_dumpState", [true]);
    const dumpMs = performance.now() - t;
    const head = await headOf(r.rpc);
    const stopped = await r.stop(20_000);
    expect(stopped, r.tail()).to.include({ code: 0, signal: null });
    await noNodeLeft(r, 2_000);
    const stateBytes = statSync(join(dataDir, "chain", "state.json")).size;
    summary.push(`crash test end: ${head + 1} blocks, state.json ${(stateBytes / 2 ** 20).toFixed(1)} MiB (${((stateBytes / (head + 1)) / 1024).toFixed(0)} KiB per block), one anvil_dumpState(true) ${Math.round(dumpMs)} ms (${((dump.length - 2) / 2 / 2 ** 20).toFixed(1)} MiB gzipped); clean stop ${seconds(stopped.ms)}`);
  });

  it("runs the demo, stops, starts again: the demo's products, listings, trades, entitlements and dispute survive (API and CLI)", async function () {
    const work = await mkdtemp(join(tmpdir(), "drl-e2e-demo-"));
    dirs.push(work);
    const dataDir = join(work, "data");
    const nodePort = await freePort();
    const apiPort = await freePort();
    let r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const demo = startDemo(root.root, r);
    const code = await demo.done;
    expect(code, `the demo failed:\n${demo.out().slice(-3_000)}`).to.equal(0);
    expect(demo.out()).to.include("Where to look");
    expect(demo.out()).to.match(/final ruling was executed/);
    await indexed(r);
    const before = await demoState(r, deployment);
    expect(Number(before.chain.trades)).to.be.at.least(2);
    expect(before.chain.disputes).to.equal("1");
    expect((before.api.trade1 as { trade: { status: string } }).trade.status).to.equal("Confirmed");
    const hashes = await blockHashes(r.rpc);
    const cliBefore = drl(["market", "show", "trade", "1", "--rpc", r.rpc, "--deployment", join(dataDir, "deployment.json"), "--json"]);
    expect(cliBefore.status, cliBefore.stderr).to.equal(0);

    const stop = await r.stop();
    expect(stop.code, r.tail()).to.equal(0);
    r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    await indexed(r);
    expect((await blockHashes(r.rpc)).slice(0, hashes.length)).to.deep.equal(hashes);
    const after = await demoState(r, deployment);
    expect(after).to.deep.equal(before);
    const cliAfter = drl(["market", "show", "trade", "1", "--rpc", r.rpc, "--deployment", join(dataDir, "deployment.json"), "--json"]);
    expect(cliAfter.status, cliAfter.stderr).to.equal(0);
    expect(JSON.parse(cliAfter.stdout)).to.deep.equal(JSON.parse(cliBefore.stdout));
    summary.push(`demo: ${before.chain.trades} trades, ${before.chain.listings} listings, 1 dispute; identical after a restart`);
    await r.stop();
  });

  it("recovers to a consistent state after SIGKILL mid-demo, and the demo then runs to the end", async function () {
    const work = await mkdtemp(join(tmpdir(), "drl-e2e-demo-kill-"));
    dirs.push(work);
    const dataDir = join(work, "data");
    const nodePort = await freePort();
    const apiPort = await freePort();
    let r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const deployment = await readDeploymentFile(join(dataDir, "deployment.json"));
    const demo = startDemo(root.root, r);
    // Kill the whole runtime in the middle of the market story.
    await until("the demo to reach its market story", async () => demo.out().includes("[14]") || (demo.out().includes("demo:") ? "failed" : undefined), 300_000, 50);
    expect(demo.out()).to.not.include("demo: ");
    r.kill("SIGKILL");
    await r.exited;
    demo.child.kill("SIGKILL");
    await demo.done;

    r = await Runtime.start(root.root, dataDir, nodePort, apiPort);
    const status = await indexed(r);
    const head = await headOf(r.rpc);
    expect(status.checkpoint.block).to.equal(head);
    expect(status.checkpoint.hash).to.equal(await blockHash(r.rpc, head));
    // The index agrees with the chain it restarted on: the market's counts and every trace head the API serves.
    const provider = new JsonRpcProvider(r.rpc, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const market = Market__factory.connect(deployment.addresses.Market, provider);
      const [, trades] = await market.counts();
      const govKey = readFileSync(join(dataDir, "keys", "governance.key"), "utf8").trim();
      const token = await login(r.api, new Wallet(deriveActors(govKey, provider).bureau.privateKey));
      const apiTrades = await ok<{ items: unknown[] }>(r.api, "/v1/trades?limit=100", token);
      expect(apiTrades.items.length).to.equal(Number(trades));
      const products = await ok<{ items: { id: string }[] }>(r.api, "/v1/products?limit=100", token);
      for (const p of products.items) {
        const key = subjectKey(SubjectKind.Product, BigInt(p.id));
        const served = await ok<{ head: { word: string } }>(r.api, `/v1/traces/${key}?limit=1`, token);
        const registry = ProductRegistry__factory.connect(deployment.addresses.ProductRegistry, provider);
        expect(served.head.word, `trace head of product ${p.id}`).to.equal(await registry.traceWord(key));
      }
    } finally {
      provider.destroy();
    }
    // The ledger is usable: the demo runs to the end on the recovered chain.
    const again = startDemo(root.root, r);
    expect(await again.done, again.out().slice(-3_000)).to.equal(0);
    await indexed(r);
    summary.push(`demo killed at step 14 and restarted: index = chain at block ${status.checkpoint.block}; the demo then ran to the end`);
    await r.stop();
  });
});

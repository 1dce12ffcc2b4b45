/**
 * A fast, reusable load generator for the ledger on an anvil node: admits members, then sends a realistic mix of
 * writes (registrations, catalogue changes, root and sub-grants, revocations, freezes, objections, transfers) until
 * the chain holds at least the requested number of events.
 *
 * Speed comes from pre-signed raw transactions (explicit nonce, gas limit and fees; no ethers provider in the hot
 * path), sent in JSON-RPC batches with at most `window` (<= 500) unconfirmed transactions per sender, across
 * several senders, and confirmed by polling nonces and receipts in batches, every wait bounded by a timeout
 * (see TOOLCHAIN.md K/L: automine strands transactions in unbounded bursts; ethers' waits can hang).
 *
 * A dependent write is only signed after its dependency is mined (a grant after its resource, a sub-grant after its
 * parent grant, an unfreeze after its freeze, a resolution after its objection), and ids are read from the mined
 * receipts' logs, so nothing depends on the order in which the node happened to mine different senders.
 * A write that could conflict with a write still in flight is not sent: a resource leaves its holder's pool and
 * waits until nothing is pending on it before it is frozen, objected to or transferred.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { HDNodeWallet, Mnemonic, SigningKey, Transaction, computeAddress, getAddress, id, keccak256, toUtf8Bytes, type Interface } from "ethers";
import { LEDGER_CONTRACT_NAMES, LEDGER_INTERFACES, type Deployment } from "../../src/chain/contracts.js";
import { Category, Domain, Grade, OpenClass, ResourceKind, RightType, SubjectKind } from "../../src/domain/enums.js";
import { ROLE_IDS } from "../../src/domain/roles.js";
import { mulberry32 } from "./prng.js";

/** Write kinds the generator sends (setup kinds first). */
export const WRITE_KINDS = [
  "admit",
  "setObjectionWindow",
  "register",
  "change",
  "rootGrant",
  "subGrant",
  "revoke",
  "grantFreeze",
  "grantUnfreeze",
  "resourceFreeze",
  "resourceUnfreeze",
  "object",
  "resolve",
  "transfer",
] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];
type MixKind = Exclude<WriteKind, "admit" | "setObjectionWindow">;

/** Target share of each write kind in the main phase (sums to 1). */
export const DEFAULT_MIX: Readonly<Record<MixKind, number>> = {
  register: 0.34,
  change: 0.15,
  rootGrant: 0.25,
  subGrant: 0.1,
  revoke: 0.04,
  grantFreeze: 0.02,
  grantUnfreeze: 0.02,
  resourceFreeze: 0.005,
  resourceUnfreeze: 0.005,
  object: 0.01,
  resolve: 0.01,
  transfer: 0.05,
};

/** Gas limit per kind: measured gasUsed (see the bench's `gasUsedMax`) with headroom. */
const GAS: Readonly<Record<WriteKind, bigint>> = {
  admit: 400_000n,
  setObjectionWindow: 150_000n,
  register: 300_000n,
  change: 150_000n,
  rootGrant: 450_000n,
  subGrant: 450_000n,
  revoke: 150_000n,
  grantFreeze: 150_000n,
  grantUnfreeze: 150_000n,
  resourceFreeze: 150_000n,
  resourceUnfreeze: 150_000n,
  object: 200_000n,
  resolve: 250_000n,
  transfer: 150_000n,
};

export interface LoadProgress {
  phase: "setup" | "main" | "drain" | "verify";
  sent: number;
  confirmed: number;
  events: number;
  target: number;
  inFlight: number;
  seconds: number;
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  /** Funded private keys; keys[0] must be an active GOVERNANCE member (the deployer). Default: anvilDevKeys(10). */
  keys?: readonly string[];
  /** Most unconfirmed transactions per sender (at most 500). */
  window?: number;
  /**
   * "manual" (default): the generator turns automine off and mines one block (anvil_mine, +1 s) after every
   * `txPerBlock` transactions it sends: deterministic block density, nothing left in the pool, no stalls.
   * "auto" (for comparison only): anvil's automine packs whatever has arrived, leaves ready transactions unmined
   * now and then (foundry-rs/foundry#10122; the stall recovery re-broadcasts them and mines), and was measured at
   * ~70-550 tx/s with dozens of stalls, once not answering a send batch at all.
   * Block density matters for speed: anvil 1.7.1 recomputes its state root from the whole state on every block
   * (an empty block costs ~1 ms per 1,000 events already on chain), so large chains need dense blocks.
   */
  mining?: "auto" | "manual";
  /** Manual mining: transactions per block (default 10). */
  txPerBlock?: number;
  /** Unfunded members admitted as grantees only (processors). */
  passiveGrantees?: number;
  /** A transaction not confirmed within this many ms counts as a hung wait; the run then stops. */
  waitTimeoutMs?: number;
  /** No progress for this long on a sender with pending transactions: re-broadcast / mine to recover. */
  stallMs?: number;
  mix?: Readonly<Record<MixKind, number>>;
  /** Seed of the deterministic choice of writes. */
  seed?: number;
  /** Sign in a worker thread (default true), overlapping signing with sending and confirming. */
  signWorker?: boolean;
  /** Max fee per gas (wei). */
  maxFeePerGas?: bigint;
}

export interface LoadResult {
  /** Events emitted by the generator's transactions (from receipts). */
  events: number;
  /** All ledger logs on chain from the deployment block to `toBlock` (eth_getLogs), deployment included. */
  logsOnChain: number;
  transactions: number;
  byKind: Record<WriteKind, number>;
  eventsByName: Record<string, number>;
  gasUsedMax: Record<WriteKind, number>;
  reverted: number;
  revertedByKind: Record<string, number>;
  /** Sent but never mined. */
  stranded: number;
  /** Confirmation waits that exceeded waitTimeoutMs. */
  hungWaits: number;
  /** Stalls seen and recovered (re-broadcast or mined) before the wait timeout. */
  stallsRecovered: number;
  fromBlock: number;
  toBlock: number;
  blocks: number;
  /** Average transactions per block of the run. */
  txPerBlock: number;
  seconds: number;
  txPerSecond: number;
  eventsPerSecond: number;
  mining: "auto" | "manual";
  senders: number;
}

/**
 * anvil's funded dev accounts: the first `count` keys of its default mnemonic (anvil funds `--accounts N`, default
 * 10). Derived rather than listed: a hand-copied list is easy to get wrong (ANVIL_KEYS[4] in scripts/lib/anvil.ts
 * is not account 4's key, and that address has no funds).
 */
export function anvilDevKeys(count = 10): string[] {
  const m = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  return Array.from({ length: count }, (_, i) => HDNodeWallet.fromMnemonic(m, `m/44'/60'/0'/0/${i}`).privateKey);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-RPC over HTTP with batches and timeouts

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

class Rpc {
  private nextId = 1;
  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch([{ method, params }]);
    if (r!.error) throw new Error(`${method}: ${r!.error.message}`);
    return r!.result as T;
  }

  /** One HTTP request carrying many calls; answers in call order (errors are returned, not thrown). */
  async batch(calls: { method: string; params: unknown[] }[]): Promise<RpcResponse[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    const body = calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params }));
    this.nextId += calls.length;
    let answers: RpcResponse[] | RpcResponse;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answers = (await res.json()) as RpcResponse[] | RpcResponse;
    } catch (e) {
      throw new Error(`${calls[0]!.method} (batch of ${calls.length}) to ${this.url} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const list = Array.isArray(answers) ? answers : [answers];
    const out: RpcResponse[] = new Array(calls.length);
    for (const a of list) out[a.id - first] = a;
    for (let i = 0; i < out.length; i++) if (!out[i]) out[i] = { id: first + i, error: { code: -1, message: "no answer in batch" } };
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers


/** A set with O(1) add, delete and uniform random pick. */
class Bag<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<T, number>();
  get size(): number {
    return this.items.length;
  }
  add(x: T): void {
    if (this.index.has(x)) return;
    this.index.set(x, this.items.length);
    this.items.push(x);
  }
  delete(x: T): void {
    const i = this.index.get(x);
    if (i === undefined) return;
    const last = this.items.pop()!;
    this.index.delete(x);
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last, i);
    }
  }
  pick(random: () => number): T | undefined {
    return this.items.length === 0 ? undefined : this.items[Math.floor(random() * this.items.length)];
  }
}

const hash = (label: string): string => keccak256(toUtf8Bytes(label));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Receipt {
  transactionHash: string;
  status: string;
  gasUsed: string;
  blockNumber: string;
  logs: { address: string; topics: string[]; data: string }[];
}

type Built = [number, Op] | "busy" | undefined;

interface Op {
  kind: WriteKind;
  to: string;
  data: string;
  /** Events the write emits when it succeeds (used to stop sending in time; the real count comes from receipts). */
  expected: number;
  /** Resource whose pending count this write holds. */
  resource?: ResourceState;
  onMined?: (r: Receipt) => void;
}

interface Pending {
  op: Op;
  nonce: number;
  hash: string;
  raw: string;
  sentAt: number;
}

interface Sender {
  index: number;
  key: SigningKey;
  address: string;
  nonce: number;
  inFlight: Pending[];
  lastProgress: number;
  stalls: number;
}

interface ResourceState {
  id: bigint;
  holder: number; // sender index
  core: boolean;
  /** Enterprise data: root grants need no operation authorization (public data) nor consent (personal data). */
  enterprise: boolean;
  /** active: in its holder's pool; retiring: waiting for pending writes to finish before a regulator action. */
  state: "active" | "retiring" | "frozen" | "objected" | "resolving" | "transferring" | "cancelled" | "busy";
  pending: number;
  grants: number;
  exclusive: boolean;
  next?: "freeze" | "object" | "transfer";
}

interface ScopeValue {
  purposes: number;
  region: number;
  validFrom: bigint;
  validUntil: bigint;
  exclusive: boolean;
  maySubGrant: boolean;
  depth: number;
  cap: bigint;
}

interface GrantState {
  id: bigint;
  resource: ResourceState;
  grantor: number; // sender index
  scope: ScopeValue;
  /** The sender that holds it as grantee (a processor that may sub-grant), if any. */
  granteeSender?: number;
  state: "active" | "frozen" | "revoked" | "busy";
}

const REGIONS = [0, 330000, 330200, 330100, 440000, 440300, 110000, 310000, 510000, 510100];

function subRegion(parent: number, r: () => number): number {
  if (parent === 0) return r() < 0.5 ? 0 : REGIONS[1 + Math.floor(r() * (REGIONS.length - 1))]!;
  if (parent % 10000 === 0 && r() < 0.5) {
    const children = REGIONS.filter((c) => c !== parent && c !== 0 && Math.floor(c / 10000) === parent / 10000);
    if (children.length) return children[Math.floor(r() * children.length)]!;
  }
  return parent;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing: secp256k1 in JS costs ~0.6 ms a transaction, the generator's largest cost; a worker thread signs while
// the main thread chooses, sends and confirms.

interface SignRequest {
  key: number;
  nonce: number;
  to: string;
  data: string;
  gas: bigint;
}

function signTx(privateKey: string, r: SignRequest, chainId: bigint, maxFeePerGas: bigint, cache: Map<number, SigningKey>): { raw: string; hash: string } {
  let key = cache.get(r.key);
  if (!key) cache.set(r.key, (key = new SigningKey(privateKey)));
  const tx = Transaction.from({ type: 2, chainId, nonce: r.nonce, to: r.to, data: r.data, gasLimit: r.gas, maxFeePerGas, maxPriorityFeePerGas: 0n, value: 0n });
  tx.signature = key.sign(tx.unsignedHash);
  return { raw: tx.serialized, hash: tx.hash! };
}

// The worker is plain CommonJS evaluated from a string, so it runs without the TypeScript loader.
const SIGN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { SigningKey, Transaction } = require(workerData.ethers);
const keys = workerData.keys.map((k) => new SigningKey(k));
parentPort.on("message", (batch) => {
  const out = batch.map((r) => {
    const tx = Transaction.from({ type: 2, chainId: workerData.chainId, nonce: r.nonce, to: r.to, data: r.data, gasLimit: r.gas,
      maxFeePerGas: workerData.maxFeePerGas, maxPriorityFeePerGas: 0n, value: 0n });
    tx.signature = keys[r.key].sign(tx.unsignedHash);
    return [tx.serialized, tx.hash];
  });
  parentPort.postMessage(out);
});
`;

function createSigner(keys: readonly string[], chainId: bigint, maxFeePerGas: bigint) {
  const worker = new Worker(SIGN_WORKER, { eval: true, workerData: { ethers: createRequire(import.meta.url).resolve("ethers"), keys: [...keys], chainId, maxFeePerGas } });
  const waiting: { rows: { raw: string; hash: string }[] }[] = [];
  let failure: unknown;
  worker.on("message", (out: [string, string][]) => {
    const batch = waiting.shift()!;
    out.forEach(([raw, hash], i) => Object.assign(batch.rows[i]!, { raw, hash }));
  });
  worker.on("error", (e) => (failure = e));
  return {
    submit(requests: SignRequest[], rows: { raw: string; hash: string }[]): void {
      if (failure) throw failure;
      waiting.push({ rows });
      worker.postMessage(requests);
    },
    close: () => worker.terminate().then(() => undefined),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Generates at least `targetEvents` ledger events on the anvil node at `url` for `deployment` and returns what was
 * sent, mined and counted, checked against eth_getLogs. A wait that hangs stops the run, which then reports hung
 * waits and stranded transactions (both 0 in a good run); reverted writes are counted and their custom errors
 * printed (the generator is built so that there are none).
 */
export async function generateLedgerLoad(url: string, deployment: Deployment, targetEvents: number, options: LoadOptions = {}): Promise<LoadResult> {
  const keys = options.keys ?? anvilDevKeys(10);
  if (keys.length < 6) throw new Error("need at least 6 funded keys (governor, regulator, 2 holders, 2 processors)");
  const window = Math.min(500, options.window ?? 500);
  const mining = options.mining ?? "manual";
  const txPerBlock = options.txPerBlock ?? 10;
  const waitTimeoutMs = options.waitTimeoutMs ?? 60_000;
  // automine leaves ready transactions unmined now and then (foundry-rs/foundry#10122): kick it early.
  const stallMs = options.stallMs ?? (mining === "auto" ? 1_000 : 5_000);
  const mix = options.mix ?? DEFAULT_MIX;
  const random = mulberry32(options.seed ?? 0xd47a);
  const maxFeePerGas = options.maxFeePerGas ?? 10_000_000_000n;
  const rpc = new Rpc(url);
  const ifaces = LEDGER_INTERFACES;
  const A = deployment.addresses;
  const chainId = deployment.chainId;
  const started = performance.now();

  const topic = (iface: Interface, name: string) => iface.getEvent(name)!.topicHash;
  const T = {
    registered: topic(ifaces.ResourceRegistry, "ResourceRegistered"),
    objectionFiled: topic(ifaces.ResourceRegistry, "ObjectionFiled"),
    grantIssued: topic(ifaces.GrantRegistry, "GrantIssued"),
  };
  const eventName = new Map<string, string>();
  for (const iface of Object.values(ifaces)) iface.forEachEvent((e) => eventName.set(e.topicHash, e.name));

  // Accounts: 0 governor, 1 regulator, then holders and processors alternate over the rest.
  const senders: Sender[] = keys.map((k, index) => {
    const key = new SigningKey(k);
    return { index, key, address: computeAddress(key), nonce: 0, inFlight: [], lastProgress: Date.now(), stalls: 0 };
  });
  const GOV = 0;
  const REG = 1;
  const holders: number[] = [];
  const processors: number[] = [];
  for (let i = 2; i < senders.length; i++) (i % 2 === 0 ? holders : processors).push(i);
  const counts = await rpc.batch(senders.map((s) => ({ method: "eth_getTransactionCount", params: [s.address, "pending"] })));
  counts.forEach((c, i) => (senders[i]!.nonce = Number(c.result)));
  const balances = await rpc.batch(senders.map((s) => ({ method: "eth_getBalance", params: [s.address, "latest"] })));
  const unfunded = senders.filter((_, i) => !(BigInt((balances[i]!.result as string | undefined) ?? "0") > 10n ** 18n));
  if (unfunded.length) throw new Error(`unfunded sender keys: ${unfunded.map((s) => `#${s.index} ${s.address}`).join(", ")}`);
  const fromBlock = Number(await rpc.call<string>("eth_blockNumber")) + 1;
  const latest = await rpc.call<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  const genesisTime = BigInt(Number(latest.timestamp));
  const validFrom = genesisTime - 3600n;
  const validUntil = genesisTime + 10n * 365n * 24n * 3600n;

  // Zero base fee, as on a permissioned QBFT network with free gas: it then stays zero however full the blocks are
  // (EIP-1559 would otherwise raise it 12.5% per full block until the pre-signed fee caps no longer cover it).
  await rpc.call("anvil_setNextBlockBaseFeePerGas", ["0x0"]);
  if (mining === "manual") {
    await rpc.call("evm_setAutomine", [false]);
  }

  const passive: string[] = [];
  for (let i = 0; i < (options.passiveGrantees ?? 40); i++) passive.push(getAddress("0x" + hash(`drl:bench:grantee:${i}`).slice(-40)));

  // Counters
  const byKind = Object.fromEntries(WRITE_KINDS.map((k) => [k, 0])) as Record<WriteKind, number>;
  const gasUsedMax = Object.fromEntries(WRITE_KINDS.map((k) => [k, 0])) as Record<WriteKind, number>;
  const revertedByKind: Record<string, number> = {};
  const eventsByName: Record<string, number> = {};
  let sent = 0;
  let confirmed = 0;
  let events = 0;
  let expectedInFlight = 0;
  let reverted = 0;
  let hungWaits = 0;
  let stallsRecovered = 0;
  let hung = false;
  let mainWrites = 0;
  const firstReverts: { kind: WriteKind; hash: string }[] = [];

  // Model
  const holderPool = new Map<number, Bag<ResourceState>>(holders.map((h) => [h, new Bag()]));
  const parentPool = new Map<number, Bag<GrantState>>(processors.map((p) => [p, new Bag()]));
  const leafActive = new Bag<GrantState>();
  const leafFrozen = new Bag<GrantState>();
  const retiring = new Set<ResourceState>();
  const readyFreeze = new Bag<ResourceState>();
  const readyObject = new Bag<ResourceState>();
  const readyTransfer = new Bag<ResourceState>();
  const frozenResources = new Bag<ResourceState>();
  const objected = new Map<ResourceState, number>(); // objection id
  const objectedBag = new Bag<ResourceState>();
  let registeredSeq = 0;

  const release = (res: ResourceState | undefined) => {
    if (!res) return;
    res.pending--;
    if (res.pending === 0 && res.state === "retiring") {
      retiring.delete(res);
      if (res.next === "freeze") readyFreeze.add(res);
      else if (res.next === "object") readyObject.add(res);
      else readyTransfer.add(res);
    }
  };
  const backToPool = (res: ResourceState) => {
    res.state = "active";
    holderPool.get(res.holder)!.add(res);
  };
  const retire = (res: ResourceState, next: NonNullable<ResourceState["next"]>) => {
    holderPool.get(res.holder)!.delete(res);
    res.state = "retiring";
    res.next = next;
    retiring.add(res);
    if (res.pending === 0) {
      retiring.delete(res);
      (next === "freeze" ? readyFreeze : next === "object" ? readyObject : readyTransfer).add(res);
    }
  };

  // ---- builders: each returns [sender, op] or undefined when the kind is not possible now

  const room = (s: number) => senders[s]!.inFlight.length < window;
  const leastBusy = (list: number[]): number | undefined => {
    let best: number | undefined;
    for (const s of list) if (room(s) && (best === undefined || senders[s]!.inFlight.length < senders[best]!.inFlight.length)) best = s;
    return best;
  };
  const pickHeld = (h: number, ok: (r: ResourceState) => boolean): ResourceState | undefined => {
    const pool = holderPool.get(h)!;
    for (let t = 0; t < 6; t++) {
      const r = pool.pick(random);
      if (r && ok(r)) return r;
    }
    return undefined;
  };
  const holdersWithRoom = () => holders.filter(room);
  const pickHolder = (): number | undefined => {
    const hs = holdersWithRoom();
    return hs.length ? hs[Math.floor(random() * hs.length)] : undefined;
  };
  const pickProcessor = (exclude?: number): number | undefined => {
    const ps = processors.filter((p) => p !== exclude);
    return ps[Math.floor(random() * ps.length)];
  };

  function buildRegister(): Built {
    const h = pickHolder();
    if (h === undefined) return "busy";
    const n = ++registeredSeq;
    const category = random() < 0.2 ? Category.Public : random() < 0.7 ? Category.Enterprise : Category.Personal;
    const openClass = category === Category.Public ? 1 + Math.floor(random() * 3) : OpenClass.NotApplicable;
    const core = random() < 0.02;
    const grade = core ? Grade.Core : random() < 0.8 ? Grade.General : Grade.Important;
    const kind = Math.floor(random() * 5) as (typeof ResourceKind)[keyof typeof ResourceKind];
    const domain = Math.floor(random() * 9) as (typeof Domain)[keyof typeof Domain];
    const uri = `ipfs://bafybeib${hash(`uri:${n}`).slice(2, 48)}/catalogue-${n}.json`;
    const data = ifaces.ResourceRegistry.encodeFunctionData("register", [kind, category, grade, domain, openClass, hash(`catalogue:${n}:1`), uri]);
    return [
      h,
      {
        kind: "register",
        to: A.ResourceRegistry,
        data,
        expected: 2,
        onMined: (r) => {
          const log = r.logs.find((l) => l.topics[0] === T.registered)!;
          const res: ResourceState = { id: BigInt(log.topics[1]!), holder: h, core, enterprise: category === Category.Enterprise, state: "active", pending: 0, grants: 0, exclusive: false };
          holderPool.get(h)!.add(res);
        },
      },
    ];
  }

  function buildChange(): Built {
    const h = pickHolder();
    if (h === undefined) return "busy";
    const res = pickHeld(h, () => true);
    if (!res) return undefined;
    const n = ++registeredSeq;
    const uri = `ipfs://bafybeic${hash(`uri:${n}`).slice(2, 48)}/catalogue-${res.id}-v.json`;
    res.pending++;
    return [h, { kind: "change", to: A.ResourceRegistry, data: ifaces.ResourceRegistry.encodeFunctionData("change", [res.id, hash(`catalogue:${n}`), uri]), expected: 2, resource: res }];
  }

  function buildRootGrant(): Built {
    const h = pickHolder();
    if (h === undefined) return "busy";
    // Grants go to enterprise data only: public data needs the grantee's operation authorization and personal data
    // a consent (ConsentRegistry / OperationRegistry), which this generator does not create.
    const res = pickHeld(h, (r) => !r.core && !r.exclusive && r.enterprise);
    if (!res) return undefined;
    // Mostly shared grants; an exclusive one only as the first grant of a resource, which then takes no more.
    const exclusive = res.grants === 0 && res.pending === 0 && random() < 0.05;
    const toProcessor = random() < 0.45; // a sub-grantable grant to a processor that sends sub-grants
    const grantee = toProcessor ? pickProcessor()! : undefined;
    const scope: ScopeValue = {
      purposes: 1 + Math.floor(random() * 255),
      region: subRegion(0, random),
      validFrom,
      validUntil: validUntil - BigInt(Math.floor(random() * 1000)) * 3600n,
      exclusive,
      maySubGrant: toProcessor,
      depth: toProcessor ? 1 + Math.floor(random() * 3) : 0,
      cap: random() < 0.3 ? BigInt(1000 + Math.floor(random() * 1_000_000)) : 0n,
    };
    const granteeAddress = grantee !== undefined ? senders[grantee]!.address : passive[Math.floor(random() * passive.length)]!;
    res.pending++;
    res.grants++;
    if (exclusive) res.exclusive = true;
    const data = ifaces.GrantRegistry.encodeFunctionData("grant", [RightType.ProcessingUse, SubjectKind.Resource, res.id, granteeAddress, scope, hash(`terms:${res.id}:${res.grants}`), 0n]);
    return [
      h,
      {
        kind: "rootGrant",
        to: A.GrantRegistry,
        data,
        expected: 3,
        resource: res,
        onMined: (r) => {
          const log = r.logs.find((l) => l.topics[0] === T.grantIssued)!;
          const g: GrantState = { id: BigInt(log.topics[1]!), resource: res, grantor: h, scope, granteeSender: grantee, state: "active" };
          if (grantee !== undefined) parentPool.get(grantee)!.add(g);
          else leafActive.add(g);
        },
      },
    ];
  }

  function buildSubGrant(): Built {
    const ps = processors.filter(room);
    if (ps.length === 0) return "busy";
    for (let t = 0; t < 4 && ps.length; t++) {
      const p = ps[Math.floor(random() * ps.length)]!;
      const parent = parentPool.get(p)!.pick(random);
      if (!parent) continue;
      if (parent.resource.state !== "active" && parent.resource.state !== "transferring") continue;
      const ps0 = parent.scope;
      const toProcessor = ps0.depth > 1 && random() < 0.4;
      const grantee = toProcessor ? pickProcessor(p) : undefined;
      const granteeAddress = grantee !== undefined ? senders[grantee]!.address : passive[Math.floor(random() * passive.length)]!;
      let purposes = ps0.purposes & Math.floor(random() * 256);
      if (purposes === 0) purposes = ps0.purposes;
      const scope: ScopeValue = {
        purposes,
        region: subRegion(ps0.region, random),
        validFrom: ps0.validFrom,
        validUntil: ps0.validUntil - BigInt(Math.floor(random() * 100)) * 3600n,
        exclusive: false,
        maySubGrant: toProcessor,
        depth: toProcessor ? Math.floor(random() * (ps0.depth - 1)) + 1 : 0,
        cap: ps0.cap !== 0n ? ps0.cap - BigInt(Math.floor(random() * Number(ps0.cap > 100n ? 100n : ps0.cap - 1n))) : random() < 0.3 ? 5000n : 0n,
      };
      if (scope.depth >= ps0.depth) scope.depth = ps0.depth - 1;
      if (scope.depth === 0) scope.maySubGrant = false;
      const res = parent.resource;
      res.pending++;
      const data = ifaces.GrantRegistry.encodeFunctionData("grant", [RightType.ProcessingUse, SubjectKind.Resource, res.id, granteeAddress, scope, hash(`terms:sub:${parent.id}:${sent}`), parent.id]);
      return [
        p,
        {
          kind: "subGrant",
          to: A.GrantRegistry,
          data,
          expected: 3,
          resource: res,
          onMined: (r) => {
            const log = r.logs.find((l) => l.topics[0] === T.grantIssued)!;
            const g: GrantState = { id: BigInt(log.topics[1]!), resource: res, grantor: p, scope, granteeSender: scope.maySubGrant ? grantee : undefined, state: "active" };
            if (g.granteeSender !== undefined) parentPool.get(g.granteeSender)!.add(g);
            else leafActive.add(g);
          },
        },
      ];
    }
    return undefined;
  }

  function buildRevoke(): Built {
    for (let t = 0; t < 4; t++) {
      const g = leafActive.pick(random);
      if (!g) return undefined;
      const byRegulator = random() < 0.25;
      const s = byRegulator ? REG : g.grantor;
      if (!room(s)) continue;
      leafActive.delete(g);
      g.state = "busy";
      return [
        s,
        {
          kind: "revoke",
          to: A.GrantRegistry,
          data: ifaces.GrantRegistry.encodeFunctionData("revoke", [g.id, byRegulator ? hash(`revoke:${g.id}`) : random() < 0.5 ? hash(`revoke:${g.id}`) : "0x" + "00".repeat(32)]),
          expected: 2,
          onMined: () => (g.state = "revoked"),
        },
      ];
    }
    return undefined;
  }

  function buildGrantFreeze(): Built {
    if (!room(REG)) return "busy";
    const g = leafActive.pick(random);
    if (!g) return undefined;
    leafActive.delete(g);
    g.state = "busy";
    return [
      REG,
      {
        kind: "grantFreeze",
        to: A.GrantRegistry,
        data: ifaces.GrantRegistry.encodeFunctionData("freeze", [g.id, hash(`freeze:${g.id}`)]),
        expected: 2,
        onMined: () => {
          g.state = "frozen";
          leafFrozen.add(g);
        },
      },
    ];
  }

  function buildGrantUnfreeze(): Built {
    if (!room(REG)) return "busy";
    const g = leafFrozen.pick(random);
    if (!g) return undefined;
    leafFrozen.delete(g);
    g.state = "busy";
    return [
      REG,
      {
        kind: "grantUnfreeze",
        to: A.GrantRegistry,
        data: ifaces.GrantRegistry.encodeFunctionData("unfreeze", [g.id, hash(`unfreeze:${g.id}`)]),
        expected: 2,
        onMined: () => {
          g.state = "active";
          leafActive.add(g);
        },
      },
    ];
  }

  /** Takes a resource out of its holder's pool for a later freeze / objection / transfer. */
  function startRetire(next: NonNullable<ResourceState["next"]>): void {
    if (retiring.size > 64) return;
    const h = holders[Math.floor(random() * holders.length)]!;
    const res = pickHeld(h, (r) => (next === "transfer" ? !r.core : true));
    if (res) retire(res, next);
  }

  function buildResourceFreeze(): Built {
    if (!room(REG)) return "busy";
    const res = readyFreeze.pick(random);
    if (!res) return startRetire("freeze"), undefined;
    readyFreeze.delete(res);
    res.state = "busy";
    return [
      REG,
      {
        kind: "resourceFreeze",
        to: A.ResourceRegistry,
        data: ifaces.ResourceRegistry.encodeFunctionData("freeze", [res.id, hash(`rfreeze:${res.id}`)]),
        expected: 2,
        onMined: () => {
          res.state = "frozen";
          frozenResources.add(res);
        },
      },
    ];
  }

  function buildResourceUnfreeze(): Built {
    if (!room(REG)) return "busy";
    const res = frozenResources.pick(random);
    if (!res) return undefined;
    frozenResources.delete(res);
    res.state = "busy";
    return [
      REG,
      {
        kind: "resourceUnfreeze",
        to: A.ResourceRegistry,
        data: ifaces.ResourceRegistry.encodeFunctionData("unfreeze", [res.id, hash(`runfreeze:${res.id}`)]),
        expected: 2,
        onMined: () => backToPool(res),
      },
    ];
  }

  function buildObject(): Built {
    const res = readyObject.pick(random);
    if (!res) return startRetire("object"), undefined;
    const p = leastBusy(processors);
    if (p === undefined) return "busy";
    readyObject.delete(res);
    res.state = "busy";
    return [
      p,
      {
        kind: "object",
        to: A.ResourceRegistry,
        data: ifaces.ResourceRegistry.encodeFunctionData("object", [res.id, hash(`evidence:${res.id}:${sent}`)]),
        expected: 2,
        onMined: (r) => {
          const log = r.logs.find((l) => l.topics[0] === T.objectionFiled)!;
          res.state = "objected";
          objected.set(res, Number(BigInt(log.topics[2]!)));
          objectedBag.add(res);
        },
      },
    ];
  }

  function buildResolve(): Built {
    if (!room(REG)) return "busy";
    const res = objectedBag.pick(random);
    if (!res) return undefined;
    objectedBag.delete(res);
    const oid = objected.get(res)!;
    objected.delete(res);
    const upheld = random() < 0.25;
    res.state = "resolving";
    return [
      REG,
      {
        kind: "resolve",
        to: A.ResourceRegistry,
        data: ifaces.ResourceRegistry.encodeFunctionData("resolveObjection", [res.id, oid, upheld, hash(`resolution:${res.id}:${oid}`)]),
        expected: upheld ? 4 : 2,
        onMined: () => (upheld ? (res.state = "cancelled") : backToPool(res)),
      },
    ];
  }

  function buildTransfer(): Built {
    for (let t = 0; t < 4; t++) {
      const res = readyTransfer.pick(random);
      if (!res) return startRetire("transfer"), undefined;
      if (!room(res.holder)) continue;
      const others = holders.filter((x) => x !== res.holder);
      const to = others[Math.floor(random() * others.length)]!;
      readyTransfer.delete(res);
      res.state = "transferring";
      const from = res.holder;
      return [
        from,
        {
          kind: "transfer",
          to: A.ResourceRegistry,
          data: ifaces.ResourceRegistry.encodeFunctionData("transfer", [res.id, senders[to]!.address, hash(`transfer:${res.id}:${sent}`)]),
          expected: 2,
          onMined: () => {
            res.holder = to;
            backToPool(res);
          },
        },
      ];
    }
    return undefined;
  }

  const BUILDERS: Record<MixKind, () => Built> = {
    register: buildRegister,
    change: buildChange,
    rootGrant: buildRootGrant,
    subGrant: buildSubGrant,
    revoke: buildRevoke,
    grantFreeze: buildGrantFreeze,
    grantUnfreeze: buildGrantUnfreeze,
    resourceFreeze: buildResourceFreeze,
    resourceUnfreeze: buildResourceUnfreeze,
    object: buildObject,
    resolve: buildResolve,
    transfer: buildTransfer,
  };
  const MIX_KINDS = Object.keys(mix) as MixKind[];

  /** The next write: the kind furthest below its target share that can be sent now. */
  function nextOp(): [number, Op] | undefined {
    const total = mainWrites + 1;
    const order = MIX_KINDS.map((k) => ({ k, deficit: mix[k] * total - byKind[k] })).sort((a, b) => b.deficit - a.deficit);
    for (const { k } of order) {
      const built = BUILDERS[k]();
      // The kind most behind waits for its sender rather than being replaced (that would skew the mix); a kind
      // with nothing to act on yet (no frozen grant to unfreeze...) gives way to the next.
      if (built === "busy") return undefined;
      if (built) return built;
    }
    return undefined;
  }

  // ---- signing, sending, mining, confirming

  const timing = { send: 0, mine: 0, cycles: 0, sign: 0, poll: 0 };
  /** Queued, not yet sent, in nonce order per sender (signed once `raw` is set). */
  let ready: Pending[] = [];
  let toSign: Pending[] = [];
  let requests: SignRequest[] = [];
  const localKeys = new Map<number, SigningKey>();
  const signer = options.signWorker === false ? undefined : createSigner(keys, chainId, maxFeePerGas);

  /** Assigns the nonce and queues the write for signing (in a worker thread, or here with signWorker: false). */
  function sign(s: Sender, op: Op): void {
    const p: Pending = { op, nonce: s.nonce++, hash: "", raw: "", sentAt: 0 };
    s.inFlight.push(p);
    ready.push(p);
    byKind[op.kind]++;
    expectedInFlight += op.expected;
    const request: SignRequest = { key: s.index, nonce: p.nonce, to: op.to, data: op.data, gas: GAS[op.kind] };
    if (signer) {
      toSign.push(p);
      requests.push(request);
    } else {
      const t0 = performance.now();
      Object.assign(p, signTx(keys[s.index]!, request, chainId, maxFeePerGas, localKeys));
      timing.sign += performance.now() - t0;
    }
  }

  /** Hands the queued writes to the signing worker; its answers come back in order. */
  function dispatch(): void {
    if (!signer || toSign.length === 0) return;
    signer.submit(requests, toSign);
    toSign = [];
    requests = [];
  }

  async function send(part: Pending[]): Promise<void> {
    const answers = await rpc.batch(part.map((p) => ({ method: "eth_sendRawTransaction", params: [p.raw] })));
    const now = Date.now();
    answers.forEach((a, j) => {
      if (a.error && !/already (known|imported)/i.test(a.error.message)) {
        throw new Error(`eth_sendRawTransaction (${part[j]!.op.kind}, nonce ${part[j]!.nonce}): ${a.error.message}`);
      }
      part[j]!.sentAt = now;
    });
    sent += part.length;
  }

  /**
   * Sends what is signed. Manual mining: `txPerBlock` transactions, then one block (anvil_mine, timestamp +1 s), so
   * the pool never holds more than a block and every block has the same density. (Limiting blocks through the
   * block gas limit instead made anvil 1.7.1 drop transactions from its pool, leaving nonce gaps.)
   */
  async function pump(stop: () => boolean): Promise<void> {
    while (!hung) {
      // Only the signed prefix can go (the worker signs in order); a manual block waits to be full while more
      // signatures are on the way.
      const n = mining === "manual" ? txPerBlock : 250;
      let signed = 0;
      while (signed < ready.length && signed < n && ready[signed]!.raw !== "") signed++;
      if (signed === 0) {
        if (ready.length === 0 && stop()) return;
        await sleep(1);
        continue;
      }
      if (mining === "manual" && signed < n && signed < ready.length) {
        await sleep(0);
        continue;
      }
      const part = ready.slice(0, signed);
      ready = ready.slice(signed);
      const t0 = performance.now();
      await send(part);
      const t1 = performance.now();
      if (mining === "manual") await rpc.call("anvil_mine", ["0x1", "0x1"]);
      timing.send += t1 - t0;
      timing.mine += performance.now() - t1;
      timing.cycles++;
      if (process.env.DRL_LOAD_DEBUG && timing.cycles % 200 === 0) {
        process.stderr.write(`load: cycles ${timing.cycles} mine avg ${(timing.mine / timing.cycles).toFixed(1)} ms, last block ${(performance.now() - t1).toFixed(1)} ms\n`);
      }
    }
  }

  function onReceipt(p: Pending, r: Receipt): void {
    confirmed++;
    expectedInFlight -= p.op.expected;
    if (Date.now() - p.sentAt > waitTimeoutMs) hungWaits++;
    gasUsedMax[p.op.kind] = Math.max(gasUsedMax[p.op.kind], Number(r.gasUsed));
    if (r.status !== "0x1") {
      reverted++;
      revertedByKind[p.op.kind] = (revertedByKind[p.op.kind] ?? 0) + 1;
      if (firstReverts.length < 5) firstReverts.push({ kind: p.op.kind, hash: p.hash });
      release(p.op.resource);
      return;
    }
    events += r.logs.length;
    for (const l of r.logs) {
      const n = eventName.get(l.topics[0]!) ?? "unknown";
      eventsByName[n] = (eventsByName[n] ?? 0) + 1;
    }
    p.op.onMined?.(r);
    release(p.op.resource);
  }

  /** Confirms what was mined: the nonce of every sender in one batch, then the receipts of the newly mined. */
  async function poll(): Promise<number> {
    const active = senders.filter((s) => s.inFlight.length > 0 && s.inFlight[0]!.sentAt > 0);
    if (active.length === 0) return 0;
    const answers = await rpc.batch(active.map((s) => ({ method: "eth_getTransactionCount", params: [s.address, "latest"] })));
    const toFetch: { s: Sender; p: Pending }[] = [];
    answers.forEach((a, i) => {
      if (a.error) throw new Error(`eth_getTransactionCount: ${a.error.message}`);
      const minedNonce = Number(a.result);
      const s = active[i]!;
      for (const p of s.inFlight) {
        if (p.nonce >= minedNonce || p.sentAt === 0) break;
        toFetch.push({ s, p });
      }
    });
    let done = 0;
    const confirmedNow = new Set<Pending>();
    for (let i = 0; i < toFetch.length; i += 500) {
      const part = toFetch.slice(i, i + 500);
      const receipts = await rpc.batch(part.map(({ p }) => ({ method: "eth_getTransactionReceipt", params: [p.hash] })));
      receipts.forEach((a, j) => {
        if (a.error) throw new Error(`eth_getTransactionReceipt: ${a.error.message}`);
        const r = a.result as Receipt | null;
        if (!r) return; // mined per the nonce but no receipt yet: next poll
        const { s, p } = part[j]!;
        onReceipt(p, r);
        confirmedNow.add(p);
        s.lastProgress = Date.now();
        done++;
      });
    }
    if (done > 0) for (const s of active) s.inFlight = s.inFlight.filter((p) => !confirmedNow.has(p));
    return done;
  }

  /**
   * A sender whose oldest sent transaction has waited stallMs without progress: re-broadcast what it has sent (the
   * node answers "already known" for what it still holds) and mine a block; counted as a recovered stall. A sent
   * transaction still unconfirmed waitTimeoutMs after sending is a hung wait: the run stops sending and reports it.
   */
  async function checkStalls(): Promise<void> {
    const now = Date.now();
    for (const s of senders) {
      const first = s.inFlight[0];
      if (!first || first.sentAt === 0) {
        s.lastProgress = now;
        continue;
      }
      if (now - first.sentAt > waitTimeoutMs) {
        if (!hung) {
          hungWaits += s.inFlight.filter((p) => p.sentAt > 0 && now - p.sentAt > waitTimeoutMs).length;
          process.stderr.write(`load: sender ${s.address}: nonce ${first.nonce} unconfirmed ${now - first.sentAt} ms after sending (${s.inFlight.length} unconfirmed)\n`);
        }
        hung = true;
      } else if (now - Math.max(s.lastProgress, first.sentAt) > stallMs * (mining === "auto" ? 1 : 1 + s.stalls)) {
        if (process.env.DRL_LOAD_DEBUG) {
          const pool = await rpc.call("txpool_status");
          const nonce = await rpc.call<string>("eth_getTransactionCount", [s.address, "latest"]);
          process.stderr.write(`load: stall ${s.address} unconfirmed=${s.inFlight.length} first=${first.nonce}/${first.op.kind} minedNonce=${Number(nonce)} pool=${JSON.stringify(pool)}\n`);
        }
        const sentList = s.inFlight.filter((p) => p.sentAt > 0).slice(0, 500);
        await rpc.batch(sentList.map((p) => ({ method: "eth_sendRawTransaction", params: [p.raw] })));
        await rpc.call(mining === "manual" ? "anvil_mine" : "evm_mine", mining === "manual" ? ["0x1", "0x1"] : []).catch(() => undefined);
        s.stalls++;
        s.lastProgress = Date.now();
        stallsRecovered++;
      }
    }
  }

  let lastReport = 0;
  const report = (phase: LoadProgress["phase"], force = false) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 1000)) return;
    lastReport = now;
    const inFlight = senders.reduce((n, s) => n + s.inFlight.length, 0);
    options.onProgress({ phase, sent, confirmed, events, target: targetEvents, inFlight, seconds: (now - started) / 1000 });
  };

  /** Confirms until `stop()` holds and nothing is in flight, or a wait hangs. */
  async function confirmLoop(phase: () => LoadProgress["phase"], stop: () => boolean): Promise<void> {
    while (!hung && !(stop() && senders.every((s) => s.inFlight.length === 0))) {
      const t0 = performance.now();
      const n = await poll();
      timing.poll += performance.now() - t0;
      await checkStalls();
      report(phase());
      if (n === 0) await sleep(2);
    }
  }

  try {
    // ---- setup: admit members, widen the objection window

    const M = ifaces.MemberRegistry;
    const admit = (account: string, roles: string[], label: string): Op => ({
      kind: "admit",
      to: A.MemberRegistry,
      data: M.encodeFunctionData("admit", [account, id(`drl:org:${label}`), id(`drl:credential:${label}`), roles]),
      expected: 2 + 2 * roles.length,
    });
    const gov = senders[GOV]!;
    sign(gov, admit(senders[REG]!.address, [ROLE_IDS.REGULATOR], "regulator"));
    for (const h of holders) sign(gov, admit(senders[h]!.address, [ROLE_IDS.HOLDER], `holder-${h}`));
    for (const p of processors) sign(gov, admit(senders[p]!.address, [ROLE_IDS.PROCESSOR], `processor-${p}`));
    passive.forEach((a, i) => sign(gov, admit(a, [ROLE_IDS.PROCESSOR], `grantee-${i}`)));
    sign(gov, {
      kind: "setObjectionWindow",
      to: A.ResourceRegistry,
      data: ifaces.ResourceRegistry.encodeFunctionData("setObjectionWindow", [365 * 24 * 3600]),
      expected: 2,
    });
    dispatch();
    await Promise.all([pump(() => true), confirmLoop(() => "setup", () => true)]);

    // ---- main phase: the producer (choose, sign), the pump (send, mine) and the confirmer (receipts, model) run
    // concurrently, so signing overlaps with the node's work.

    let producing = true;
    const producer = async () => {
      try {
        while (!hung && events + expectedInFlight < targetEvents) {
          let built = 0;
          while (built < 100 && events + expectedInFlight < targetEvents) {
            const next = nextOp();
            if (!next) break;
            sign(senders[next[0]]!, next[1]);
            mainWrites++;
            built++;
          }
          dispatch();
          // Let the pump and the confirmer run between bursts.
          await sleep(built > 0 ? 0 : 2);
        }
      } finally {
        producing = false;
      }
    };
    await Promise.all([producer(), pump(() => !producing), confirmLoop(() => (producing ? "main" : "drain"), () => !producing)]);
    if (mining === "manual") await rpc.call("evm_setAutomine", [true]);
    report("drain", true);
    if (process.env.DRL_LOAD_DEBUG) process.stderr.write(`load: timing ${JSON.stringify(timing)}\n`);

    // ---- verify: count every ledger log on chain
    const head = Number(await rpc.call<string>("eth_blockNumber"));
    const addresses = LEDGER_CONTRACT_NAMES.flatMap((n) => (A[n] === undefined ? [] : [A[n]]));
    let logsOnChain = 0;
    let logsInRun = 0;
    // About 20,000 logs per call, whatever the block density.
    const CHUNK = Math.max(1, Math.floor(20_000 / Math.max(1, (1.5 * events) / Math.max(1, head - fromBlock + 1))));
    for (let b = deployment.deploymentBlock; b <= head; b += CHUNK) {
      const to = Math.min(head, b + CHUNK - 1);
      const logs = await rpc.call<{ blockNumber: string }[]>("eth_getLogs", [{ address: addresses, fromBlock: "0x" + b.toString(16), toBlock: "0x" + to.toString(16) }]);
      logsOnChain += logs.length;
      for (const l of logs) if (Number(l.blockNumber) >= fromBlock) logsInRun++;
    }
    report("verify", true);
    if (!hung && logsInRun !== events) throw new Error(`receipts counted ${events} events but eth_getLogs finds ${logsInRun} in blocks ${fromBlock}..${head}`);
    const stranded = senders.reduce((n, s) => n + s.inFlight.length, 0);
    if (reverted > 0) {
      process.stderr.write(`load: ${reverted} writes reverted (${JSON.stringify(revertedByKind)}); first: ${JSON.stringify(firstReverts)}\n`);
      // Why: the custom error of the first few, from a call trace, decoded with the ledger's ABIs.
      for (const r of firstReverts) {
        const trace = await rpc.call<{ output?: string }>("debug_traceTransaction", [r.hash, { tracer: "callTracer" }]).catch(() => undefined);
        const data = trace?.output ?? "0x";
        let reason = data;
        for (const iface of Object.values(ifaces)) {
          try {
            const e = iface.parseError(data);
            if (e) reason = `${e.name}(${e.args.map(String).join(", ")})`;
          } catch {
            // not this interface's error
          }
        }
        process.stderr.write(`load:   ${r.kind} ${r.hash}: ${reason}\n`);
      }
    }

    const seconds = (performance.now() - started) / 1000;
    return {
      events,
      logsOnChain,
      transactions: confirmed,
      byKind,
      eventsByName,
      gasUsedMax,
      reverted,
      revertedByKind,
      stranded,
      hungWaits,
      stallsRecovered,
      fromBlock,
      toBlock: head,
      blocks: head - fromBlock + 1,
      txPerBlock: confirmed / Math.max(1, head - fromBlock + 1),
      seconds,
      txPerSecond: confirmed / seconds,
      eventsPerSecond: events / seconds,
      mining,
      senders: senders.length,
    };
  } finally {
    await signer?.close();
  }
}

/**
 * Sending transactions the way TOOLCHAIN.md section L says works against a local node and a consortium network:
 * our own JSON-RPC client (no provider cache to serve a stale nonce), explicit nonces, pre-signed raw
 * transactions, a window of at most N unconfirmed transactions, every wait bounded by a timeout, confirmation by
 * polling the account's nonce and then the receipts, and re-broadcast of the unmined signed transactions when
 * nothing moves (anvil strands big bursts; a restarted node forgets its pool). On a development node (anvil,
 * Hardhat) that holds the transactions but stopped mining, the window also asks it to mine a block (`evm_mine`);
 * a production node does not know that method and nothing happens.
 *
 * Counted: stalls recovered, re-broadcasts, development mines, hung waits (a transaction not mined within the
 * wait timeout) and stranded transactions (sent but never mined when the window gave up).
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import * as ethersModule from "ethers";
import { SigningKey, computeAddress, type Interface } from "ethers";
import { ChainRefusal, NetworkError, decodeRevert, type DecodedRevert } from "./errors.js";

// ---------------------------------------------------------------------------------------------------------------
// JSON-RPC

export interface RpcAnswer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** An error answer of the node (it was reached and said no). */
export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    message: string,
    readonly data: unknown,
  ) {
    super(`${method}: ${message}`);
  }
}

/** Revert data carried by an error answer, if any (anvil, geth, Besu: a hex string; Hardhat: `{ data }`). */
export function revertDataOf(e: unknown): string | undefined {
  if (!(e instanceof RpcError)) return undefined;
  const d = e.data as unknown;
  if (typeof d === "string" && d.startsWith("0x")) return d;
  if (d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string") return (d as { data: string }).data;
  return undefined;
}

/** Whether an error answer is a revert (the EVM refused), as opposed to a node-level refusal. */
export function isRevert(e: unknown): boolean {
  return e instanceof RpcError && (e.rpcCode === 3 || /revert/i.test(e.message) || revertDataOf(e) !== undefined);
}

export class JsonRpc {
  private nextId = 1;
  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [a] = await this.batch([{ method, params }]);
    if (a!.error) throw new RpcError(method, a!.error.code, a!.error.message, a!.error.data);
    return a!.result as T;
  }

  /** One HTTP request with many calls; answers in call order (error answers are returned, not thrown). */
  async batch(calls: readonly { method: string; params: unknown[] }[]): Promise<RpcAnswer[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const body = calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params }));
    let answers: RpcAnswer[] | RpcAnswer;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(calls.length === 1 ? body[0] : body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      try {
        answers = JSON.parse(text) as RpcAnswer[] | RpcAnswer;
      } catch {
        throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      }
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new NetworkError(`cannot reach the node at ${this.url} (${calls[0]!.method}${calls.length > 1 ? ` and ${calls.length - 1} more` : ""}): ${why}`, { cause: e });
    }
    const list = Array.isArray(answers) ? answers : [answers];
    const out: RpcAnswer[] = new Array(calls.length);
    for (const a of list) if (typeof a?.id === "number" && a.id >= first && a.id < first + calls.length) out[a.id - first] = a;
    for (let i = 0; i < out.length; i++) out[i] ??= { id: first + i, error: { code: -32603, message: (list[0] as RpcAnswer | undefined)?.error?.message ?? "no answer in batch" } };
    return out;
  }

  /** Many calls in batches of `size`, run one batch after the other. */
  async batches(calls: readonly { method: string; params: unknown[] }[], size = 200): Promise<RpcAnswer[]> {
    const out: RpcAnswer[] = [];
    for (let i = 0; i < calls.length; i += size) out.push(...(await this.batch(calls.slice(i, i + size))));
    return out;
  }
}

export const hex = (n: number | bigint): string => "0x" + n.toString(16);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Signing

export interface Fees {
  type: 0 | 2;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  gasPrice?: bigint;
}

/** Fees for the transactions about to be sent: EIP-1559 (twice the base fee plus the tip) where the chain has a base fee. */
export async function currentFees(rpc: JsonRpc): Promise<Fees> {
  const block = await rpc.call<{ baseFeePerGas?: string } | null>("eth_getBlockByNumber", ["latest", false]);
  if (block?.baseFeePerGas !== undefined) {
    let tip = 0n;
    try {
      tip = BigInt(await rpc.call<string>("eth_maxPriorityFeePerGas"));
    } catch {
      // nodes without the method: no tip
    }
    const base = BigInt(block.baseFeePerGas);
    return { type: 2, maxFeePerGas: base * 2n + tip, maxPriorityFeePerGas: tip };
  }
  return { type: 0, gasPrice: BigInt(await rpc.call<string>("eth_gasPrice")) };
}

export interface SignedTx {
  nonce: number;
  hash: string;
  raw: string;
}

export interface TxRequest {
  to: string;
  data: string;
  gas: bigint;
}

/**
 * The signer's code, as JavaScript source evaluated both here and in the signing worker (which runs without the
 * TypeScript loader), so both sign the same way. It serialises EIP-1559 (type 2) or EIP-155 legacy transactions
 * with RLP over hex strings instead of through ethers' Transaction object, which converts, hashes and serialises
 * several times per transaction. A test checks it against ethers' Transaction byte for byte.
 */
const SIGNER_SOURCE = `
const { SigningKey, keccak256 } = ethers;
const q = (n) => { n = BigInt(n); if (n === 0n) return "0x"; let h = n.toString(16); return "0x" + (h.length % 2 ? "0" + h : h); };
// RLP over hex strings (no 0x inside): an item, and a list of encoded items.
const len = (n, short, long) => {
  if (n <= 55) return (short + n).toString(16);
  let l = n.toString(16);
  if (l.length % 2) l = "0" + l;
  return (long + l.length / 2).toString(16) + l;
};
const item = (h) => {
  const body = h.slice(2);
  if (body.length === 2 && parseInt(body, 16) < 0x80) return body;
  return len(body.length / 2, 0x80, 0xb7) + body;
};
const list = (items) => {
  const body = items.join("");
  return len(body.length / 2, 0xc0, 0xf7) + body;
};
const hash = (hex) => keccak256(Buffer.from(hex, "hex"));
const key = new SigningKey(privateKey);
const chain = item(q(chainId));
const feeItems = fees.type === 2 ? item(q(fees.maxPriorityFeePerGas)) + item(q(fees.maxFeePerGas)) : item(q(fees.gasPrice));
const v155 = (y) => item(q(BigInt(chainId) * 2n + 35n + BigInt(y)));
return function sign(nonce, to, data, gas) {
  const head = item(q(nonce));
  const rest = item(q(gas)) + item(to.toLowerCase()) + "80" + item(data.toLowerCase());
  let raw;
  if (fees.type === 2) {
    const fields = chain + head + feeItems + rest + "c0";
    const sig = key.sign(hash("02" + list([fields])));
    raw = "02" + list([fields + (sig.yParity ? "01" : "80") + item(q(sig.r)) + item(q(sig.s))]);
  } else {
    const fields = head + feeItems + rest;
    const sig = key.sign(hash(list([fields + chain + "8080"])));
    raw = list([fields + v155(sig.yParity) + item(q(sig.r)) + item(q(sig.s))]);
  }
  return { nonce, raw: "0x" + raw, hash: hash(raw) };
};
`;

type SignFn = (nonce: number, to: string, data: string, gas: bigint) => SignedTx;

/** Signs transactions with one key for one chain with fixed fees, in this thread. */
export class TxSigner {
  readonly address: string;
  private readonly fn: SignFn;
  constructor(
    privateKey: string,
    chainId: bigint,
    readonly fees: Fees,
  ) {
    this.address = computeAddress(new SigningKey(privateKey).publicKey);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    this.fn = new Function("ethers", "privateKey", "chainId", "fees", SIGNER_SOURCE)(ethersModule, privateKey, chainId, fees) as SignFn;
  }

  sign(nonce: number, r: TxRequest): SignedTx {
    return this.fn(nonce, r.to, r.data, r.gas);
  }
}

// Signing costs about half a millisecond a transaction in JavaScript (secp256k1 and keccak), the largest cost of a
// bulk import on the client: a worker thread signs the next chunk while the main thread sends and confirms.
const SIGN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
// Only the part signing needs (loading all of ethers costs a worker about 0.3 s of CPU).
const ethers = require(workerData.crypto);
const make = new Function("ethers", "privateKey", "chainId", "fees", workerData.source);
const signers = new Map();
parentPort.on("message", ({ id, fees, reqs }) => {
  try {
    const k = JSON.stringify(fees, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    let sign = signers.get(k);
    if (!sign) signers.set(k, (sign = make(ethers, workerData.privateKey, workerData.chainId, fees)));
    parentPort.postMessage({ id, out: reqs.map((r) => sign(r.nonce, r.to, r.data, r.gas)) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

interface SignWorker {
  worker: Worker;
  waiting: Map<number, { resolve: (v: SignedTx[]) => void; reject: (e: Error) => void }>;
}

/**
 * Signs batches in worker threads (one per core, at most `maxWorkers`), a batch split evenly among them; falls back
 * to signing in this thread if no worker can start.
 */
export class BatchSigner {
  private workers: SignWorker[] = [];
  private nextId = 1;
  private local: TxSigner | undefined;
  private fees: Fees | undefined;
  readonly address: string;

  /**
   * Starts the workers at once (loading ethers and secp256k1's tables takes them a while): create the signer early
   * and set the fees before the first batch.
   */
  constructor(
    private readonly privateKey: string,
    private readonly chainId: bigint,
    maxWorkers = 2,
  ) {
    this.address = computeAddress(new SigningKey(privateKey).publicKey);
    const count = Math.max(0, Math.min(maxWorkers, availableParallelism()));
    for (let i = 0; i < count; i++) {
      try {
        const req = createRequire(import.meta.url);
        const worker = new Worker(SIGN_WORKER, {
          eval: true,
          workerData: { crypto: req.resolve("ethers/crypto"), source: SIGNER_SOURCE, privateKey, chainId },
        });
        const sw: SignWorker = { worker, waiting: new Map() };
        worker.on("message", (m: { id: number; out?: SignedTx[]; error?: string }) => {
          const p = sw.waiting.get(m.id);
          sw.waiting.delete(m.id);
          if (sw.waiting.size === 0) worker.unref(); // an idle worker keeps nothing alive
          if (m.error !== undefined) p?.reject(new Error(`signing failed: ${m.error}`));
          else p?.resolve(m.out!);
        });
        const fail = (e: Error) => {
          this.workers = this.workers.filter((x) => x !== sw);
          for (const p of sw.waiting.values()) p.reject(e);
          sw.waiting.clear();
        };
        worker.on("error", fail);
        worker.on("exit", () => fail(new Error("a signing worker exited")));
        worker.unref();
        this.workers.push(sw);
      } catch {
        break;
      }
    }
  }

  setFees(fees: Fees): void {
    this.fees = fees;
    this.local = new TxSigner(this.privateKey, this.chainId, fees);
  }

  /** Signs one throwaway transaction in every worker, so that the first real batch does not pay for the start. */
  warmUp(): Promise<void> {
    const fees: Fees = { type: 2, maxFeePerGas: 1n, maxPriorityFeePerGas: 0n };
    const req = { nonce: 0, to: "0x0000000000000000000000000000000000000001", data: "0x", gas: 21_000n };
    return Promise.all(this.workers.map((w) => this.run(w, fees, [req]))).then(
      () => undefined,
      () => undefined,
    );
  }

  private run(sw: SignWorker, fees: Fees, reqs: readonly (TxRequest & { nonce: number })[]): Promise<SignedTx[]> {
    const id = this.nextId++;
    return new Promise<SignedTx[]>((resolve, reject) => {
      sw.waiting.set(id, { resolve, reject });
      sw.worker.ref();
      sw.worker.postMessage({ id, fees, reqs });
    });
  }

  async sign(reqs: readonly (TxRequest & { nonce: number })[]): Promise<SignedTx[]> {
    if (reqs.length === 0) return [];
    if (!this.fees || !this.local) throw new Error("BatchSigner: setFees() before signing");
    const ws = this.workers;
    const fees = this.fees;
    if (ws.length === 0) return reqs.map((r) => this.local!.sign(r.nonce, r));
    const per = Math.ceil(reqs.length / ws.length);
    const parts = await Promise.all(ws.map((w, i) => (i * per < reqs.length ? this.run(w, fees, reqs.slice(i * per, (i + 1) * per)) : Promise.resolve([]))));
    return parts.flat();
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The window

export interface Receipt {
  transactionHash: string;
  status: string;
  blockNumber: string;
  gasUsed: string;
  logs: { address: string; topics: string[]; data: string; logIndex: string }[];
}

export interface Tracked<T> extends SignedTx {
  meta: T;
  sentAt: number;
  /** Earlier signatures of the same nonce (replaced with a higher fee); any one of them may be the one mined. */
  earlier?: string[];
  /** How many times the fee was raised. */
  bumps?: number;
  /** Set when the wait timed out (counted once). */
  hung?: boolean;
  /** When the nonce was first seen used without a receipt for this hash. */
  noReceiptSince?: number;
}

export interface WindowOptions {
  /** Most unconfirmed transactions at once. */
  window: number;
  /** A transaction not mined within this long is a hung wait. */
  waitTimeoutMs: number;
  /** No progress for this long with transactions in flight: re-broadcast them (doubling up to 8x while stuck). */
  stallMs: number;
  /** The same on a development node (automine answers in milliseconds, and anvil strands bursts often). */
  devStallMs: number;
  pollMs: number;
  /** Ask a development node to mine when it holds our transactions but stopped mining. */
  devMine: boolean;
  /** A used nonce whose receipt stays missing this long means another transaction took the nonce. */
  replacedGraceMs: number;
  /**
   * The log every successful transaction of this window emits exactly once (address and topics as for eth_getLogs):
   * mined transactions are then confirmed from the logs, and receipts fetched only for the others (failures).
   */
  successLog?: { address: string; topics: (string | null)[] };
}

export const DEFAULT_WINDOW: WindowOptions = { window: 200, waitTimeoutMs: 120_000, stallMs: 1_000, devStallMs: 25, pollMs: 5, devMine: true, replacedGraceMs: 3_000 };

export interface WindowStats {
  sent: number;
  mined: number;
  reverted: number;
  rebroadcasts: number;
  stallsRecovered: number;
  devMines: number;
  /** Transactions whose nonce another transaction used. */
  replaced: number;
  /** Stuck transactions signed again for the same nonce with a higher fee (the node would not take them back). */
  feeBumps: number;
  hung: number;
  stranded: number;
}

export interface WindowHandlers<T> {
  onMined(t: Tracked<T>, receipt: Receipt): void | Promise<void>;
  /** The nonce was used by another transaction: `t` will never be mined. */
  onReplaced?(t: Tracked<T>): void | Promise<void>;
  /**
   * Signs `t` again for the same nonce with fees raised `bumps` times (and journals it before returning): the window
   * sends it when the node keeps neither mining nor taking back the lowest transaction. The same nonce means only
   * one of the signatures can ever be mined.
   */
  resign?(t: Tracked<T>, bumps: number): Promise<SignedTx>;
}

/** Fees raised by 20% (and one wei) per bump: above the 10% most pools ask of a replacement. */
export function bumpFees(f: Fees, bumps: number): Fees {
  const up = (x: bigint) => {
    let v = x;
    for (let i = 0; i < bumps; i++) v = (v * 12n) / 10n + 1n;
    return v;
  };
  return f.type === 2 ? { type: 2, maxFeePerGas: up(f.maxFeePerGas!), maxPriorityFeePerGas: up(f.maxPriorityFeePerGas!) } : { type: 0, gasPrice: up(f.gasPrice!) };
}

/**
 * Whether the node is a development node mining on every transaction (anvil or Hardhat with automine on): its pool
 * may hold ready transactions without mining them, and it answers `evm_mine`. A dev node with interval mining, or
 * any other node, is left to mine at its own pace.
 */
export async function isDevNode(rpc: JsonRpc): Promise<boolean> {
  try {
    const client = await rpc.call<string>("web3_clientVersion");
    if (!/anvil|hardhat|ganache|edr/i.test(client)) return false;
    for (const method of ["anvil_getAutomine", "hardhat_getAutomine"]) {
      try {
        return (await rpc.call<boolean>(method)) === true;
      } catch {
        // try the other one
      }
    }
    return false;
  } catch {
    return false;
  }
}

/** Errors of eth_sendRawTransaction meaning the node already has the transaction. */
const ALREADY_KNOWN = /already known|already imported|known transaction|already in pool|AlreadyKnown/i;
const NONCE_TOO_LOW = /nonce too low|nonce.*(already|has) been used|NonceTooLow|OldNonce/i;

export class HungError extends NetworkError {
  override name = "HungError";
}

/**
 * Unconfirmed transactions of one sender: broadcast in JSON-RPC batches, confirmed by polling the nonce and
 * then the receipts of the newly mined ones, re-broadcast when stalled.
 */
export class TxWindow<T> {
  readonly stats: WindowStats = { sent: 0, mined: 0, reverted: 0, rebroadcasts: 0, stallsRecovered: 0, devMines: 0, replaced: 0, feeBumps: 0, hung: 0, stranded: 0 };
  private readonly pending = new Map<number, Tracked<T>>(); // by nonce
  private lastNonce = -1;
  /** successLog: the last block whose logs were read, and logs of transactions not settled yet. */
  private scannedTo: number;
  private readonly seenLogs = new Map<string, Receipt["logs"][number] & { transactionHash: string; blockNumber: string }>();
  private lastProgressAt = Date.now();
  private nextStallAt = Number.POSITIVE_INFINITY;
  private stallStep = 0;
  private stalled = false;

  constructor(
    private readonly rpc: JsonRpc,
    readonly address: string,
    private readonly handlers: WindowHandlers<T>,
    readonly options: WindowOptions = DEFAULT_WINDOW,
    /** With successLog: the block to start reading logs after (the head before the first transaction was sent). */
    startBlock = 0,
  ) {
    this.scannedTo = startBlock;
  }

  get inFlight(): number {
    return this.pending.size;
  }
  private get stallMs(): number {
    return this.options.devMine ? this.options.devStallMs : this.options.stallMs;
  }
  get room(): number {
    return Math.max(0, this.options.window - this.pending.size);
  }
  /** The highest nonce in flight, or -1. */
  get maxNonce(): number {
    let m = -1;
    for (const n of this.pending.keys()) if (n > m) m = n;
    return m;
  }

  /**
   * Broadcasts signed transactions (they should already be journaled by the caller). A transaction the node already
   * has counts as sent. "nonce too low" leaves it tracked: the poll finds its receipt, or declares it replaced.
   * Any other refusal throws a ChainRefusal naming the node's reason (the transactions stay tracked).
   */
  async broadcast(txs: readonly (SignedTx & { meta: T; earlier?: string[] })[]): Promise<void> {
    const now = Date.now();
    const tracked = txs.map((t): Tracked<T> => ({ ...t, sentAt: now }));
    const wasEmpty = this.pending.size === 0;
    for (const t of tracked) this.pending.set(t.nonce, t);
    if (wasEmpty && tracked.length) {
      this.lastProgressAt = now;
      this.nextStallAt = now + this.stallMs;
    }
    const answers = await this.rpc.batches(tracked.map((t) => ({ method: "eth_sendRawTransaction", params: [t.raw] })), 250);
    this.stats.sent += tracked.length;
    const refused = answers.map((a, i) => [a, tracked[i]!] as const).filter(([a]) => a.error && !ALREADY_KNOWN.test(a.error.message) && !NONCE_TOO_LOW.test(a.error.message));
    if (refused.length) {
      const [a, t] = refused[0]!;
      throw new ChainRefusal(`the node refused transaction ${t.hash} (nonce ${t.nonce})${refused.length > 1 ? ` and ${refused.length - 1} more` : ""}: ${nodeReason(a.error!.message)}`);
    }
  }

  /**
   * One poll: the account's mined nonce, receipts of what it covers, then stall and timeout handling.
   * Returns the number of transactions settled. Throws HungError once any wait timed out and nothing moves.
   */
  async poll(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const latest = Number(await this.rpc.call<string>("eth_getTransactionCount", [this.address, "latest"]));
    const now = Date.now();
    let settled = 0;
    if (latest > this.lastNonce) {
      if (this.lastNonce >= 0) this.progress(now);
      this.lastNonce = latest;
    }
    const covered = [...this.pending.values()].filter((t) => t.nonce < latest).sort((a, b) => a.nonce - b.nonce);
    if (covered.length) {
      const found = await this.receipts(covered);
      for (let i = 0; i < covered.length; i++) {
        const t = covered[i]!;
        const r = found[i];
        if (r) {
          this.pending.delete(t.nonce);
          settled++;
          this.stats.mined++;
          if (r.status !== "0x1") this.stats.reverted++;
          await this.handlers.onMined(t, r);
        } else {
          t.noReceiptSince ??= now;
          if (now - t.noReceiptSince > this.options.replacedGraceMs) {
            this.pending.delete(t.nonce);
            settled++;
            this.stats.replaced++;
            await this.handlers.onReplaced?.(t);
          }
        }
      }
      if (settled) this.progress(now);
    }
    if (this.pending.size === 0) return settled;
    // Hung waits: count each once; give up only when nothing has moved for the whole timeout either.
    for (const t of this.pending.values()) {
      if (!t.hung && now - t.sentAt > this.options.waitTimeoutMs) {
        t.hung = true;
        this.stats.hung++;
      }
    }
    if (now - this.lastProgressAt > this.options.waitTimeoutMs) {
      this.stats.stranded = this.pending.size;
      throw new HungError(`${this.pending.size} transaction(s) not mined within ${Math.round(this.options.waitTimeoutMs / 1000)} s (the node stopped mining them)`);
    }
    if (now >= this.nextStallAt) {
      await this.recoverStall();
      this.nextStallAt = Date.now() + this.stallMs * 2 ** Math.min(this.stallStep, 3);
    }
    return settled;
  }

  /**
   * Receipts of mined transactions. With `successLog` set, one eth_getLogs over the blocks not scanned yet finds the
   * successful ones by their log (far less than a receipt each); only the others are fetched as receipts.
   */
  private async receipts(txs: readonly Tracked<T>[]): Promise<(Receipt | null)[]> {
    const out: (Receipt | null | undefined)[] = new Array(txs.length);
    const filter = this.options.successLog;
    if (filter) {
      const head = Number(await this.rpc.call<string>("eth_blockNumber"));
      if (head > this.scannedTo) {
        const logs = await this.rpc.call<(Receipt["logs"][number] & { transactionHash: string; blockNumber: string })[]>("eth_getLogs", [
          { address: filter.address, topics: filter.topics, fromBlock: hex(this.scannedTo + 1), toBlock: hex(head) },
        ]);
        for (const l of logs) this.seenLogs.set(l.transactionHash, l);
        this.scannedTo = head;
      }
      txs.forEach((t, i) => {
        for (const h of [t.hash, ...(t.earlier ?? [])]) {
          const l = this.seenLogs.get(h);
          if (!l) continue;
          this.seenLogs.delete(h);
          out[i] = { transactionHash: h, status: "0x1", blockNumber: l.blockNumber, gasUsed: "0x0", logs: [l] };
          return;
        }
      });
    }
    const missing = txs.flatMap((t, i) => (out[i] === undefined ? [t.hash, ...(t.earlier ?? [])].map((h) => [h, i] as const) : []));
    if (missing.length) {
      const answers = await this.rpc.batches(missing.map(([h]) => ({ method: "eth_getTransactionReceipt", params: [h] })), 200);
      missing.forEach(([, i], k) => {
        const a = answers[k]!;
        if (a.error) throw new NetworkError(`eth_getTransactionReceipt: ${a.error.message}`);
        if (a.result) out[i] = a.result as Receipt;
      });
    }
    return out.map((r) => r ?? null);
  }

  private progress(now: number): void {
    this.lastProgressAt = now;
    this.nextStallAt = now + this.stallMs;
    if (this.stalled) this.stats.stallsRecovered++;
    this.stalled = false;
    this.stallStep = 0;
  }

  /**
   * Re-broadcasts the unmined transactions, lowest nonce first. The lowest one blocks all the others: if the node
   * still holds it, a development node is asked to mine (anvil's automine misses ready transactions now and then,
   * foundry-rs/foundry#10122) and a production node is left alone on the first stall; otherwise (the node lost it:
   * a restart, an eviction), and on every later stall, all of them are sent again.
   */
  private async recoverStall(): Promise<void> {
    this.stalled = true;
    this.stallStep++;
    const txs = [...this.pending.values()].sort((a, b) => a.nonce - b.nonce);
    if (txs.length === 0) return;
    const [probe] = await this.rpc.batch([{ method: "eth_sendRawTransaction", params: [txs[0]!.raw] }]);
    this.stats.rebroadcasts++;
    const held = probe!.error !== undefined && (ALREADY_KNOWN.test(probe!.error.message) || NONCE_TOO_LOW.test(probe!.error.message));
    if (!held || this.stallStep > 1) {
      const rest = txs.slice(1);
      await this.rpc.batches(rest.map((t) => ({ method: "eth_sendRawTransaction", params: [t.raw] })), 250);
      this.stats.rebroadcasts += rest.length;
    }
    // Still stuck although the node says it holds the lowest transaction (anvil can keep a hash it no longer
    // mines): sign that nonce again with a higher fee, a new hash the node takes as a replacement.
    if (held && this.stallStep > 2 && this.handlers.resign) {
      const t = txs[0]!;
      const bumps = (t.bumps ?? 0) + 1;
      const again = await this.handlers.resign(t, bumps);
      const next: Tracked<T> = { ...t, hash: again.hash, raw: again.raw, earlier: [...(t.earlier ?? []), t.hash], bumps };
      this.pending.set(t.nonce, next);
      this.stats.feeBumps++;
      await this.rpc.batch([{ method: "eth_sendRawTransaction", params: [again.raw] }]);
    }
    if (this.options.devMine) {
      try {
        await this.rpc.call("evm_mine");
        this.stats.devMines++;
      } catch {
        // not a development node after all
      }
    }
  }

  /** Polls until at least `n` slots are free. */
  async waitForRoom(n: number): Promise<void> {
    const want = Math.min(n, this.options.window);
    while (this.room < want) {
      const settled = await this.poll();
      if (this.room < want && settled === 0) await sleep(this.options.pollMs);
    }
  }

  /** Polls until nothing is in flight. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const settled = await this.poll();
      if (this.pending.size > 0 && settled === 0) await sleep(this.options.pollMs);
    }
  }

  /** The transactions still unmined (e.g. after a HungError). */
  unmined(): Tracked<T>[] {
    return [...this.pending.values()];
  }
}

/** A node's refusal of a transaction, without the words "execution reverted". */
export function nodeReason(message: string): string {
  if (/insufficient funds/i.test(message)) return "the signer has not enough funds to pay for gas";
  if (NONCE_TOO_LOW.test(message)) return "the nonce was already used";
  if (/underpriced/i.test(message)) return "the fee is too low for the node";
  if (/gas limit|intrinsic gas/i.test(message)) return `the gas limit was refused (${message})`;
  return message.replace(/execution reverted:?\s*/i, "");
}

// ---------------------------------------------------------------------------------------------------------------
// One write

export interface WriteResult {
  hash: string;
  nonce: number;
  blockNumber: number;
  gasUsed: bigint;
  receipt: Receipt;
}

/** Decodes the revert of a call, or returns undefined when the error is not a revert. */
export function revertOf(e: unknown): DecodedRevert | undefined {
  if (!isRevert(e)) return undefined;
  return decodeRevert(revertDataOf(e));
}

/** Re-runs a mined, reverted transaction as a call at its block to recover the revert data. */
export async function replayRevert(rpc: JsonRpc, from: string, req: { to: string; data: string; gas: bigint }, blockNumber: string): Promise<DecodedRevert> {
  for (const tag of [blockNumber, "latest"]) {
    try {
      await rpc.call("eth_call", [{ from, to: req.to, data: req.data, gas: hex(req.gas) }, tag]);
    } catch (e) {
      const r = revertOf(e);
      if (r) return r;
    }
  }
  return decodeRevert("0x");
}

/**
 * Sends one write: estimate (a revert here is decoded and nothing is sent), sign with the pending nonce, broadcast,
 * and wait for the receipt through the window (timeouts, polling, re-broadcast). A mined revert is replayed to be
 * decoded. Throws ChainRefusal with the decoded revert.
 */
export async function sendWrite(
  rpc: JsonRpc,
  privateKey: string,
  chainId: bigint,
  req: { to: string; data: string },
  options: Partial<WindowOptions> = {},
): Promise<WriteResult> {
  const from = computeAddress(new SigningKey(privateKey).publicKey);
  let estimate: bigint;
  try {
    estimate = BigInt(await rpc.call<string>("eth_estimateGas", [{ from, to: req.to, data: req.data }]));
  } catch (e) {
    const r = revertOf(e);
    if (r) throw new ChainRefusal(r.sentence, r);
    if (e instanceof RpcError) throw new ChainRefusal(`the node refused the transaction: ${nodeReason(e.message)}`);
    throw e;
  }
  const gas = (estimate * 13n) / 10n + 10_000n;
  const signer = new TxSigner(privateKey, chainId, await currentFees(rpc));
  const nonce = Number(await rpc.call<string>("eth_getTransactionCount", [from, "pending"]));
  const signed = signer.sign(nonce, { ...req, gas });
  let mined: Receipt | undefined;
  const handlers: WindowHandlers<null> = {
    onMined: (_t, r) => void (mined = r),
    resign: async (t, bumps) => new TxSigner(privateKey, chainId, bumpFees(signer.fees, bumps)).sign(t.nonce, { ...req, gas }),
  };
  const window = new TxWindow<null>(rpc, from, handlers, { ...DEFAULT_WINDOW, devMine: await isDevNode(rpc), ...options, window: 1 });
  await window.broadcast([{ ...signed, meta: null }]);
  await window.drain();
  if (!mined) throw new ChainRefusal(`transaction ${signed.hash} was replaced: another transaction used nonce ${nonce}`);
  const receipt = mined as Receipt;
  if (receipt.status !== "0x1") {
    const r = await replayRevert(rpc, from, { ...req, gas }, receipt.blockNumber);
    throw new ChainRefusal(r.sentence, r);
  }
  return { hash: signed.hash, nonce, blockNumber: Number(receipt.blockNumber), gasUsed: BigInt(receipt.gasUsed), receipt };
}

/** A read-only contract call, with reverts decoded into a ChainRefusal. */
export async function callView(rpc: JsonRpc, iface: Interface, to: string, fn: string, args: readonly unknown[], from?: string): Promise<import("ethers").Result> {
  const data = iface.encodeFunctionData(fn, args);
  try {
    const out = await rpc.call<string>("eth_call", [{ to, data, ...(from ? { from } : {}) }, "latest"]);
    return iface.decodeFunctionResult(fn, out);
  } catch (e) {
    const r = revertOf(e);
    if (r) throw new ChainRefusal(r.sentence, r);
    throw e;
  }
}

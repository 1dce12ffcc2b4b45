/**
 * `drl resource import FILE.csv|FILE.json [--concurrency N]`: registers a whole catalogue, resumable.
 *
 * Rows: kind, category, grade, domain, openClass (optional, default NotApplicable), uri, and the catalogue hash as
 * one of catalogueHash (0x…), catalogueFile (a path, relative to the input file) or catalogue (text, hashed).
 * CSV needs a header line; JSON is an array of objects (or { "rows": [...] }). Column names ignore case, dashes
 * and underscores.
 *
 * The journal (FILE.journal.jsonl next to the input) makes an interruption safe: each row's signed transaction
 * (hash, nonce, raw bytes) is written and synced BEFORE it is broadcast, and each outcome after it is mined. On a
 * second run with the same input and key: rows with an outcome are done; a journaled transaction with a receipt
 * is done; one the node does not have and whose nonce is not used yet is re-sent as the same signed bytes (so it
 * can only be mined once); one whose nonce another transaction used is signed again with a new nonce. No row is
 * ever signed twice while an earlier signature of it may still be mined, so nothing is registered twice.
 *
 * Sending follows TOOLCHAIN L (send.ts): explicit nonces, a window of unconfirmed transactions (--concurrency,
 * default 200), bounded waits, receipt polling, re-broadcast when stalled. Each row is first checked with eth_call,
 * so a row the contract would refuse is reported with the decoded error and never sent.
 */
import { createHash } from "node:crypto";
import { open, readFile, unlink, type FileHandle } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { getAddress, keccak256, toUtf8Bytes, SigningKey, computeAddress, zeroPadValue } from "ethers";
import { LEDGER_INTERFACES, type Deployment } from "../chain/contracts.js";
import { Category, Domain, Grade, OpenClass, ResourceKind } from "../domain/enums.js";
import { errorMessage } from "../common/errors.js";
import { parseEnum, parseHash, parseUint, positionals } from "./args.js";
import type { CommandSpec } from "./context.js";
import { ChainRefusal, UsageError, decodeRevert, revertTitle, type DecodedRevert } from "./errors.js";
import { Progress } from "./output.js";
import {
  DEFAULT_WINDOW,
  HungError,
  JsonRpc,
  BatchSigner,
  TxSigner,
  TxWindow,
  bumpFees,
  currentFees,
  isDevNode,
  replayRevert,
  revertOf,
  sleep,
  type Receipt,
  type SignedTx,
  type Tracked,
  type WindowOptions,
  type WindowStats,
} from "./send.js";

const REGISTRY = LEDGER_INTERFACES.ResourceRegistry;
const REGISTERED_TOPIC = REGISTRY.getEvent("ResourceRegistered")!.topicHash;
const MAX_URI = 512;
/** Reverts that concern the sender rather than the row. */
const SENDER_ERRORS = new Set(["MemberNotActive", "MemberMissingRole"]);

/** Whether a row breaks one of the register rules (ResourceRegistry.register): such rows are checked on chain first. */
function suspicious(a: RegisterArgs): boolean {
  const uriBytes = Buffer.byteLength(a[6]);
  return /^0x0{64}$/.test(a[5]) || uriBytes === 0 || uriBytes > MAX_URI || (a[1] === Category.Public) === (a[4] === OpenClass.NotApplicable);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the catalogue

export type RegisterArgs = readonly [number, number, number, number, number, string, string];

export interface CatalogueRow {
  /** 1-based data row. */
  row: number;
  /** CSV: the line the record starts on (the header is line 1). */
  line?: number;
  args?: RegisterArgs;
  inputError?: string;
}

/** RFC 4180 CSV: quoted fields with "" escapes, commas and newlines inside quotes, CRLF or LF. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = "";
  let start = 1;
  let quoted = false;
  let any = false;
  const endRecord = () => {
    fields.push(field);
    if (any || fields.length > 1 || field !== "") out.push({ line: start, fields });
    fields = [];
    field = "";
    any = false;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      any = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      any = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      if (fields.length === 0 && field === "") start = line;
      field += c;
    }
  }
  if (quoted) throw new UsageError(`the CSV has an unclosed quote (record starting on line ${start})`);
  if (field !== "" || fields.length) endRecord();
  return out;
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "").replace("catalog", "catalogu").replace("cataloguue", "catalogue");

/** Reads a catalogue file into rows (bad rows carry an input error; nothing here touches the chain). */
export async function readCatalogue(path: string): Promise<{ rows: CatalogueRow[]; bytes: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
  const text = bytes.toString("utf8");
  const records: { line?: number; values: Record<string, unknown> }[] = [];
  if (/\.json$/i.test(path)) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${path} is not valid JSON: ${errorMessage(e)}`);
    }
    const list = Array.isArray(raw) ? raw : (raw as { rows?: unknown })?.rows;
    if (!Array.isArray(list)) throw new UsageError(`${path}: expected an array of rows (or {"rows": [...]})`);
    for (const r of list) {
      const values: Record<string, unknown> = {};
      if (r && typeof r === "object" && !Array.isArray(r)) for (const [k, v] of Object.entries(r)) values[key(k)] = v;
      records.push({ values });
    }
  } else {
    const csv = parseCsv(text);
    if (csv.length === 0) throw new UsageError(`${path} is empty (a CSV needs a header line)`);
    const header = csv[0]!.fields.map(key);
    for (const need of ["kind", "category", "grade", "domain", "uri"]) if (!header.includes(need)) throw new UsageError(`${path}: the header has no ${need} column (columns: kind, category, grade, domain, openClass, uri, catalogueHash | catalogueFile | catalogue)`);
    if (!header.some((h) => h === "cataloguehash" || h === "cataloguefile" || h === "catalogue")) throw new UsageError(`${path}: the header needs a catalogueHash, catalogueFile or catalogue column`);
    for (const rec of csv.slice(1)) {
      const values: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const v = rec.fields[i];
        if (v !== undefined && v.trim() !== "") values[h] = v.trim();
      });
      if (rec.fields.length > header.length && rec.fields.slice(header.length).some((f) => f.trim() !== "")) values.__extra = rec.fields.length;
      records.push({ line: rec.line, values });
    }
  }
  const base = dirname(resolve(path));
  const rows: CatalogueRow[] = [];
  for (let i = 0; i < records.length; i++) {
    const { line, values } = records[i]!;
    const row: CatalogueRow = { row: i + 1, ...(line === undefined ? {} : { line }) };
    try {
      if (values.__extra !== undefined) throw new UsageError(`has ${String(values.__extra)} fields, more than the header`);
      row.args = await rowArgs(values, base);
    } catch (e) {
      row.inputError = errorMessage(e);
    }
    rows.push(row);
  }
  return { rows, bytes };
}

async function rowArgs(v: Record<string, unknown>, base: string): Promise<RegisterArgs> {
  const s = (k: string): string | undefined => (v[k] === undefined || v[k] === null ? undefined : String(v[k]));
  const kind = parseEnum(ResourceKind, s("kind"), "kind");
  const category = parseEnum(Category, s("category"), "category");
  const grade = parseEnum(Grade, s("grade"), "grade");
  const domain = parseEnum(Domain, s("domain"), "domain");
  const openClass = parseEnum(OpenClass, s("openclass") ?? "NotApplicable", "openClass");
  const given = ["cataloguehash", "cataloguefile", "catalogue"].filter((k) => s(k) !== undefined);
  if (given.length !== 1) throw new UsageError(given.length ? `give one of catalogueHash, catalogueFile, catalogue (got ${given.join(", ")})` : "no catalogue hash (catalogueHash, catalogueFile or catalogue)");
  let hash: string;
  if (given[0] === "cataloguehash") hash = parseHash(s("cataloguehash")!, "catalogueHash");
  else if (given[0] === "catalogue") hash = keccak256(toUtf8Bytes(s("catalogue")!));
  else {
    const p = resolve(base, s("cataloguefile")!);
    try {
      hash = keccak256(await readFile(p));
    } catch (e) {
      throw new UsageError(`cannot read catalogueFile ${p}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
    }
  }
  const uri = s("uri");
  if (uri === undefined) throw new UsageError("no uri");
  return [kind, category, grade, domain, openClass, hash, uri];
}

// ---------------------------------------------------------------------------------------------------------------
// The journal

interface JournalHeader {
  t: "header";
  v: 1;
  input: string;
  file: string;
  sender: string;
  chainId: string;
  registry: string;
  rows: number;
  startedAt: string;
}

interface ErrorRecord {
  name: string;
  signature?: string;
  args: Record<string, string | boolean>;
  sentence: string;
}

type JournalLine =
  | JournalHeader
  | { t: "signed"; row: number; nonce: number; hash: string; raw: string }
  | { t: "mined"; row: number; hash: string; block: number; resourceId: string }
  | { t: "reverted"; row: number; hash: string; block: number; error: ErrorRecord }
  | { t: "replaced"; row: number; hash: string }
  | { t: "refused"; row: number; error: ErrorRecord }
  | { t: "resume"; at: string };

interface RowState {
  signed: SignedTx[];
  mined?: { hash: string; block: number; resourceId: string };
  reverted?: { hash: string; block: number; error: ErrorRecord };
}

class Journal {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly header: JournalHeader | undefined,
    readonly rows: Map<number, RowState>,
  ) {}

  /** Opens (creating) the journal, reading what it holds; a torn last line (a crash mid-write) is cut off. */
  static async open(path: string): Promise<Journal> {
    const fh = await open(path, "a+", 0o600);
    const text = (await fh.readFile()).toString("utf8");
    const rows = new Map<number, RowState>();
    let header: JournalHeader | undefined;
    let good = 0;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const last = i === lines.length - 1;
      if (l === "") {
        if (!last) good += 1;
        continue;
      }
      let j: JournalLine;
      try {
        j = JSON.parse(l) as JournalLine;
      } catch {
        if (last) break; // torn tail
        await fh.close();
        throw new UsageError(`the journal ${path} is damaged at line ${i + 1}; move it away to start over (rows it recorded may then be registered again)`);
      }
      if (last) break; // a complete line always ends with "\n"
      good += Buffer.byteLength(l) + 1;
      const st = (n: number): RowState => {
        let s = rows.get(n);
        if (!s) rows.set(n, (s = { signed: [] }));
        return s;
      };
      if (j.t === "header") header = j;
      else if (j.t === "signed") st(j.row).signed.push({ nonce: j.nonce, hash: j.hash, raw: j.raw });
      else if (j.t === "mined") st(j.row).mined = { hash: j.hash, block: j.block, resourceId: j.resourceId };
      else if (j.t === "reverted") st(j.row).reverted = { hash: j.hash, block: j.block, error: j.error };
    }
    if (good < Buffer.byteLength(text)) await fh.truncate(good);
    return new Journal(path, fh, header, rows);
  }

  private buffer: string[] = [];

  add(line: JournalLine): void {
    this.buffer.push(JSON.stringify(line));
  }

  private tail: Promise<void> = Promise.resolve();

  /**
   * Writes what was added so far; with `sync`, resolves once it is on disk. Flushes run one after the other (two
   * appends at once could interleave their bytes), so a flush also covers every line added before it.
   */
  flush(sync = false): Promise<void> {
    const text = this.buffer.length ? this.buffer.join("\n") + "\n" : "";
    this.buffer = [];
    const run = this.tail.then(async () => {
      if (text) await this.fh.appendFile(text);
      if (sync) await this.fh.datasync();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.flush(true);
    await this.fh.close();
  }
}

/** One import per journal at a time: a lock file holding the pid (a dead holder's lock is taken over). */
async function lock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, "wx", 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(path).catch(() => undefined);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new UsageError(`another import (pid ${pid}) is running with this journal (${path})`);
      await unlink(path).catch(() => undefined);
    }
  }
  throw new UsageError(`cannot take the lock ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The import

export interface ImportFailure {
  row: number;
  line?: number;
  stage: "input" | "check" | "mined";
  error: ErrorRecord;
}

export interface ImportStats extends WindowStats {
  seconds: number;
  /** Rows registered in this run per second of the run. */
  txPerSecond: number;
  /** Journaled transactions sent again as the same signed bytes on resume. */
  resent: number;
  /** Journaled transactions found mined on resume. */
  recovered: number;
  gasLimit: string;
}

export interface ImportReport {
  file: string;
  journal: string;
  sender: string;
  rows: number;
  registered: number;
  registeredNow: number;
  registeredBefore: number;
  failed: ImportFailure[];
  /** Rows not finished (only when interrupted). */
  unfinished: number;
  resources: { row: number; resourceId: string; tx: string }[];
  stats: ImportStats;
  interrupted?: string;
}

export interface ImportOptions {
  file: string;
  journalPath?: string;
  rpc: JsonRpc;
  deployment: Deployment;
  privateKey: string;
  window?: number;
  waitTimeoutMs?: number;
  stallMs?: number;
  /** Progress callback (counts so far). */
  onProgress?: (p: ImportProgress, final: boolean) => void;
}

export interface ImportProgress {
  total: number;
  done: number;
  failed: number;
  inFlight: number;
  txPerSecond: number;
}

const errorRecord = (r: DecodedRevert): ErrorRecord => ({ name: r.name, signature: r.signature, args: r.args, sentence: r.sentence });

/** Registers every good row of the catalogue once; see the file comment. */
export async function runImport(o: ImportOptions): Promise<ImportReport> {
  const t0 = performance.now();
  // The signing workers start loading now, while the catalogue is read and the chain is asked about.
  const signer = new BatchSigner(o.privateKey, o.deployment.chainId);
  void signer.warmUp();
  try {
    return await importWith(o, signer, t0);
  } finally {
    await signer.close().catch(() => undefined);
  }
}

async function importWith(o: ImportOptions, signer: BatchSigner, t0: number): Promise<ImportReport> {
  const rpc = o.rpc;
  // What the chain has to say that does not depend on the catalogue, asked while the catalogue is read.
  const chainFacts = Promise.all([rpc.call<string>("eth_chainId").then(BigInt), currentFees(rpc), isDevNode(rpc), rpc.call<string>("eth_blockNumber").then(Number)]);
  chainFacts.catch(() => undefined); // awaited below
  const { rows, bytes } = await readCatalogue(o.file);
  const journalPath = o.journalPath ?? `${o.file}.journal.jsonl`;
  const registry = getAddress(o.deployment.addresses.ResourceRegistry);
  const sender = computeAddress(new SigningKey(o.privateKey).publicKey);
  const inputHash = createHash("sha256").update(bytes).digest("hex");
  const unlock = await lock(`${journalPath}.lock`);
  let journal: Journal | undefined;
  try {
    journal = await Journal.open(journalPath);
    const j = journal;
    if (j.header) {
      if (j.header.input !== inputHash) throw new UsageError(`${o.file} changed since its journal ${journalPath} was started; finish the import with the original file, or move the journal away to start over (rows it registered would then be registered again)`);
      if (j.header.sender !== sender) throw new UsageError(`the journal ${journalPath} was started by ${j.header.sender}, not ${sender}: resume it with the same keystore`);
      if (j.header.chainId !== o.deployment.chainId.toString() || j.header.registry !== registry) throw new UsageError(`the journal ${journalPath} belongs to another deployment (chain ${j.header.chainId}, registry ${j.header.registry})`);
      j.add({ t: "resume", at: new Date().toISOString() });
    } else {
      j.add({ t: "header", v: 1, input: inputHash, file: o.file, sender, chainId: o.deployment.chainId.toString(), registry, rows: rows.length, startedAt: new Date().toISOString() });
    }
    await j.flush(true);

    const failed = new Map<number, ImportFailure>();
    const done = new Map<number, { resourceId: string; tx: string; before: boolean }>();
    const rowOf = new Map(rows.map((r) => [r.row, r]));
    const fail = (r: CatalogueRow, stage: ImportFailure["stage"], error: ErrorRecord) => failed.set(r.row, { row: r.row, ...(r.line === undefined ? {} : { line: r.line }), stage, error });
    for (const r of rows) if (r.inputError) fail(r, "input", { name: "InvalidInput", args: {}, sentence: r.inputError });

    const [chainId, fees, devMine, startBlock] = await chainFacts;
    if (chainId !== o.deployment.chainId) throw new UsageError(`the node runs chain ${chainId}, the deployment is on chain ${o.deployment.chainId}`);
    const dataOf = (a: RegisterArgs) => REGISTRY.encodeFunctionData("register", a);

    // The sender may register at all (a role or status problem stops everything before anything is sent), and the
    // gas limit: the estimate for the longest URI, with headroom.
    const longest = Math.min(MAX_URI, Math.max(1, ...rows.map((r) => (r.args ? Buffer.byteLength(r.args[6]) : 1))));
    const probe = dataOf([0, 1, 0, 8, 0, keccak256(toUtf8Bytes("drl:import:probe")), "x".repeat(longest)]);
    let estimate: bigint;
    try {
      estimate = BigInt(await rpc.call<string>("eth_estimateGas", [{ from: sender, to: registry, data: probe }]));
    } catch (e) {
      const r = revertOf(e);
      if (r) throw new ChainRefusal(`${sender} cannot register resources: ${r.sentence}`, r);
      throw e;
    }
    const gas = (estimate * 12n) / 10n + 5_000n;
    signer.setFees(fees);

    const options: WindowOptions = {
      ...DEFAULT_WINDOW,
      window: o.window ?? DEFAULT_WINDOW.window,
      waitTimeoutMs: o.waitTimeoutMs ?? DEFAULT_WINDOW.waitTimeoutMs,
      stallMs: o.stallMs ?? DEFAULT_WINDOW.stallMs,
      devMine,
      successLog: { address: registry, topics: [REGISTERED_TOPIC, null, zeroPadValue(sender, 32)] },
    };
    const requeue: CatalogueRow[] = [];
    let abort: string | undefined;
    let needNonceSync = false;
    const onMined = async (t: Tracked<number>, receipt: Receipt) => {
      const r = rowOf.get(t.meta)!;
      const block = Number(receipt.blockNumber);
      if (receipt.status === "0x1") {
        const log = receipt.logs.find((l) => l.address.toLowerCase() === registry.toLowerCase() && l.topics[0] === REGISTERED_TOPIC);
        const resourceId = log ? BigInt(log.topics[1]!).toString() : "?";
        done.set(r.row, { resourceId, tx: t.hash, before: false });
        j.add({ t: "mined", row: r.row, hash: t.hash, block, resourceId });
      } else {
        const rev = await replayRevert(rpc, sender, { to: registry, data: dataOf(r.args!), gas }, receipt.blockNumber);
        fail(r, "mined", errorRecord(rev));
        j.add({ t: "reverted", row: r.row, hash: t.hash, block, error: errorRecord(rev) });
        // The sender itself may no longer register (suspended, role revoked): stop sending, finish what is out.
        if (SENDER_ERRORS.has(rev.name)) abort ??= `${sender} may no longer register: ${rev.sentence}`;
      }
    };
    const window = new TxWindow<number>(rpc, sender, {
      onMined,
      onReplaced: (t) => {
        j.add({ t: "replaced", row: t.meta, hash: t.hash });
        requeue.push(rowOf.get(t.meta)!);
        needNonceSync = true;
      },
      resign: async (t, bumps) => {
        const r = rowOf.get(t.meta)!;
        const again = new TxSigner(o.privateKey, chainId, bumpFees(fees, bumps)).sign(t.nonce, { to: registry, data: dataOf(r.args!), gas });
        j.add({ t: "signed", row: r.row, nonce: again.nonce, hash: again.hash, raw: again.raw });
        await j.flush(true); // journaled before it is sent, like every signature
        return again;
      },
    }, options, startBlock);

    // --- Resume: settle what the journal holds.
    let resent = 0;
    let recovered = 0;
    const toResend: (SignedTx & { meta: number; earlier?: string[] })[] = [];
    const reSign: CatalogueRow[] = [];
    const open: [number, RowState][] = [];
    for (const [n, st] of j.rows) {
      const r = rowOf.get(n);
      if (!r?.args) continue;
      if (st.mined) done.set(n, { resourceId: st.mined.resourceId, tx: st.mined.hash, before: true });
      else if (st.reverted) fail(r, "mined", st.reverted.error);
      else if (st.signed.length) open.push([n, st]);
    }
    if (open.length) {
      // The mined nonce first, the receipts after: a transaction mined in between has a nonce >= latest and is
      // re-sent (the node answers "already known" or "nonce too low") and confirmed by the window, never signed again.
      const latest = Number(await rpc.call<string>("eth_getTransactionCount", [sender, "latest"]));
      const all = open.flatMap(([n, st]) => st.signed.map((s) => ({ n, s })));
      const answers = await rpc.batches(all.map(({ s }) => ({ method: "eth_getTransactionReceipt", params: [s.hash] })));
      const receipts = new Map<string, Receipt>();
      answers.forEach((a, i) => {
        if (a.error) throw new ChainRefusal(`eth_getTransactionReceipt: ${a.error.message}`);
        if (a.result) receipts.set(all[i]!.s.hash, a.result as Receipt);
      });
      // A used nonce without a receipt: look again after a moment (a node may serve a receipt a little after the
      // nonce moved), since signing such a row again is only safe when none of its signatures was mined.
      const dead = open.filter(([, st]) => !st.signed.some((s) => receipts.has(s.hash)) && Math.max(...st.signed.map((s) => s.nonce)) < latest);
      if (dead.length) {
        await sleep(DEFAULT_WINDOW.replacedGraceMs);
        const again = dead.flatMap(([, st]) => st.signed.map((x) => x.hash));
        const more = await rpc.batches(again.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })));
        more.forEach((a, i) => {
          if (a.error) throw new ChainRefusal(`eth_getTransactionReceipt: ${a.error.message}`);
          if (a.result) receipts.set(again[i]!, a.result as Receipt);
        });
      }
      for (const [n, st] of open) {
        const r = rowOf.get(n)!;
        const minedTx = st.signed.find((s) => receipts.has(s.hash));
        if (minedTx) {
          recovered++;
          await onMined({ ...minedTx, meta: n, sentAt: 0 }, receipts.get(minedTx.hash)!);
          if (done.has(n)) done.get(n)!.before = true;
          continue;
        }
        // The latest signature of the highest nonce (a fee bump re-signs the same nonce; any of those may be mined).
        const last = st.signed.reduce((a, b) => (b.nonce >= a.nonce ? b : a));
        const earlier = st.signed.filter((x) => x.nonce === last.nonce && x.hash !== last.hash).map((x) => x.hash);
        if (last.nonce >= latest) toResend.push({ ...last, meta: n, ...(earlier.length ? { earlier } : {}) });
        else {
          j.add({ t: "replaced", row: n, hash: last.hash });
          reSign.push(r);
        }
      }
      await j.flush(true);
    }
    let nextNonce = Number(await rpc.call<string>("eth_getTransactionCount", [sender, "pending"]));
    if (toResend.length) {
      toResend.sort((a, b) => a.nonce - b.nonce);
      for (let i = 0; i < toResend.length; i += options.window) {
        const part = toResend.slice(i, i + options.window);
        await window.waitForRoom(part.length);
        await window.broadcast(part);
        resent += part.length;
      }
      nextNonce = Math.max(nextNonce, toResend[toResend.length - 1]!.nonce + 1);
    }

    // --- The rows still to do, in order.
    const inFlightRows = new Set(toResend.map((t) => t.meta));
    const queue: CatalogueRow[] = [...reSign, ...rows.filter((r) => r.args && !done.has(r.row) && !failed.has(r.row) && !inFlightRows.has(r.row) && !reSign.includes(r))];
    const chunkSize = Math.max(1, Math.ceil(options.window / 2));
    const progress = () =>
      o.onProgress?.({ total: rows.length, done: done.size, failed: failed.size, inFlight: window.inFlight, txPerSecond: (done.size - before()) / Math.max(1e-3, (performance.now() - t0) / 1000) }, false);
    const before = () => [...done.values()].filter((d) => d.before).length;

    /** Checks, signs and journals the next chunk (nonces assigned here, in order). */
    const prepare = async (): Promise<{ txs: (SignedTx & { meta: number })[]; durable: Promise<void> } | null> => {
      if (requeue.length) queue.unshift(...requeue.splice(0));
      if (queue.length === 0) return null;
      if (abort) return null;
      const chunk = queue.splice(0, chunkSize);
      // Rows that look wrong by the register rules are checked with eth_call: the contract, not this CLI, says
      // whether and why it refuses them, and a refused row is never sent. Rows that look right go straight out;
      // should one revert all the same, its receipt says so and the revert is decoded by replaying it.
      const suspects = chunk.filter((r) => suspicious(r.args!));
      const answers = await rpc.batch(suspects.map((r) => ({ method: "eth_call", params: [{ from: sender, to: registry, data: dataOf(r.args!) }, "latest"] })));
      const refused = new Set<number>();
      suspects.forEach((r, i) => {
        const a = answers[i]!;
        if (!a.error) return;
        const rev = decodeRevertAnswer(a.error);
        if (!rev) throw new ChainRefusal(`the node refused to check row ${r.row}: ${a.error.message}`);
        refused.add(r.row);
        fail(r, "check", errorRecord(rev));
        j.add({ t: "refused", row: r.row, error: errorRecord(rev) });
      });
      const ok = chunk.filter((r) => !refused.has(r.row));
      if (needNonceSync) {
        needNonceSync = false;
        nextNonce = Math.max(nextNonce, Number(await rpc.call<string>("eth_getTransactionCount", [sender, "pending"])), window.maxNonce + 1);
      }
      const signed = await signer.sign(ok.map((r) => ({ nonce: nextNonce++, to: registry, data: dataOf(r.args!), gas })));
      const txs = signed.map((s, i) => ({ ...s, meta: ok[i]!.row }));
      for (const s of txs) j.add({ t: "signed", row: s.meta, nonce: s.nonce, hash: s.hash, raw: s.raw });
      // On disk before anything of it is broadcast: the sender awaits `durable`; the next chunk is signed meanwhile.
      const durable = j.flush(true);
      durable.catch(() => undefined); // awaited by the sender
      return { txs, durable };
    };

    let interrupted: string | undefined;
    try {
      // A producer checks, signs and journals chunks up to DEPTH ahead while the window sends and confirms.
      const DEPTH = 2;
      const ready: { txs: (SignedTx & { meta: number })[]; durable: Promise<void> }[] = [];
      let producer: Promise<void> | undefined;
      let producerError: unknown;
      let exhausted = false;
      let wake: (() => void) | undefined;
      const chunkReady = () => new Promise<void>((resolve) => (wake = resolve));
      const startProducer = () => {
        if (producer || exhausted || abort) return;
        producer = (async () => {
          while (ready.length < DEPTH && !abort) {
            const chunk = await prepare();
            if (chunk === null) {
              exhausted = true;
              return;
            }
            if (chunk.txs.length) {
              ready.push(chunk);
              wake?.();
            }
          }
        })()
          .catch((e: unknown) => void (producerError = e))
          .finally(() => void (producer = undefined));
      };
      const step = async () => {
        const settled = await window.poll();
        if (settled) {
          await j.flush();
          progress();
        } else await sleep(options.pollMs);
      };
      for (;;) {
        if (producerError) throw producerError;
        if (requeue.length && !abort) exhausted = false;
        startProducer();
        const chunk = ready.shift();
        if (chunk) {
          startProducer();
          await chunk.durable;
          if (!abort) {
            await window.waitForRoom(chunk.txs.length);
            await window.broadcast(chunk.txs);
          }
          await j.flush();
          progress();
        } else if (window.inFlight > 0) await step();
        else if (producer) await Promise.race([producer, chunkReady()]);
        else if (!(requeue.length && !abort)) break;
      }
    } catch (e) {
      if (!(e instanceof HungError)) throw e;
      interrupted = `${errorMessage(e)}; run the same command again to resume`;
    }
    if (abort && !interrupted) interrupted = `${abort}; rows not sent stay unfinished (run the same command again once that is fixed)`;
    await j.flush(true);

    const seconds = (performance.now() - t0) / 1000;
    const registeredBefore = before();
    const registeredNow = done.size - registeredBefore;
    const report: ImportReport = {
      file: o.file,
      journal: journalPath,
      sender,
      rows: rows.length,
      registered: done.size,
      registeredNow,
      registeredBefore,
      failed: [...failed.values()].sort((a, b) => a.row - b.row),
      unfinished: rows.length - done.size - failed.size,
      resources: [...done.entries()].sort((a, b) => a[0] - b[0]).map(([row, d]) => ({ row, resourceId: d.resourceId, tx: d.tx })),
      stats: { ...window.stats, seconds, txPerSecond: registeredNow / seconds, resent, recovered, gasLimit: gas.toString() },
      ...(interrupted ? { interrupted } : {}),
    };
    o.onProgress?.({ total: rows.length, done: done.size, failed: failed.size, inFlight: window.inFlight, txPerSecond: report.stats.txPerSecond }, true);
    return report;
  } finally {
    await journal?.close().catch(() => undefined);
    await unlock();
  }
}

function decodeRevertAnswer(error: { code: number; message: string; data?: unknown }): DecodedRevert | undefined {
  const d = error.data as unknown;
  const data = typeof d === "string" ? d : d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string" ? (d as { data: string }).data : undefined;
  if (error.code === 3 || /revert/i.test(error.message) || data !== undefined) return decodeRevert(data);
  return undefined;
}

/** The exit code of an import: 0 all registered; 1 a row refused by the chain or an interruption; 2 only bad input rows. */
export function importExitCode(r: ImportReport): number {
  if (r.interrupted || r.failed.some((f) => f.stage !== "input")) return 1;
  return r.failed.length ? 2 : 0;
}

export function importSummary(r: ImportReport): string[] {
  const lines = [
    `import ${r.file}: ${r.rows} rows, ${r.registered} registered${r.registeredBefore ? ` (${r.registeredNow} now, ${r.registeredBefore} before)` : ""}, ${r.failed.length} failed${r.unfinished ? `, ${r.unfinished} unfinished` : ""}`,
  ];
  for (const f of r.failed) {
    const where = `row ${f.row}${f.line === undefined ? "" : ` (line ${f.line})`}`;
    lines.push(f.stage === "input" ? `  ${where}: bad input: ${f.error.sentence}` : `  ${where}: refused: ${f.error.sentence} [${revertTitle({ ...f.error, signature: f.error.signature ?? "", data: "" })}]`);
  }
  const s = r.stats;
  lines.push(
    `sent ${s.sent} transaction(s) in ${s.seconds.toFixed(1)} s (${s.txPerSecond.toFixed(0)} registrations/s); resumed: ${s.recovered} found mined, ${s.resent} re-sent; stalls recovered ${s.stallsRecovered}, re-broadcasts ${s.rebroadcasts}, replaced ${s.replaced}, stranded ${s.stranded}, hung ${s.hung}`,
  );
  lines.push(`journal ${r.journal}`);
  if (r.interrupted) lines.push(`INTERRUPTED: ${r.interrupted}`);
  return lines;
}

export const IMPORT_COMMAND: CommandSpec = {
  group: "resource",
  name: "import",
  usage: "FILE.csv|FILE.json [--concurrency N] [--journal FILE] [--wait-timeout SECONDS]",
  summary: "register a whole catalogue, resumably (journal FILE.journal.jsonl next to the input)",
  details: [
    "columns: kind, category, grade, domain, openClass (default NotApplicable), uri, and catalogueHash (0x…) | catalogueFile (path) | catalogue (text)",
    "--concurrency: most unconfirmed transactions at once (default 200); run it again after an interruption: nothing is registered twice",
    "exit 0 all rows registered; 1 some row refused by the chain, or interrupted; 2 only bad input rows (listed with their row numbers)",
  ],
  options: { concurrency: { type: "string" }, journal: { type: "string" }, "wait-timeout": { type: "string" } },
  async run(ctx, { values, positionals: p }) {
    const [file] = positionals(p, ["FILE"]);
    const window = values.concurrency === undefined ? undefined : Number(parseUint(values.concurrency as string, "--concurrency", 16, 1n));
    const waitTimeoutMs = values["wait-timeout"] === undefined ? undefined : Number(parseUint(values["wait-timeout"] as string, "--wait-timeout", 32, 1n)) * 1000;
    const deployment = await ctx.ledger();
    const key = await ctx.key();
    let bar: Progress | undefined;
    const report = await runImport({
      file: file!,
      ...(values.journal ? { journalPath: values.journal as string } : {}),
      rpc: ctx.rpc(),
      deployment,
      privateKey: key.privateKey,
      ...(window ? { window } : {}),
      ...(waitTimeoutMs ? { waitTimeoutMs } : {}),
      onProgress: (pr, final) => {
        bar ??= new Progress(pr.total);
        bar.update(pr, final);
      },
    });
    ctx.out.result({ command: "resource import", ...report }, importSummary(report));
    return importExitCode(report);
  },
};

import { AbiCoder, getAddress, keccak256, toBeHex, type ContractRunner, type Interface, type LogDescription, type Provider } from "ethers";
import type { Deployment } from "../../src/chain/contracts.js";
import { ITraceable__factory } from "../../types/ethers-contracts/index.js";
import { Action, SubjectKind } from "./enums.js";

/**
 * Off-chain mirror of contracts/libraries/TraceLib.sol and SubjectKeys.sol, plus the log plumbing the trace
 * tests need. Logs are always decoded with the emitting contract's interface, never by topic index.
 */

const coder = AbiCoder.defaultAbiCoder();
const DIGEST_MASK = (1n << 192n) - 1n;
const ID_MASK = (1n << 248n) - 1n;
export const ZERO_WORD = toBeHex(0, 32);

// ==== SUBJECT KEYS ====

/** bytes32(kind << 248 | uint248(id)), as SubjectKeys.key. */
export function subjectKey(kind: number, id: bigint): string {
  return toBeHex((BigInt(kind) << 248n) | (id & ID_MASK), 32);
}
export const memberKey = (account: string): string => subjectKey(SubjectKind.Member, BigInt(account));
export const resourceKey = (resourceId: bigint): string => subjectKey(SubjectKind.Resource, resourceId);
export const grantKey = (grantId: bigint): string => subjectKey(SubjectKind.Grant, grantId);
/** The subject under which a contract traces its own configuration changes. */
export const ledgerKey = (contract: string): string => subjectKey(SubjectKind.Ledger, BigInt(contract));

// ==== THE FOLD ====

export interface TraceEntry {
  subject: string;
  seq: bigint;
  action: number;
  actor: string;
  payloadHash: string;
  blockNumber: bigint;
}

/** The sequence number held in a trace word (top 64 bits). */
export const seqOf = (word: string): bigint => BigInt(word) >> 192n;

/**
 * word' = (seq << 192) | low192(keccak256(abi.encode(word, subject, seq, action, actor, payloadHash, blockNumber))),
 * exactly TraceLib.next with the entry's own seq (which must be seqOf(word) + 1).
 */
export function foldTrace(word: string, entry: TraceEntry): string {
  const digest = keccak256(
    coder.encode(
      ["bytes32", "bytes32", "uint64", "uint16", "address", "bytes32", "uint64"],
      [word, entry.subject, entry.seq, entry.action, entry.actor, entry.payloadHash, entry.blockNumber],
    ),
  );
  return toBeHex((entry.seq << 192n) | (BigInt(digest) & DIGEST_MASK), 32);
}

/** keccak256 of the ABI encoding of all of a decoded event's inputs, in declaration order. */
export function eventPayloadHash(event: LogDescription): string {
  return keccak256(coder.encode(event.fragment.inputs, event.args));
}

/** keccak256(abi.encode(types..., values...)), for payloads built by hand in unit tests. */
export const payloadHash = (types: readonly string[], values: readonly unknown[]): string =>
  keccak256(coder.encode(types, values));

// ==== ACTION -> DOMAIN EVENT ====

export { ACTION_EVENTS } from "../../src/domain/actions.js";
import { ACTION_EVENTS } from "../../src/domain/actions.js";

// ==== TYPED EVENT ARGUMENTS ====

/** Argument `name` of a decoded event, checked at run time rather than trusted as ethers' `any`. */
function arg(event: LogDescription, name: string): unknown {
  const value: unknown = event.args.getValue(name);
  return value;
}
export function argBigInt(event: LogDescription, name: string): bigint {
  const v = arg(event, name);
  if (typeof v !== "bigint") throw new TypeError(`${event.name}.${name} is not an integer`);
  return v;
}
export function argBytes32(event: LogDescription, name: string): string {
  const v = arg(event, name);
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new TypeError(`${event.name}.${name} is not a bytes32`);
  return v;
}
export function argAddress(event: LogDescription, name: string): string {
  const v = arg(event, name);
  if (typeof v !== "string") throw new TypeError(`${event.name}.${name} is not an address`);
  return getAddress(v);
}

// ==== LOG COLLECTION ====

/** A contract whose logs are collected: its address and the interface that decodes them. */
export interface LogSource {
  address: string;
  iface: Interface;
}

export interface DecodedLog {
  address: string;
  txHash: string;
  blockNumber: number;
  /** Log index within the block. */
  index: number;
  event: LogDescription;
}

/** A TraceRecorded log with its arguments typed. */
export interface TraceLog extends DecodedLog {
  entry: TraceEntry;
  /** The word the contract emitted. */
  word: string;
}

/** Every log of `sources` from block `fromBlock`, decoded with the emitting contract's interface, in chain order. */
export async function collectLogs(provider: Provider, sources: readonly LogSource[], fromBlock = 0): Promise<DecodedLog[]> {
  const out: DecodedLog[] = [];
  for (const { address, iface } of sources) {
    const logs = await provider.getLogs({ address, fromBlock, toBlock: "latest" });
    for (const log of logs) {
      const event = iface.parseLog({ topics: [...log.topics], data: log.data });
      if (event === null) throw new Error(`log ${log.transactionHash}#${log.index} of ${address} matches no event of its ABI`);
      out.push({ address: getAddress(log.address), txHash: log.transactionHash, blockNumber: log.blockNumber, index: log.index, event });
    }
  }
  return out.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
}

/** The TraceRecorded logs among `logs`, with typed arguments. */
export function traceLogs(logs: readonly DecodedLog[]): TraceLog[] {
  return logs
    .filter((l) => l.event.name === "TraceRecorded")
    .map((l) => {
      const entry: TraceEntry = {
        subject: argBytes32(l.event, "subject"),
        seq: argBigInt(l.event, "seq"),
        action: Number(argBigInt(l.event, "action")),
        actor: argAddress(l.event, "actor"),
        payloadHash: argBytes32(l.event, "payloadHash"),
        blockNumber: BigInt(l.blockNumber),
      };
      return { ...l, entry, word: argBytes32(l.event, "word") };
    });
}

/** Key of a (contract, subject) trace. */
export const traceId = (contract: string, subject: string): string => `${getAddress(contract)}/${subject}`;

export interface FoldResult {
  /** The folded word per (contract, subject), keyed by {traceId}. */
  words: Map<string, string>;
  /** The entries per trace, in order. */
  entries: Map<string, TraceLog[]>;
}

/**
 * Folds `traces` (in chain order) per (contract, subject), starting from the zero word, and checks as it goes
 * that each entry's seq is the next one and that the emitted word is the folded word.
 */
export function foldTraces(traces: readonly TraceLog[]): FoldResult {
  const words = new Map<string, string>();
  const entries = new Map<string, TraceLog[]>();
  for (const t of traces) {
    const key = traceId(t.address, t.entry.subject);
    const prev = words.get(key) ?? ZERO_WORD;
    if (t.entry.seq !== seqOf(prev) + 1n) {
      throw new Error(`${key}: seq ${t.entry.seq} follows seq ${seqOf(prev)} (tx ${t.txHash})`);
    }
    const next = foldTrace(prev, t.entry);
    if (next !== t.word) throw new Error(`${key}: emitted word ${t.word} != folded ${next} (tx ${t.txHash})`);
    words.set(key, next);
    entries.set(key, [...(entries.get(key) ?? []), t]);
  }
  return { words, entries };
}

/**
 * The domain event a TraceRecorded log commits to: the nearest earlier log of the same transaction whose event the
 * action names (a write emits its domain event first, then one entry per subject it touches, whichever contract
 * keeps the subject's trace).
 */
export function domainEventOf(trace: TraceLog, logs: readonly DecodedLog[]): DecodedLog | undefined {
  const names = ACTION_EVENTS[trace.entry.action] ?? [];
  let found: DecodedLog | undefined;
  for (const l of logs) {
    if (l.txHash !== trace.txHash || l.index >= trace.index || !names.includes(l.event.name)) continue;
    if (found === undefined || l.index > found.index) found = l;
  }
  return found;
}

/**
 * The on-chain trace word of `subject` in ledger contract `contract`, which must be one of `deployment`'s (any
 * ledger contract answers traceWord through ITraceable).
 */
export async function traceWordIn(
  deployment: Pick<Deployment, "addresses">,
  runner: ContractRunner,
  contract: string,
  subject: string,
): Promise<string> {
  const known = Object.values(deployment.addresses).map((a) => a.toLowerCase());
  if (!known.includes(contract.toLowerCase())) throw new Error(`${contract} is not a ledger contract of the deployment`);
  return ITraceable__factory.connect(contract, runner).traceWord(subject);
}

import { Result, getAddress, type EventFragment, type Interface, type ParamType } from "ethers";
import { IntegrityError } from "../common/errors.js";
import type { LedgerContractName } from "./contracts.js";
import type { DecodedLog, LedgerEvent, LogPosition } from "./events.js";

/** A raw log as eth_getLogs returns it. */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: string | number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string | number;
  logIndex: string | number;
  removed?: boolean;
}

type Value = bigint | string | boolean | Value[] | { [name: string]: Value };
type ReadWord = (word: string) => Value;
/** How to read one input: from a topic, from a static run of data words, or from a dynamic tail. */
type Reader = (topics: readonly string[], data: string) => Value;

const WORD = 64; // hex characters per 32-byte word

/**
 * Compiles each event fragment of the ledger's typed interfaces into a decoding plan, once: for each input, where
 * it sits (which topic, which data word) and how to read it. Decoding a log then slices hex instead of running
 * the generic ABI coder, which is what keeps decoding from being the indexer's bottleneck. Positions come from the
 * fragments, never from hand-written topic numbers; types the plan does not handle (arrays) fall back to ethers.
 */
export function createDecoder(contracts: Readonly<Record<LedgerContractName, Interface>>, addresses: Readonly<Partial<Record<LedgerContractName, string>>>) {
  const byAddress = new Map<string, { contract: LedgerContractName; plans: Map<string, (log: RawLog) => LedgerEvent> }>();
  for (const contract of Object.keys(contracts) as LedgerContractName[]) {
    const iface = contracts[contract];
    const address = addresses[contract];
    // A deployment without this contract (an older one) has no logs of it.
    if (address === undefined) continue;
    const plans = new Map<string, (log: RawLog) => LedgerEvent>();
    iface.forEachEvent((fragment) => plans.set(fragment.topicHash, compile(contract, iface, fragment)));
    byAddress.set(address.toLowerCase(), { contract, plans });
  }

  return function decode(log: RawLog): DecodedLog {
    const source = byAddress.get(log.address.toLowerCase());
    const topic0 = log.topics[0];
    const plan = source && topic0 !== undefined ? source.plans.get(topic0) : undefined;
    if (!plan) {
      throw new IntegrityError("DRL-INDEX-UNKNOWN-EVENT", `log ${log.transactionHash}#${Number(log.logIndex)} from ${log.address} matches no ledger event`);
    }
    const position: LogPosition = {
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      transactionIndex: Number(log.transactionIndex),
      logIndex: Number(log.logIndex),
    };
    return { ...plan(log), ...position, address: log.address.toLowerCase(), topics: log.topics, data: log.data };
  };
}

export type Decoder = ReturnType<typeof createDecoder>;

function compile(contract: LedgerContractName, iface: Interface, fragment: EventFragment): (log: RawLog) => LedgerEvent {
  const simple = fragment.inputs.every((p) => p.indexed ? isWordType(p) : isStatic(p) || p.type === "string" || p.type === "bytes");
  if (!simple) {
    // Generic path for shapes the plan does not cover; still the typed interface, never topic positions.
    return (log) => {
      const result = iface.decodeEventLog(fragment, log.data, log.topics);
      const args: Record<string, Value> = {};
      fragment.inputs.forEach((p, i) => (args[p.name] = toValue(result[i])));
      return { contract, name: fragment.name, args } as unknown as LedgerEvent;
    };
  }
  const names: string[] = [];
  const readers: Reader[] = [];
  let topic = 1;
  let word = 0;
  for (const p of fragment.inputs) {
    names.push(p.name);
    if (p.indexed) {
      const t = topic++;
      const read = wordReader(p);
      readers.push((topics) => read(topics[t]!.slice(2)));
    } else if (p.type === "string" || p.type === "bytes") {
      const head = word++;
      const asString = p.type === "string";
      readers.push((_t, data) => {
        const offset = Number(BigInt("0x" + data.slice(2 + head * WORD, 2 + (head + 1) * WORD))) * 2;
        const length = Number(BigInt("0x" + data.slice(2 + offset, 2 + offset + WORD))) * 2;
        const hex = data.slice(2 + offset + WORD, 2 + offset + WORD + length);
        return asString ? Buffer.from(hex, "hex").toString("utf8") : "0x" + hex;
      });
    } else {
      const start = word;
      word += staticWords(p);
      const read = staticReader(p);
      readers.push((_t, data) => read(data, start));
    }
  }
  const name = fragment.name;
  return (log) => {
    const args: Record<string, Value> = {};
    for (let i = 0; i < readers.length; i++) args[names[i]!] = readers[i]!(log.topics, log.data);
    return { contract, name, args } as unknown as LedgerEvent;
  };
}

const isWordType = (p: ParamType): boolean =>
  p.type === "address" || p.type === "bool" || /^u?int\d*$/.test(p.type) || /^bytes\d+$/.test(p.type);

function isStatic(p: ParamType): boolean {
  if (p.baseType === "tuple") return (p.components ?? []).every(isStatic);
  return isWordType(p);
}

function staticWords(p: ParamType): number {
  if (p.baseType === "tuple") return (p.components ?? []).reduce((n, c) => n + staticWords(c), 0);
  return 1;
}

function staticReader(p: ParamType): (data: string, word: number) => Value {
  if (p.baseType !== "tuple") {
    const read = wordReader(p);
    return (data, w) => read(data.slice(2 + w * WORD, 2 + (w + 1) * WORD));
  }
  const parts: { name: string; offset: number; read: (data: string, word: number) => Value }[] = [];
  let offset = 0;
  for (const c of p.components ?? []) {
    parts.push({ name: c.name, offset, read: staticReader(c) });
    offset += staticWords(c);
  }
  // Structs come back as ethers and typechain shape them: a tuple that also has named fields.
  return (data, w) => {
    const values = parts.map((part) => part.read(data, w + part.offset));
    const out = values as Value[] & Record<string, Value>;
    parts.forEach((part, i) => (out[part.name] = values[i]!));
    return out;
  };
}

function wordReader(p: ParamType): ReadWord {
  const type = p.type;
  if (type === "address") return (w) => checksummed(w.slice(24));
  if (type === "bool") return (w) => w.charCodeAt(63) !== 48; // last hex digit not "0"
  if (/^bytes\d+$/.test(type)) {
    const size = Number(type.slice(5)) * 2;
    return (w) => "0x" + w.slice(0, size);
  }
  if (type.startsWith("uint")) return (w) => BigInt("0x" + w);
  const bits = BigInt(type.slice(3) || "256");
  return (w) => BigInt.asIntN(Number(bits), BigInt("0x" + w));
}

/** A struct's field names; none for an array, whose items ethers leaves unnamed (toObject throws on two or more). */
function fieldNames(v: Result): string[] {
  try {
    return Object.keys(v.toObject()).filter((k) => !/^_\d*$/.test(k));
  } catch {
    return [];
  }
}

/**
 * EIP-55 checksums of the addresses met so far: a ledger has few distinct accounts and each appears in many
 * events, while the checksum costs a keccak256. Bounded: past 10,000 addresses it starts over.
 */
const CHECKSUMS = new Map<string, string>();
function checksummed(hex40: string): string {
  let a = CHECKSUMS.get(hex40);
  if (a === undefined) {
    if (CHECKSUMS.size >= 10_000) CHECKSUMS.clear();
    a = getAddress("0x" + hex40);
    CHECKSUMS.set(hex40, a);
  }
  return a;
}

function toValue(v: unknown): Value {
  if (typeof v === "bigint" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Result) {
    // Structs keep their field names beside their positions, as ethers and typechain shape them.
    const items = v.toArray().map(toValue);
    const out = items as Value[] & Record<string, Value>;
    const names = fieldNames(v);
    names.forEach((name, i) => (out[name] = items[i]!));
    return out;
  }
  if (Array.isArray(v)) return v.map(toValue);
  throw new IntegrityError("DRL-INDEX-DECODE", `unsupported decoded value ${String(v)}`);
}

import { AbiCoder, keccak256, type EventFragment, type Interface } from "ethers";
import { LEDGER_INTERFACES, type LedgerContractName } from "../chain/contracts.js";
import { compileEvent, type FastDecoded } from "./fast-abi.js";

const coder = AbiCoder.defaultAbiCoder();
type Compiled = { fragment: EventFragment; fast: ((topics: readonly string[], data: string, withPayload?: boolean) => FastDecoded | undefined) | undefined };
const compiled = new Map<string, Compiled | null>();

function plan(contract: LedgerContractName, topic0: string | undefined): Compiled | undefined {
  if (topic0 === undefined) return undefined;
  const key = `${contract}:${topic0.toLowerCase()}`;
  let c = compiled.get(key);
  if (c === undefined) {
    let fragment: EventFragment | null = null;
    try {
      fragment = LEDGER_INTERFACES[contract].getEvent(topic0);
    } catch {
      fragment = null;
    }
    c = fragment ? { fragment, fast: compileEvent(fragment) } : null;
    compiled.set(key, c);
  }
  return c ?? undefined;
}

/**
 * Decodes a raw log with the ledger interface of `contract`: its arguments (plain JSON values), whether the log is
 * the canonical encoding of them, and the payload hash keccak256(abi.encode(arguments in declaration order)).
 */
export function decodeWithPayload(contract: LedgerContractName, topics: readonly string[], data: string, withPayload = true) {
  const p = plan(contract, topics[0]);
  if (!p) return undefined;
  const fast = p.fast?.(topics, data, withPayload);
  if (fast) return { name: p.fragment.name, args: fast.args as Record<string, unknown>, payloadHash: fast.payloadHash, canonical: fast.canonical };
  return slowDecode(LEDGER_INTERFACES[contract], topics, data);
}

/** The generic path (ethers' ABI coder), for shapes the fast codec does not cover. */
export function slowDecode(iface: Interface, topics: readonly string[], data: string) {
  let parsed;
  try {
    parsed = iface.parseLog({ topics: [...topics], data });
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  try {
    const values = parsed.args.toArray();
    const payloadHash = keccak256(coder.encode(parsed.fragment.inputs, values));
    // ABI decoding ignores padding, so a log is only its own evidence if it is the canonical encoding of its values.
    const again = iface.encodeEventLog(parsed.fragment, values);
    const canonical = again.data.toLowerCase() === data.toLowerCase() && again.topics.length === topics.length && again.topics.every((t, i) => t.toLowerCase() === topics[i]!.toLowerCase());
    return { name: parsed.name, args: toPlain(parsed.args.toObject(true)) as Record<string, unknown>, payloadHash, canonical };
  } catch {
    // A value that does not decode (ethers defers such errors to first access).
    return undefined;
  }
}

/** JSON-safe values: bigints as decimal strings, addresses and hashes as given. */
export function toPlain(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

import { AbiCoder, keccak256, type Interface } from "ethers";
import { LEDGER_INTERFACES, type LedgerContractName } from "../chain/contracts.js";

const coder = AbiCoder.defaultAbiCoder();

/** Decodes a raw log with the ledger interface of `contract`, and the payload hash of its arguments. */
export function decodeWithPayload(contract: LedgerContractName, topics: readonly string[], data: string) {
  const iface: Interface = LEDGER_INTERFACES[contract];
  const parsed = iface.parseLog({ topics: [...topics], data });
  if (!parsed) return undefined;
  // abi.encode of every argument in declaration order: what the contract hashed.
  const payloadHash = keccak256(coder.encode(parsed.fragment.inputs, parsed.args.toArray()));
  // ABI decoding ignores padding, so a log is only its own evidence if it is the canonical encoding of its values.
  const again = iface.encodeEventLog(parsed.fragment, parsed.args.toArray());
  const canonical = again.data.toLowerCase() === data.toLowerCase() && again.topics.length === topics.length && again.topics.every((t, i) => t.toLowerCase() === topics[i]!.toLowerCase());
  return { name: parsed.name, args: toPlain(parsed.args.toObject(true)) as Record<string, unknown>, payloadHash, canonical };
}

/** JSON-safe values: bigints as decimal strings, addresses and hashes as given. */
export function toPlain(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

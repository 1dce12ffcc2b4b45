import { RLP } from "@ethereumjs/rlp";
import { getBytes, keccak256 } from "ethers";

/** A block header as eth_getBlockByNumber returns it (hex strings), with every field that enters its hash. */
export interface RpcHeader {
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
  difficulty: string;
  number: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  mixHash: string;
  nonce: string;
  baseFeePerGas?: string;
  withdrawalsRoot?: string;
  blobGasUsed?: string;
  excessBlobGas?: string;
  parentBeaconBlockRoot?: string;
  requestsHash?: string;
}

/** The header fields in hash order (London, Shanghai, Cancun, Prague additions last, when present). */
export const HEADER_FIELDS = [
  "parentHash",
  "sha3Uncles",
  "miner",
  "stateRoot",
  "transactionsRoot",
  "receiptsRoot",
  "logsBloom",
  "difficulty",
  "number",
  "gasLimit",
  "gasUsed",
  "timestamp",
  "extraData",
  "mixHash",
  "nonce",
  "baseFeePerGas",
  "withdrawalsRoot",
  "blobGasUsed",
  "excessBlobGas",
  "parentBeaconBlockRoot",
  "requestsHash",
] as const satisfies readonly (keyof RpcHeader)[];

const QUANTITIES = new Set<string>(["difficulty", "number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas", "blobGasUsed", "excessBlobGas"]);

/** Quantities are minimal big-endian (zero is empty); everything else is its bytes. */
const field = (name: string, hex: string): Uint8Array => {
  if (!QUANTITIES.has(name)) return getBytes(hex);
  let n = BigInt(hex);
  const out: number[] = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return Uint8Array.from(out);
};

/** The header's keccak256(rlp(fields)): what its block hash must be. Optional fields end the list in order. */
export function headerHash(h: RpcHeader): string {
  const items: Uint8Array[] = [];
  for (const name of HEADER_FIELDS) {
    const v = h[name];
    if (v === undefined || v === null) break;
    items.push(field(name, v));
  }
  return keccak256(RLP.encode(items));
}

/** Only the fields that enter the hash (and the hash), in a fixed order: what a bundle carries. */
export function pickHeader(raw: Record<string, unknown>): RpcHeader {
  const out: Record<string, string> = { hash: String(raw.hash) };
  for (const name of HEADER_FIELDS) if (typeof raw[name] === "string") out[name] = raw[name] as string;
  return out as unknown as RpcHeader;
}

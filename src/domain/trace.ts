import { keccak256 } from "ethers";

/**
 * The trace entry encoding of contracts/libraries/TraceLib.sol, in TypeScript: the one off-chain definition, used
 * by the indexer (to check every entry it stores) and by the evidence verifier.
 *
 *   digest' = keccak256(abi.encode(word, subject, seq', action, actor, payloadHash, blockNumber))
 *   word'   = (seq' << 192) | (digest' mod 2^192)
 */
export interface TraceEntryInput {
  subject: string;
  seq: bigint;
  action: number;
  actor: string;
  payloadHash: string;
  blockNumber: bigint | number;
}

export const ZERO_WORD = "0x" + "0".repeat(64);
const MASK_192 = (1n << 192n) - 1n;

const word = (hex: string): string => hex.slice(2).toLowerCase().padStart(64, "0");
const uint = (n: bigint | number): string => BigInt(n).toString(16).padStart(64, "0");

/** The sequence number held in a trace word. */
export const seqOf = (w: string): bigint => BigInt(w) >> 192n;

/** The word after appending `entry` to `prev`. `entry.seq` must be seqOf(prev) + 1. */
export function nextWord(prev: string, entry: TraceEntryInput): string {
  // abi.encode of seven static values is their 32-byte words back to back.
  const encoded = "0x" + word(prev) + word(entry.subject) + uint(entry.seq) + uint(entry.action) + word(entry.actor) + word(entry.payloadHash) + uint(entry.blockNumber);
  const digest = BigInt(keccak256(encoded));
  return "0x" + ((entry.seq << 192n) | (digest & MASK_192)).toString(16).padStart(64, "0");
}

/** The subject key of contracts/libraries/SubjectKeys.sol: kind in the top byte, id below. */
export const subjectKey = (kind: number, id: bigint | string): string =>
  "0x" + ((BigInt(kind) << 248n) | BigInt(id)).toString(16).padStart(64, "0");

/** The ERC-7201 base slot of every ledger contract's trace words (Traceable.sol). */
export const TRACE_STORAGE = "0xe96dd205d7888bd424e900692eb267c506948d4440757f1924ac0fe595b11800";

/** The storage slot of `subject`'s trace word: keccak256(abi.encode(subject, TRACE_STORAGE)). */
export const traceSlot = (subject: string): string => keccak256("0x" + word(subject) + word(TRACE_STORAGE));

import { getAddress, keccak256, type EventFragment, type ParamType } from "ethers";

/**
 * A fast, strict ABI codec for the ledger's event shapes (static values, structs of them, strings and bytes),
 * compiled once per event fragment. For a raw log it gives, without the generic coder: the decoded arguments (in
 * the plain form ethers' `toObject` + decimal strings gives), whether the log is the canonical encoding of those
 * values (padding, offsets and lengths exactly as a compiler writes them), and the payload encoding
 * `abi.encode(every argument in declaration order)` the contract hashed. A test checks it against ethers on every
 * ledger event. Anything outside these shapes returns undefined and the caller falls back to ethers.
 */
type Kind =
  | { t: "uint"; bits: number }
  | { t: "int"; bits: number }
  | { t: "address" }
  | { t: "bool" }
  | { t: "fixedBytes"; size: number }
  | { t: "tuple"; comps: { name: string; kind: Kind }[] }
  | { t: "string" }
  | { t: "bytes" };

type Plain = string | boolean | { [k: string]: Plain };

export interface FastDecoded {
  args: Record<string, Plain>;
  canonical: boolean;
  payloadHash: string;
}

const WORD = 64;
const ZERO_WORD = "0".repeat(WORD);
const addressCache = new Map<string, string>();
const utf8 = new TextDecoder("utf-8", { fatal: true });

function kindOf(p: ParamType): Kind | undefined {
  const type = p.type;
  if (p.baseType === "tuple") {
    const comps = (p.components ?? []).map((c) => ({ name: c.name, kind: kindOf(c) }));
    if (comps.some((c) => c.kind === undefined || isDynamic(c.kind))) return undefined;
    return { t: "tuple", comps: comps as { name: string; kind: Kind }[] };
  }
  if (p.baseType === "array") return undefined;
  if (type === "address") return { t: "address" };
  if (type === "bool") return { t: "bool" };
  if (type === "string") return { t: "string" };
  if (type === "bytes") return { t: "bytes" };
  let m = /^uint(\d*)$/.exec(type);
  if (m) return { t: "uint", bits: Number(m[1] || 256) };
  m = /^int(\d*)$/.exec(type);
  if (m) return { t: "int", bits: Number(m[1] || 256) };
  m = /^bytes(\d+)$/.exec(type);
  if (m) return { t: "fixedBytes", size: Number(m[1]) };
  return undefined;
}

const isDynamic = (k: Kind): boolean => k.t === "string" || k.t === "bytes";
const words = (k: Kind): number => (k.t === "tuple" ? k.comps.reduce((n, c) => n + words(c.kind), 0) : 1);

/** Decodes one word of a static kind; canonical is false when its padding is not what an encoder writes. */
function readWord(k: Kind, w: string): { value: Plain; canonical: boolean } {
  switch (k.t) {
    case "uint": {
      const v = BigInt("0x" + w);
      return { value: v.toString(), canonical: k.bits === 256 || v >> BigInt(k.bits) === 0n };
    }
    case "int": {
      const raw = BigInt("0x" + w);
      const v = BigInt.asIntN(k.bits, raw);
      return { value: v.toString(), canonical: BigInt.asUintN(256, v) === raw };
    }
    case "address": {
      const lower = "0x" + w.slice(24);
      let a = addressCache.get(lower);
      if (a === undefined) {
        a = getAddress(lower);
        if (addressCache.size > 100_000) addressCache.clear();
        addressCache.set(lower, a);
      }
      return { value: a, canonical: w.startsWith("000000000000000000000000") };
    }
    case "bool":
      return { value: w.endsWith("1"), canonical: w === ZERO_WORD || w === ZERO_WORD.slice(0, 63) + "1" };
    case "fixedBytes":
      return { value: "0x" + w.slice(0, k.size * 2), canonical: /^0*$/.test(w.slice(k.size * 2)) };
    default:
      throw new Error("not a one-word kind");
  }
}

/** Reads a static value (one word, or a struct of words) starting at word `at` of `hex` (no 0x). */
function readStatic(k: Kind, hex: string, at: number): { value: Plain; canonical: boolean } {
  if (k.t !== "tuple") return readWord(k, hex.slice(at * WORD, (at + 1) * WORD));
  const out: Record<string, Plain> = {};
  let canonical = true;
  let offset = at;
  for (const c of k.comps) {
    const r = readStatic(c.kind, hex, offset);
    out[c.name] = r.value;
    canonical &&= r.canonical;
    offset += words(c.kind);
  }
  return { value: out, canonical };
}

/** Compiles an event fragment; undefined when it has shapes this codec does not cover (or is anonymous). */
export function compileEvent(fragment: EventFragment): ((topics: readonly string[], data: string, withPayload?: boolean) => FastDecoded | undefined) | undefined {
  if (fragment.anonymous) return undefined;
  const inputs = fragment.inputs.map((p) => ({ name: p.name, indexed: p.indexed === true, kind: kindOf(p) }));
  if (inputs.some((i) => i.kind === undefined || (i.indexed && (isDynamic(i.kind!) || i.kind!.t === "tuple")))) return undefined;
  const dataInputs = inputs.filter((i) => !i.indexed);
  const headWords = dataInputs.reduce((n, i) => n + (isDynamic(i.kind!) ? 1 : words(i.kind!)), 0);
  const indexedCount = inputs.length - dataInputs.length;
  const payloadHeadWords = inputs.reduce((n, i) => n + (isDynamic(i.kind!) ? 1 : words(i.kind!)), 0);

  return (topics, data, withPayload = true) => {
    if (topics.length !== indexedCount + 1 || !/^0x([0-9a-fA-F]{2})*$/.test(data)) return undefined;
    const hex = data.slice(2).toLowerCase();
    if (hex.length % WORD !== 0) return { args: {}, canonical: false, payloadHash: "" };
    let canonical = true;
    const args: Record<string, Plain> = {};
    const heads: string[] = []; // payload head, in declaration order (dynamic: placeholder)
    const tails: string[] = [];
    let topic = 1;
    let w = 0;
    let expectedTail = headWords * 32; // canonical offset of the next dynamic value, in bytes
    for (const input of inputs) {
      const k = input.kind!;
      if (input.indexed) {
        const word = topics[topic++]!.slice(2).toLowerCase();
        const r = readWord(k, word);
        args[input.name] = r.value;
        canonical &&= r.canonical;
        heads.push(word);
        continue;
      }
      if (isDynamic(k)) {
        const offset = Number(BigInt("0x" + hex.slice(w * WORD, (w + 1) * WORD)));
        w++;
        if (offset !== expectedTail || offset % 32 !== 0 || offset * 2 + WORD > hex.length) return { args: {}, canonical: false, payloadHash: "" };
        const len = Number(BigInt("0x" + hex.slice(offset * 2, offset * 2 + WORD)));
        const padded = Math.ceil(len / 32) * 64;
        const body = hex.slice(offset * 2 + WORD, offset * 2 + WORD + padded);
        if (body.length !== padded || !/^0*$/.test(body.slice(len * 2))) return { args: {}, canonical: false, payloadHash: "" };
        let value: string;
        if (k.t === "string") {
          try {
            value = utf8.decode(Buffer.from(body.slice(0, len * 2), "hex"));
          } catch {
            return { args: {}, canonical: false, payloadHash: "" };
          }
        } else value = "0x" + body.slice(0, len * 2);
        args[input.name] = value;
        tails.push(hex.slice(offset * 2, offset * 2 + WORD + padded));
        heads.push(""); // filled once the payload's tail offsets are known
        expectedTail += 32 + padded / 2;
        continue;
      }
      const r = readStatic(k, hex, w);
      args[input.name] = r.value;
      canonical &&= r.canonical;
      heads.push(hex.slice(w * WORD, (w + words(k)) * WORD));
      w += words(k);
    }
    // Nothing may follow the last tail.
    if (expectedTail * 2 !== hex.length) canonical = false;
    if (!withPayload) return { args, canonical, payloadHash: "" };
    // abi.encode(all arguments): the same tails, offsets counted from the payload's own head.
    let tailOffset = payloadHeadWords * 32;
    let t = 0;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] !== "") continue;
      heads[i] = tailOffset.toString(16).padStart(WORD, "0");
      tailOffset += tails[t++]!.length / 2;
    }
    const payloadHash = keccak256("0x" + heads.join("") + tails.join(""));
    return { args, canonical, payloadHash };
  };
}

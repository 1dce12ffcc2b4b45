/**
 * Argument parsing shared by the command groups. Anything malformed is a UsageError (exit 2).
 *
 * Hashes (terms, reasons, evidence, catalogues, organisation ids, credentials) all take one of three forms:
 *   --X "text"        keccak256 of the UTF-8 text
 *   --X-file PATH     keccak256 of the file's bytes
 *   --X-hash 0x…      the 32-byte hash itself
 */
import { readFile } from "node:fs/promises";
import type { ParseArgsOptionsConfig } from "node:util";
import { getAddress, isHexString, keccak256, toUtf8Bytes } from "ethers";
import { ROLE_IDS, ROLE_NAMES } from "../domain/roles.js";
import { UsageError } from "./errors.js";
import type { Values } from "./context.js";

/** The three options of hash `name`. */
export function hashOptions(name: string): ParseArgsOptionsConfig {
  return { [name]: { type: "string" }, [`${name}-file`]: { type: "string" }, [`${name}-hash`]: { type: "string" } };
}

export const hashUsage = (name: string, what = name): string => `(--${name} TEXT | --${name}-file PATH | --${name}-hash 0x…)`.replace("TEXT", what.toUpperCase().replace(/-/g, "_"));

/** The hash given by `--name`, `--name-file` or `--name-hash` (exactly one). */
export async function hashArg(values: Values, name: string): Promise<string> {
  const text = values[name] as string | undefined;
  const file = values[`${name}-file`] as string | undefined;
  const given = values[`${name}-hash`] as string | undefined;
  const count = [text, file, given].filter((v) => v !== undefined).length;
  if (count === 0) throw new UsageError(`give the ${name}: --${name} TEXT, --${name}-file PATH or --${name}-hash 0x…`);
  if (count > 1) throw new UsageError(`give the ${name} once: only one of --${name}, --${name}-file, --${name}-hash`);
  if (text !== undefined) return keccak256(toUtf8Bytes(text));
  if (file !== undefined) {
    try {
      return keccak256(await readFile(file));
    } catch (e) {
      throw new UsageError(`cannot read --${name}-file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return parseHash(given!, `--${name}-hash`);
}

export function parseHash(v: string, what: string): string {
  if (!isHexString(v, 32)) throw new UsageError(`${what} must be a 32-byte hash (0x and 64 hex digits), got ${JSON.stringify(v)}`);
  return v.toLowerCase();
}

export function parseAddress(v: string | undefined, what: string): string {
  if (v === undefined) throw new UsageError(`${what} is required (an address)`);
  try {
    if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new Error();
    return getAddress(v.toLowerCase());
  } catch {
    throw new UsageError(`${what} must be an address (0x and 40 hex digits), got ${JSON.stringify(v)}`);
  }
}

/** A non-negative integer that fits `bits` bits. */
export function parseUint(v: string | undefined, what: string, bits = 64, min = 0n): bigint {
  if (v === undefined) throw new UsageError(`${what} is required`);
  if (!/^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(v)) throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(v)}`);
  const n = BigInt(v);
  if (n < min || n >= 1n << BigInt(bits)) throw new UsageError(`${what} must be between ${min} and ${(1n << BigInt(bits)) - 1n}, got ${v}`);
  return n;
}

/** An id (positive, uint64). */
export const parseId = (v: string | undefined, what: string): bigint => parseUint(v, what, 64, 1n);

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/** An enum value by name (any case, dashes or underscores ignored) or number. */
export function parseEnum<E extends Record<string, number>>(e: E, v: string | undefined, what: string): number {
  if (v === undefined) throw new UsageError(`${what} is required (one of ${Object.keys(e).join(", ")})`);
  if (/^\d+$/.test(v.trim())) {
    const n = Number(v);
    if (Object.values(e).includes(n)) return n;
  }
  for (const [k, n] of Object.entries(e)) if (norm(k) === norm(v)) return n;
  throw new UsageError(`unknown ${what} ${JSON.stringify(v)} (one of ${Object.keys(e).join(", ")})`);
}

/** A role by name (any case) or 32-byte id. */
export function parseRole(v: string | undefined, what = "--role"): string {
  if (v === undefined) throw new UsageError(`${what} is required (one of ${ROLE_NAMES.join(", ")})`);
  if (isHexString(v, 32)) return v.toLowerCase();
  const name = ROLE_NAMES.find((n) => n === v.toUpperCase());
  if (!name) throw new UsageError(`unknown role ${JSON.stringify(v)} (one of ${ROLE_NAMES.join(", ")})`);
  return ROLE_IDS[name];
}

/** A comma-separated role list. */
export function parseRoles(v: string | undefined): string[] {
  if (v === undefined || v.trim() === "") return [];
  return v.split(",").map((r) => parseRole(r.trim(), "--roles"));
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration in seconds: `604800`, `45s`, `30m`, `12h`, `7d`, `2w`. */
export function parseDuration(v: string | undefined, what: string): bigint {
  if (v === undefined) throw new UsageError(`${what} is required (seconds, or a number with s, m, h, d or w)`);
  const m = /^(\d+)([smhdw]?)$/.exec(v.trim());
  if (!m) throw new UsageError(`${what} must be a duration like 604800, 12h or 7d, got ${JSON.stringify(v)}`);
  return BigInt(m[1]!) * BigInt(UNIT[m[2] || "s"]!);
}

export const NO_EXPIRY = (1n << 40n) - 1n;

/**
 * A point in time as unix seconds: `now`, unix seconds, an ISO 8601 date or date-time, `+DURATION` (from `base`),
 * or `never` (the contract's no-expiry value) where allowed.
 */
export function parseTime(v: string, what: string, now: bigint, base: bigint = now, allowNever = false): bigint {
  const s = v.trim();
  if (s === "now") return now;
  if (s === "never") {
    if (!allowNever) throw new UsageError(`${what} cannot be never`);
    return NO_EXPIRY;
  }
  if (s.startsWith("+")) return base + parseDuration(s.slice(1), what);
  if (/^\d+$/.test(s)) return BigInt(s);
  const ms = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(ms)) throw new UsageError(`${what} must be now, unix seconds, an ISO date (2027-01-31 or 2027-01-31T12:00:00Z), +DURATION${allowNever ? " or never" : ""}; got ${JSON.stringify(v)}`);
  return BigInt(Math.floor(ms / 1000));
}

/** Purposes: comma-separated bit numbers (`0,1,5`), or a mask in hex or binary (`0x23`, `0b100011`). */
export function parsePurposes(v: string | undefined): number {
  if (v === undefined) throw new UsageError("--purposes is required (bit numbers like 0,1,5, or a mask like 0x23)");
  const s = v.trim();
  let mask: bigint;
  if (/^0x[0-9a-fA-F]+$/.test(s) || /^0b[01]+$/.test(s)) mask = BigInt(s);
  else if (/^\d+(\s*,\s*\d+)*$/.test(s)) {
    mask = 0n;
    for (const b of s.split(",").map((x) => Number(x.trim()))) {
      if (b > 31) throw new UsageError(`purpose bit ${b} is out of range (0 to 31)`);
      mask |= 1n << BigInt(b);
    }
  } else throw new UsageError(`--purposes must be bit numbers like 0,1,5 or a mask like 0x23, got ${JSON.stringify(v)}`);
  if (mask >= 1n << 32n) throw new UsageError("--purposes does not fit 32 bits");
  return Number(mask);
}

/** Exactly `n` positionals. */
export function positionals(list: string[], names: string[]): string[] {
  if (list.length !== names.length) throw new UsageError(`expected ${names.length ? names.join(" ") : "no arguments"}, got ${list.length ? list.map((p) => JSON.stringify(p)).join(" ") : "none"}`);
  return list;
}

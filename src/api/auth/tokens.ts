import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";

/** A session token: base64url(JSON payload) "." base64url(HMAC-SHA256). Short-lived; roles are never in it. */
export interface TokenPayload {
  sub: string;
  exp: number;
  jti: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

// The secret as a KeyObject, made once: createHmac otherwise builds one from the buffer on every request.
const keys = new WeakMap<Buffer, KeyObject>();
function keyOf(secret: Buffer): KeyObject {
  let k = keys.get(secret);
  if (!k) keys.set(secret, (k = createSecretKey(secret)));
  return k;
}

export function issueToken(secret: Buffer, address: string, ttlSeconds: number, now: number): { token: string; expiresAt: number } {
  const payload: TokenPayload = { sub: address.toLowerCase(), exp: now + ttlSeconds, jti: randomBytes(12).toString("hex") };
  const body = b64(JSON.stringify(payload));
  const mac = createHmac("sha256", keyOf(secret)).update(body).digest();
  return { token: `${body}.${b64(mac)}`, expiresAt: payload.exp };
}

/**
 * Tokens whose MAC has been checked, per secret: a signed-in member sends the same token with every request, and
 * the HMAC was the largest single cost of an authenticated request (issue 6's bench). Keyed by the whole token, so
 * only a byte-identical token that verified before is taken from here; expiry is still checked on every use. At
 * most MAX_VERIFIED entries; when full the oldest half goes (a Map iterates in insertion order).
 */
const verified = new WeakMap<Buffer, Map<string, TokenPayload>>();
const MAX_VERIFIED = 10_000;

/** The payload of a genuine, unexpired token; undefined otherwise. */
export function verifyToken(secret: Buffer, token: string, now: number): TokenPayload | undefined {
  let known = verified.get(secret);
  if (!known) verified.set(secret, (known = new Map()));
  const hit = known.get(token);
  if (hit) return hit.exp > now ? hit : undefined;
  const payload = checkToken(secret, token, now);
  if (payload) {
    if (known.size >= MAX_VERIFIED) {
      let drop = known.size / 2;
      for (const k of known.keys()) {
        if (drop-- <= 0) break;
        known.delete(k);
      }
    }
    known.set(token, payload);
  }
  return payload;
}

function checkToken(secret: Buffer, token: string, now: number): TokenPayload | undefined {
  const parts = token.split(".");
  if (parts.length !== 2 || parts[0]!.length > 512) return undefined;
  const [body, mac] = parts as [string, string];
  const expected = createHmac("sha256", keyOf(secret)).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const p = payload as Partial<TokenPayload>;
  if (typeof p.sub !== "string" || typeof p.exp !== "number" || typeof p.jti !== "string") return undefined;
  if (p.exp <= now) return undefined;
  return p as TokenPayload;
}

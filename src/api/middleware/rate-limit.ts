import type { RequestHandler } from "express";
import { ApiError } from "../errors.js";

export interface RateLimitOptions {
  /** Requests a client may make per window. */
  limit: number;
  windowMs: number;
  /** Milliseconds since the epoch (injectable for tests). */
  now?: () => number;
}

/**
 * A fixed-window rate limit per client address, synchronous. Every response carries the IETF RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers-07: `RateLimit-Policy` and `RateLimit`); past the limit, a 429 in the error
 * format with `Retry-After`. It replaces express-rate-limit, which cost ~30 µs a request in the API bench (issue
 * 6: a quarter of a cheap request; promise chains, per-request validations and a SHA-256 per response), for what is
 * a counter per address. The windows are aligned to the clock, so one map of counters serves every client and is
 * dropped whole when its window ends: memory stays bounded by the clients of one window.
 */
export function rateLimit({ limit, windowMs, now = Date.now }: RateLimitOptions): RequestHandler {
  const policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  let windowEnd = 0;
  let counts = new Map<string, number>();
  return (req, res, next) => {
    const t = now();
    if (t >= windowEnd) {
      windowEnd = t - (t % windowMs) + windowMs;
      counts = new Map();
    }
    // The socket's peer: the app trusts no proxy headers (express's req.ip is the same without "trust proxy").
    const client = req.socket.remoteAddress ?? "unknown";
    const used = (counts.get(client) ?? 0) + 1;
    counts.set(client, used);
    const reset = Math.ceil((windowEnd - t) / 1000);
    res.setHeader("RateLimit-Policy", policy);
    res.setHeader("RateLimit", `limit=${limit}, remaining=${Math.max(0, limit - used)}, reset=${reset}`);
    if (used <= limit) return next();
    res.setHeader("Retry-After", String(reset));
    next(new ApiError("RATE_LIMITED", "too many requests; slow down"));
  };
}

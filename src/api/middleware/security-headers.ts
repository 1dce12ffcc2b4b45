import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * helmet's security headers, worked out once: helmet's defaults are the same for every response (no per-request
 * nonce), so they are captured at start-up by running helmet against a recording response, and then set from that
 * list. Running helmet itself on each request (a chain of a dozen middlewares) cost ~10 µs a request in the API
 * bench (issue 6). The captured set is exactly helmet's, so its defaults stay the reference.
 */
export function securityHeaders(options?: Parameters<typeof helmet>[0]): RequestHandler {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let done = false;
  helmet(options)({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // helmet calls next synchronously; if a future version does not, its headers would silently be missing.
  if (!done) throw new Error("helmet did not finish synchronously; its headers cannot be precomputed");
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

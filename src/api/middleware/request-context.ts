import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../../common/logger.js";
import type { ApiMetrics } from "./metrics.js";

/** Gives every request an id (X-Request-Id, echoed), logs one structured line per request and records metrics. */
export function requestContext(logger: Logger, metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = (res.locals.route as string | undefined) ?? "unmatched";
      metrics.observe(req.method, route, res.statusCode, seconds);
      logger.info("request", { requestId: id, method: req.method, route, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) });
    });
    next();
  };
}

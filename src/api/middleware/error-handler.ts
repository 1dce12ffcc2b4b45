import type { ErrorRequestHandler } from "express";
import { z } from "zod";
import { BaseError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import { API_ERRORS, ApiError, type ErrorBody } from "../errors.js";

/** Where every error becomes `{ error: { code, message } }` with its status: the one mapping of errors to HTTP. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const { status, body } = toResponse(err);
    if (status >= 500) logger.error("request failed", { requestId: res.locals.requestId as string, path: req.path, error: err instanceof Error ? err.stack : String(err) });
    if (res.headersSent) return;
    res.status(status).json(body);
  };
}

export function toResponse(err: unknown): { status: number; body: ErrorBody } {
  const reply = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
  if (err instanceof ApiError) return reply(err.status, err.code, err.message);
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    const where = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid input";
    return reply(400, API_ERRORS.VALIDATION.code, `invalid request: ${where}${err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : ""}`);
  }
  // body-parser's errors carry a `type` and a status.
  const e = err as { type?: string; status?: number };
  if (e?.type === "entity.too.large") return reply(413, API_ERRORS.TOO_LARGE.code, "request body too large");
  if (e?.type === "entity.parse.failed") return reply(400, API_ERRORS.BAD_JSON.code, "request body is not valid JSON");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return reply(415, API_ERRORS.UNSUPPORTED_TYPE.code, "unsupported body encoding");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return reply(400, API_ERRORS.VALIDATION.code, "malformed request");
  if (err instanceof BaseError && err.name === "RangeError") return reply(400, API_ERRORS.VALIDATION.code, err.message);
  return reply(500, API_ERRORS.INTERNAL.code, "internal error; the server log has the details");
}

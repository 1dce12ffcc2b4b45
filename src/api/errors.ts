import { BaseError } from "../common/errors.js";

/**
 * The API's error catalogue: every error a client can see, with its stable code and HTTP status. Responses are
 * `{ "error": { "code", "message" } }`; stacks stay in the server log.
 */
export const API_ERRORS = {
  VALIDATION: { code: "DRL-400-VALIDATION", status: 400 },
  BAD_JSON: { code: "DRL-400-JSON", status: 400 },
  UNAUTHENTICATED: { code: "DRL-401-UNAUTHENTICATED", status: 401 },
  LOGIN_REFUSED: { code: "DRL-401-LOGIN", status: 401 },
  FORBIDDEN: { code: "DRL-403-FORBIDDEN", status: 403 },
  NOT_FOUND: { code: "DRL-404-NOT-FOUND", status: 404 },
  METHOD: { code: "DRL-405-METHOD", status: 405 },
  CONFLICT: { code: "DRL-409-CONFLICT", status: 409 },
  TOO_LARGE: { code: "DRL-413-TOO-LARGE", status: 413 },
  UNSUPPORTED_TYPE: { code: "DRL-415-MEDIA-TYPE", status: 415 },
  RATE_LIMITED: { code: "DRL-429-RATE-LIMITED", status: 429 },
  INTERNAL: { code: "DRL-500-INTERNAL", status: 500 },
  NOT_READY: { code: "DRL-503-NOT-READY", status: 503 },
} as const;
export type ApiErrorKind = keyof typeof API_ERRORS;

export class ApiError extends BaseError {
  override name = "ApiError";
  readonly status: number;

  constructor(kind: ApiErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(API_ERRORS[kind].code, message, options);
    this.status = API_ERRORS[kind].status;
  }
}

export const notFound = (what: string): ApiError => new ApiError("NOT_FOUND", `${what} not found`);

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

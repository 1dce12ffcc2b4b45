/**
 * The error taxonomy of the TypeScript side. Every error the ledger raises on purpose is a BaseError with a stable
 * code; retryable ones (a node that did not answer) are told apart from those that retrying cannot fix.
 */
export interface BaseErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class BaseError extends Error {
  override name = "BaseError";
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: BaseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A failure that may pass: a node that timed out, refused a connection, or answered "busy". */
export class RetryableError extends BaseError {
  override name = "RetryableError";
}

/** A failure that retrying will not fix: bad configuration, corrupt data, a broken invariant. */
export class NonRetryableError extends BaseError {
  override name = "NonRetryableError";
}

/** The node refused a log query as too large; the caller should split the range. */
export class RangeTooLargeError extends RetryableError {
  override name = "RangeTooLargeError";
}

/** A reorganisation deeper than the configured window: the index cannot roll back safely and stops. */
export class DeepReorgError extends NonRetryableError {
  override name = "DeepReorgError";
}

/** What was indexed does not match the chain (a trace word that does not fold, an unknown event). */
export class IntegrityError extends NonRetryableError {
  override name = "IntegrityError";
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const MARKER = Symbol.for('memnex.error');

/**
 * Stable error codes. Servers map them to HTTP statuses and MCP tool errors at the edge only.
 * `NETWORK_ERROR` is raised by clients that could not reach a server (refused, reset, timed out).
 * `EXTRACTION_FAILED` is raised by fact extractors; a write falls back to the rules instead.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INJECTION_DETECTED',
  'STORAGE_UNAVAILABLE',
  'EMBEDDING_FAILED',
  'EXTRACTION_FAILED',
  'NETWORK_ERROR',
  'INTERNAL',
] as const;

/** One of the stable {@link ERROR_CODES}. */
export type MemnexErrorCode = (typeof ERROR_CODES)[number];

/** Default HTTP status per error code, for servers that surface the error over HTTP. */
export const ERROR_STATUS: Readonly<Record<MemnexErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INJECTION_DETECTED: 400,
  STORAGE_UNAVAILABLE: 503,
  EMBEDDING_FAILED: 502,
  EXTRACTION_FAILED: 502,
  NETWORK_ERROR: 503,
  INTERNAL: 500,
};

/** One problem found while validating input, located by a dotted path such as `facts.3.text`. */
export interface ValidationIssue {
  /** Dotted path of the offending field; empty for the input as a whole. */
  path: string;
  /** Human-readable description of the problem. */
  message: string;
  /** Machine-readable reason, e.g. `too_big`, `invalid_type`. */
  code: string;
}

/** Options of {@link MemnexError}. */
export interface MemnexErrorOptions {
  /** Stable code; see {@link ERROR_CODES}. */
  code: MemnexErrorCode;
  /** Human-readable message; safe to show to API callers. */
  message: string;
  /** Structured details (validation issues, current version on conflict, ...). */
  details?: Record<string, unknown>;
  /** Underlying error, e.g. a driver error wrapped by an adapter. */
  cause?: unknown;
  /** HTTP status override; defaults to {@link ERROR_STATUS} for the code. */
  status?: number;
}

/**
 * The one error type of Memnex. Check with {@link MemnexError.isInstance}, which survives
 * duplicate installs of this package.
 */
export class MemnexError extends Error {
  private readonly [MARKER] = true;
  /** Stable code. */
  readonly code: MemnexErrorCode;
  /** HTTP status that best describes the error. */
  readonly status: number;
  /** Structured details, safe to return to the caller. */
  readonly details?: Record<string, unknown>;

  constructor(options: MemnexErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MemnexError';
    this.code = options.code;
    this.status = options.status ?? ERROR_STATUS[options.code];
    if (options.details !== undefined) this.details = options.details;
  }

  /** True when `value` is a MemnexError from any copy of this package. */
  static isInstance(value: unknown): value is MemnexError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }

  /** A `VALIDATION_FAILED` error listing every issue with its field path. */
  static validation(issues: ValidationIssue[], message?: string): MemnexError {
    const summary =
      message ??
      issues
        .slice(0, 5)
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join('; ');
    return new MemnexError({
      code: 'VALIDATION_FAILED',
      message: summary || 'invalid input',
      details: { issues },
    });
  }

  /** A `NOT_FOUND` error for a named thing. */
  static notFound(what: string, details?: Record<string, unknown>): MemnexError {
    return new MemnexError({ code: 'NOT_FOUND', message: `${what} not found`, details });
  }

  /** Plain JSON form, as servers put it in `{ error: ... }`. */
  toJSON(): { code: MemnexErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Wrap an unknown failure of a store as `STORAGE_UNAVAILABLE`, keeping MemnexErrors unchanged.
 * Adapters call this at their boundary so that callers see one stable code.
 */
export function toStorageError(error: unknown, operation: string): MemnexError {
  if (MemnexError.isInstance(error)) return error;
  return new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message: `storage failed during ${operation}`,
    cause: error,
  });
}

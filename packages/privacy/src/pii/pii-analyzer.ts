import type { PiiKind, PiiSpan } from './pii-kind.js';

/**
 * An external detector whose findings a masker merges with the built-in ones, such as
 * `createPresidioAnalyzer(...)`. It finds what rules cannot: names, places, IP addresses.
 */
export interface PiiAnalyzer {
  /** Short name for log lines, e.g. `presidio`. */
  readonly name: string;
  /**
   * Finds spans of the given kinds in the text, with offsets in UTF-16 code units. Rejects with a
   * {@link PiiAnalyzerError} when no usable answer came (the masker then falls back or rejects).
   */
  analyze(input: { text: string; kinds: readonly PiiKind[] }): Promise<PiiSpan[]>;
}

/**
 * Why an analyzer gave no usable answer: it did not answer in time, could not be reached,
 * answered with a non-2xx status or with something that is not a list of findings, or failed
 * in some other way (`error`).
 */
export type PiiAnalyzerFailureReason =
  'timeout' | 'unreachable' | 'status' | 'invalid_response' | 'error';

/** Options of {@link PiiAnalyzerError}. */
export interface PiiAnalyzerErrorOptions {
  /** HTTP status of the answer, for `status`. */
  status?: number;
  /** The underlying failure, e.g. the network error. */
  cause?: unknown;
}

const MARKER = Symbol.for('memnex.pii-analyzer-error');

/** An external analyzer gave no usable answer. Check with {@link PiiAnalyzerError.isInstance}. */
export class PiiAnalyzerError extends Error {
  private readonly [MARKER] = true;
  /** What went wrong. */
  readonly reason: PiiAnalyzerFailureReason;
  /** HTTP status of the answer, for `status`. */
  readonly status?: number;

  constructor(
    reason: PiiAnalyzerFailureReason,
    message: string,
    options: PiiAnalyzerErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PiiAnalyzerError';
    this.reason = reason;
    if (options.status !== undefined) this.status = options.status;
  }

  /** True when `value` is a PiiAnalyzerError from any copy of this package. */
  static isInstance(value: unknown): value is PiiAnalyzerError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

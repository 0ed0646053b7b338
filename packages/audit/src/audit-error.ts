const MARKER = Symbol.for('memnex.audit.error');

/** Stable codes of {@link AuditError}. */
export type AuditErrorCode = 'invalid_json' | 'weak_key' | 'invalid_key_spec';

/**
 * The one error type of this package. Check with {@link AuditError.isInstance}, which survives
 * duplicate installs. Messages never contain key material.
 */
export class AuditError extends Error {
  private readonly [MARKER] = true;
  /**
   * `invalid_json`: a value JSON cannot represent faithfully; `weak_key`: an audit secret shorter
   * than 16 bytes; `invalid_key_spec`: a key ring description that cannot be parsed.
   */
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditError';
    this.code = code;
  }

  /** True when `value` is an AuditError from any copy of this package. */
  static isInstance(value: unknown): value is AuditError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

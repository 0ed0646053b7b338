const MARKER = Symbol.for('memnex.identifier-error');

/** Why an identifier has no canonical form. */
export type IdentifierErrorReason =
  | 'empty'
  | 'too_long'
  | 'control_characters'
  | 'not_a_phone_number'
  | 'not_an_email'
  | 'invalid_region'
  | 'unknown_channel';

/**
 * An identifier (or a region setting) that cannot be normalised. The message says what is wrong
 * and never repeats the identifier, so the error can be logged as it is. Check with
 * {@link IdentifierError.isInstance}, which survives duplicate installs of this package.
 */
export class IdentifierError extends Error {
  private readonly [MARKER] = true;
  /** Stable code shared by every identifier error. */
  readonly code = 'invalid_identifier';
  /** Machine-readable reason. */
  readonly reason: IdentifierErrorReason;
  /** The channel of the input; `''` when the error is not about one input (a region option). */
  readonly channel: string;

  constructor(reason: IdentifierErrorReason, channel: string, message: string) {
    super(message);
    this.name = 'IdentifierError';
    this.reason = reason;
    this.channel = channel;
  }

  /** Whether a value is an {@link IdentifierError}, from any copy of this package. */
  static isInstance(value: unknown): value is IdentifierError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MARKER] === true
    );
  }
}

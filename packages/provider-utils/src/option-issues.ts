/** One problem with a factory's options; the `ValidationIssue` of `@memnex/core` has this shape. */
export interface OptionIssue {
  /** Name of the offending option. */
  path: string;
  /** Human-readable description of the problem. */
  message: string;
  /** Machine-readable reason, e.g. `invalid_number`. */
  code: string;
}

/** Builds the error {@link OptionIssues.throwIfAny} throws, e.g. `MemnexError.validation`. */
export type OptionIssuesError = (issues: OptionIssue[], message: string) => Error;

/**
 * Collects option problems and throws them all at once as the error `toError` builds, with the
 * message `invalid options for <factory>: <path>: <problem>; ...`.
 */
export class OptionIssues {
  private readonly issues: OptionIssue[] = [];

  constructor(
    private readonly factory: string,
    private readonly toError: OptionIssuesError,
  ) {}

  /** Require an integer of at least `minimum` when `value` is given. */
  integer(path: string, value: unknown, minimum: number): this {
    if (value === undefined) return this;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      this.add(path, `must be an integer >= ${minimum}`, 'invalid_number');
    }
    return this;
  }

  /** Require a number in `[minimum, maximum]` (an integer when `integer`) when given. */
  number(path: string, value: unknown, minimum: number, maximum: number, integer: boolean): this {
    if (value === undefined) return this;
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= minimum &&
      value <= maximum &&
      (!integer || Number.isInteger(value));
    if (!valid) {
      this.add(
        path,
        `must be ${integer ? 'an integer' : 'a number'} from ${minimum} to ${maximum}`,
        'invalid_number',
      );
    }
    return this;
  }

  /** Require a non-empty string; `required` decides whether `undefined` is a problem. */
  text(path: string, value: unknown, required: boolean): this {
    if (value === undefined && !required) return this;
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.add(path, 'must be a non-empty string', 'invalid_string');
    }
    return this;
  }

  /** Require an absolute http(s) URL; `required` decides whether `undefined` is a problem. */
  httpUrl(path: string, value: unknown, required: boolean): this {
    if (value === undefined && !required) return this;
    let valid = false;
    if (typeof value === 'string') {
      try {
        const protocol = new URL(value).protocol;
        valid = protocol === 'http:' || protocol === 'https:';
      } catch (_error) {
        valid = false;
      }
    }
    if (!valid) this.add(path, 'must be an absolute http(s) URL', 'invalid_url');
    return this;
  }

  /** Require a function when given. */
  callable(path: string, value: unknown): this {
    if (value !== undefined && typeof value !== 'function') {
      this.add(path, 'must be a function', 'invalid_type');
    }
    return this;
  }

  /** Require one of `allowed` when given. */
  oneOf(path: string, value: unknown, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value as string)) {
      this.add(path, `must be one of ${allowed.join(', ')}`, 'invalid_enum_value');
    }
    return this;
  }

  /** Throw the error of every problem found, if there is any. */
  throwIfAny(): void {
    if (this.issues.length === 0) return;
    const summary = this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw this.toError(this.issues, `invalid options for ${this.factory}: ${summary}`);
  }

  private add(path: string, message: string, code: string): void {
    this.issues.push({ path, message, code });
  }
}

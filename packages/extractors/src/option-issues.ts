import { MemnexError, type ValidationIssue } from '@memnex/core';

/** Collects option problems and throws them all at once as `VALIDATION_FAILED`. */
export class OptionIssues {
  private readonly issues: ValidationIssue[] = [];

  constructor(private readonly factory: string) {}

  /** Require a non-empty string; `required` decides whether `undefined` is a problem. */
  text(path: string, value: unknown, required: boolean): this {
    if (value === undefined && !required) return this;
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.add(path, 'must be a non-empty string', 'invalid_string');
    }
    return this;
  }

  /** Require an absolute http(s) URL. */
  httpUrl(path: string, value: unknown, required: boolean): this {
    if (value === undefined && !required) return this;
    let valid = false;
    if (typeof value === 'string') {
      try {
        valid = ['http:', 'https:'].includes(new URL(value).protocol);
      } catch (_error) {
        valid = false;
      }
    }
    if (!valid) this.add(path, 'must be an absolute http(s) URL', 'invalid_url');
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

  /** Require a function when given. */
  callable(path: string, value: unknown): this {
    if (value !== undefined && typeof value !== 'function')
      this.add(path, 'must be a function', 'invalid_type');
    return this;
  }

  /** Throw `VALIDATION_FAILED` listing every problem, if there is any. */
  throwIfAny(): void {
    if (this.issues.length === 0) return;
    const summary = this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw MemnexError.validation(this.issues, `invalid options for ${this.factory}: ${summary}`);
  }

  private add(path: string, message: string, code: string): void {
    this.issues.push({ path, message, code });
  }
}

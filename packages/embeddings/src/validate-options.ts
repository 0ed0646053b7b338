import { MemnexError, type ValidationIssue } from '@memnex/core';

/** Collects option problems and throws them all at once as `VALIDATION_FAILED`. */
export class OptionIssues {
  private readonly issues: ValidationIssue[] = [];

  constructor(private readonly factory: string) {}

  /** Require an integer of at least `minimum` when `value` is given. */
  integer(path: string, value: unknown, minimum: number): this {
    if (value === undefined) return this;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      this.add(path, `must be an integer >= ${minimum}`, 'invalid_number');
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

  /** Require an absolute http(s) URL. */
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

  /** Check the shared `batchSize` and `cacheSize` options. */
  batching(options: { batchSize?: unknown; cacheSize?: unknown }): this {
    return this.integer('batchSize', options.batchSize, 1).integer(
      'cacheSize',
      options.cacheSize,
      0,
    );
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

import type { z } from 'zod';
import { MemnexError, type ValidationIssue } from '../errors.js';
import { tenantIdSchema } from '../wire/common.js';

/** The issues of a zod error as Memnex reports them: dotted paths under `prefix`. */
export function validationIssuesOf(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((segment) => String(segment)).join('.');
    return {
      path: prefix && path ? `${prefix}.${path}` : prefix || path,
      message: issue.message,
      code: issue.code,
    };
  });
}

/** Parse `input` with a zod schema, or throw `VALIDATION_FAILED` listing every issue by path. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  prefix = '',
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw MemnexError.validation(validationIssuesOf(result.error, prefix));
}

/** Split the engine-level fields from the wire input and validate the tenant id. */
export function splitTenant<T extends { tenantId: string }>(
  options: T,
): [string, Omit<T, 'tenantId'>] {
  if (typeof options !== 'object' || options === null) {
    throw MemnexError.validation([
      { path: '', message: 'expected an options object', code: 'invalid_type' },
    ]);
  }
  const { tenantId, ...rest } = options;
  return [parseInput(tenantIdSchema, tenantId, 'tenantId'), rest];
}

import type { z } from 'zod';
import { MemnexError, type ValidationIssue } from '../errors.js';
import { tenantIdSchema } from '../wire/common.js';

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment) => String(segment)).join('.');
}

/** Parse `input` with a zod schema, or throw `VALIDATION_FAILED` listing every issue by path. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  prefix = '',
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => {
    const path = issuePath(issue.path);
    return {
      path: prefix && path ? `${prefix}.${path}` : prefix || path,
      message: issue.message,
      code: issue.code,
    };
  });
  throw MemnexError.validation(issues);
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

import { MemnexError, toStorageError } from '@memnex/core';

/** What the two drivers report about a failed statement. */
interface DriverError {
  /** SQLSTATE, e.g. `23505`. */
  code: string;
  message: string;
  /** Violated constraint: `constraint_name` in postgres.js, `constraint` in PGlite. */
  constraint_name?: string;
  constraint?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The driver's error behind `error`: drizzle wraps it in a `DrizzleQueryError` (whose message
 * carries the query parameters, so it is not kept), possibly more than once.
 */
export function driverErrorOf(error: unknown): DriverError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return current as DriverError;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The innermost cause of `error`: the driver or network error, without drizzle's wrapper. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) return current;
    current = cause;
  }
  return current;
}

/** Messages for unique constraints whose violation means "this already exists". */
const UNIQUE_MESSAGES: Record<string, string> = {
  tenants_pkey: 'tenant already exists',
  api_keys_id_key: 'API key id already exists',
  api_keys_tenant_id_id_pk: 'API key id already exists',
  users_tenant_id_id_pk: 'user id already exists',
  users_tenant_external_id_key: 'user already exists',
  memories_tenant_id_id_pk: 'memory already exists',
  idempotency_records_tenant_id_key_pk: 'idempotency key already used',
  identifiers_tenant_id_namespace_value_pk: 'identifier belongs to another user',
};

/**
 * Translate a failure of a storage operation into the MemnexError callers expect: unique
 * violations are `CONFLICT`, missing referenced rows `NOT_FOUND`, serialisation failures and
 * deadlocks a retryable `CONFLICT`, rejected values `VALIDATION_FAILED`; everything else
 * (connection loss, a server shutting down, a full disk) is `STORAGE_UNAVAILABLE`.
 */
export function toStoreError(error: unknown, operation: string): MemnexError {
  if (MemnexError.isInstance(error)) return error;
  const driverError = driverErrorOf(error);
  const cause = driverError ?? rootCause(error);
  const code = driverError?.code ?? '';
  const constraint = driverError?.constraint_name ?? driverError?.constraint;
  if (code === '23505') {
    return new MemnexError({
      code: 'CONFLICT',
      message: (constraint && UNIQUE_MESSAGES[constraint]) ?? 'record already exists',
      details: constraint ? { constraint } : undefined,
      cause,
    });
  }
  if (code === '23503') {
    const missing = constraint?.endsWith('_tenants_id_fk') ? 'tenant' : 'user';
    return MemnexError.notFound(missing, constraint ? { constraint } : undefined);
  }
  if (code === '40001' || code === '40P01') {
    return new MemnexError({
      code: 'CONFLICT',
      message: `concurrent change during ${operation}; retry`,
      details: { retryable: true },
      cause,
    });
  }
  if (code.startsWith('22')) {
    return new MemnexError({
      code: 'VALIDATION_FAILED',
      message: `a value was rejected by storage during ${operation}`,
      details: { issues: [{ path: '', message: driverError?.message ?? '', code }] },
      cause,
    });
  }
  return toStorageError(cause, operation);
}

/** A `CONFLICT` for a record that exists already or a version that moved. */
export function conflict(message: string, details: Record<string, unknown>): MemnexError {
  return new MemnexError({ code: 'CONFLICT', message, details });
}

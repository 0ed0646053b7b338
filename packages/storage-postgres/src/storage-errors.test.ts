import { MemnexError } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './storage-errors.js';

/** A driver error as drizzle hands it on: wrapped, with the query parameters in the message. */
function wrapped(code: string, extra: Record<string, unknown> = {}): Error {
  const driverError = Object.assign(new Error('driver says no'), { code, ...extra });
  return new Error('Failed query: insert ... params: secret text', { cause: driverError });
}

describe('toStoreError', () => {
  it('keeps MemnexErrors as they are', () => {
    const error = MemnexError.notFound('user');
    expect(toStoreError(error, 'getUser')).toBe(error);
  });

  it('turns a unique violation into CONFLICT, named after the constraint', () => {
    const postgresJs = toStoreError(
      wrapped('23505', { constraint_name: 'memories_tenant_id_id_pk' }),
      'commitWrite',
    );
    expect(postgresJs).toMatchObject({ code: 'CONFLICT', message: 'memory already exists' });
    const pglite = toStoreError(
      wrapped('23505', { constraint: 'idempotency_records_tenant_id_key_pk' }),
      'commitWrite',
    );
    expect(pglite).toMatchObject({ code: 'CONFLICT', message: 'idempotency key already used' });
  });

  it('turns a missing referenced tenant or user into NOT_FOUND', () => {
    const tenant = wrapped('23503', { constraint_name: 'api_keys_tenant_id_tenants_id_fk' });
    expect(toStoreError(tenant, 'createApiKey')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'tenant not found',
    });
    const user = wrapped('23503', { constraint: 'identifiers_user_fk' });
    expect(toStoreError(user, 'linkIdentifier')).toMatchObject({ message: 'user not found' });
  });

  it('makes serialisation failures and deadlocks a retryable CONFLICT', () => {
    for (const code of ['40001', '40P01']) {
      expect(toStoreError(wrapped(code), 'transferUserData')).toMatchObject({
        code: 'CONFLICT',
        details: { retryable: true },
      });
    }
  });

  it('rejects bad values with VALIDATION_FAILED', () => {
    expect(toStoreError(wrapped('22007'), 'listMemories').code).toBe('VALIDATION_FAILED');
  });

  it('reports connection failures as STORAGE_UNAVAILABLE, without the query text', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const error = toStoreError(
      new Error('Failed query: params: secret', { cause: refused }),
      'getUser',
    );
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(error.message).not.toContain('secret');
    expect(error.cause).toBe(refused);
    expect(toStoreError(wrapped('57P01'), 'getUser').code).toBe('STORAGE_UNAVAILABLE');
  });
});

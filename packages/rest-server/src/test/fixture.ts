import { createMemnex, type Memnex, type RateLimiter } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { createRestApp, type RestApp } from '../create-rest-app.js';

/** An app on in-memory stores with a tenant and keys of several scopes. */
export interface Fixture {
  rest: RestApp;
  memnex: Memnex;
  tenantId: string;
  keys: { admin: string; reader: string; writer: string; pinned: string; other: string };
  /** `app.request` with a key and a JSON body. */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

export async function createFixture(
  options: { rateLimiter?: RateLimiter; maxBodyBytes?: number } = {},
): Promise<Fixture> {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    auditKey: 'rest-test-audit-key-0123456789',
    piiKey: 'rest-test-pii-key-0123456789',
  });
  await memnex.init();
  const tenant = await memnex.tenants.create({ name: 'Acme' });
  const other = await memnex.tenants.create({ name: 'Other' });
  const key = async (tenantId: string, scopes: string[], pinnedUserId: string | null = null) =>
    (await memnex.keys.create({ tenantId, label: scopes.join(' '), scopes, pinnedUserId })).key;
  const keys = {
    admin: await key(tenant.id, ['admin']),
    reader: await key(tenant.id, ['memory:read']),
    writer: await key(tenant.id, ['memory:write', 'memory:read']),
    pinned: await key(tenant.id, ['memory:write', 'memory:read', 'audit:read'], 'pinned-user'),
    other: await key(other.id, ['admin']),
  };
  const rest = createRestApp({ memnex, ...options });
  return {
    rest,
    memnex,
    tenantId: tenant.id,
    keys,
    call: (method, path, { key: raw = keys.admin, body, headers = {} } = {}) =>
      Promise.resolve(
        rest.app.request(path, {
          method,
          headers: {
            ...(raw ? { authorization: `Bearer ${raw}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined
            ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
            : {}),
        }),
      ),
  };
}

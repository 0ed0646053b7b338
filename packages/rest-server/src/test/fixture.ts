import {
  createMemnex,
  type Logger,
  type Memnex,
  type MemnexOptions,
  type RateLimiter,
  type Stores,
} from '@memnex/core';
// A test helper, not server code: the tests need real stores to run the app on.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { createMemoryStores } from '@memnex/storage-memory';
import { createRestApp, type RestApp } from '../create-rest-app.js';
import type { ConsoleOptions } from '../console/console-options.js';
import type { RestMetrics } from '../metrics.js';

/** Options of {@link createFixture}. */
export interface FixtureOptions {
  /** Origins allowed by CORS. */
  corsOrigins?: readonly string[];
  /** Per-key request limit of the app. */
  rateLimiter?: RateLimiter;
  /** Largest request body of the app. */
  maxBodyBytes?: number;
  /** Where the app logs. */
  logger?: Logger;
  /** Metrics the app records into. */
  metrics?: RestMetrics;
  /** Stores of the engine; fresh in-memory ones by default. */
  stores?: Stores;
  /** Engine options beyond the stores, e.g. `piiStrategy: 'encrypt'`. */
  engine?: Partial<Omit<MemnexOptions, 'stores'>>;
  /** The web console's options (signing key, sign-in limiter); off by default. */
  console?: ConsoleOptions;
}

/** An app on in-memory stores with a tenant and keys of several scopes. */
export interface Fixture {
  rest: RestApp;
  memnex: Memnex;
  tenantId: string;
  /** Id of the second tenant, whose admin key is `keys.other`. */
  otherTenantId: string;
  keys: {
    admin: string;
    reader: string;
    writer: string;
    /** `memory:write`, `memory:read` and `audit:read`, pinned to the user `pinned-user`. */
    pinned: string;
    /** `admin` of another tenant. */
    other: string;
  };
  /** `app.request` with a key (the admin key unless given) and a JSON body. */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** The key id (`k<8 hex>`) inside a raw key `mx_live_k..._secret`. */
export function keyIdOf(raw: string): string {
  return raw.split('_')[2]!;
}

export async function createFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const memnex = createMemnex({
    auditKey: 'rest-test-audit-key-0123456789',
    piiKey: 'rest-test-pii-key-0123456789',
    ...options.engine,
    stores: options.stores ?? createMemoryStores(),
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
  const rest = createRestApp({
    memnex,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.console ? { console: options.console } : {}),
  });
  return {
    rest,
    memnex,
    tenantId: tenant.id,
    otherTenantId: other.id,
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

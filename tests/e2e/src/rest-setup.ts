import { createMemnexClient, type MemnexClient } from '@memnex/client';
import { createTestDatabase, type TestDatabase } from '@memnex/storage-postgres/testing';
import { expect } from 'vitest';
import {
  memnexOk,
  serverEnv,
  startRestServer,
  tempDir,
  type Env,
  type HttpServer,
} from './memnex-process.js';

/** Where the REST tests find Redis; the default is the local server. */
export const TEST_REDIS_URL = process.env.MEMNEX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A spawned `memnex serve rest` on a fresh Postgres database and Redis, with two tenants. */
export interface RestWorld {
  server: HttpServer;
  env: Env;
  database: TestDatabase;
  directory: string;
  /** Tenant A's admin client, tenant B's admin client. */
  adminA: MemnexClient;
  adminB: MemnexClient;
  tenantA: string;
  tenantB: string;
  /** A client of tenant A whose key holds exactly `scopes`. */
  clientWith(scopes: string[], options?: { channel?: 'voice' | 'whatsapp' }): Promise<MemnexClient>;
  /** A client with a raw key. */
  clientOf(apiKey: string, channel?: 'voice' | 'whatsapp'): MemnexClient;
  stop(): Promise<void>;
}

async function tenantWithAdminKey(env: Env, name: string): Promise<[string, string]> {
  const tenantId = (await memnexOk(['tenants', 'create', '--name', name], env)).trim();
  const key = (
    await memnexOk(['keys', 'create', '--tenant', tenantId, '--scopes', 'admin'], env)
  ).trim();
  return [tenantId, key];
}

/**
 * Start the server on Postgres + Redis (PII encrypted, so that reveal works) with tenants A and
 * B. Postgres or Redis being unreachable fails here, never skips.
 */
export async function startRestWorld(): Promise<RestWorld> {
  const database = await createTestDatabase();
  const directory = await tempDir();
  const env = serverEnv(directory, {
    MEMNEX_POSTGRES_URL: database.url,
    MEMNEX_REDIS_URL: TEST_REDIS_URL,
    MEMNEX_PII_STRATEGY: 'encrypt',
    MEMNEX_RATE_LIMIT: '100000',
  });
  try {
    await memnexOk(['db', 'migrate'], env);
    const [tenantA, keyA] = await tenantWithAdminKey(env, 'Tenant A');
    const [tenantB, keyB] = await tenantWithAdminKey(env, 'Tenant B');
    const server = await startRestServer(env);
    const clientOf = (apiKey: string, channel?: 'voice' | 'whatsapp') =>
      createMemnexClient({
        url: server.url,
        apiKey,
        ...(channel ? { channel } : {}),
        maxRetries: 0,
      });
    const adminA = clientOf(keyA);
    return {
      server,
      env,
      database,
      directory,
      adminA,
      adminB: clientOf(keyB),
      tenantA,
      tenantB,
      clientOf,
      async clientWith(scopes, options = {}) {
        const created = await adminA.keys.create({ label: scopes.join(','), scopes });
        return clientOf(created.key, options.channel);
      },
      async stop() {
        await server.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
}

/** Expect a call to fail with exactly this HTTP status and error code. */
export async function expectFailure(
  call: Promise<unknown>,
  status: number,
  code: string,
): Promise<void> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected ${status} ${code}, got success: ${JSON.stringify(value)}`);
    },
    (failure: unknown) => failure,
  );
  expect({
    status: (error as { status?: number }).status,
    code: (error as { code?: string }).code,
  }).toEqual({
    status,
    code,
  });
}

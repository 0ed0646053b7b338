import { rm } from 'node:fs/promises';
import { createMemnexClient, type MemnexClient } from '@memnex/client';
import { createTenantWithKey } from '@memnex/cli/testing';
import { createTestDatabase } from '@memnex/storage-postgres/testing';
import { expect } from 'vitest';
import WebSocket from 'ws';
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

type Channel = 'voice' | 'whatsapp';

/**
 * Spawned `memnex serve rest` instances on one fresh Postgres database and Redis, with two
 * tenants, A and B, and an admin key of each.
 */
export interface RestWorld {
  /** The first instance. */
  server: HttpServer;
  /** Every instance, `server` included. */
  servers: HttpServer[];
  tenantA: string;
  tenantB: string;
  /** The raw admin keys of tenant A and tenant B. */
  adminKeyA: string;
  adminKeyB: string;
  /** Tenant A's admin client, tenant B's admin client, on the first instance. */
  adminA: MemnexClient;
  adminB: MemnexClient;
  /** A client with a raw key, on the first instance unless `url` says otherwise. */
  clientOf(apiKey: string, options?: { channel?: Channel; url?: string }): MemnexClient;
  /** A client of tenant A whose key holds exactly `scopes`, on the first instance. */
  clientWith(scopes: string[], options?: { channel?: Channel }): Promise<MemnexClient>;
  /** Stop every instance, drop the database and remove the data dir. */
  stop(): Promise<void>;
}

/** Options of {@link startRestWorld}. */
export interface RestWorldOptions {
  /** How many instances share the database and Redis; 1 by default. */
  instances?: number;
  /** Environment on top of the world's own, e.g. `MEMNEX_STATE_STORE`. */
  env?: Env;
}

/**
 * Start the servers on Postgres + Redis (PII encrypted, so that reveal works) with tenants A and
 * B. Postgres or Redis being unreachable fails here, never skips.
 */
export async function startRestWorld(options: RestWorldOptions = {}): Promise<RestWorld> {
  const database = await createTestDatabase();
  const directory = await tempDir();
  const servers: HttpServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
    await rm(directory, { recursive: true, force: true });
  };
  const env = serverEnv(directory, {
    MEMNEX_POSTGRES_URL: database.url,
    MEMNEX_REDIS_URL: TEST_REDIS_URL,
    MEMNEX_PII_STRATEGY: 'encrypt',
    MEMNEX_RATE_LIMIT: '100000',
    ...options.env,
  });
  try {
    await memnexOk(['db', 'migrate'], env);
    const a = await createTenantWithKey(env, 'Tenant A', ['admin']);
    const b = await createTenantWithKey(env, 'Tenant B', ['admin']);
    const started = await Promise.allSettled(
      Array.from({ length: options.instances ?? 1 }, () => startRestServer(env)),
    );
    for (const outcome of started) {
      if (outcome.status === 'fulfilled') servers.push(outcome.value);
    }
    for (const outcome of started) {
      if (outcome.status === 'rejected') throw outcome.reason;
    }
    const server = servers[0]!;
    const clientOf: RestWorld['clientOf'] = (apiKey, { channel, url = server.url } = {}) =>
      createMemnexClient({
        url,
        apiKey,
        ...(channel ? { channel } : {}),
        maxRetries: 0,
        // Node 20 has no WebSocket of its own; state subscriptions would use SSE without it.
        WebSocket: WebSocket as never,
      });
    const adminA = clientOf(a.key);
    return {
      server,
      servers,
      tenantA: a.tenantId,
      tenantB: b.tenantId,
      adminKeyA: a.key,
      adminKeyB: b.key,
      adminA,
      adminB: clientOf(b.key),
      clientOf,
      async clientWith(scopes, { channel } = {}) {
        const created = await adminA.keys.create({ label: scopes.join(','), scopes });
        return clientOf(created.key, { channel });
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
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

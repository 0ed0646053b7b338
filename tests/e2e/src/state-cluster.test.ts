import { createMemnexClient, type MemnexClient } from '@memnex/client';
import type { StateEvent } from '@memnex/client';
import { createTestDatabase, type TestDatabase } from '@memnex/storage-postgres/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCuttingProxy, type CuttingProxy } from './cutting-proxy.js';
import {
  cleanUp,
  memnexOk,
  serverEnv,
  startRestServer,
  tempDir,
  type Env,
  type HttpServer,
} from './memnex-process.js';
import { expectFailure, TEST_REDIS_URL } from './rest-setup.js';

/** Wait until `check` passes (no fixed sleeps), up to `timeoutMs`. */
async function until(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Two `memnex serve rest` processes on one Postgres database and one Redis. */
interface Cluster {
  a: HttpServer;
  b: HttpServer;
  env: Env;
  adminKey: string;
  otherTenantKey: string;
  client(url: string, apiKey?: string): MemnexClient;
}

async function startCluster(
  directories: string[],
  stateStore: 'database' | 'redis',
  database: TestDatabase,
): Promise<Cluster> {
  const directory = await tempDir();
  directories.push(directory);
  const env = serverEnv(directory, {
    MEMNEX_POSTGRES_URL: database.url,
    MEMNEX_REDIS_URL: TEST_REDIS_URL,
    MEMNEX_STATE_STORE: stateStore,
    MEMNEX_RATE_LIMIT: '0',
  });
  await memnexOk(['db', 'migrate'], env);
  const tenant = (await memnexOk(['tenants', 'create', '--name', 'Team'], env)).trim();
  const adminKey = (
    await memnexOk(['keys', 'create', '--tenant', tenant, '--scopes', 'admin'], env)
  ).trim();
  const other = (await memnexOk(['tenants', 'create', '--name', 'Other'], env)).trim();
  const otherTenantKey = (
    await memnexOk(
      ['keys', 'create', '--tenant', other, '--scopes', 'state:read:*,state:write:*'],
      env,
    )
  ).trim();
  const [a, b] = await Promise.all([startRestServer(env), startRestServer(env)]);
  return {
    a: a!,
    b: b!,
    env,
    adminKey,
    otherTenantKey,
    client: (url, apiKey = adminKey) =>
      createMemnexClient({ url, apiKey, maxRetries: 0, WebSocket: WebSocket as never }),
  };
}

describe.each(['database', 'redis'] as const)(
  'shared state across two instances (values in %s)',
  (stateStore) => {
    const directories: string[] = [];
    let database: TestDatabase;
    let cluster: Cluster;
    let proxy: CuttingProxy;

    beforeAll(async () => {
      database = await createTestDatabase();
      cluster = await startCluster(directories, stateStore, database);
      proxy = await startCuttingProxy(cluster.b.url);
    }, 60_000);

    afterAll(async () => {
      await proxy?.close();
      await cleanUp(directories);
      await database?.drop();
    });

    it('delivers every write made on A to a subscriber on B, in version order, none missed or repeated, across a forced reconnect', async () => {
      const writer = cluster.client(cluster.a.url);
      const reader = cluster.client(proxy.url);
      const events: StateEvent[] = [];
      const errors: unknown[] = [];
      const subscription = reader.state.subscribe('plan:*', (event) => void events.push(event), {
        onError: (error) => void errors.push(error),
      });
      await subscription.ready;
      const keys = ['plan:goal', 'plan:task:1', 'plan:task:2', 'plan:notes/today'];
      const perKey = 60;
      const acceptedBefore = proxy.accepted;
      for (let round = 0; round < perKey; round += 1) {
        await Promise.all(keys.map((key) => writer.state.set(key, { round, key })));
        // Halfway, cut the subscriber's connection and keep it down while A goes on writing.
        if (round === perKey / 2) proxy.cut(300);
      }
      await until(() => {
        for (const key of keys) {
          const versions = events
            .filter((event) => event.key === key)
            .map((event) => event.version);
          expect(versions).toEqual(Array.from({ length: perKey }, (_, index) => index + 1));
        }
      });
      expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
      const last = events.filter((event) => event.key === 'plan:goal').at(-1);
      expect(last).toMatchObject({
        event: 'value',
        value: { round: perKey - 1, key: 'plan:goal' },
      });
      subscription.close();
      expect(
        errors.filter((error) => (error as { code?: string }).code !== 'NETWORK_ERROR'),
      ).toEqual([]);
    }, 60_000);

    it('lets exactly one of two writers racing with ifVersion win each version; the other gets 409 with the current version', async () => {
      const onA = cluster.client(cluster.a.url);
      const onB = cluster.client(cluster.b.url);
      const key = 'race:counter';
      await onA.state.set(key, 0);
      for (let round = 0; round < 40; round += 1) {
        const current = (await onA.state.get(key))!;
        const outcomes = await Promise.allSettled([
          onA.state.set(key, { by: 'a', round }, { ifVersion: current.version }),
          onB.state.set(key, { by: 'b', round }, { ifVersion: current.version }),
        ]);
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((won[0] as PromiseFulfilledResult<{ version: number }>).value.version).toBe(
          current.version + 1,
        );
        const error = (lost[0] as PromiseRejectedResult).reason as {
          status: number;
          code: string;
          details: unknown;
        };
        expect({ status: error.status, code: error.code }).toEqual({
          status: 409,
          code: 'CONFLICT',
        });
        expect(error.details).toMatchObject({ currentVersion: current.version + 1 });
      }
      expect((await onB.state.get(key))!.version).toBe(41);
    }, 60_000);

    it('refuses a subscriber without read scope and never lets another tenant see or touch the keys', async () => {
      const admin = cluster.client(cluster.a.url);
      const limited = await admin.keys.create({
        label: 'reader of tasks',
        scopes: ['state:read:plan:task:*'],
      });
      const reader = cluster.client(cluster.b.url, limited.key);
      const refused: unknown[] = [];
      const denied = reader.state.subscribe('plan:*', () => expect.fail('no event expected'), {
        onError: (error) => void refused.push(error),
      });
      await until(() => expect(refused).toHaveLength(1));
      expect(refused[0]).toMatchObject({ code: 'FORBIDDEN' });
      denied.close();
      await expectFailure(reader.state.get('plan:goal'), 403, 'FORBIDDEN');

      const outsider = cluster.client(cluster.b.url, cluster.otherTenantKey);
      const seen: StateEvent[] = [];
      const watching = outsider.state.subscribe('*', (event) => void seen.push(event));
      await watching.ready;
      await admin.state.set('plan:secret', 'team only');
      expect(await outsider.state.get('plan:secret')).toBeNull();
      await outsider.state.set('plan:secret', 'mine');
      await until(() => expect(seen.map((event) => event.key)).toEqual(['plan:secret']));
      expect(seen[0]).toMatchObject({ version: 1, value: 'mine' });
      expect((await admin.state.get('plan:secret'))!.value).toBe('team only');
      watching.close();
    }, 60_000);

    it('answers the memX protocol: a memX client on B hears a value set on A', async () => {
      const received: unknown[] = [];
      const socket = new WebSocket(
        `${cluster.b.url.replace(/^http/u, 'ws')}/subscribe/memx:query`,
        {
          headers: { 'x-api-key': cluster.adminKey },
        },
      );
      socket.on('message', (data) => received.push(JSON.parse(String(data))));
      await new Promise((open) => socket.once('open', open));
      const set = async (value: unknown) =>
        fetch(`${cluster.a.url}/set`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': cluster.adminKey },
          body: JSON.stringify({ key: 'memx:query', value }),
        });
      // memX acknowledges no subscription: write until the first event shows it is registered.
      for (let attempt = 0; received.length === 0 && attempt < 100; attempt += 1) {
        await set({ q: `probe ${attempt}` });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(received[0]).toMatchObject({ event: 'value', key: 'memx:query' });
      const response = await set({ q: 'final' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, updated: true });
      await until(() => expect(received.at(-1)).toMatchObject({ value: { q: 'final' } }));
      socket.close();
    }, 60_000);
  },
);

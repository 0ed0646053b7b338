import type { StateEvent } from '@memnex/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startCuttingProxy, type CuttingProxy } from './cutting-proxy.js';
import { expectFailure, startRestWorld, type RestWorld } from './rest-setup.js';

/** How long an event may take to arrive, polled (no fixed sleeps). */
const EVENTUALLY = { timeout: 15_000, interval: 20 };

describe.each(['database', 'redis'] as const)(
  'shared state across two instances (values in %s)',
  (stateStore) => {
    /** Two `memnex serve rest` processes on one Postgres database and one Redis. */
    let world: RestWorld;
    let a: string;
    let b: string;
    let proxy: CuttingProxy;
    /** A client on `url`, with tenant A's admin key unless another is given. */
    const client = (url: string, apiKey = world.adminKeyA) => world.clientOf(apiKey, { url });

    beforeAll(async () => {
      world = await startRestWorld({ instances: 2, env: { MEMNEX_STATE_STORE: stateStore } });
      [a, b] = world.servers.map((server) => server.url) as [string, string];
      proxy = await startCuttingProxy(b);
    }, 60_000);

    afterAll(async () => {
      await proxy?.close();
      await world?.stop();
    });

    it('delivers every write made on A to a subscriber on B, in version order, none missed or repeated, across a forced reconnect', async () => {
      const writer = client(a);
      const reader = client(proxy.url);
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
      await vi.waitFor(() => {
        for (const key of keys) {
          const versions = events
            .filter((event) => event.key === key)
            .map((event) => event.version);
          expect(versions).toEqual(Array.from({ length: perKey }, (_, index) => index + 1));
        }
      }, EVENTUALLY);
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
      const onA = client(a);
      const onB = client(b);
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
      const admin = client(a);
      const limited = await admin.keys.create({
        label: 'reader of tasks',
        scopes: ['state:read:plan:task:*'],
      });
      const reader = client(b, limited.key);
      const refused: unknown[] = [];
      // Collected, not failed on in the handler: the client reports a throwing handler to
      // onError instead of failing the test.
      const delivered: StateEvent[] = [];
      const denied = reader.state.subscribe('plan:*', (event) => void delivered.push(event), {
        onError: (error) => void refused.push(error),
      });
      await vi.waitFor(() => expect(refused).toHaveLength(1), EVENTUALLY);
      expect(refused[0]).toMatchObject({ code: 'FORBIDDEN' });
      denied.close();
      expect(delivered).toEqual([]);
      await expectFailure(reader.state.get('plan:goal'), 403, 'FORBIDDEN');

      const outsider = client(b, world.adminKeyB);
      const seen: StateEvent[] = [];
      const watching = outsider.state.subscribe('*', (event) => void seen.push(event));
      await watching.ready;
      await admin.state.set('plan:secret', 'team only');
      expect(await outsider.state.get('plan:secret')).toBeNull();
      await outsider.state.set('plan:secret', 'mine');
      await vi.waitFor(
        () => expect(seen.map((event) => event.key)).toEqual(['plan:secret']),
        EVENTUALLY,
      );
      expect(seen[0]).toMatchObject({ version: 1, value: 'mine' });
      expect((await admin.state.get('plan:secret'))!.value).toBe('team only');
      watching.close();
    }, 60_000);

    it('ends a subscription on B with UNAUTHENTICATED when its key is revoked on A', async () => {
      const admin = client(a);
      const created = await admin.keys.create({ label: 'revoked later', scopes: ['state:read:*'] });
      const errors: Array<{ code: string; fatal: boolean }> = [];
      const watching = client(b, created.key).state.subscribe('plan:*', () => undefined, {
        onError: (error, { fatal }) => void errors.push({ code: error.code, fatal }),
      });
      await watching.ready;
      await admin.keys.revoke(created.record.id);
      await vi.waitFor(
        () => expect(errors).toContainEqual({ code: 'UNAUTHENTICATED', fatal: true }),
        EVENTUALLY,
      );
      watching.close();
    }, 60_000);

    it('pushes the expiry of a value set on A with a TTL to a subscriber on B, once', async () => {
      const seen: StateEvent[] = [];
      const watching = client(b).state.subscribe('ttl:*', (event) => void seen.push(event));
      await watching.ready;
      await client(a).state.set('ttl:session', 'on', { ttlSeconds: 1 });
      // The sweep runs every second on each instance; allow for a loaded machine.
      await vi.waitFor(
        () =>
          expect(seen).toMatchObject([
            { event: 'value', key: 'ttl:session', version: 1 },
            { event: 'delete', key: 'ttl:session', version: 2, reason: 'expired' },
          ]),
        EVENTUALLY,
      );
      expect(await client(b).state.get('ttl:session')).toBeNull();
      expect(seen).toHaveLength(2);
      watching.close();
    }, 60_000);

    it('answers the memX protocol: a memX client on B hears a value set on A', async () => {
      const received: unknown[] = [];
      const socket = new WebSocket(`${b.replace(/^http/u, 'ws')}/subscribe/memx:query`, {
        headers: { 'x-api-key': world.adminKeyA },
      });
      socket.on('message', (data) => received.push(JSON.parse(String(data))));
      await new Promise((open) => socket.once('open', open));
      const set = async (value: unknown) =>
        fetch(`${a}/set`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': world.adminKeyA },
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
      await vi.waitFor(
        () => expect(received.at(-1)).toMatchObject({ value: { q: 'final' } }),
        EVENTUALLY,
      );
      socket.close();
    }, 60_000);
  },
);

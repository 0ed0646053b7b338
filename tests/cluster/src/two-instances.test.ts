import type { Memnex } from '@memnex/core';
import type { Runtime } from '@memnex/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from './cluster.js';
import { describeWithServices, type RedisServer } from './services.js';

const VOICE = { channel: 'voice', id: '+44 20 7946 0958' } as const;
const WHATSAPP = { channel: 'whatsapp', id: 'wa:442079460958' } as const;
const WHATSAPP_RAVI = { channel: 'whatsapp', id: 'wa:919241063955' } as const;

type Identifier = { channel: 'whatsapp'; id: string };

describeWithServices('two engine instances on one Postgres and Redis', () => {
  let cluster: Cluster;
  let redis: RedisServer;
  let a: Runtime;
  let b: Runtime;
  let tenantId: string;

  beforeAll(async () => {
    cluster = await startCluster(2);
    ({ redis, tenantId } = cluster);
    [a, b] = cluster.runtimes as [Runtime, Runtime];
    expect(a.wiring).toMatchObject({ warm: 'postgres', hot: 'redis', bus: 'redis' });
  }, 120_000);

  afterAll(() => cluster?.close());

  const texts = async (memnex: Memnex, user: string | { identifier: Identifier }) =>
    (await memnex.read({ tenantId, user, format: 'app' })).items.map((item) => item.text);

  it('reads on B what A wrote, at once, however warm B was', { timeout: 60_000 }, async () => {
    expect(await texts(b.memnex, { identifier: WHATSAPP })).toEqual([]);
    for (const city of ['Leeds', 'York', 'Bath', 'Hull', 'Ely', 'Wells', 'Truro', 'Ripon']) {
      await a.memnex.write({
        tenantId,
        user: { identifier: VOICE },
        facts: [{ type: 'profile', text: `Lives in ${city}`, slot: 'profile:city' }],
      });
      expect(await texts(b.memnex, { identifier: WHATSAPP })).toEqual([`Lives in ${city}`]);
      const { hits } = await b.memnex.search({
        tenantId,
        user: { identifier: WHATSAPP },
        query: `lives in ${city}`,
      });
      expect(hits.map((hit) => hit.text)).toContain(`Lives in ${city}`);
    }
    await b.memnex.tenants.get({ tenantId });
    await a.memnex.tenants.update({ tenantId, set: { name: 'renamed' } });
    expect((await b.memnex.tenants.get({ tenantId }))?.name).toBe('renamed');
  });

  it('leaves nothing on B of a user forgotten on A', { timeout: 60_000 }, async () => {
    await a.memnex.write({
      tenantId,
      user: 'ravi',
      facts: [{ type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] }],
    });
    await a.memnex.identifiers.link({ tenantId, user: 'ravi', identifier: WHATSAPP_RAVI });
    // Warm every cache of B: the working set, the identifier mapping, the user.
    expect(await texts(b.memnex, { identifier: WHATSAPP_RAVI })).toEqual([
      'Order #4521 arrived damaged',
    ]);
    const receipt = await a.memnex.forget({ tenantId, user: { identifier: WHATSAPP_RAVI } });
    expect(b.memnex.audit.verifyReceipt(receipt).ok).toBe(true);

    expect(await texts(b.memnex, 'ravi')).toEqual([]);
    expect(await b.memnex.identifiers.resolve({ tenantId, identifier: WHATSAPP_RAVI })).toBeNull();
    const { hits } = await b.memnex.search({
      tenantId,
      user: 'ravi',
      query: 'order damaged',
      includeHistory: true,
    });
    expect(hits).toEqual([]);
    expect((await b.memnex.export({ tenantId, user: 'ravi' })).memories).toEqual([]);
  });

  it('counts a key against one rate limit on both instances, in Redis', async () => {
    const first = await a.rateLimiter!.consume('key:kcluster1');
    const second = await b.rateLimiter!.consume('key:kcluster1');
    expect(first.limit).toBe(6000);
    expect(second.remaining).toBeLessThan(first.remaining);
  });

  it('stops a key revoked on A on B, which had it cached', { timeout: 30_000 }, async () => {
    const created = await a.memnex.keys.create({ tenantId, label: 'bot', scopes: ['memory:read'] });
    expect((await b.memnex.keys.verify({ key: created.key })).keyId).toBe(created.record.id);
    await a.memnex.keys.revoke({ tenantId, keyId: created.record.id });
    // The revocation reaches B over the Redis bus: poll with a deadline, well under the cache's 30 s.
    await expect
      .poll(
        () =>
          b.memnex.keys.verify({ key: created.key }).then(
            () => 'valid',
            (error: { code?: string }) => error.code,
          ),
        { timeout: 5000, interval: 50 },
      )
      .toBe('UNAUTHENTICATED');
  });

  it(
    'loses no acknowledged write when Redis is killed and restarted mid-run',
    { timeout: 120_000 },
    async () => {
      const acknowledged: Array<{ user: string; text: string }> = [];
      const failures: string[] = [];
      const writeOne = async (index: number) => {
        const user = `user-${index % 7}`;
        const text = `Note ${index} about the delivery`;
        try {
          await a.memnex.write({ tenantId, user, facts: [{ type: 'intent', text }] });
          acknowledged.push({ user, text });
        } catch (error) {
          failures.push(String((error as { code?: string }).code ?? error));
        }
      };
      // Warm B's caches for every user before the outage.
      for (let index = 0; index < 14; index++) await writeOne(index);
      for (let user = 0; user < 7; user++) await texts(b.memnex, `user-${user}`);

      await redis.kill();
      // Each write of the outage waits out a bounded number of reconnection attempts.
      for (let index = 14; index < 18; index++) await writeOne(index);
      await redis.start();
      for (let index = 28; index < 42; index++) await writeOne(index);

      // What failed during the outage failed with a clear error, never silently.
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((code) => code === 'STORAGE_UNAVAILABLE')).toBe(true);
      expect(acknowledged.filter(({ text }) => Number(text.split(' ')[1]) >= 28)).toHaveLength(14);
      for (const memnex of [a.memnex, b.memnex]) {
        for (let user = 0; user < 7; user++) {
          const expected = acknowledged
            .filter((write) => write.user === `user-${user}`)
            .map((write) => write.text);
          expect((await texts(memnex, `user-${user}`)).sort()).toEqual(
            expect.arrayContaining(expected),
          );
        }
      }
    },
  );
});

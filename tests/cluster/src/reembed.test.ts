import { createRuntime, loadConfig, type Runtime } from '@memnex/runtime';
import { createTestDatabase, type TestDatabase } from '@memnex/storage-postgres/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeWithServices, startRedisServer, type RedisServer } from './services.js';

describeWithServices('re-embedding with two servers on one Postgres and Redis', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let a: Runtime;
  let b: Runtime;
  let operator: Runtime;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startRedisServer();
    const config = loadConfig({
      MEMNEX_POSTGRES_URL: database.url,
      MEMNEX_REDIS_URL: redis.url,
      MEMNEX_EMBEDDINGS: 'hash',
      MEMNEX_AUDIT_KEY: 'cluster-tests-audit-key-0123456789',
      MEMNEX_PII_KEY: 'cluster-tests-pii-key-0123456789',
    });
    a = await createRuntime({ config });
    b = await createRuntime({ config });
    operator = await createRuntime({ config });
    ({ id: tenantId } = await a.memnex.tenants.create({ name: 'cluster' }));
  }, 120_000);

  afterAll(async () => {
    await operator?.close();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await database?.drop();
  });

  it('switches both servers to the new model over the Redis bus', { timeout: 60_000 }, async () => {
    for (const text of ['Order 4521 arrived damaged', 'Prefers calls after six']) {
      await a.memnex.write({ tenantId, user: 'ravi', facts: [{ type: 'issue', text }] });
    }
    expect((await b.memnex.embeddings.state())?.active.model).toBe('hash:256');

    const result = await operator.memnex.embeddings.reembed({
      model: 'hash:48',
      graceMs: 0,
      prune: true,
    });
    expect(result).toMatchObject({ outcome: 'switched', embedded: 2, pruned: 2 });

    // The old vectors are gone: B finds the memory by vector only once it searches the new
    // model, which the event tells it through Redis (well before its 30 s re-read).
    await vi.waitFor(
      async () => {
        const { hits } = await b.memnex.search({ tenantId, user: 'ravi', query: 'damaged order' });
        expect(hits[0]).toMatchObject({ text: 'Order 4521 arrived damaged', vectorRank: 1 });
      },
      { timeout: 10_000, interval: 20 },
    );
    // A memory written after the switch is found by B with the new model too.
    await a.memnex.write({
      tenantId,
      user: 'ravi',
      facts: [{ type: 'issue', text: 'Refund of 499 is late' }],
    });
    const { hits } = await b.memnex.search({ tenantId, user: 'ravi', query: 'late refund' });
    expect(hits[0]).toMatchObject({ text: 'Refund of 499 is late', vectorRank: 1 });
  });
});

import type { Runtime } from '@memnex/runtime';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startCluster, type Cluster } from './cluster.js';
import { describeWithServices } from './services.js';

describeWithServices('re-embedding with two servers on one Postgres and Redis', () => {
  let cluster: Cluster;
  let a: Runtime;
  let b: Runtime;
  let operator: Runtime;
  let tenantId: string;

  beforeAll(async () => {
    cluster = await startCluster(3);
    [a, b, operator] = cluster.runtimes as [Runtime, Runtime, Runtime];
    ({ tenantId } = cluster);
  }, 120_000);

  afterAll(() => cluster?.close());

  it('switches both servers to the new model over the Redis bus', { timeout: 60_000 }, async () => {
    for (const text of ['Order 4521 arrived damaged', 'Prefers calls after six']) {
      await a.memnex.write({ tenantId, user: 'ravi', facts: [{ type: 'issue', text }] });
    }
    expect((await b.memnex.embeddings.state())?.active.model).toBe('hash:256');

    // Nothing writes during the run, so it need not wait the 30 s in which every server re-reads
    // the models before it switches.
    const result = await operator.memnex.embeddings.reembed({
      model: 'hash:48',
      graceMs: 0,
      settleMs: 0,
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

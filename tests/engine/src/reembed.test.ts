import {
  createMemnex,
  instrumentStores,
  MemnexError,
  type Bus,
  type BusEvent,
  type Embedder,
  type EmbedderResolver,
  type Logger,
  type Memnex,
  type ReembedProgress,
  type SemanticIndex,
  type StoreCall,
  type Stores,
} from '@memnex/core';
import { createHashEmbedder } from '@memnex/embeddings';
import { createMemoryStores } from '@memnex/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_KEY, eventually } from './setup.js';

/** The model every instance starts with, and the one re-embedding switches to. */
const OLD = 'hash:256';
const NEW = 'hash:64';
const dimensionsOf = (spec: string) => Number(spec.slice('hash:'.length));

const engines: Memnex[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

/** Hash embedders built from specs; `hooks[spec]` runs inside every embed call of that model. */
function hashResolver(
  configured: string,
  hooks: Record<string, (texts: string[]) => Promise<void> | void> = {},
): EmbedderResolver {
  return {
    configured,
    resolve(spec) {
      const inner = createHashEmbedder({ dimensions: dimensionsOf(spec), cacheSize: 0 });
      const hook = hooks[spec];
      if (!hook) return inner;
      const hooked: Embedder = {
        model: inner.model,
        dimensions: inner.dimensions,
        async embed(texts, options) {
          await hook(texts);
          return inner.embed(texts, options);
        },
      };
      return hooked;
    },
  };
}

/** One vector search as the index received it, and what the index held at that moment. */
interface VectorSearch {
  model: string;
  dimensions: number;
  /** Every acknowledged memory of the tenant had a vector of `model` when the search ran. */
  complete: boolean;
}

/**
 * The shared index, recording every vector search: its model, the length of its query vector,
 * and whether every memory acknowledged so far had a vector of that model at that moment.
 */
function recordVectorSearches(inner: SemanticIndex, acknowledged: Set<string>) {
  const searches: VectorSearch[] = [];
  const index: SemanticIndex = {
    ...inner,
    async searchVector(options) {
      const memoryIds = [...acknowledged];
      const { withVector } = await inner.findVectors({
        tenantId: options.tenantId,
        model: options.model,
        memoryIds,
      });
      searches.push({
        model: options.model,
        dimensions: options.vector.length,
        complete: withVector.length === memoryIds.length,
      });
      return inner.searchVector(options);
    },
  };
  return { index, searches };
}

/** Every search used one model, with a query of that model's length, whose vectors were complete. */
function expectNoMixedSearch(searches: VectorSearch[]): void {
  for (const search of searches) {
    expect([OLD, NEW]).toContain(search.model);
    expect(search.dimensions, `query vector of ${search.model}`).toBe(dimensionsOf(search.model));
    expect(search.complete, `vectors of ${search.model} complete`).toBe(true);
  }
}

/** A bus that holds back `embedding.changed` events until released (or forever). */
function holdingBus(shared: Bus) {
  const held: BusEvent[] = [];
  let deliver: ((event: BusEvent) => void) | null = null;
  const bus: Bus = {
    ...shared,
    subscribe(handler) {
      deliver = handler;
      return shared.subscribe((event) =>
        event.type === 'embedding.changed' ? void held.push(event) : handler(event),
      );
    },
  };
  return { bus, held, release: () => held.splice(0).forEach((event) => deliver!(event)) };
}

const FACTS = [
  'Asked for a refund of order 4521',
  'Prefers to be called in the morning',
  'Lives in Lisbon since May',
  'Has a cat called Miso',
  'Wants invoices by email',
];

interface World {
  stores: Stores;
  acknowledged: Set<string>;
  searches: VectorSearch[];
  tenantId: string;
  a: Memnex;
  b: Memnex;
  users: string[];
  /** Write one fact through `engine` and remember its memory as acknowledged. */
  write(engine: Memnex, user: string, text: string): Promise<void>;
  /** Search every user on both instances at once; returns how many searches ran. */
  searchAll(query?: string): Promise<number>;
  /** B's bus: it holds back embedding events until `release` (or forever). */
  bBus: ReturnType<typeof holdingBus>;
}

/**
 * Two instances A and B on one set of stores (as two servers on one database and bus), both
 * configured with the old model, and three users with memories embedded by it.
 */
async function world(options: { holdB?: boolean; refreshMs?: number } = {}): Promise<World> {
  const stores = createMemoryStores();
  const bBus = holdingBus(stores.bus);
  const acknowledged = new Set<string>();
  const { index, searches } = recordVectorSearches(stores.semantic, acknowledged);
  const instance = (bus: Bus, refreshMs = 0) =>
    createMemnex({
      stores: { ...stores, semantic: index, bus },
      embedders: hashResolver(OLD),
      auditKey: AUDIT_KEY,
      embeddingRefreshMs: refreshMs,
    });
  const a = instance(stores.bus);
  const b = instance(options.holdB ? bBus.bus : stores.bus, options.refreshMs);
  engines.push(a, b);
  await a.init();
  await b.init();
  const { id: tenantId } = await a.tenants.create({ name: 'acme' });
  const users = ['u-1', 'u-2', 'u-3'];
  const write = async (engine: Memnex, user: string, text: string) => {
    const result = await engine.write({
      tenantId,
      user: { userId: user },
      facts: [{ type: 'issue', text }],
    });
    for (const { id } of result.written) acknowledged.add(id);
  };
  for (const user of users) {
    for (const text of FACTS) await write(a, user, `${text} (${user})`);
  }
  const searchAll = async (query = 'refund order invoices') => {
    const calls = [a, b].flatMap((engine) =>
      users.map((user) => engine.search({ tenantId, user: { userId: user }, query, limit: 5 })),
    );
    await Promise.all(calls);
    return calls.length;
  };
  return { stores, acknowledged, searches, tenantId, a, b, users, write, searchAll, bBus };
}

/** A third instance configured with the new model, as `memnex db reembed` runs it. */
async function operator(
  stores: Stores,
  hooks: Record<string, (texts: string[]) => Promise<void> | void> = {},
  logger?: Logger,
): Promise<Memnex> {
  const engine = createMemnex({
    stores,
    embedders: hashResolver(NEW, hooks),
    auditKey: AUDIT_KEY,
    embeddingRefreshMs: 0,
    logger,
  });
  engines.push(engine);
  await engine.init();
  return engine;
}

/**
 * A re-embed to the new model that fails on its first batch (the provider is down), leaving the
 * new model recorded as the target; returns the instance that ran it.
 */
async function failedReembed(stores: Stores): Promise<Memnex> {
  const failing = await operator(stores, {
    [NEW]: () => {
      throw new MemnexError({ code: 'EMBEDDING_FAILED', message: 'provider down' });
    },
  });
  await expect(failing.embeddings.reembed()).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
  return failing;
}

const activeOf = async (engine: Memnex) => (await engine.embeddings.state())?.active.model;

describe('re-embedding', () => {
  it('switches models while searches and writes go on, and no search ever mixes models or uses incomplete vectors', async () => {
    const w = await world();
    let searchesRun = 0;
    let batches = 0;
    // Between two batches of the re-embed, both instances search every user and B writes.
    const betweenBatches = async () => {
      batches += 1;
      const ran = await w.searchAll();
      searchesRun += ran;
      await w.write(w.b, w.users[batches % 3]!, `Refund request number ${batches} for the order`);
    };
    const cli = await operator(w.stores, { [NEW]: betweenBatches });
    let finished = false;
    const background = (async () => {
      // Searches that also land between the switch and its bus event, and everywhere else.
      while (!finished) {
        const ran = await w.searchAll('morning cat Lisbon');
        searchesRun += ran;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const result = await cli.embeddings.reembed({ batchSize: 4, graceMs: 60_000 });
    finished = true;
    await background;

    expect(result).toMatchObject({ outcome: 'switched', resumed: false, replaced: null });
    expect(result.from.model).toBe(OLD);
    expect(result.to).toEqual({ spec: NEW, model: NEW, dimensions: 64 });
    // Writes made during the run got their new vector on the spot, so the passes needed no more.
    expect(result.embedded).toBe(15);
    expect(batches).toBeGreaterThanOrEqual(4);

    await eventually(async () => {
      expect(await activeOf(w.a)).toBe(NEW);
      expect(await activeOf(w.b)).toBe(NEW);
    });
    searchesRun += await w.searchAll();
    expect(w.searches).toHaveLength(searchesRun);
    expectNoMixedSearch(w.searches);
    const models = new Set(w.searches.map((search) => search.model));
    expect(models).toEqual(new Set([OLD, NEW]));
    expect(w.searches.at(-1)?.model).toBe(NEW);

    // The new model finds what was written before the run and during it.
    const found = await w.a.search({
      tenantId: w.tenantId,
      user: { userId: 'u-2' },
      query: 'refund request order',
      limit: 10,
    });
    expect(found.hits.map((hit) => hit.text)).toEqual(
      expect.arrayContaining(['Asked for a refund of order 4521 (u-2)']),
    );
    expect(found.hits.some((hit) => hit.text.startsWith('Refund request number'))).toBe(true);
  });

  it('continues a run that failed midway, without embedding done memories again', async () => {
    const w = await world();
    const firstRun: string[] = [];
    let calls = 0;
    const failing = await operator(w.stores, {
      [NEW]: (texts) => {
        calls += 1;
        if (calls === 3)
          throw new MemnexError({ code: 'EMBEDDING_FAILED', message: 'provider down' });
        firstRun.push(...texts);
      },
    });
    await expect(failing.embeddings.reembed({ batchSize: 4 })).rejects.toMatchObject({
      code: 'EMBEDDING_FAILED',
    });
    // Half done: the target is recorded, searches stay on the complete old model.
    const stopped = await failing.embeddings.state();
    expect(stopped).toMatchObject({ active: { model: OLD }, target: { model: NEW } });
    expect(firstRun).toHaveLength(8);
    await w.searchAll();
    expect(new Set(w.searches.map((search) => search.model))).toEqual(new Set([OLD]));

    const secondRun: string[] = [];
    const rerun = await operator(w.stores, { [NEW]: (texts) => void secondRun.push(...texts) });
    const result = await rerun.embeddings.reembed({ batchSize: 4 });
    expect(result).toMatchObject({ outcome: 'switched', resumed: true, embedded: 7 });
    expect(secondRun).toHaveLength(7);
    expect(secondRun.filter((text) => firstRun.includes(text))).toEqual([]);
    await eventually(async () => expect(await activeOf(w.a)).toBe(NEW));
    await w.searchAll();
    expectNoMixedSearch(w.searches);
  });

  it('lets an instance that missed the switch keep searching the old model, whose vectors stay complete', async () => {
    // B's bus is A's bus, with the embedding events held back.
    const w = await world({ holdB: true });
    const cli = await operator(w.stores);
    await cli.embeddings.reembed({ graceMs: 60_000 });
    await eventually(async () => expect(await activeOf(w.a)).toBe(NEW));

    // B has not heard: it still searches the old model, and A's writes still add its vectors.
    w.searches.length = 0;
    await w.write(w.a, 'u-1', 'Asked to close the account');
    await w.b.search({ tenantId: w.tenantId, user: { userId: 'u-1' }, query: 'close account' });
    expect(w.searches.map((search) => search.model)).toEqual([OLD]);
    expectNoMixedSearch(w.searches);

    // B writes without knowing of the switch, with the old model; A searches the new one and
    // finds it complete, because B re-read the models after writing and added the new vector.
    w.searches.length = 0;
    await w.write(w.b, 'u-1', 'Asked for a paper invoice');
    await w.a.search({ tenantId: w.tenantId, user: { userId: 'u-1' }, query: 'paper invoice' });
    expect(w.searches.map((search) => search.model)).toEqual([NEW]);
    expectNoMixedSearch(w.searches);

    // The event arrives: B switches.
    w.bBus.release();
    await eventually(async () => {
      w.searches.length = 0;
      await w.b.search({ tenantId: w.tenantId, user: { userId: 'u-1' }, query: 'close account' });
      expect(w.searches.map((search) => search.model)).toEqual([NEW]);
    });
    expectNoMixedSearch(w.searches);
  });

  it('switches an instance whose bus lost the event when it re-reads the models', async () => {
    const w = await world({ holdB: true, refreshMs: 10 });
    const cli = await operator(w.stores);
    await cli.embeddings.reembed({ graceMs: 60_000 });
    await eventually(async () => {
      w.searches.length = 0;
      await w.b.search({ tenantId: w.tenantId, user: { userId: 'u-3' }, query: 'cat' });
      expect(w.searches.map((search) => search.model)).toEqual([NEW]);
    });
    expect(w.bBus.held.length).toBeGreaterThan(0);
  });

  it('switches only when a full pass finds every memory with the new vector, whoever wrote it meanwhile', async () => {
    const w = await world({ holdB: true });
    let wrote = false;
    const cli = await operator(w.stores, {
      [NEW]: async () => {
        if (wrote) return;
        wrote = true;
        // B still believes no re-embed runs; its write must not be missed by the switch.
        await w.write(w.b, 'u-1', 'Booked a table for two on Friday');
        // An entry whose vectors failed (the provider was down): only a later pass can fill it.
        await w.stores.semantic.upsert({
          tenantId: w.tenantId,
          entries: [
            {
              memoryId: 'unembedded',
              userId: 'u-x',
              text: 'Moved to Porto',
              type: 'issue',
              kind: 'fact',
              current: true,
              observedAt: new Date().toISOString(),
              vector: null,
              model: null,
            },
          ],
        });
        w.acknowledged.add('unembedded');
      },
    });
    const result = await cli.embeddings.reembed({ batchSize: 50 });
    expect(result).toMatchObject({ outcome: 'switched', embedded: 16 });
    const { withVector } = await w.stores.semantic.findVectors({
      tenantId: w.tenantId,
      model: NEW,
      memoryIds: [...w.acknowledged],
    });
    expect(withVector).toHaveLength(w.acknowledged.size);
  });

  it('records the configured model on first start, warns when the configuration names another, and does nothing when up to date', async () => {
    const w = await world();
    expect(await w.a.embeddings.state()).toMatchObject({
      active: { spec: OLD, model: OLD, dimensions: 256 },
      target: null,
      previous: null,
      revision: 1,
    });
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => void warnings.push(message),
      error: () => undefined,
      child: () => logger,
    };
    const cli = await operator(w.stores, {}, logger);
    expect(warnings.join('\n')).toMatch(/hash:64 is not the active model.*memnex db reembed/su);

    const again = await w.a.embeddings.reembed();
    expect(again).toMatchObject({ outcome: 'up-to-date', embedded: 0, pruned: null });
    expect((await w.a.embeddings.state())?.revision).toBe(1);
    void cli;
  });

  it('fills the vectors the active model lacks, and prunes the other models after the switch', async () => {
    const w = await world();
    const cli = await operator(w.stores);
    const switched = await cli.embeddings.reembed({ graceMs: 0, prune: true });
    expect(switched).toMatchObject({ outcome: 'switched', embedded: 15, pruned: 15 });
    expect(switched.state).toMatchObject({ active: { model: NEW }, previous: null });
    const old = await w.stores.semantic.countVectors({ model: OLD });
    expect(old.withVector).toBe(0);

    // A memory indexed without a vector (its embedding failed) is filled by a re-embed of the
    // active model, which switches nothing.
    await w.stores.semantic.upsert({
      tenantId: w.tenantId,
      entries: [
        {
          memoryId: 'lonely',
          userId: 'someone',
          text: 'Lost the receipt',
          type: 'event',
          kind: 'fact',
          current: true,
          observedAt: new Date().toISOString(),
          vector: null,
          model: null,
        },
      ],
    });
    const filled = await cli.embeddings.reembed();
    expect(filled).toMatchObject({ outcome: 'filled', embedded: 1, from: { model: NEW } });
  });

  it('refuses a second re-embed while one runs', async () => {
    const w = await world();
    let second: Promise<unknown> | null = null;
    const cli = await operator(w.stores, {
      [NEW]: async () => {
        second ??= w.a.embeddings.reembed({ model: NEW }).catch((error: unknown) => error);
      },
    });
    await cli.embeddings.reembed({ batchSize: 8 });
    expect(await second).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('another re-embed is running'),
    });
  });

  it('does not switch before every instance can have read the target, and fills what one wrote without it', async () => {
    // B re-reads the models every minute and hears no event: it writes without the target.
    const w = await world({ holdB: true, refreshMs: 60_000 });
    let wrote = false;
    const { semantic } = w.stores;
    const operatorStores: Stores = {
      ...w.stores,
      semantic: {
        ...semantic,
        async scanEntries(options) {
          const page = await semantic.scanEntries(options);
          // A pass found nothing missing: B writes right behind it.
          if (page.entries.length === 0 && !wrote) {
            wrote = true;
            await w.write(w.b, 'u-1', 'Booked a table for two on Friday');
          }
          return page;
        },
      },
    };
    const cli = await operator(operatorStores);
    const phases: Array<ReembedProgress['phase']> = [];
    const result = await cli.embeddings.reembed({
      batchSize: 50,
      settleMs: 1000,
      onProgress: ({ phase }) => void phases.push(phase),
    });
    expect(wrote).toBe(true);
    expect(phases).toContain('waiting');
    expect(result).toMatchObject({ outcome: 'switched', embedded: 16 });
    const { withVector } = await semantic.findVectors({
      tenantId: w.tenantId,
      model: NEW,
      memoryIds: [...w.acknowledged],
    });
    expect(withVector).toHaveLength(w.acknowledged.size);
  });

  it('reads the models on a write only when what the instance knows is older than its refresh period', async () => {
    const stores = createMemoryStores();
    const reads = { count: 0 };
    const counted = instrumentStores(stores, (call: StoreCall) => {
      if (call.operation === 'getModelState') reads.count += 1;
    });
    const instance = async (refreshMs: number) => {
      const engine = createMemnex({
        stores: counted,
        embedders: hashResolver(OLD),
        auditKey: AUDIT_KEY,
        embeddingRefreshMs: refreshMs,
      });
      engines.push(engine);
      await engine.init();
      return engine;
    };
    const trusting = await instance(60_000);
    const { id: tenantId } = await trusting.tenants.create({ name: 'acme' });
    /** Five new memories written through `engine`; how often the models were read meanwhile. */
    const readsOfFiveWrites = async (engine: Memnex, label: string) => {
      reads.count = 0;
      for (let index = 0; index < 5; index += 1) {
        const { written } = await engine.write({
          tenantId,
          user: 'u-1',
          facts: [{ type: 'issue', text: `Asked about order ${label}-${index}` }],
        });
        expect(written).toHaveLength(1);
      }
      return reads.count;
    };
    expect(await readsOfFiveWrites(trusting, 'a')).toBe(0);
    // Without a timer nothing bounds what it knows: every write reads the models again.
    const untimed = await instance(0);
    expect(await readsOfFiveWrites(untimed, 'b')).toBe(5);
  });

  it('lets concurrent writes that find what it knows out of date share one read of the models', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const stores = createMemoryStores();
      const { semantic } = stores;
      let reads = 0;
      const slowReads: Stores = {
        ...stores,
        semantic: {
          ...semantic,
          // A round trip long enough for every write below to ask while the read is under way.
          async getModelState() {
            reads += 1;
            await new Promise((resolve) => setTimeout(resolve, 20));
            return semantic.getModelState();
          },
        },
      };
      const engine = createMemnex({
        stores: slowReads,
        embedders: hashResolver(OLD),
        auditKey: AUDIT_KEY,
        embeddingRefreshMs: 60_000,
      });
      engines.push(engine);
      await engine.init();
      const { id: tenantId } = await engine.tenants.create({ name: 'acme' });
      vi.advanceTimersByTime(60_000);
      reads = 0;
      const results = await Promise.all(
        ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'].map((user) =>
          engine.write({ tenantId, user, facts: [{ type: 'issue', text: `Asked about ${user}` }] }),
        ),
      );
      expect(results.flatMap((result) => result.written)).toHaveLength(5);
      expect(reads).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a write trust the models it knows for one refresh period, and read them again after', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      // B re-reads the models every minute and hears no event.
      const w = await world({ holdB: true, refreshMs: 60_000 });
      await failedReembed(w.stores);
      const writeOnB = async (text: string) => {
        const { written } = await w.b.write({
          tenantId: w.tenantId,
          user: { userId: 'u-1' },
          facts: [{ type: 'issue', text }],
        });
        const memoryIds = written.map(({ id }) => id);
        const { withVector } = await w.stores.semantic.findVectors({
          tenantId: w.tenantId,
          model: NEW,
          memoryIds,
        });
        return { memoryIds, withVector };
      };
      // What B read at start is recent: it writes without the target it has not heard of.
      expect((await writeOnB('Asked for a callback')).withVector).toEqual([]);
      vi.advanceTimersByTime(60_000);
      // Now it is a refresh period old: the write reads the models again and adds the target.
      const late = await writeOnB('Asked for a paper invoice');
      expect(late.withVector).toEqual(late.memoryIds);
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks a failing active model once per write, not again when completing the vectors', async () => {
    let calls = 0;
    const engine = createMemnex({
      stores: createMemoryStores(),
      embedders: hashResolver(OLD, {
        [OLD]: () => {
          calls += 1;
          throw new MemnexError({ code: 'EMBEDDING_FAILED', message: 'provider down' });
        },
      }),
      auditKey: AUDIT_KEY,
      embeddingRefreshMs: 0,
    });
    engines.push(engine);
    await engine.init();
    const { id: tenantId } = await engine.tenants.create({ name: 'acme' });
    const result = await engine.write({
      tenantId,
      user: { userId: 'u-1' },
      facts: [{ type: 'issue', text: FACTS[0]! }],
    });
    expect(result.written).toHaveLength(1);
    expect(await activeOf(engine)).toBe(OLD);
    expect(calls).toBe(1);
  });

  it('replaces an unfinished re-embed to another model, and says so', async () => {
    const w = await world();
    const failing = await failedReembed(w.stores);
    expect(await failing.embeddings.state()).toMatchObject({ target: { model: NEW } });

    const other = await operator(w.stores);
    const result = await other.embeddings.reembed({ model: 'hash:32' });
    expect(result).toMatchObject({
      outcome: 'switched',
      resumed: false,
      replaced: { model: NEW },
      embedded: 15,
      to: { model: 'hash:32' },
    });
    expect(result.state).toMatchObject({ active: { model: 'hash:32' }, target: null });
  });

  it('adds the target vector on a later write when building its embedder failed once, and the re-embed fills the rest', async () => {
    const w = await world();
    await failedReembed(w.stores);

    // An instance that cannot build the target's embedder the first time it tries.
    let refusals = 1;
    const resolver = hashResolver(OLD);
    const flaky = createMemnex({
      stores: w.stores,
      embedders: {
        configured: OLD,
        resolve(spec) {
          if (spec === NEW && refusals-- > 0) throw new Error('no credentials yet');
          return resolver.resolve(spec);
        },
      },
      auditKey: AUDIT_KEY,
      embeddingRefreshMs: 0,
    });
    engines.push(flaky);
    await flaky.init();
    const written: string[] = [];
    for (const text of ['Asked for a callback', 'Asked for a paper invoice']) {
      const result = await flaky.write({
        tenantId: w.tenantId,
        user: { userId: 'u-1' },
        facts: [{ type: 'issue', text }],
      });
      written.push(...result.written.map(({ id }) => id));
    }
    const withTarget = async (memoryIds: string[]) =>
      (await w.stores.semantic.findVectors({ tenantId: w.tenantId, model: NEW, memoryIds }))
        .withVector;
    expect(await withTarget(written)).toEqual([written[1]]);

    const rerun = await operator(w.stores);
    const result = await rerun.embeddings.reembed();
    expect(result).toMatchObject({ outcome: 'switched', resumed: true });
    const all = [...w.acknowledged, ...written];
    expect((await withTarget(all)).sort()).toEqual(all.sort());
  });
});

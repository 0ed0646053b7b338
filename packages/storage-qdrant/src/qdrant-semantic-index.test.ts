import type { IndexEntry, IndexFilter, SemanticIndex } from '@memnex/core';
import {
  expectMemnexError,
  makeIndexEntry,
  randomId,
  randomTenantId,
  sortBy,
  timestamp,
} from '@memnex/storage-conformance';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectionName } from './collection-naming.js';
import { createQdrantSemanticIndex } from './qdrant-semantic-index.js';
import { startFakeQdrant, type FakeQdrantServer } from './testing/fake-qdrant-server.js';

// The port's contract beyond the shared vector suite, which leaves setCurrent, full deletes,
// replacing upserts and most of reassign to its lexical half (not run for a vector-only index).

const MODEL = 'test:model-a';
const OTHER_MODEL = 'test:model-b';

let fake: FakeQdrantServer;
let index: SemanticIndex;
let tenantId: string;
let userId: string;

beforeAll(async () => {
  fake = await startFakeQdrant();
});
afterAll(() => fake.close());
beforeEach(async () => {
  index = createQdrantSemanticIndex({ url: fake.url });
  await index.init();
  tenantId = randomTenantId();
  userId = randomId();
});

const vector = (...values: number[]) => Float32Array.from(values);

async function add(items: Array<Partial<IndexEntry>>, tenant = tenantId): Promise<IndexEntry[]> {
  const entries = items.map((item) =>
    makeIndexEntry({ userId, vector: vector(1, 0, 0, 0), model: MODEL, ...item }),
  );
  await index.upsert({ tenantId: tenant, entries });
  return entries;
}

async function search(
  options: {
    query?: Float32Array;
    user?: string;
    tenant?: string;
    model?: string;
    limit?: number;
    filter?: IndexFilter;
  } = {},
): Promise<string[]> {
  const hits = await index.searchVector({
    tenantId: options.tenant ?? tenantId,
    userId: options.user ?? userId,
    vector: options.query ?? vector(1, 0, 0, 0),
    model: options.model ?? MODEL,
    limit: options.limit ?? 10,
    filter: options.filter,
  });
  return hits.map((hit) => hit.memoryId);
}

describe('setCurrent', () => {
  it('hides and restores entries in searches without history, ignoring unknown ids', async () => {
    const [now, before] = await add([
      { observedAt: timestamp(2) },
      { observedAt: timestamp(1), current: false },
    ]);
    await index.setCurrent({
      tenantId,
      userId,
      memoryIds: [now!.memoryId, randomId()],
      current: false,
    });
    await index.setCurrent({ tenantId, userId, memoryIds: [before!.memoryId], current: true });
    expect(await search()).toEqual([before!.memoryId]);
    expect(await search({ filter: { includeHistory: true } })).toEqual([
      now!.memoryId,
      before!.memoryId,
    ]);
  });

  it('changes nothing of another tenant or user', async () => {
    const [kept] = await add([{}]);
    const memoryIds = [kept!.memoryId];
    await index.setCurrent({ tenantId: randomTenantId(), userId, memoryIds, current: false });
    await index.setCurrent({ tenantId, userId: randomId(), memoryIds, current: false });
    expect(await search()).toEqual([kept!.memoryId]);
  });
});

describe('upsert replaces by memory id', () => {
  it('moves an entry to the user it is upserted under', async () => {
    const [moved] = await add([{}]);
    const otherUser = randomId();
    await add([{ ...moved!, userId: otherUser }]);
    expect(await search()).toEqual([]);
    expect(await search({ user: otherUser })).toEqual([moved!.memoryId]);
  });

  it('keeps the vector of the old model when upserted with another one, and updates its fields', async () => {
    const [memory] = await add([{}]);
    await add([{ ...memory!, model: OTHER_MODEL, vector: vector(0, 1, 0), type: 'issue' }]);
    expect(await search({ filter: { types: ['issue'] } })).toEqual([memory!.memoryId]);
    expect(await search({ model: OTHER_MODEL, query: vector(0, 1, 0) })).toEqual([
      memory!.memoryId,
    ]);
    const oldPoint = fake.store
      .points(collectionName('memnex', MODEL))
      .find((point) => point.payload.memory_id === memory!.memoryId);
    expect(oldPoint?.payload).toMatchObject({ type: 'issue' });
  });

  it('keeps the vectors it has when upserted without one, or with a zero vector', async () => {
    const [kept, zero] = await add([{}, {}]);
    await add([
      { ...kept!, vector: null, model: null, current: false },
      { ...zero!, vector: vector(0, 0, 0, 0) },
    ]);
    expect(await search()).toEqual([zero!.memoryId]);
    const withHistory = await search({ filter: { includeHistory: true } });
    expect([...withHistory].sort()).toEqual([zero!.memoryId, kept!.memoryId].sort());
  });

  it('keeps the last of two entries with the same id in one batch', async () => {
    const memoryId = randomId();
    await add([
      { memoryId, vector: vector(0, 1, 0, 0) },
      { memoryId, vector: vector(1, 0, 0, 0), type: 'issue' },
    ]);
    expect(await search({ filter: { types: ['issue'] } })).toEqual([memoryId]);
    expect(await search({ query: vector(0, 1, 0, 0), limit: 5 })).toEqual([memoryId]);
  });

  it('keeps the same memory id of two tenants apart', async () => {
    const memoryId = randomId();
    const otherTenant = randomTenantId();
    await add([{ memoryId }]);
    await add([{ memoryId, vector: vector(0, 1, 0, 0) }], otherTenant);
    expect(await search()).toEqual([memoryId]);
    expect(await search({ tenant: otherTenant, query: vector(0, 1, 0, 0) })).toEqual([memoryId]);
    expect(await index.delete({ tenantId: otherTenant, userId })).toBe(1);
    expect(await search()).toEqual([memoryId]);
  });

  it('refuses vectors of one model with different sizes, writing none of them', async () => {
    const batch = [{ vector: vector(1, 0, 0, 0) }, { vector: vector(1, 0, 0) }];
    const error = await expectMemnexError(add(batch), 'VALIDATION_FAILED');
    expect(error.message).toContain('entries.1.vector');
    expect(await search()).toEqual([]);
  });

  it('refuses vector values that are not finite', async () => {
    await expectMemnexError(add([{ vector: vector(1, Number.NaN, 0, 0) }]), 'VALIDATION_FAILED');
  });
});

describe('delete', () => {
  it('deletes by ids, then all, counting only what was there', async () => {
    const [first] = await add([{}, {}, {}]);
    const where = { tenantId, userId };
    expect(await index.delete({ ...where, memoryIds: [first!.memoryId, randomId()] })).toBe(1);
    expect(await index.delete({ ...where, memoryIds: [] })).toBe(0);
    expect(await index.delete(where)).toBe(2);
    expect(await index.delete(where)).toBe(0);
    expect(await search()).toEqual([]);
  });

  it('deletes across every model collection of the prefix', async () => {
    await add([{}, { model: OTHER_MODEL, vector: vector(0, 1, 0) }]);
    expect(await index.delete({ tenantId, userId })).toBe(2);
  });

  it('never deletes entries of another tenant or user', async () => {
    const [kept] = await add([{}]);
    const memoryIds = [kept!.memoryId];
    expect(await index.delete({ tenantId: randomTenantId(), userId, memoryIds })).toBe(0);
    expect(await index.delete({ tenantId, userId: randomId(), memoryIds })).toBe(0);
    expect(await search()).toEqual([kept!.memoryId]);
  });
});

describe('reassign', () => {
  it('moves entries with their history flag, and back; other tenants never move', async () => {
    const [moved, old, stays] = await add([
      { observedAt: timestamp(3) },
      { observedAt: timestamp(2), current: false },
      { observedAt: timestamp(1), vector: vector(0, 1, 0, 0) },
    ]);
    const otherUser = randomId();
    const move = (memoryIds: string[], from = userId, to = otherUser, tenant = tenantId) =>
      index.reassign({ tenantId: tenant, fromUserId: from, toUserId: to, memoryIds });
    expect(await move([moved!.memoryId, old!.memoryId, randomId()])).toBe(2);
    expect(await search()).toEqual([stays!.memoryId]);
    expect(await search({ user: otherUser })).toEqual([moved!.memoryId]);
    expect(await search({ user: otherUser, filter: { includeHistory: true } })).toEqual([
      moved!.memoryId,
      old!.memoryId,
    ]);
    expect(await move([moved!.memoryId], otherUser, userId)).toBe(1);
    expect(await search({ limit: 1 })).toEqual([moved!.memoryId]);
    expect(await move([stays!.memoryId], userId, otherUser, randomTenantId())).toBe(0);
    expect(await move([stays!.memoryId], userId, userId)).toBe(0);
    expect(await move([])).toBe(0);
  });
});

describe('search', () => {
  it('breaks ties that straddle the limit by newest, then memory id', async () => {
    const same = { vector: vector(1, 1, 0, 0) };
    const entries = await add([
      { ...same, observedAt: timestamp(1) },
      { ...same, observedAt: timestamp(1) },
      { ...same, observedAt: timestamp(1) },
      { ...same, observedAt: timestamp(5) },
      { vector: vector(1, 0, 0, 0), observedAt: timestamp(0) },
    ]);
    const [newest] = entries.slice(3);
    const older = sortBy(entries.slice(0, 3), (entry) => entry.memoryId);
    const query = vector(1, 1, 0, 0);
    expect(await search({ query, limit: 1 })).toEqual([newest!.memoryId]);
    expect(await search({ query, limit: 2 })).toEqual([newest!.memoryId, older[0]!.memoryId]);
    expect(await search({ query, limit: 3 })).toEqual([
      newest!.memoryId,
      older[0]!.memoryId,
      older[1]!.memoryId,
    ]);
  });

  it('answers nothing for a zero query vector or one of another size', async () => {
    await add([{}]);
    expect(await search({ query: vector(0, 0, 0, 0) })).toEqual([]);
    expect(await search({ query: vector(1, 0, 0) })).toEqual([]);
  });

  it('answers nothing for an empty types or kinds filter', async () => {
    await add([{}]);
    expect(await search({ filter: { types: [] } })).toEqual([]);
    expect(await search({ filter: { kinds: [] } })).toEqual([]);
  });

  it('has no lexical search: capabilities say so and it finds nothing', async () => {
    await add([{ text: 'refund for order 4521' }]);
    expect(index.capabilities).toEqual({ lexical: false, vector: true, scan: false });
    expect(await index.searchLexical({ tenantId, userId, query: 'refund', limit: 5 })).toEqual([]);
  });

  it('copes with its collection being dropped behind its back', async () => {
    await add([{}]);
    expect(await search()).toHaveLength(1);
    fake.store.dropCollection(collectionName('memnex', MODEL));
    expect(await search()).toEqual([]);
    const [again] = await add([{}]);
    expect(await search()).toEqual([again!.memoryId]);
    fake.store.dropCollection(collectionName('memnex', MODEL));
    expect(await index.delete({ tenantId, userId })).toBe(0);
  });
});

describe('lifecycle', () => {
  it('refuses calls after close with STORAGE_UNAVAILABLE, and works again after init', async () => {
    await add([{}]);
    await index.close();
    await expectMemnexError(search(), 'STORAGE_UNAVAILABLE');
    await expectMemnexError(index.delete({ tenantId, userId }), 'STORAGE_UNAVAILABLE');
    await index.init();
    expect(await search()).toHaveLength(1);
  });
});

describe('vectors of several models', () => {
  it('adds a vector with the fields of the memory’s stored point, not the caller’s older copy', async () => {
    const [entry] = await add([{}]);
    const newUser = randomId();
    await index.reassign({
      tenantId,
      fromUserId: userId,
      toUserId: newUser,
      memoryIds: [entry!.memoryId],
    });
    // A re-embed read the entry before the merge moved it: its userId is out of date.
    await index.upsertVectors({
      tenantId,
      entries: [{ ...entry!, model: OTHER_MODEL, vector: vector(0, 1, 0) }],
    });
    expect(await search({ model: OTHER_MODEL, query: vector(0, 1, 0) })).toEqual([]);
    expect(await search({ model: OTHER_MODEL, query: vector(0, 1, 0), user: newUser })).toEqual([
      entry!.memoryId,
    ]);
  });

  it('holds only memories it has a point of, and adds no vector to any other', async () => {
    const stranger = makeIndexEntry({ userId, vector: vector(0, 1, 0), model: OTHER_MODEL });
    await index.upsertVectors({ tenantId, entries: [stranger] });
    expect(
      fake.store
        .points(collectionName('memnex', OTHER_MODEL))
        .map((point) => point.payload.memory_id),
    ).not.toContain(stranger.memoryId);
    expect(
      await index.findVectors({ tenantId, model: OTHER_MODEL, memoryIds: [stranger.memoryId] }),
    ).toEqual({ held: [], withVector: [] });
  });

  it('prunes a model by deleting its collection, keeping the kept ones and the models record', async () => {
    const pruning = createQdrantSemanticIndex({ url: fake.url, collectionPrefix: 'prune-test' });
    await pruning.init();
    const entry = makeIndexEntry({ userId, vector: vector(1, 0, 0, 0), model: MODEL });
    await pruning.upsert({ tenantId, entries: [entry] });
    await pruning.upsertVectors({
      tenantId,
      entries: [{ ...entry, model: OTHER_MODEL, vector: vector(0, 1, 0) }],
    });
    await pruning.setModelState({
      expectedRevision: null,
      active: { spec: MODEL, model: MODEL, dimensions: 4 },
      target: null,
      previous: null,
      at: timestamp(1),
    });
    expect(await pruning.countVectors({ model: OTHER_MODEL })).toEqual({
      entries: null,
      withVector: 1,
    });
    expect(await pruning.pruneModels({ keep: [MODEL] })).toBe(1);
    const names = fake.store.collectionNames().filter((name) => name.startsWith('prune-test'));
    expect(names.sort()).toEqual(
      [collectionName('prune-test', MODEL), 'prune-test-embedding-models'].sort(),
    );
    expect(await pruning.countVectors({ model: OTHER_MODEL })).toEqual({
      entries: null,
      withVector: 0,
    });
    expect((await pruning.getModelState())?.active.model).toBe(MODEL);
    await expectMemnexError(pruning.scanEntries({ limit: 1 }), 'VALIDATION_FAILED');
  });
});

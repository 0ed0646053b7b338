import type { EmbeddingModel, SemanticIndex } from '@memnex/core';
import { beforeEach, expect, it } from 'vitest';
import { expectMemnexError } from '../assertions.js';
import { randomHex, randomId, timestamp } from '../fixtures.js';
import { MODEL, createIndexScene, hitIds, vector, type IndexScene } from './scene.js';

/** A 3-dimensional vector, for the second model of these tests. */
function small(...values: [number, number, number]): Float32Array {
  return Float32Array.from(values);
}

/** A model id no other test uses, for operations that span every tenant. */
function uniqueModel(name: string): string {
  return `conformance:${name}-${randomHex(4)}`;
}

/**
 * Vectors of several models per entry: each model searched apart, added to held entries only,
 * following their entry, and pruned by model.
 */
export function describeModelVectors(index: () => SemanticIndex): void {
  let scene: IndexScene;
  let second: string;
  const search = (model: string, query: Float32Array, userId = scene.userId) =>
    index().searchVector({ tenantId: scene.tenantA, userId, vector: query, model, limit: 10 });
  const addSecond = (entries: Array<{ memoryId: string; userId: string }>, query: Float32Array) =>
    index().upsertVectors({
      tenantId: scene.tenantA,
      entries: entries.map((entry) => ({
        ...entry,
        text: 'ignored',
        type: 'preference',
        kind: 'fact',
        current: true,
        observedAt: timestamp(),
        vector: query,
        model: second,
      })),
    });

  beforeEach(() => {
    scene = createIndexScene();
    second = uniqueModel('second');
  });

  it('keeps vectors of two models on one entry and searches each model on its own', async () => {
    const [near, far] = await scene.add(index(), [
      { vector: vector(1, 0, 0, 0), model: MODEL },
      { vector: vector(0, 1, 0, 0), model: MODEL },
    ]);
    await addSecond([near!], small(0, 0, 1));
    await addSecond([far!], small(1, 0, 0));
    const first = await search(MODEL, vector(1, 0, 0, 0));
    expect(hitIds(first)).toEqual([near!.memoryId, far!.memoryId]);
    expect(first[0]!.score).toBeCloseTo(1, 5);
    const other = await search(second, small(1, 0, 0));
    expect(hitIds(other)).toEqual([far!.memoryId, near!.memoryId]);
    expect(other[0]!.score).toBeCloseTo(1, 5);
    expect(other[1]!.score).toBeCloseTo(0, 5);
  });

  it('adds vectors to held entries only, and skips entries without a vector', async () => {
    const [held] = await scene.add(index(), [{ vector: vector(1, 0, 0, 0), model: MODEL }]);
    const stranger = { memoryId: randomId(), userId: scene.userId };
    await addSecond([held!, stranger], small(1, 0, 0));
    await index().upsertVectors({
      tenantId: scene.tenantA,
      entries: [{ ...held!, vector: null, model: null }],
    });
    expect(hitIds(await search(second, small(1, 0, 0)))).toEqual([held!.memoryId]);
    const found = await index().findVectors({
      tenantId: scene.tenantA,
      model: second,
      memoryIds: [held!.memoryId, stranger.memoryId],
    });
    expect(found).toEqual({ held: [held!.memoryId], withVector: [held!.memoryId] });
  });

  it('says which entries it holds and which of them have a vector of a model', async () => {
    const [both, onlyFirst, none] = await scene.add(index(), [
      { vector: vector(1, 0, 0, 0), model: MODEL },
      { vector: vector(0, 1, 0, 0), model: MODEL },
      { vector: null, model: null },
    ]);
    await addSecond([both!], small(1, 0, 0));
    const ids = [both!.memoryId, onlyFirst!.memoryId, none!.memoryId, randomId()];
    const found = await index().findVectors({
      tenantId: scene.tenantA,
      model: second,
      memoryIds: ids,
    });
    expect(found.withVector).toEqual([both!.memoryId]);
    if (index().capabilities.scan) {
      // An index that holds every entry knows the one without a vector; one of vectors only cannot.
      expect([...found.held].sort()).toEqual(ids.slice(0, 3).sort());
    }
    const inB = await index().findVectors({
      tenantId: scene.tenantB,
      model: MODEL,
      memoryIds: ids,
    });
    expect(inB).toEqual({ held: [], withVector: [] });
  });

  it('keeps the other models’ vectors on upsert, and moves them with the entry', async () => {
    const [entry] = await scene.add(index(), [{ vector: vector(1, 0, 0, 0), model: MODEL }]);
    await addSecond([entry!], small(1, 0, 0));
    await index().upsert({
      tenantId: scene.tenantA,
      entries: [{ ...entry!, userId: scene.otherUserId, vector: vector(0, 1, 0, 0) }],
    });
    expect(await search(second, small(1, 0, 0))).toEqual([]);
    expect(hitIds(await search(second, small(1, 0, 0), scene.otherUserId))).toEqual([
      entry!.memoryId,
    ]);
    const [hit] = await search(MODEL, vector(0, 1, 0, 0), scene.otherUserId);
    expect(hit?.score).toBeCloseTo(1, 5);
  });

  it('reassigns and deletes the vectors of every model with their entry', async () => {
    const [moved, deleted] = await scene.add(index(), [
      { vector: vector(1, 0, 0, 0), model: MODEL },
      { vector: vector(0, 1, 0, 0), model: MODEL },
    ]);
    await addSecond([moved!, deleted!], small(1, 0, 0));
    await index().reassign({
      tenantId: scene.tenantA,
      fromUserId: scene.userId,
      toUserId: scene.otherUserId,
      memoryIds: [moved!.memoryId],
    });
    expect(hitIds(await search(second, small(1, 0, 0), scene.otherUserId))).toEqual([
      moved!.memoryId,
    ]);
    await index().delete({ tenantId: scene.tenantA, userId: scene.userId });
    expect(await search(second, small(1, 0, 0))).toEqual([]);
    const found = await index().findVectors({
      tenantId: scene.tenantA,
      model: second,
      memoryIds: [deleted!.memoryId],
    });
    expect(found).toEqual({ held: [], withVector: [] });
  });

  it('prunes the vectors of every model not kept, in every tenant', async () => {
    const kept = uniqueModel('kept');
    const [inA] = await scene.add(index(), [{ vector: vector(1, 0, 0, 0), model: kept }]);
    const inB = { ...inA!, memoryId: randomId() };
    await index().upsert({ tenantId: scene.tenantB, entries: [inB] });
    await addSecond([inA!], small(1, 0, 0));
    await index().upsertVectors({
      tenantId: scene.tenantB,
      entries: [{ ...inB, vector: small(1, 0, 0), model: second }],
    });
    expect(await index().pruneModels({ keep: [kept] })).toBeGreaterThanOrEqual(2);
    expect(await search(second, small(1, 0, 0))).toEqual([]);
    const inTenantB = await index().searchVector({
      tenantId: scene.tenantB,
      userId: scene.userId,
      vector: small(1, 0, 0),
      model: second,
      limit: 10,
    });
    expect(inTenantB).toEqual([]);
    expect(hitIds(await search(kept, vector(1, 0, 0, 0)))).toEqual([inA!.memoryId]);
    expect(await index().countVectors({ model: second })).toMatchObject({ withVector: 0 });
  });

  it('counts the entries that have a vector of a model', async () => {
    const counted = uniqueModel('counted');
    const before = await index().countVectors({ model: counted });
    await scene.add(index(), [
      { vector: vector(1, 0, 0, 0), model: counted },
      { vector: vector(0, 1, 0, 0), model: counted },
      { vector: vector(0, 0, 1, 0), model: MODEL },
    ]);
    const after = await index().countVectors({ model: counted });
    expect(before.withVector).toBe(0);
    expect(after.withVector).toBe(2);
    if (before.entries !== null) expect(after.entries).toBe(before.entries + 3);
  });
}

const MODEL_A: EmbeddingModel = { spec: 'hash:4', model: 'conformance:state-a', dimensions: 4 };
const MODEL_B: EmbeddingModel = { spec: 'hash:3', model: 'conformance:state-b', dimensions: 3 };

/** The record of the embedding models: stored whole, changed only from the revision seen. */
export function describeModelState(index: () => SemanticIndex): void {
  it('records the models, each change one revision on from the revision it saw', async () => {
    const before = await index().getModelState();
    const at = timestamp(1);
    const first = await index().setModelState({
      expectedRevision: before?.revision ?? null,
      active: MODEL_A,
      target: MODEL_B,
      previous: null,
      at,
    });
    expect(first).toEqual({
      active: MODEL_A,
      target: MODEL_B,
      previous: null,
      revision: (before?.revision ?? 0) + 1,
      updatedAt: at,
    });
    expect(await index().getModelState()).toEqual(first);
    const until = timestamp(60);
    const switched = await index().setModelState({
      expectedRevision: first.revision,
      active: MODEL_B,
      target: null,
      previous: { ...MODEL_A, until },
      at: timestamp(2),
    });
    expect(switched).toMatchObject({
      active: MODEL_B,
      target: null,
      previous: { ...MODEL_A, until },
      revision: first.revision + 1,
    });
    expect(await index().getModelState()).toEqual(switched);
  });

  it('refuses a change from a revision that is no longer the stored one with CONFLICT and the stored revision', async () => {
    const before = await index().getModelState();
    const stored = await index().setModelState({
      expectedRevision: before?.revision ?? null,
      active: MODEL_A,
      target: null,
      previous: null,
      at: timestamp(3),
    });
    for (const stale of [null, stored.revision - 1, stored.revision + 1]) {
      const error = await expectMemnexError(
        index().setModelState({
          expectedRevision: stale,
          active: MODEL_B,
          target: null,
          previous: null,
          at: timestamp(4),
        }),
        'CONFLICT',
      );
      expect(error.details).toMatchObject({ revision: stored.revision });
    }
    expect(await index().getModelState()).toEqual(stored);
  });

  it('keeps the models across close and init', async () => {
    const before = await index().getModelState();
    const stored = await index().setModelState({
      expectedRevision: before?.revision ?? null,
      active: MODEL_B,
      target: MODEL_A,
      previous: null,
      at: timestamp(5),
    });
    await index().close();
    await index().init();
    expect(await index().getModelState()).toEqual(stored);
  });
}

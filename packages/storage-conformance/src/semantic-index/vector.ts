import type { IndexFilter, SemanticIndex } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomId, sortBy, timestamp } from '../fixtures.js';
import { MODEL, OTHER_MODEL, createIndexScene, hitIds, vector, type IndexScene } from './scene.js';

/** Vector search: cosine scores, model separation, filters, deletes and isolation. */
export function describeVectorSearch(index: () => SemanticIndex): void {
  let scene: IndexScene;
  const search = (
    query: Float32Array,
    options: { limit?: number; filter?: IndexFilter; model?: string; userId?: string } = {},
  ) =>
    index().searchVector({
      tenantId: scene.tenantA,
      userId: options.userId ?? scene.userId,
      vector: query,
      model: options.model ?? MODEL,
      limit: options.limit ?? 10,
      filter: options.filter,
    });

  beforeEach(() => {
    scene = createIndexScene();
  });

  describe('similarity', () => {
    it('ranks by cosine similarity and reports it as the score', async () => {
      const [same, diagonal, orthogonal] = await scene.add(index(), [
        { text: 'same', vector: vector(2, 0, 0, 0), model: MODEL },
        { text: 'diagonal', vector: vector(3, 3, 0, 0), model: MODEL },
        { text: 'orthogonal', vector: vector(0, 0, 5, 0), model: MODEL },
      ]);
      const hits = await search(vector(1, 0, 0, 0));
      expect(hitIds(hits)).toEqual([same!.memoryId, diagonal!.memoryId, orthogonal!.memoryId]);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 5);
      expect(hits[2]!.score).toBeCloseTo(0, 5);
    });

    it('never compares vectors of another model, and skips entries without a vector', async () => {
      const [mine] = await scene.add(index(), [
        { text: 'model a', vector: vector(0, 1, 0, 0), model: MODEL },
        { text: 'model b', vector: vector(1, 0, 0, 0), model: OTHER_MODEL },
        { text: 'no vector', vector: null, model: null },
      ]);
      expect(hitIds(await search(vector(1, 0, 0, 0)))).toEqual([mine!.memoryId]);
      const other = await search(vector(1, 0, 0, 0), { model: OTHER_MODEL });
      expect(other).toHaveLength(1);
      expect(other[0]!.score).toBeCloseTo(1, 5);
      expect(await search(vector(1, 0, 0, 0), { model: 'conformance:unknown' })).toEqual([]);
    });

    it('honours limit 0 and 1', async () => {
      await scene.add(index(), [
        { vector: vector(1, 0, 0, 0), model: MODEL },
        { vector: vector(0, 1, 0, 0), model: MODEL },
      ]);
      expect(await search(vector(1, 0, 0, 0), { limit: 0 })).toEqual([]);
      expect(await search(vector(1, 0, 0, 0), { limit: 1 })).toHaveLength(1);
    });

    it('breaks ties deterministically: newer first, then memory id', async () => {
      const older = await scene.add(index(), [
        { vector: vector(1, 1, 0, 0), model: MODEL, observedAt: timestamp(1) },
        { vector: vector(1, 1, 0, 0), model: MODEL, observedAt: timestamp(1) },
      ]);
      const [newer] = await scene.add(index(), [
        { vector: vector(1, 1, 0, 0), model: MODEL, observedAt: timestamp(5) },
      ]);
      const expected = [
        newer!.memoryId,
        ...sortBy(older, (e) => e.memoryId).map((e) => e.memoryId),
      ];
      expect(hitIds(await search(vector(1, 1, 0, 0)))).toEqual(expected);
    });

    it('keeps its own copy of stored vectors', async () => {
      const stored = vector(1, 0, 0, 0);
      const [entry] = await scene.add(index(), [{ vector: stored, model: MODEL }]);
      stored.set([0, 0, 0, 1]);
      const [hit] = await search(vector(1, 0, 0, 0));
      expect(hit?.memoryId).toBe(entry!.memoryId);
      expect(hit?.score).toBeCloseTo(1, 5);
    });
  });

  describe('filters', () => {
    it('applies types, kinds, since, until and history before the limit', async () => {
      const [best, issue, old] = await scene.add(index(), [
        { vector: vector(1, 0, 0, 0), model: MODEL, type: 'preference', observedAt: timestamp(30) },
        { vector: vector(1, 1, 0, 0), model: MODEL, type: 'issue', observedAt: timestamp(20) },
        { vector: vector(1, 0.1, 0, 0), model: MODEL, current: false, observedAt: timestamp(10) },
      ]);
      const query = vector(1, 0, 0, 0);
      expect(hitIds(await search(query, { limit: 1, filter: { types: ['issue'] } }))).toEqual([
        issue!.memoryId,
      ]);
      expect(hitIds(await search(query, { filter: { kinds: ['message'] } }))).toEqual([]);
      expect(hitIds(await search(query, { filter: { until: timestamp(30) } }))).toEqual([
        issue!.memoryId,
      ]);
      expect(hitIds(await search(query, { filter: { since: timestamp(20) } }))).toEqual([
        best!.memoryId,
        issue!.memoryId,
      ]);
      expect(hitIds(await search(query, { filter: { includeHistory: true } }))).toEqual([
        best!.memoryId,
        old!.memoryId,
        issue!.memoryId,
      ]);
    });
  });

  describe('deletes and isolation', () => {
    it('forgets deleted vectors', async () => {
      const [gone, kept] = await scene.add(index(), [
        { vector: vector(1, 0, 0, 0), model: MODEL },
        { vector: vector(0, 1, 0, 0), model: MODEL },
      ]);
      const where = { tenantId: scene.tenantA, userId: scene.userId };
      expect(await index().delete({ ...where, memoryIds: [gone!.memoryId] })).toBe(1);
      expect(hitIds(await search(vector(1, 0, 0, 0)))).toEqual([kept!.memoryId]);
    });

    it('never returns vectors of another tenant or user', async () => {
      await scene.add(index(), [{ vector: vector(1, 0, 0, 0), model: MODEL }]);
      expect(await search(vector(1, 0, 0, 0), { userId: scene.otherUserId })).toEqual([]);
      expect(await search(vector(1, 0, 0, 0), { userId: randomId() })).toEqual([]);
      const inB = await index().searchVector({
        tenantId: scene.tenantB,
        userId: scene.userId,
        vector: vector(1, 0, 0, 0),
        model: MODEL,
        limit: 10,
      });
      expect(inB).toEqual([]);
    });

    it('moves vectors to another user on reassign, keeping them searchable there', async () => {
      const [moved, stays] = await scene.add(index(), [
        { vector: vector(1, 0, 0, 0), model: MODEL },
        { vector: vector(0, 1, 0, 0), model: MODEL },
      ]);
      const count = await index().reassign({
        tenantId: scene.tenantA,
        fromUserId: scene.userId,
        toUserId: scene.otherUserId,
        memoryIds: [moved!.memoryId, randomId()],
      });
      expect(count).toBe(1);
      expect(hitIds(await search(vector(1, 0, 0, 0)))).toEqual([stays!.memoryId]);
      expect(hitIds(await search(vector(1, 0, 0, 0), { userId: scene.otherUserId }))).toEqual([
        moved!.memoryId,
      ]);
    });
  });
}

import type { IndexFilter, SemanticIndex } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomId, sortBy, timestamp } from '../fixtures.js';
import { createIndexScene, hitIds, type IndexScene } from './scene.js';

/** Lexical search: matching, ranking, filters, updates, deletes and isolation. */
export function describeLexicalSearch(index: () => SemanticIndex): void {
  let scene: IndexScene;
  const search = (query: string, limit = 10, filter?: IndexFilter, userId = scene.userId) =>
    index().searchLexical({ tenantId: scene.tenantA, userId, query, limit, filter });

  beforeEach(() => {
    scene = createIndexScene();
  });

  describe('matching', () => {
    it('matches stemmed forms: "refunds" finds "refund"', async () => {
      const [refund] = await scene.add(index(), [
        { text: 'Asked for a refund on order 4521' },
        { text: 'Prefers WhatsApp over calls' },
      ]);
      expect(hitIds(await search('refunds'))).toEqual([refund!.memoryId]);
      expect(hitIds(await search('REFUNDING'))).toEqual([refund!.memoryId]);
    });

    it('finds an entry by its context text, ranked below an entry that holds the term itself', async () => {
      const [question, reply] = await scene.add(index(), [
        { text: 'When did you move to Berlin?' },
        { text: 'Yes, last May!', context: 'When did you move to Berlin?' },
        { text: 'The weather is nice today' },
      ]);
      const hits = await search('Berlin');
      expect(hitIds(hits)).toEqual([question!.memoryId, reply!.memoryId]);
    });

    it('ranks the document with the rarest query term first', async () => {
      const entries = await scene.add(index(), [
        { text: 'order shipped on time' },
        { text: 'order arrived damaged' },
        { text: 'order refund requested' },
        { text: 'order tracking number sent' },
      ]);
      const hits = await search('order refund');
      expect(hits[0]?.memoryId).toBe(entries[2]!.memoryId);
      expect(hits).toHaveLength(4);
      for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
      for (let rank = 1; rank < hits.length; rank += 1) {
        expect(hits[rank]!.score).toBeLessThanOrEqual(hits[rank - 1]!.score);
      }
    });

    it('returns nothing when no term matches, or the query has no terms', async () => {
      await scene.add(index(), [{ text: 'Prefers email' }]);
      expect(await search('bicycle')).toEqual([]);
      expect(await search('the and of')).toEqual([]);
      expect(await search('   ')).toEqual([]);
    });

    it('finds unicode and very long texts', async () => {
      const [cafe, long] = await scene.add(index(), [
        { text: 'Le client préfère le café crème ☕' },
        { text: 'filler words here '.repeat(1000) + 'zeppelin' },
      ]);
      expect(hitIds(await search('café'))).toEqual([cafe!.memoryId]);
      expect(hitIds(await search('zeppelin'))).toEqual([long!.memoryId]);
    });

    it('honours limit 0 and 1', async () => {
      await scene.add(index(), [{ text: 'refund one' }, { text: 'refund two' }]);
      expect(await search('refund', 0)).toEqual([]);
      expect(await search('refund', 1)).toHaveLength(1);
    });

    it('breaks ties deterministically: newer first, then memory id', async () => {
      const older = await scene.add(index(), [
        { text: 'refund pending', observedAt: timestamp(1), memoryId: randomId() },
        { text: 'refund pending', observedAt: timestamp(1), memoryId: randomId() },
      ]);
      const [newer] = await scene.add(index(), [
        { text: 'refund pending', observedAt: timestamp(9) },
      ]);
      const expected = [
        newer!.memoryId,
        ...sortBy(older, (entry) => entry.memoryId).map((e) => e.memoryId),
      ];
      expect(hitIds(await search('refund'))).toEqual(expected);
      expect(hitIds(await search('refund'))).toEqual(expected);
    });
  });

  describe('filters', () => {
    it('filters by types, kinds and observedAt (since inclusive, until exclusive)', async () => {
      const [issue, message, late] = await scene.add(index(), [
        { text: 'refund issue', type: 'issue', observedAt: timestamp(10) },
        { text: 'refund please', type: 'event', kind: 'message', observedAt: timestamp(20) },
        { text: 'refund resolved', type: 'resolution', observedAt: timestamp(30) },
      ]);
      const only = (...entries: Array<{ memoryId: string } | undefined>) =>
        entries.map((entry) => entry!.memoryId).sort();
      const sorted = async (filter: IndexFilter) =>
        hitIds(await search('refund', 10, filter)).sort();
      expect(await sorted({ types: ['issue', 'resolution'] })).toEqual(only(issue, late));
      expect(await sorted({ kinds: ['message'] })).toEqual(only(message));
      expect(await sorted({ since: timestamp(20) })).toEqual(only(message, late));
      expect(await sorted({ until: timestamp(20) })).toEqual(only(issue));
      expect(
        await sorted({ since: timestamp(10), until: timestamp(30), types: ['event'] }),
      ).toEqual(only(message));
    });

    it('excludes non-current entries unless includeHistory, and follows setCurrent', async () => {
      const [current, old] = await scene.add(index(), [
        { text: 'lives in Pune', observedAt: timestamp(2) },
        { text: 'lives in Mumbai', current: false, observedAt: timestamp(1) },
      ]);
      expect(hitIds(await search('lives'))).toEqual([current!.memoryId]);
      expect(hitIds(await search('lives', 10, { includeHistory: true }))).toEqual([
        current!.memoryId,
        old!.memoryId,
      ]);
      const where = { tenantId: scene.tenantA, userId: scene.userId };
      await index().setCurrent({
        ...where,
        memoryIds: [current!.memoryId, randomId()],
        current: false,
      });
      await index().setCurrent({ ...where, memoryIds: [old!.memoryId], current: true });
      expect(hitIds(await search('lives'))).toEqual([old!.memoryId]);
    });
  });

  describe('updates and deletes', () => {
    it('replaces an entry on upsert with the same memory id', async () => {
      const [entry] = await scene.add(index(), [{ text: 'prefers calls' }]);
      await scene.add(index(), [{ ...entry, text: 'prefers chat' }]);
      expect(await search('calls')).toEqual([]);
      expect(hitIds(await search('chat prefers'))).toEqual([entry!.memoryId]);
    });

    it('moves an entry to another user when upserted under that user', async () => {
      const [entry] = await scene.add(index(), [{ text: 'merged refund' }]);
      await index().upsert({
        tenantId: scene.tenantA,
        entries: [{ ...entry!, userId: scene.otherUserId }],
      });
      expect(await search('refund')).toEqual([]);
      expect(hitIds(await search('refund', 10, undefined, scene.otherUserId))).toEqual([
        entry!.memoryId,
      ]);
    });

    it('deletes by ids and then all, returning how many were removed', async () => {
      const entries = await scene.add(index(), [
        { text: 'refund a' },
        { text: 'refund b' },
        { text: 'refund c' },
      ]);
      const where = { tenantId: scene.tenantA, userId: scene.userId };
      const first = entries[0]!.memoryId;
      expect(await index().delete({ ...where, memoryIds: [first, randomId()] })).toBe(1);
      expect(hitIds(await search('refund'))).not.toContain(first);
      expect(await index().delete({ ...where, memoryIds: [] })).toBe(0);
      expect(await index().delete(where)).toBe(2);
      expect(await search('refund')).toEqual([]);
      expect(await index().delete(where)).toBe(0);
    });
  });

  describe('reassign', () => {
    it('moves entries to another user with their text, history flag and context', async () => {
      const [moved, old, stays] = await scene.add(index(), [
        { text: 'Wants a refund for order 4521' },
        { text: 'Refund was declined last year', current: false },
        { text: 'Refund already issued for order 77' },
      ]);
      const move = (memoryIds: string[], fromUserId = scene.userId, toUserId = scene.otherUserId) =>
        index().reassign({ tenantId: scene.tenantA, fromUserId, toUserId, memoryIds });
      expect(await move([moved!.memoryId, old!.memoryId, randomId()])).toBe(2);
      expect(hitIds(await search('refund'))).toEqual([stays!.memoryId]);
      expect(hitIds(await search('refund', 10, undefined, scene.otherUserId))).toEqual([
        moved!.memoryId,
      ]);
      const history = await search('declined', 10, { includeHistory: true }, scene.otherUserId);
      expect(hitIds(history)).toEqual([old!.memoryId]);
      // Moving back restores the original owner; another tenant's ids never move.
      expect(await move([moved!.memoryId], scene.otherUserId, scene.userId)).toBe(1);
      expect(hitIds(await search('4521'))).toEqual([moved!.memoryId]);
      const elsewhere = await index().reassign({
        tenantId: scene.tenantB,
        fromUserId: scene.userId,
        toUserId: scene.otherUserId,
        memoryIds: [stays!.memoryId],
      });
      expect(elsewhere).toBe(0);
    });
  });

  describe('isolation', () => {
    it('never returns, updates or deletes entries of another tenant or user', async () => {
      const [entry] = await scene.add(index(), [{ text: 'secret refund' }]);
      const inB = { tenantId: scene.tenantB, userId: scene.userId };
      expect(await index().searchLexical({ ...inB, query: 'refund', limit: 10 })).toEqual([]);
      expect(await search('refund', 10, undefined, scene.otherUserId)).toEqual([]);
      await index().setCurrent({ ...inB, memoryIds: [entry!.memoryId], current: false });
      expect(await index().delete(inB)).toBe(0);
      expect(await index().delete({ ...inB, memoryIds: [entry!.memoryId] })).toBe(0);
      const otherUser = { tenantId: scene.tenantA, userId: scene.otherUserId };
      expect(await index().delete({ ...otherUser, memoryIds: [entry!.memoryId] })).toBe(0);
      expect(hitIds(await search('refund'))).toEqual([entry!.memoryId]);
    });
  });
}

import type { MemoryQuery, MemoryRecord, UserRecord, WarmStore } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomId, sortBy, timestamp } from '../fixtures.js';
import { createTenants, idsOf, seedMemories, seedUser } from './seed.js';

/** History scene: a superseded fact, its successor, a resolved issue and an expired fact. */
async function seedHistory(store: WarmStore, user: UserRecord) {
  const successorId = randomId();
  const [current, superseded, successor, resolved, closed] = await seedMemories(store, user, [
    { text: 'Lives in Pune', observedAt: timestamp(0) },
    {
      text: 'Prefers calls',
      observedAt: timestamp(1),
      validFrom: timestamp(0),
      validTo: timestamp(100),
      status: 'superseded',
      supersededBy: successorId,
    },
    { id: successorId, text: 'Prefers WhatsApp', observedAt: timestamp(100) },
    { text: 'Order 7 arrived late', type: 'issue', status: 'resolved', observedAt: timestamp(2) },
    { text: 'Wants a callback', observedAt: timestamp(3), validTo: timestamp(50) },
  ]);
  return { current, superseded, successor, resolved, closed } as Record<string, MemoryRecord>;
}

/** listMemories: scope, asOf, every filter, order, limits and isolation; getMemories. */
export function describeMemoryQueries(store: () => WarmStore): void {
  let tenantA = '';
  let tenantB = '';
  let user: UserRecord;
  const list = async (query: Omit<MemoryQuery, 'tenantId' | 'userId'> = {}) =>
    idsOf(await store().listMemories({ tenantId: tenantA, userId: user.id, ...query }));

  beforeEach(async () => {
    ({ tenantA, tenantB } = await createTenants(store()));
    user = await seedUser(store(), tenantA);
  });

  describe('history', () => {
    it('returns only current memories by default: active and without validTo', async () => {
      const scene = await seedHistory(store(), user);
      expect(await list()).toEqual(idsOf([scene.current!, scene.successor!]));
      expect(await list({ scope: 'current' })).toEqual(await list());
    });

    it("returns every memory with scope 'all'", async () => {
      const scene = await seedHistory(store(), user);
      const { current, superseded, resolved, closed, successor } = scene;
      expect(await list({ scope: 'all' })).toEqual(
        idsOf([current!, superseded!, resolved!, closed!, successor!]),
      );
    });

    it('returns what was current at asOf: validFrom <= asOf < validTo, whatever the scope', async () => {
      const { current, superseded, successor, resolved } = await seedHistory(store(), user);
      expect(await list({ asOf: timestamp(50) })).toEqual(
        idsOf([current!, superseded!, resolved!]),
      );
      expect(await list({ asOf: timestamp(100), scope: 'all' })).toEqual(
        idsOf([current!, resolved!, successor!]),
      );
      expect(await list({ asOf: timestamp(-1) })).toEqual([]);
    });
  });

  describe('filters', () => {
    let scene: MemoryRecord[] = [];
    beforeEach(async () => {
      scene = await seedMemories(store(), user, [
        {
          text: 'Prefers email',
          slot: 'preference:contact',
          entities: ['channel:email'],
          source: { channel: 'web', agentId: null, sessionId: null, messageIds: ['msg-1'] },
          observedAt: timestamp(10),
        },
        {
          text: 'Order 1 is late',
          type: 'issue',
          slot: 'issue:order:1',
          entities: ['order:1', 'channel:sms'],
          source: {
            channel: 'sms',
            agentId: null,
            sessionId: null,
            messageIds: ['msg-2', 'msg-3'],
          },
          observedAt: timestamp(20),
        },
        {
          text: 'Where is my order?',
          kind: 'message',
          type: 'event',
          source: { channel: 'sms', agentId: null, sessionId: null, messageIds: ['msg-3'] },
          observedAt: timestamp(30),
        },
        {
          text: 'Card was charged twice',
          type: 'issue',
          status: 'resolved',
          observedAt: timestamp(40),
        },
      ]);
    });
    const pick = (...indexes: number[]) => indexes.map((index) => scene[index]!.id);

    it('filters by types, kinds and statuses', async () => {
      expect(await list({ scope: 'all', types: ['issue'] })).toEqual(pick(1, 3));
      expect(await list({ kinds: ['message'] })).toEqual(pick(2));
      expect(await list({ scope: 'all', statuses: ['resolved'] })).toEqual(pick(3));
      expect(await list({ statuses: ['resolved'] })).toEqual([]);
    });

    it('filters by slots and content hashes', async () => {
      expect(await list({ slots: ['issue:order:1', 'profile:city'] })).toEqual(pick(1));
      expect(await list({ contentHashes: [scene[0]!.contentHash] })).toEqual(pick(0));
    });

    it('matches any of the given entities or source message ids', async () => {
      expect(await list({ entities: ['channel:sms', 'channel:email'] })).toEqual(pick(0, 1));
      expect(await list({ messageIds: ['msg-3'] })).toEqual(pick(1, 2));
      expect(await list({ messageIds: ['msg-9'] })).toEqual([]);
    });

    it('takes since as inclusive and until as exclusive, on observedAt', async () => {
      expect(await list({ scope: 'all', since: timestamp(20) })).toEqual(pick(1, 2, 3));
      expect(await list({ until: timestamp(30) })).toEqual(pick(0, 1));
      expect(await list({ since: timestamp(20), until: timestamp(30) })).toEqual(pick(1));
    });

    it('narrows with every condition given', async () => {
      expect(await list({ types: ['issue'], entities: ['order:1'], kinds: ['fact'] })).toEqual(
        pick(1),
      );
      expect(await list({ types: ['issue'], entities: ['channel:email'] })).toEqual([]);
    });

    it('matches nothing with an empty list', async () => {
      expect(await list({ types: [] })).toEqual([]);
      expect(await list({ entities: [] })).toEqual([]);
    });
  });

  describe('order and limit', () => {
    let sorted: MemoryRecord[] = [];
    beforeEach(async () => {
      const seeded = await seedMemories(store(), user, [
        { text: 'five a', observedAt: timestamp(5) },
        { text: 'one', observedAt: timestamp(1) },
        { text: 'five b', observedAt: timestamp(5) },
        { text: 'nine', observedAt: timestamp(9) },
        { text: 'five c', observedAt: timestamp(5) },
      ]);
      const ties = sortBy(
        seeded.filter((memory) => memory.text.startsWith('five')),
        (m) => m.id,
      );
      sorted = [seeded[1]!, ...ties, seeded[3]!];
    });

    it('orders by observedAt then id, ascending by default', async () => {
      expect(await list()).toEqual(idsOf(sorted));
      expect(await list({ order: 'asc' })).toEqual(idsOf(sorted));
    });

    it('orders most recent first with desc', async () => {
      expect(await list({ order: 'desc' })).toEqual(idsOf([...sorted].reverse()));
    });

    it('applies the limit after ordering, including 0 and 1', async () => {
      expect(await list({ limit: 1 })).toEqual(idsOf(sorted.slice(0, 1)));
      expect(await list({ order: 'desc', limit: 2 })).toEqual(
        idsOf([...sorted].reverse().slice(0, 2)),
      );
      expect(await list({ limit: 0 })).toEqual([]);
    });
  });

  describe('reads and isolation', () => {
    it('lists nothing for an unknown user or a user without memories', async () => {
      expect(await list({ scope: 'all' })).toEqual([]);
      const unknown = { tenantId: tenantA, userId: randomId(), scope: 'all' as const };
      expect(await store().listMemories(unknown)).toEqual([]);
    });

    it("never lists or gets tenant A's memories from tenant B", async () => {
      const memories = await seedMemories(store(), user, [{ text: 'secret of A' }]);
      const query = { tenantId: tenantB, userId: user.id, scope: 'all' as const };
      expect(await store().listMemories(query)).toEqual([]);
      expect(await store().getMemories({ tenantId: tenantB, ids: idsOf(memories) })).toEqual([]);
    });

    it('gets memories by id across users of the tenant, leaving out missing ids', async () => {
      const other = await seedUser(store(), tenantA);
      const [mine] = await seedMemories(store(), user, [{ text: 'mine' }]);
      const [theirs] = await seedMemories(store(), other, [{ text: 'theirs' }]);
      const found = await store().getMemories({
        tenantId: tenantA,
        ids: [mine!.id, randomId(), theirs!.id],
      });
      expect(sortBy(found, (memory) => memory.id)).toEqual(sortBy([mine!, theirs!], (m) => m.id));
      expect(await store().getMemories({ tenantId: tenantA, ids: [] })).toEqual([]);
    });

    it('keeps every field intact, including unicode, long text and nested metadata', async () => {
      const memories = await seedMemories(store(), user, [
        {
          text: 'Prefiere café ☕ — 用户喜欢绿茶 🍵',
          entities: ['drink:café', 'city:पुणे'],
          piiFields: ['email'],
          metadata: { nested: { list: [1, 'two', null, { deep: true }] }, emoji: '🙂' },
          embeddingModel: 'hash:test-4',
          expiresAt: timestamp(86_400),
          confidence: 0.42,
          salience: 0.77,
          seenCount: 3,
          trust: 'verified_external',
        },
        { text: 'long '.repeat(3276) + 'end', kind: 'message', type: 'event' },
      ]);
      const stored = await store().getMemories({ tenantId: tenantA, ids: idsOf(memories) });
      expect(sortBy(stored, (memory) => memory.id)).toEqual(sortBy(memories, (m) => m.id));
    });

    it('returns copies that callers cannot use to change the store', async () => {
      const [memory] = await seedMemories(store(), user, [
        { entities: ['order:1'], metadata: { a: 1 } },
      ]);
      memory!.entities.push('changed:input');
      const [read] = await store().listMemories({ tenantId: tenantA, userId: user.id });
      read!.entities.push('changed:output');
      read!.metadata.a = 2;
      const [again] = await store().listMemories({ tenantId: tenantA, userId: user.id });
      expect(again?.entities).toEqual(['order:1']);
      expect(again?.metadata).toEqual({ a: 1 });
    });
  });
}

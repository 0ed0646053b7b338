import type { UserRecord, WarmStore, WriteCommit } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectMemnexError } from '../assertions.js';
import { makeIdempotencyRecord, makeMemory, randomId, timestamp } from '../fixtures.js';
import { createTenants, idsOf, seedMemories, seedUser, versionOf } from './seed.js';

/** commitWrite: versions, compare-and-set, patches, atomicity and idempotency records. */
export function describeCommits(store: () => WarmStore): void {
  let tenantA = '';
  let tenantB = '';
  let user: UserRecord;
  const commit = (overrides: Partial<WriteCommit> = {}): WriteCommit => ({
    tenantId: tenantA,
    userId: user.id,
    expectedVersion: 0,
    insert: [],
    update: [],
    at: timestamp(500),
    ...overrides,
  });
  const allIds = async (tenantId = tenantA, userId = user.id) =>
    idsOf(await store().listMemories({ tenantId, userId, scope: 'all' }));

  beforeEach(async () => {
    ({ tenantA, tenantB } = await createTenants(store()));
    user = await seedUser(store(), tenantA);
  });

  describe('versions', () => {
    it('inserts memories and advances the user version by one per commit', async () => {
      const first = makeMemory({ tenantId: tenantA, userId: user.id });
      expect(await store().commitWrite(commit({ insert: [first] }))).toEqual({ version: 1 });
      const second = makeMemory({ tenantId: tenantA, userId: user.id, observedAt: timestamp(1) });
      expect(await store().commitWrite(commit({ expectedVersion: 1, insert: [second] }))).toEqual({
        version: 2,
      });
      expect(await versionOf(store(), tenantA, user.id)).toBe(2);
      expect(await allIds()).toEqual([first.id, second.id]);
    });

    it('counts a commit without changes as a change too', async () => {
      expect(await store().commitWrite(commit())).toEqual({ version: 1 });
    });

    it('rejects a stale expectedVersion with CONFLICT and the current version, changing nothing', async () => {
      await seedMemories(store(), user, [{ text: 'first' }]);
      const idempotency = makeIdempotencyRecord({ tenantId: tenantA, userId: user.id });
      const error = await expectMemnexError(
        store().commitWrite(
          commit({
            expectedVersion: 0,
            insert: [makeMemory({ tenantId: tenantA, userId: user.id })],
            idempotency,
          }),
        ),
        'CONFLICT',
      );
      expect(error.details?.currentVersion).toBe(1);
      expect(await versionOf(store(), tenantA, user.id)).toBe(1);
      expect(await allIds()).toHaveLength(1);
      expect(await store().getIdempotency({ tenantId: tenantA, key: idempotency.key })).toBeNull();
    });

    it('lets exactly one of several concurrent commits at the same version win', async () => {
      const attempts = Array.from({ length: 5 }, () =>
        store().commitWrite(
          commit({ insert: [makeMemory({ tenantId: tenantA, userId: user.id })] }),
        ),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'CONFLICT' });
      }
      expect(await allIds()).toHaveLength(1);
      expect(await versionOf(store(), tenantA, user.id)).toBe(1);
    });

    it('rejects a commit for an unknown user with NOT_FOUND', async () => {
      await expectMemnexError(store().commitWrite(commit({ userId: randomId() })), 'NOT_FOUND');
    });
  });

  describe('patches', () => {
    it('applies only the fields a patch sets', async () => {
      const [old] = await seedMemories(store(), user, [{ text: 'Prefers calls', salience: 0.3 }]);
      const successor = makeMemory({ tenantId: tenantA, userId: user.id, text: 'Prefers chat' });
      const set = {
        validTo: timestamp(500),
        supersededBy: successor.id,
        status: 'superseded' as const,
        updatedAt: timestamp(500),
      };
      await store().commitWrite(
        commit({ expectedVersion: 1, insert: [successor], update: [{ id: old!.id, set }] }),
      );
      const [patched] = await store().getMemories({ tenantId: tenantA, ids: [old!.id] });
      expect(patched).toEqual({ ...old, ...set });
      expect(await allIds()).toEqual([old!.id, successor.id].sort());
      const current = await store().listMemories({ tenantId: tenantA, userId: user.id });
      expect(idsOf(current)).toEqual([successor.id]);
    });

    it('rejects a patch of an unknown memory with NOT_FOUND and applies nothing', async () => {
      const inserted = makeMemory({ tenantId: tenantA, userId: user.id });
      await expectMemnexError(
        store().commitWrite(
          commit({ insert: [inserted], update: [{ id: randomId(), set: { salience: 1 } }] }),
        ),
        'NOT_FOUND',
      );
      expect(await allIds()).toEqual([]);
      expect(await versionOf(store(), tenantA, user.id)).toBe(0);
    });

    it("never patches another user's or another tenant's memory", async () => {
      const other = await seedUser(store(), tenantA);
      const [otherMemory] = await seedMemories(store(), other, [{ salience: 0.1 }]);
      const userB = await seedUser(store(), tenantB);
      const [memoryB] = await seedMemories(store(), userB, [{ salience: 0.1 }]);
      for (const target of [otherMemory!, memoryB!]) {
        await expectMemnexError(
          store().commitWrite(commit({ update: [{ id: target.id, set: { salience: 1 } }] })),
          'NOT_FOUND',
        );
      }
      expect((await store().getMemories({ tenantId: tenantA, ids: [otherMemory!.id] }))[0]).toEqual(
        otherMemory,
      );
      expect((await store().getMemories({ tenantId: tenantB, ids: [memoryB!.id] }))[0]).toEqual(
        memoryB,
      );
    });

    it('rejects inserting an existing memory id with CONFLICT', async () => {
      const [existing] = await seedMemories(store(), user, [{ text: 'original' }]);
      await expectMemnexError(
        store().commitWrite(
          commit({ expectedVersion: 1, insert: [{ ...existing!, text: 'copy' }] }),
        ),
        'CONFLICT',
      );
      expect((await store().getMemories({ tenantId: tenantA, ids: [existing!.id] }))[0]?.text).toBe(
        'original',
      );
    });
  });

  describe('idempotency records', () => {
    it('stores the record with the commit and returns it by key', async () => {
      const record = makeIdempotencyRecord({
        tenantId: tenantA,
        userId: user.id,
        result: { written: [{ id: randomId(), type: 'profile' }], version: 1, note: 'é 🙂' },
      });
      await store().commitWrite(commit({ idempotency: record }));
      expect(await store().getIdempotency({ tenantId: tenantA, key: record.key })).toEqual(record);
      expect(await store().getIdempotency({ tenantId: tenantA, key: 'unknown' })).toBeNull();
    });

    it('rejects a key used before in the tenant with CONFLICT and applies nothing', async () => {
      const record = makeIdempotencyRecord({ tenantId: tenantA, userId: user.id });
      await store().commitWrite(commit({ idempotency: record }));
      await expectMemnexError(
        store().commitWrite(
          commit({
            expectedVersion: 1,
            insert: [makeMemory({ tenantId: tenantA, userId: user.id })],
            idempotency: { ...record, requestHash: 'other' },
          }),
        ),
        'CONFLICT',
      );
      expect(await allIds()).toEqual([]);
      expect(await versionOf(store(), tenantA, user.id)).toBe(1);
      expect(await store().getIdempotency({ tenantId: tenantA, key: record.key })).toEqual(record);
    });

    it('keeps keys of different tenants apart', async () => {
      const record = makeIdempotencyRecord({ tenantId: tenantA, userId: user.id });
      await store().commitWrite(commit({ idempotency: record }));
      expect(await store().getIdempotency({ tenantId: tenantB, key: record.key })).toBeNull();
      const userB = await seedUser(store(), tenantB);
      const recordB = { ...record, tenantId: tenantB, userId: userB.id, result: { other: true } };
      await store().commitWrite(
        commit({ tenantId: tenantB, userId: userB.id, idempotency: recordB }),
      );
      expect(await store().getIdempotency({ tenantId: tenantB, key: record.key })).toEqual(recordB);
      expect(await store().getIdempotency({ tenantId: tenantA, key: record.key })).toEqual(record);
    });
  });
}

import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { makeIdempotencyRecord, makeIdentifier, randomId, timestamp } from '../fixtures.js';
import { createTenants, idsOf, seedMemories, seedUser, versionOf } from './seed.js';

/** deleteMemories and the deleteUser cascade. */
export function describeDeletes(store: () => WarmStore): void {
  describe('deleteMemories', () => {
    it("deletes the listed memories of the user and advances the user's version", async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const [keep, drop, dropToo] = await seedMemories(store(), user, [
        { text: 'keep' },
        { text: 'drop', status: 'superseded', validTo: timestamp(5) },
        { text: 'drop too' },
      ]);
      const result = await store().deleteMemories({
        tenantId: tenantA,
        userId: user.id,
        ids: [drop!.id, dropToo!.id, randomId()],
      });
      expect(result).toEqual({ deleted: 2, version: 2 });
      expect(await versionOf(store(), tenantA, user.id)).toBe(2);
      const left = await store().listMemories({ tenantId: tenantA, userId: user.id, scope: 'all' });
      expect(idsOf(left)).toEqual([keep!.id]);
      expect(await store().getMemories({ tenantId: tenantA, ids: [drop!.id] })).toEqual([]);
    });

    it('deletes nothing for unknown ids, an empty list or an unknown user', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      await seedMemories(store(), user, [{ text: 'stays' }]);
      const none = { tenantId: tenantA, userId: user.id };
      expect((await store().deleteMemories({ ...none, ids: [randomId()] })).deleted).toBe(0);
      expect((await store().deleteMemories({ ...none, ids: [] })).deleted).toBe(0);
      const unknown = { tenantId: tenantA, userId: randomId(), ids: [randomId()] };
      expect((await store().deleteMemories(unknown)).deleted).toBe(0);
      expect(await store().listMemories(none)).toHaveLength(1);
    });

    it("never deletes another user's or another tenant's memories", async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const other = await seedUser(store(), tenantA);
      const [otherMemory] = await seedMemories(store(), other, [{ text: 'other user' }]);
      const userB = await seedUser(store(), tenantB);
      const [memoryB] = await seedMemories(store(), userB, [{ text: 'tenant B' }]);
      const ids = [otherMemory!.id, memoryB!.id];
      expect(
        (await store().deleteMemories({ tenantId: tenantA, userId: user.id, ids })).deleted,
      ).toBe(0);
      expect(
        (await store().deleteMemories({ tenantId: tenantB, userId: other.id, ids })).deleted,
      ).toBe(0);
      expect(await store().getMemories({ tenantId: tenantA, ids })).toHaveLength(1);
      expect(await store().getMemories({ tenantId: tenantB, ids })).toHaveLength(1);
    });
  });

  describe('deleteUser', () => {
    it('deletes the user with its memories, identifiers and idempotency records', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const idempotency = makeIdempotencyRecord({ tenantId: tenantA, userId: user.id });
      const memories = await seedMemories(
        store(),
        user,
        [{ text: 'current' }, { text: 'history', status: 'superseded', validTo: timestamp(9) }, {}],
        { idempotency },
      );
      const identifiers = [
        makeIdentifier({ tenantId: tenantA, userId: user.id }),
        makeIdentifier({ tenantId: tenantA, userId: user.id, namespace: 'email', value: 'a@b.co' }),
      ];
      for (const identifier of identifiers) {
        await store().linkIdentifier({ tenantId: tenantA, identifier });
      }
      expect(await store().deleteUser({ tenantId: tenantA, userId: user.id })).toEqual({
        memories: 3,
        identifiers: 2,
        idempotencyRecords: 1,
      });
      expect(await store().getUserById({ tenantId: tenantA, userId: user.id })).toBeNull();
      expect(await store().getUser({ tenantId: tenantA, externalId: user.externalId })).toBeNull();
      expect(await store().listUsers({ tenantId: tenantA })).toEqual([]);
      const all = { tenantId: tenantA, userId: user.id, scope: 'all' as const };
      expect(await store().listMemories(all)).toEqual([]);
      expect(await store().getMemories({ tenantId: tenantA, ids: idsOf(memories) })).toEqual([]);
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: user.id })).toEqual([]);
      for (const { namespace, value } of identifiers) {
        expect(await store().findIdentifier({ tenantId: tenantA, namespace, value })).toBeNull();
      }
      expect(await store().getIdempotency({ tenantId: tenantA, key: idempotency.key })).toBeNull();
    });

    it('leaves other users and other tenants untouched', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const user = await seedUser(store(), tenantA, { externalId: 'same' });
      const neighbour = await seedUser(store(), tenantA);
      const twin = await seedUser(store(), tenantB, { externalId: 'same' });
      await seedMemories(store(), neighbour, [{ text: 'neighbour' }]);
      await seedMemories(store(), twin, [{ text: 'twin' }]);
      expect(await store().deleteUser({ tenantId: tenantB, userId: user.id })).toEqual({
        memories: 0,
        identifiers: 0,
        idempotencyRecords: 0,
      });
      expect(await store().getUserById({ tenantId: tenantA, userId: user.id })).toEqual(user);
      await store().deleteUser({ tenantId: tenantA, userId: user.id });
      expect(await store().listMemories({ tenantId: tenantA, userId: neighbour.id })).toHaveLength(
        1,
      );
      expect(await store().listMemories({ tenantId: tenantB, userId: twin.id })).toHaveLength(1);
      expect(await store().getUser({ tenantId: tenantB, externalId: 'same' })).toEqual(
        expect.objectContaining({ id: twin.id }),
      );
    });

    it('returns zero counts for an unknown user', async () => {
      const { tenantA } = await createTenants(store());
      expect(await store().deleteUser({ tenantId: tenantA, userId: randomId() })).toEqual({
        memories: 0,
        identifiers: 0,
        idempotencyRecords: 0,
      });
    });

    it('lets a deleted user come back as a new user at version 0', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA, { externalId: 'returning' });
      await seedMemories(store(), user, [{ text: 'before' }]);
      await store().deleteUser({ tenantId: tenantA, userId: user.id });
      const back = await seedUser(store(), tenantA, { externalId: 'returning' });
      expect(back.id).not.toBe(user.id);
      expect(back.version).toBe(0);
      expect(await store().listMemories({ tenantId: tenantA, userId: back.id })).toEqual([]);
    });
  });
}

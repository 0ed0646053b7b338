import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { makeIdentifier, randomId, sortBy, timestamp } from '../fixtures.js';
import { createTenants, idsOf, seedMemories, seedUser, versionOf } from './seed.js';

/** transferUserData (merge and unmerge) and the alias cascade of deleteUser. */
export function describeTransfers(store: () => WarmStore): void {
  /** Two users of tenant A with memories and identifiers each. */
  async function twoPeople() {
    const tenants = await createTenants(store());
    const { tenantA } = tenants;
    const survivor = await seedUser(store(), tenantA, { externalId: 'survivor' });
    const merged = await seedUser(store(), tenantA, { externalId: 'merged' });
    const kept = await seedMemories(store(), survivor, [{ text: 'Lives in Pune' }]);
    const moving = await seedMemories(store(), merged, [
      { text: 'Lives in Mumbai' },
      { text: 'Prefers SMS', status: 'superseded', validTo: timestamp(5) },
    ]);
    const phone = makeIdentifier({ tenantId: tenantA, userId: merged.id });
    const email = makeIdentifier({
      tenantId: tenantA,
      userId: merged.id,
      namespace: 'email',
      value: `m-${randomId()}@example.com`,
    });
    for (const identifier of [phone, email]) {
      await store().linkIdentifier({ tenantId: tenantA, identifier });
    }
    return { ...tenants, survivor, merged, kept, moving, phone, email };
  }

  describe('transferUserData', () => {
    it('moves every memory and identifier, patches, aliases and bumps both versions', async () => {
      const { tenantA, survivor, merged, kept, moving, phone, email } = await twoPeople();
      const [mumbai] = moving;
      const result = await store().transferUserData({
        tenantId: tenantA,
        fromUserId: merged.id,
        toUserId: survivor.id,
        memoryIds: 'all',
        identifiers: 'all',
        update: [
          {
            id: kept[0]!.id,
            set: { status: 'superseded', validTo: timestamp(50), supersededBy: mumbai!.id },
          },
        ],
        alias: { userId: merged.id, mergedInto: survivor.id },
        at: timestamp(60),
      });
      expect(sortBy(result.memoryIds, (id) => id)).toEqual(sortBy(idsOf(moving), (id) => id));
      expect(sortBy(result.identifiers, (identifier) => identifier.value)).toEqual(
        sortBy(
          [phone, email].map((identifier) => ({ ...identifier, userId: survivor.id })),
          (identifier) => identifier.value,
        ),
      );
      expect(result.versions).toEqual({ [survivor.id]: 2, [merged.id]: 2 });
      const all = await store().listMemories({
        tenantId: tenantA,
        userId: survivor.id,
        scope: 'all',
      });
      expect(all).toHaveLength(3);
      expect(all.every((memory) => memory.userId === survivor.id)).toBe(true);
      const current = await store().listMemories({ tenantId: tenantA, userId: survivor.id });
      expect(idsOf(current)).toEqual([mumbai!.id]);
      expect(
        await store().listMemories({ tenantId: tenantA, userId: merged.id, scope: 'all' }),
      ).toEqual([]);
      const found = await store().findIdentifier({ ...phone, tenantId: tenantA });
      expect(found?.userId).toBe(survivor.id);
      const alias = await store().getUser({ tenantId: tenantA, externalId: 'merged' });
      expect(alias).toEqual(expect.objectContaining({ mergedInto: survivor.id, version: 2 }));
    });

    it('moves only the listed memories and identifiers back, and clears the alias', async () => {
      const { tenantA, survivor, merged, kept, moving, phone, email } = await twoPeople();
      const base = { tenantId: tenantA, update: [], at: timestamp(70) };
      await store().transferUserData({
        ...base,
        fromUserId: merged.id,
        toUserId: survivor.id,
        memoryIds: 'all',
        identifiers: 'all',
        alias: { userId: merged.id, mergedInto: survivor.id },
      });
      const result = await store().transferUserData({
        ...base,
        fromUserId: survivor.id,
        toUserId: merged.id,
        memoryIds: [...idsOf(moving), randomId()],
        identifiers: [phone, email, { namespace: 'app', value: 'nobody' }],
        alias: { userId: merged.id, mergedInto: null },
      });
      expect(result.memoryIds).toHaveLength(2);
      expect(result.identifiers).toHaveLength(2);
      expect(await versionOf(store(), tenantA, merged.id)).toBe(3);
      const back = await store().listMemories({
        tenantId: tenantA,
        userId: merged.id,
        scope: 'all',
      });
      expect(sortBy(idsOf(back), (id) => id)).toEqual(sortBy(idsOf(moving), (id) => id));
      const stays = await store().listMemories({
        tenantId: tenantA,
        userId: survivor.id,
        scope: 'all',
      });
      expect(idsOf(stays)).toEqual(idsOf(kept));
      const user = await store().getUserById({ tenantId: tenantA, userId: merged.id });
      expect(user?.mergedInto).toBeNull();
      expect((await store().findIdentifier({ ...email, tenantId: tenantA }))?.userId).toBe(
        merged.id,
      );
    });

    it('changes nothing when a user is missing or a patch names a foreign memory', async () => {
      const { tenantA, tenantB, survivor, merged, moving } = await twoPeople();
      const stranger = await seedUser(store(), tenantA);
      const [foreign] = await seedMemories(store(), stranger, [{ text: 'not theirs' }]);
      const transfer = {
        tenantId: tenantA,
        fromUserId: merged.id,
        toUserId: survivor.id,
        memoryIds: 'all' as const,
        identifiers: 'all' as const,
        update: [],
        alias: { userId: merged.id, mergedInto: survivor.id },
        at: timestamp(80),
      };
      await expect(
        store().transferUserData({ ...transfer, toUserId: randomId() }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        store().transferUserData({ ...transfer, tenantId: tenantB }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        store().transferUserData({
          ...transfer,
          update: [{ id: foreign!.id, set: { status: 'superseded' } }],
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const left = await store().listMemories({
        tenantId: tenantA,
        userId: merged.id,
        scope: 'all',
      });
      expect(idsOf(left).sort()).toEqual(idsOf(moving).sort());
      expect(await versionOf(store(), tenantA, merged.id)).toBe(1);
      expect(
        (await store().getUserById({ tenantId: tenantA, userId: merged.id }))?.mergedInto,
      ).toBeNull();
    });
  });

  describe('deleteUser with aliases', () => {
    it('deletes the users merged into the deleted one', async () => {
      const { tenantA, survivor, merged } = await twoPeople();
      await store().transferUserData({
        tenantId: tenantA,
        fromUserId: merged.id,
        toUserId: survivor.id,
        memoryIds: 'all',
        identifiers: 'all',
        update: [],
        alias: { userId: merged.id, mergedInto: survivor.id },
        at: timestamp(90),
      });
      expect(await store().deleteUser({ tenantId: tenantA, userId: survivor.id })).toEqual({
        memories: 3,
        identifiers: 2,
        idempotencyRecords: 0,
      });
      expect(await store().getUser({ tenantId: tenantA, externalId: 'merged' })).toBeNull();
      expect(await store().listUsers({ tenantId: tenantA })).toEqual([]);
    });
  });
}

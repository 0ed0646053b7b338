import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { createTenants, seedMemories, seedUser } from './seed.js';

/** Instants far before any other test's data, so the scan across tenants sees only these. */
const early = (day: number) => new Date(Date.UTC(1971, 0, day)).toISOString();

/** listExpiredMemories: the retention sweep's read across tenants. */
export function describeExpiredMemories(store: () => WarmStore): void {
  describe('listExpiredMemories', () => {
    it('finds memories of every tenant expired by `before`, earliest first', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const userA = await seedUser(store(), tenantA);
      const userB = await seedUser(store(), tenantB);
      const [second, , kept] = await seedMemories(store(), userA, [
        { text: 'second', expiresAt: early(3) },
        { text: 'never expires', expiresAt: null },
        { text: 'later', expiresAt: early(20) },
      ]);
      const [first, third] = await seedMemories(store(), userB, [
        { text: 'first', expiresAt: early(2) },
        { text: 'third', expiresAt: early(4), status: 'superseded', validTo: early(1) },
      ]);
      const found = await store().listExpiredMemories({ before: early(10), limit: 100 });
      const ours = found.filter((ref) => ref.tenantId === tenantA || ref.tenantId === tenantB);
      expect(ours).toEqual([
        {
          tenantId: tenantB,
          userId: userB.id,
          id: first!.id,
          status: 'active',
          expiresAt: early(2),
        },
        {
          tenantId: tenantA,
          userId: userA.id,
          id: second!.id,
          status: 'active',
          expiresAt: early(3),
        },
        {
          tenantId: tenantB,
          userId: userB.id,
          id: third!.id,
          status: 'superseded',
          expiresAt: early(4),
        },
      ]);
      const atTheLimit = await store().listExpiredMemories({ before: early(20), limit: 100 });
      expect(atTheLimit.map((ref) => ref.id)).toContain(kept!.id);
    });

    it('filters by status and honours the limit', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const [active, expired] = await seedMemories(store(), user, [
        { text: 'active', expiresAt: early(5) },
        { text: 'expired', expiresAt: early(6), status: 'expired', validTo: early(6) },
      ]);
      const only = async (statuses: Array<'active' | 'expired'>) =>
        (await store().listExpiredMemories({ before: early(10), statuses, limit: 1000 }))
          .filter((ref) => ref.tenantId === tenantA)
          .map((ref) => ref.id);
      expect(await only(['active'])).toEqual([active!.id]);
      expect(await only(['expired'])).toEqual([expired!.id]);
      expect(await only(['active', 'expired'])).toEqual([active!.id, expired!.id]);
      expect(await store().listExpiredMemories({ before: early(10), limit: 0 })).toEqual([]);
      const one = await store().listExpiredMemories({ before: early(10), limit: 1 });
      expect(one).toHaveLength(1);
    });
  });
}

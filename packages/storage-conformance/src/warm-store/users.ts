import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { makeUser, randomId, sortBy, timestamp } from '../fixtures.js';
import { createTenants, seedMemories, seedUser } from './seed.js';

/** Users: lazy creation, lookups, listing and isolation. */
export function describeUsers(store: () => WarmStore): void {
  describe('users', () => {
    it('creates a user at version 0 and finds it by external and internal id', async () => {
      const { tenantA } = await createTenants(store());
      const user = makeUser({ tenantId: tenantA });
      const created = await store().ensureUser({ tenantId: tenantA, user });
      expect(created).toEqual({ ...user, version: 0 });
      expect(await store().getUser({ tenantId: tenantA, externalId: user.externalId })).toEqual(
        created,
      );
      expect(await store().getUserById({ tenantId: tenantA, userId: user.id })).toEqual(created);
    });

    it('returns the existing user when ensured again, whatever id is offered', async () => {
      const { tenantA } = await createTenants(store());
      const first = await seedUser(store(), tenantA, { externalId: 'same-person' });
      const again = await store().ensureUser({
        tenantId: tenantA,
        user: makeUser({ tenantId: tenantA, externalId: 'same-person' }),
      });
      expect(again).toEqual(first);
      expect(await store().listUsers({ tenantId: tenantA })).toEqual([first]);
    });

    it('creates one user when ensured concurrently', async () => {
      const { tenantA } = await createTenants(store());
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store().ensureUser({
            tenantId: tenantA,
            user: makeUser({ tenantId: tenantA, externalId: 'racer' }),
          }),
        ),
      );
      expect(new Set(results.map((user) => user.id)).size).toBe(1);
      expect(await store().listUsers({ tenantId: tenantA })).toHaveLength(1);
    });

    it('returns null for unknown users', async () => {
      const { tenantA } = await createTenants(store());
      expect(await store().getUser({ tenantId: tenantA, externalId: 'nobody' })).toBeNull();
      expect(await store().getUserById({ tenantId: tenantA, userId: randomId() })).toBeNull();
    });

    it('keeps users of different tenants apart, even with the same external id', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const userA = await seedUser(store(), tenantA, { externalId: 'shared-name' });
      expect(await store().getUser({ tenantId: tenantB, externalId: 'shared-name' })).toBeNull();
      expect(await store().getUserById({ tenantId: tenantB, userId: userA.id })).toBeNull();
      expect(await store().listUsers({ tenantId: tenantB })).toEqual([]);
      const userB = await seedUser(store(), tenantB, { externalId: 'shared-name' });
      expect(userB.id).not.toBe(userA.id);
      expect(await store().getUser({ tenantId: tenantA, externalId: 'shared-name' })).toEqual(
        userA,
      );
    });

    it('lists users in id order, after an id and up to a limit', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const users = [];
      for (let index = 0; index < 5; index += 1) users.push(await seedUser(store(), tenantA));
      await seedUser(store(), tenantB);
      const sorted = sortBy(users, (user) => user.id);
      expect(await store().listUsers({ tenantId: tenantA })).toEqual(sorted);
      expect(await store().listUsers({ tenantId: tenantA, limit: 2 })).toEqual(sorted.slice(0, 2));
      expect(
        await store().listUsers({ tenantId: tenantA, afterId: sorted[1]?.id, limit: 2 }),
      ).toEqual(sorted.slice(2, 4));
      expect(await store().listUsers({ tenantId: tenantA, afterId: sorted[4]?.id })).toEqual([]);
      expect(await store().listUsers({ tenantId: tenantA, limit: 1 })).toEqual(sorted.slice(0, 1));
      expect(await store().listUsers({ tenantId: tenantA, limit: 0 })).toEqual([]);
    });

    it('keeps unicode and 256-character external ids intact', async () => {
      const { tenantA } = await createTenants(store());
      for (const externalId of ['josé-ñandú 🙂 用户', 'x'.repeat(256)]) {
        const user = await seedUser(store(), tenantA, { externalId });
        expect(await store().getUser({ tenantId: tenantA, externalId })).toEqual(user);
      }
    });

    it('counts users and current memories by kind, type and channel, per tenant', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const empty = await store().tenantStats({ tenantId: tenantA });
      expect(empty).toEqual({
        users: 0,
        memories: { current: 0, byKind: {}, byType: {}, byChannel: {} },
        oldest: null,
        newest: null,
      });
      const ann = await seedUser(store(), tenantA, { externalId: 'ann' });
      await seedUser(store(), tenantA, { externalId: 'ann-alias', mergedInto: ann.id });
      const bob = await seedUser(store(), tenantA, { externalId: 'bob' });
      const voice = { channel: 'voice' as const, agentId: null, sessionId: null, messageIds: [] };
      await seedMemories(store(), ann, [
        { type: 'preference', observedAt: timestamp(10) },
        { type: 'issue', source: voice, observedAt: timestamp(20) },
        { type: 'issue', validTo: timestamp(30), status: 'active' },
        { type: 'profile', status: 'expired', observedAt: timestamp(-50) },
      ]);
      await seedMemories(store(), bob, [
        { kind: 'message', type: 'event', source: { ...voice, channel: null } },
      ]);
      const other = await seedUser(store(), tenantB, { externalId: 'ann' });
      await seedMemories(store(), other, [{ type: 'profile', observedAt: timestamp(-100) }]);

      expect(await store().tenantStats({ tenantId: tenantA })).toEqual({
        users: 2,
        memories: {
          current: 3,
          byKind: { fact: 2, message: 1 },
          byType: { preference: 1, issue: 1, event: 1 },
          byChannel: { web: 1, voice: 1, unknown: 1 },
        },
        oldest: timestamp(0),
        newest: timestamp(20),
      });
      expect(await store().tenantStats({ tenantId: tenantB })).toMatchObject({
        users: 1,
        memories: { current: 1, byType: { profile: 1 } },
      });
    });
  });
}

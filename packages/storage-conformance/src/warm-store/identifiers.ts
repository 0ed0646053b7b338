import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { expectMemnexError } from '../assertions.js';
import { makeIdentifier, randomId, sortBy, timestamp } from '../fixtures.js';
import { createTenants, seedUser } from './seed.js';

/** Identifiers: linking, conflicts, unlinking and isolation. */
export function describeIdentifiers(store: () => WarmStore): void {
  describe('identifiers', () => {
    it('links an identifier, finds it and lists it for the user', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const phone = makeIdentifier({ tenantId: tenantA, userId: user.id });
      const email = makeIdentifier({
        tenantId: tenantA,
        userId: user.id,
        namespace: 'email',
        value: 'ana@example.com',
        channel: 'email',
        linkedAt: timestamp(10),
      });
      await store().linkIdentifier({ tenantId: tenantA, identifier: phone });
      await store().linkIdentifier({ tenantId: tenantA, identifier: email });
      expect(
        await store().findIdentifier({ tenantId: tenantA, namespace: 'phone', value: phone.value }),
      ).toEqual(phone);
      const listed = await store().listIdentifiers({ tenantId: tenantA, userId: user.id });
      expect(sortBy(listed, (item) => item.namespace)).toEqual([email, phone]);
    });

    it('treats linking the same identifier to the same user again as done', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const identifier = makeIdentifier({ tenantId: tenantA, userId: user.id });
      await store().linkIdentifier({ tenantId: tenantA, identifier });
      await store().linkIdentifier({ tenantId: tenantA, identifier });
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: user.id })).toEqual([
        identifier,
      ]);
    });

    it('rejects linking an identifier of another user with CONFLICT, keeping the owner', async () => {
      const { tenantA } = await createTenants(store());
      const owner = await seedUser(store(), tenantA);
      const other = await seedUser(store(), tenantA);
      const identifier = makeIdentifier({ tenantId: tenantA, userId: owner.id });
      await store().linkIdentifier({ tenantId: tenantA, identifier });
      await expectMemnexError(
        store().linkIdentifier({
          tenantId: tenantA,
          identifier: { ...identifier, userId: other.id },
        }),
        'CONFLICT',
      );
      const found = await store().findIdentifier({
        tenantId: tenantA,
        namespace: identifier.namespace,
        value: identifier.value,
      });
      expect(found?.userId).toBe(owner.id);
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: other.id })).toEqual([]);
    });

    it('unlinks once, then reports nothing to unlink', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      const identifier = makeIdentifier({ tenantId: tenantA, userId: user.id });
      await store().linkIdentifier({ tenantId: tenantA, identifier });
      const where = { tenantId: tenantA, namespace: identifier.namespace, value: identifier.value };
      expect(await store().unlinkIdentifier(where)).toBe(true);
      expect(await store().unlinkIdentifier(where)).toBe(false);
      expect(await store().findIdentifier(where)).toBeNull();
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: user.id })).toEqual([]);
    });

    it('keeps the same value in different namespaces apart', async () => {
      const { tenantA } = await createTenants(store());
      const first = await seedUser(store(), tenantA);
      const second = await seedUser(store(), tenantA);
      const value = 'device-42';
      await store().linkIdentifier({
        tenantId: tenantA,
        identifier: makeIdentifier({
          tenantId: tenantA,
          userId: first.id,
          namespace: 'web',
          value,
        }),
      });
      await store().linkIdentifier({
        tenantId: tenantA,
        identifier: makeIdentifier({
          tenantId: tenantA,
          userId: second.id,
          namespace: 'app',
          value,
        }),
      });
      const web = await store().findIdentifier({ tenantId: tenantA, namespace: 'web', value });
      const app = await store().findIdentifier({ tenantId: tenantA, namespace: 'app', value });
      expect([web?.userId, app?.userId]).toEqual([first.id, second.id]);
    });

    it('never shows, conflicts with or unlinks identifiers across tenants', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const userA = await seedUser(store(), tenantA);
      const userB = await seedUser(store(), tenantB);
      const identifier = makeIdentifier({ tenantId: tenantA, userId: userA.id });
      await store().linkIdentifier({ tenantId: tenantA, identifier });
      const inB = { tenantId: tenantB, namespace: identifier.namespace, value: identifier.value };
      expect(await store().findIdentifier(inB)).toBeNull();
      expect(await store().listIdentifiers({ tenantId: tenantB, userId: userA.id })).toEqual([]);
      expect(await store().unlinkIdentifier(inB)).toBe(false);
      const identifierB = { ...identifier, tenantId: tenantB, userId: userB.id };
      await store().linkIdentifier({ tenantId: tenantB, identifier: identifierB });
      expect(await store().findIdentifier(inB)).toEqual(identifierB);
      expect(await store().unlinkIdentifier(inB)).toBe(true);
      const inA = { ...inB, tenantId: tenantA };
      expect(await store().findIdentifier(inA)).toEqual(identifier);
    });

    it('lists nothing for a user without identifiers or an unknown user', async () => {
      const { tenantA } = await createTenants(store());
      const user = await seedUser(store(), tenantA);
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: user.id })).toEqual([]);
      expect(await store().listIdentifiers({ tenantId: tenantA, userId: randomId() })).toEqual([]);
    });
  });
}

import type { WarmStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { expectMemnexError } from '../assertions.js';
import { makeApiKey, makeTenant, sortBy, timestamp } from '../fixtures.js';
import { createTenants } from './seed.js';

/** Tenants and API keys: round trips, updates, revocation and isolation. */
export function describeTenantsAndKeys(store: () => WarmStore): void {
  describe('tenants', () => {
    it('stores a tenant and reads it back', async () => {
      const tenant = makeTenant({ settings: { defaultRegion: 'IN', retention: { event: 3600 } } });
      await store().createTenant({ tenant });
      expect(await store().getTenant({ tenantId: tenant.id })).toEqual(tenant);
    });

    it('returns null for an unknown tenant', async () => {
      expect(await store().getTenant({ tenantId: makeTenant().id })).toBeNull();
    });

    it('rejects a second tenant with the same id with CONFLICT and keeps the first', async () => {
      const tenant = makeTenant({ name: 'first' });
      await store().createTenant({ tenant });
      await expectMemnexError(
        store().createTenant({ tenant: { ...tenant, name: 'second' } }),
        'CONFLICT',
      );
      expect((await store().getTenant({ tenantId: tenant.id }))?.name).toBe('first');
    });

    it('updates only the given fields', async () => {
      const tenant = makeTenant({ name: 'before', settings: { defaultRegion: 'US' } });
      await store().createTenant({ tenant });
      const updated = await store().updateTenant({
        tenantId: tenant.id,
        set: { name: 'after', settings: { defaultRegion: 'IN' } },
      });
      const expected = { ...tenant, name: 'after', settings: { defaultRegion: 'IN' } };
      expect(updated).toEqual(expected);
      expect(await store().getTenant({ tenantId: tenant.id })).toEqual(expected);
      const disabled = await store().updateTenant({ tenantId: tenant.id, set: { disabled: true } });
      expect(disabled).toEqual({ ...expected, disabled: true });
    });

    it('returns null when updating an unknown tenant', async () => {
      const tenantId = makeTenant().id;
      expect(await store().updateTenant({ tenantId, set: { name: 'x' } })).toBeNull();
      expect(await store().getTenant({ tenantId })).toBeNull();
    });

    it('never lets an update of tenant B touch tenant A', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      await store().updateTenant({ tenantId: tenantB, set: { name: 'renamed', disabled: true } });
      const a = await store().getTenant({ tenantId: tenantA });
      expect(a).toMatchObject({ id: tenantA, name: 'Tenant A', disabled: false });
    });

    it('returns copies that callers cannot use to change the store', async () => {
      const tenant = makeTenant({ settings: { defaultRegion: 'US' } });
      await store().createTenant({ tenant });
      tenant.settings.defaultRegion = 'FR';
      const read = await store().getTenant({ tenantId: tenant.id });
      if (read) read.settings.defaultRegion = 'DE';
      expect((await store().getTenant({ tenantId: tenant.id }))?.settings.defaultRegion).toBe('US');
    });
  });

  describe('API keys', () => {
    it('finds a key by its id without a tenant, and null for an unknown id', async () => {
      const { tenantA } = await createTenants(store());
      const key = makeApiKey({ tenantId: tenantA, pinnedUserId: 'user-1', defaultChannel: 'sms' });
      await store().createApiKey({ tenantId: tenantA, key });
      expect(await store().findApiKey({ keyId: key.id })).toEqual(key);
      expect(await store().findApiKey({ keyId: makeApiKey().id })).toBeNull();
    });

    it('rejects a second key with the same id with CONFLICT', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const key = makeApiKey({ tenantId: tenantA });
      await store().createApiKey({ tenantId: tenantA, key });
      await expectMemnexError(
        store().createApiKey({ tenantId: tenantB, key: { ...key, tenantId: tenantB } }),
        'CONFLICT',
      );
      expect((await store().findApiKey({ keyId: key.id }))?.tenantId).toBe(tenantA);
      expect(await store().listApiKeys({ tenantId: tenantB })).toEqual([]);
    });

    it("lists only the tenant's own keys", async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const keysA = [makeApiKey({ tenantId: tenantA }), makeApiKey({ tenantId: tenantA })];
      const keyB = makeApiKey({ tenantId: tenantB });
      for (const key of keysA) await store().createApiKey({ tenantId: tenantA, key });
      await store().createApiKey({ tenantId: tenantB, key: keyB });
      const listedA = await store().listApiKeys({ tenantId: tenantA });
      expect(sortBy(listedA, (key) => key.id)).toEqual(sortBy(keysA, (key) => key.id));
      expect(await store().listApiKeys({ tenantId: tenantB })).toEqual([keyB]);
    });

    it('lists nothing for a tenant without keys', async () => {
      const { tenantA } = await createTenants(store());
      expect(await store().listApiKeys({ tenantId: tenantA })).toEqual([]);
    });

    it('revokes a key of the tenant and returns it', async () => {
      const { tenantA } = await createTenants(store());
      const key = makeApiKey({ tenantId: tenantA });
      await store().createApiKey({ tenantId: tenantA, key });
      const revoked = await store().revokeApiKey({
        tenantId: tenantA,
        keyId: key.id,
        at: timestamp(60),
      });
      expect(revoked).toEqual({ ...key, revokedAt: timestamp(60) });
      expect((await store().findApiKey({ keyId: key.id }))?.revokedAt).toBe(timestamp(60));
    });

    it('never revokes or touches a key of another tenant', async () => {
      const { tenantA, tenantB } = await createTenants(store());
      const key = makeApiKey({ tenantId: tenantA });
      await store().createApiKey({ tenantId: tenantA, key });
      expect(
        await store().revokeApiKey({ tenantId: tenantB, keyId: key.id, at: timestamp(60) }),
      ).toBeNull();
      await store().touchApiKey({ tenantId: tenantB, keyId: key.id, at: timestamp(60) });
      expect(await store().findApiKey({ keyId: key.id })).toEqual(key);
    });

    it('returns null when revoking an unknown key', async () => {
      const { tenantA } = await createTenants(store());
      const keyId = makeApiKey().id;
      expect(await store().revokeApiKey({ tenantId: tenantA, keyId, at: timestamp() })).toBeNull();
    });

    it('records the last use of a key, and ignores unknown keys', async () => {
      const { tenantA } = await createTenants(store());
      const key = makeApiKey({ tenantId: tenantA });
      await store().createApiKey({ tenantId: tenantA, key });
      await store().touchApiKey({ tenantId: tenantA, keyId: key.id, at: timestamp(120) });
      expect(await store().findApiKey({ keyId: key.id })).toEqual({
        ...key,
        lastUsedAt: timestamp(120),
      });
      await store().touchApiKey({ tenantId: tenantA, keyId: makeApiKey().id, at: timestamp() });
    });
  });
}

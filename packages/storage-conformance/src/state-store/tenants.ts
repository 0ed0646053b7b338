import type { StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId, timestamp } from '../fixtures.js';
import {
  LATER,
  deleteKey,
  historyOf,
  longAgo,
  schemaEntry,
  setValue,
  stateWrite,
  versionOf,
  versionsOf,
} from './helpers.js';

/** Tenant isolation and `dropTenant`. */
export function describeTenants(store: () => StateStore): void {
  describe('tenant isolation', () => {
    it('keeps values, versions and histories of the same key apart per tenant', async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      await setValue(store(), tenantA, 'plan', 'A1');
      await setValue(store(), tenantA, 'plan', 'A2');
      expect(await store().get({ tenantId: tenantB, key: 'plan', now: LATER })).toBeNull();
      expect(await versionOf(store(), tenantB, 'plan')).toBe(0);
      expect(await historyOf(store(), tenantB, 'plan')).toEqual([]);
      expect(await store().list({ tenantId: tenantB, prefix: '', limit: 10, now: LATER })).toEqual(
        [],
      );

      const first = await setValue(store(), tenantB, 'plan', 'B1', { ifVersion: 0 });
      expect(first.version).toBe(1);
      expect(await store().set(stateWrite(tenantB, 'plan', 'B?', { ifVersion: 2 }))).toEqual({
        ok: false,
        reason: 'conflict',
        currentVersion: 1,
      });
      expect(await deleteKey(store(), tenantB, 'plan')).toMatchObject({ version: 2 });
      expect(await store().get({ tenantId: tenantA, key: 'plan', now: LATER })).toMatchObject({
        value: 'A2',
        version: 2,
      });
      expect((await historyOf(store(), tenantA, 'plan')).map((change) => change.value)).toEqual([
        'A1',
        'A2',
      ]);
      expect(versionsOf(await historyOf(store(), tenantB, 'plan'))).toEqual([1, 2]);
      expect(
        (await store().list({ tenantId: tenantA, prefix: '', limit: 10, now: LATER })).map(
          (record) => record.value,
        ),
      ).toEqual(['A2']);
    });

    it('keeps schemas and their revisions apart per tenant', async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      await store().putSchema(schemaEntry(tenantA, 'plan', { schema: { type: 'object' } }));
      expect(await store().listSchemas({ tenantId: tenantB })).toEqual({
        revision: 0,
        schemas: [],
      });
      expect(await store().deleteSchema({ tenantId: tenantB, pattern: 'plan' })).toEqual({
        deleted: false,
        revision: 0,
      });
      await setValue(store(), tenantB, 'plan', 'B', { schemaRevision: 0 });
      expect(await store().set(stateWrite(tenantA, 'plan', 'A', { schemaRevision: 0 }))).toEqual({
        ok: false,
        reason: 'schemas-changed',
        schemaRevision: 1,
      });
      expect((await store().listSchemas({ tenantId: tenantA })).revision).toBe(1);
    });
  });

  describe('dropTenant', () => {
    it("removes every value, change and schema of the tenant, and nobody else's", async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      for (const tenantId of [tenantA, tenantB]) {
        await setValue(store(), tenantId, 'plan', tenantId);
        await setValue(store(), tenantId, 'plan', tenantId);
        await setValue(store(), tenantId, 'gone', 1);
        await deleteKey(store(), tenantId, 'gone');
        await setValue(store(), tenantId, 'ttl', 1, { at: longAgo(0), expiresAt: longAgo(1) });
        await store().putSchema(schemaEntry(tenantId, 'plan'));
      }
      try {
        await store().dropTenant({ tenantId: tenantA });
        expect(await store().get({ tenantId: tenantA, key: 'plan', now: LATER })).toBeNull();
        const versions = await store().versions({ tenantId: tenantA, keys: ['plan', 'gone'] });
        expect([versions.plan ?? 0, versions.gone ?? 0]).toEqual([0, 0]);
        expect(await historyOf(store(), tenantA, 'plan')).toEqual([]);
        expect(await historyOf(store(), tenantA, 'gone')).toEqual([]);
        expect(
          await store().list({ tenantId: tenantA, prefix: '', limit: 10, now: longAgo(0) }),
        ).toEqual([]);
        expect(await store().listVersions({ tenantId: tenantA, prefix: '', limit: 10 })).toEqual(
          [],
        );
        expect(await store().listSchemas({ tenantId: tenantA })).toEqual({
          revision: 0,
          schemas: [],
        });
        const expired = await store().listExpired({ now: longAgo(5), limit: 1000 });
        expect(expired.filter((entry) => entry.tenantId === tenantA)).toEqual([]);
        expect(expired).toContainEqual({ tenantId: tenantB, key: 'ttl', version: 1 });

        expect(await store().get({ tenantId: tenantB, key: 'plan', now: LATER })).toMatchObject({
          value: tenantB,
          version: 2,
        });
        expect(await versionOf(store(), tenantB, 'gone')).toBe(2);
        expect(versionsOf(await historyOf(store(), tenantB, 'plan'))).toEqual([1, 2]);
        expect((await store().listSchemas({ tenantId: tenantB })).revision).toBe(1);
      } finally {
        await store().dropTenant({ tenantId: tenantB });
      }
    });

    it('lets a dropped tenant start over at revision 0 and version 1', async () => {
      const tenantId = randomTenantId();
      await store().putSchema(schemaEntry(tenantId, 'plan'));
      await setValue(store(), tenantId, 'plan', 1, { schemaRevision: 1 });
      await store().dropTenant({ tenantId });
      const change = await setValue(store(), tenantId, 'plan', 'again', { schemaRevision: 0 });
      expect(change.version).toBe(1);
      expect(
        await store().putSchema(schemaEntry(tenantId, 'plan', { updatedAt: timestamp(2) })),
      ).toEqual({ revision: 1 });
    });

    it('drops a tenant without any data', async () => {
      await store().dropTenant({ tenantId: randomTenantId() });
    });
  });
}

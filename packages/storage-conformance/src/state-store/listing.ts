import type { StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId, sortBy, timestamp } from '../fixtures.js';
import { LATER, deleteKey, longAgo, setValue, stateDeletion, stateWrite } from './helpers.js';

/** Keys whose code-unit order differs from a locale's (case, punctuation, accents). */
const ODD_KEYS = [
  'a:B',
  'a:a',
  'a/1',
  'A',
  'a',
  'b',
  'B',
  'a-1',
  'a_1',
  'a:b:c',
  'é',
  'Z',
  '_',
  '~',
];

/** Keys in code-unit order. */
const sorted = (keys: string[]) => sortBy(keys, (key) => key);

/** `list`: live values in key order, by prefix, with a cursor. */
export function describeList(store: () => StateStore): void {
  describe('list', () => {
    it('lists live values in code-unit key order, whatever the locale', async () => {
      const tenantId = randomTenantId();
      for (const key of ODD_KEYS) await setValue(store(), tenantId, key, key);
      const listed = await store().list({ tenantId, prefix: '', limit: 100, now: LATER });
      expect(listed.map((record) => record.key)).toEqual(sorted(ODD_KEYS));
      expect(listed.every((record) => record.value === record.key)).toBe(true);
    });

    it('returns the same records as get', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'doc:1', { a: 1 }, { expiresAt: timestamp(500) });
      await setValue(store(), tenantId, 'doc:2', [2], { at: timestamp(3), updatedBy: 'k_other' });
      const listed = await store().list({ tenantId, prefix: 'doc:', limit: 10, now: timestamp(9) });
      expect(listed).toEqual([
        await store().get({ tenantId, key: 'doc:1', now: timestamp(9) }),
        await store().get({ tenantId, key: 'doc:2', now: timestamp(9) }),
      ]);
    });

    it('filters by a literal prefix: wildcard characters match only themselves', async () => {
      const tenantId = randomTenantId();
      const keys = ['a:1', 'a:2', 'ab', 'a', 'b:1', 'a%x', 'a_y', 'aaz', 'a\\z', 'a*', 'A:1'];
      for (const key of keys) await setValue(store(), tenantId, key, 1);
      const keysWith = async (prefix: string) =>
        (await store().list({ tenantId, prefix, limit: 100, now: LATER })).map(
          (record) => record.key,
        );
      expect(await keysWith('a:')).toEqual(['a:1', 'a:2']);
      expect(await keysWith('a%')).toEqual(['a%x']);
      expect(await keysWith('a_')).toEqual(['a_y']);
      expect(await keysWith('a\\')).toEqual(['a\\z']);
      expect(await keysWith('a*')).toEqual(['a*']);
      expect(await keysWith('b')).toEqual(['b:1']);
      expect(await keysWith('c')).toEqual([]);
      expect(await keysWith('a')).toEqual(
        sorted(['a', 'a%x', 'a*', 'a:1', 'a:2', 'a\\z', 'a_y', 'aaz', 'ab']),
      );
    });

    it('pages with after and limit', async () => {
      const tenantId = randomTenantId();
      for (const key of ['k5', 'k3', 'k1', 'k4', 'k2', 'j9', 'l0']) {
        await setValue(store(), tenantId, key, key);
      }
      const page = async (after: string | undefined, limit: number) =>
        (await store().list({ tenantId, prefix: 'k', after, limit, now: LATER })).map(
          (record) => record.key,
        );
      expect(await page(undefined, 2)).toEqual(['k1', 'k2']);
      expect(await page('k2', 2)).toEqual(['k3', 'k4']);
      expect(await page('k4', 2)).toEqual(['k5']);
      expect(await page('k5', 2)).toEqual([]);
      expect(await page('k2a', 10)).toEqual(['k3', 'k4', 'k5']);
      expect(await page('a', 10)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
      expect(await page(undefined, 0)).toEqual([]);
    });

    it('leaves out deleted and expired values, and still fills the page', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'a', 1, { expiresAt: timestamp(10) });
      await setValue(store(), tenantId, 'b', 1);
      await deleteKey(store(), tenantId, 'b');
      await setValue(store(), tenantId, 'c', 1, { expiresAt: timestamp(30) });
      await setValue(store(), tenantId, 'd', 1);
      const keysAt = async (now: string, limit: number) =>
        (await store().list({ tenantId, prefix: '', limit, now })).map((record) => record.key);
      expect(await keysAt(timestamp(5), 10)).toEqual(['a', 'c', 'd']);
      expect(await keysAt(timestamp(10), 10)).toEqual(['c', 'd']);
      expect(await keysAt(timestamp(10), 1)).toEqual(['c']);
      expect(await keysAt(timestamp(30), 1)).toEqual(['d']);
      expect(await keysAt(timestamp(30), 10)).toEqual(['d']);
    });

    it('lists nothing for a tenant without values', async () => {
      const tenantId = randomTenantId();
      expect(await store().list({ tenantId, prefix: '', limit: 10, now: LATER })).toEqual([]);
    });
  });
}

/** `listVersions`: every key's version, deleted and expired keys included. */
export function describeListVersions(store: () => StateStore): void {
  describe('listVersions', () => {
    it('lists every key with its version, deleted and expired keys included, in key order', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'plan:b', 1);
      await setValue(store(), tenantId, 'plan:b', 2);
      await setValue(store(), tenantId, 'plan:a', 1);
      await deleteKey(store(), tenantId, 'plan:a');
      await setValue(store(), tenantId, 'plan:C', 1, { expiresAt: timestamp(2) });
      await setValue(store(), tenantId, 'other', 1);
      expect(await store().listVersions({ tenantId, prefix: 'plan:', limit: 10 })).toEqual([
        { key: 'plan:C', version: 1 },
        { key: 'plan:a', version: 2 },
        { key: 'plan:b', version: 2 },
      ]);
      expect(await store().listVersions({ tenantId, prefix: '', limit: 10 })).toEqual([
        { key: 'other', version: 1 },
        { key: 'plan:C', version: 1 },
        { key: 'plan:a', version: 2 },
        { key: 'plan:b', version: 2 },
      ]);
      expect(await store().listVersions({ tenantId, prefix: 'x', limit: 10 })).toEqual([]);
    });

    it('orders keys by code unit and filters by a literal prefix', async () => {
      const tenantId = randomTenantId();
      for (const key of ODD_KEYS) await setValue(store(), tenantId, key, key);
      const listed = await store().listVersions({ tenantId, prefix: '', limit: 100 });
      expect(listed.map((entry) => entry.key)).toEqual(sorted(ODD_KEYS));
      const underscore = await store().listVersions({ tenantId, prefix: 'a_', limit: 100 });
      expect(underscore).toEqual([{ key: 'a_1', version: 1 }]);
      const colon = await store().listVersions({ tenantId, prefix: 'a:', limit: 100 });
      expect(colon.map((entry) => entry.key)).toEqual(['a:B', 'a:a', 'a:b:c']);
    });

    it('pages with after and limit', async () => {
      const tenantId = randomTenantId();
      for (const key of ['k3', 'k1', 'k2', 'k4']) await setValue(store(), tenantId, key, 1);
      await deleteKey(store(), tenantId, 'k2');
      const page = async (after: string | undefined, limit: number) =>
        (await store().listVersions({ tenantId, prefix: 'k', after, limit })).map(
          (entry) => `${entry.key}@${entry.version}`,
        );
      expect(await page(undefined, 2)).toEqual(['k1@1', 'k2@2']);
      expect(await page('k2', 2)).toEqual(['k3@1', 'k4@1']);
      expect(await page('k4', 2)).toEqual([]);
      expect(await page('k1a', 1)).toEqual(['k2@2']);
      expect(await page(undefined, 0)).toEqual([]);
    });

    it('lists no key for writes that were refused', async () => {
      const tenantId = randomTenantId();
      const refused = await store().set(stateWrite(tenantId, 'cas', 1, { ifVersion: 3 }));
      expect(refused).toMatchObject({ ok: false, reason: 'conflict' });
      const stale = await store().set(stateWrite(tenantId, 'stale', 1, { schemaRevision: 4 }));
      expect(stale).toMatchObject({ ok: false, reason: 'schemas-changed' });
      expect(await store().delete(stateDeletion(tenantId, 'never'))).toEqual({
        ok: true,
        change: null,
      });
      expect(await store().listVersions({ tenantId, prefix: '', limit: 10 })).toEqual([]);
    });

    it("lists nothing of another tenant's keys", async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      await setValue(store(), tenantA, 'plan', 1);
      expect(await store().listVersions({ tenantId: tenantB, prefix: '', limit: 10 })).toEqual([]);
    });
  });
}

/** `listExpired`: values whose TTL ran out, across tenants. */
export function describeListExpired(store: () => StateStore): void {
  describe('listExpired', () => {
    it('lists expired values of every tenant, but not live, deleted or TTL-less ones', async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      const at = longAgo(0);
      try {
        await setValue(store(), tenantA, 'x', 1, { at, expiresAt: longAgo(10) });
        await setValue(store(), tenantA, 'x', 2, { at, expiresAt: longAgo(10) });
        await setValue(store(), tenantB, 'y', 1, { at, expiresAt: longAgo(20) });
        await setValue(store(), tenantA, 'edge', 1, { at, expiresAt: longAgo(50) });
        await setValue(store(), tenantA, 'later', 1, { at, expiresAt: longAgo(51) });
        await setValue(store(), tenantA, 'forever', 1, { at });
        await setValue(store(), tenantB, 'deleted', 1, { at, expiresAt: longAgo(10) });
        await deleteKey(store(), tenantB, 'deleted', { at: longAgo(1) });
        await setValue(store(), tenantB, 'renewed', 1, { at, expiresAt: longAgo(10) });
        await setValue(store(), tenantB, 'renewed', 2, { at, expiresAt: longAgo(100) });
        const expired = await store().listExpired({ now: longAgo(50), limit: 1000 });
        const ours = expired.filter(
          (entry) => entry.tenantId === tenantA || entry.tenantId === tenantB,
        );
        expect(ours).toHaveLength(3);
        expect(ours).toEqual(
          expect.arrayContaining([
            { tenantId: tenantA, key: 'x', version: 2 },
            { tenantId: tenantB, key: 'y', version: 1 },
            { tenantId: tenantA, key: 'edge', version: 1 },
          ]),
        );
      } finally {
        await store().dropTenant({ tenantId: tenantA });
        await store().dropTenant({ tenantId: tenantB });
      }
    });

    it('returns at most limit values', async () => {
      const tenantId = randomTenantId();
      try {
        for (const key of ['a', 'b', 'c']) {
          await setValue(store(), tenantId, key, 1, { at: longAgo(0), expiresAt: longAgo(1) });
        }
        expect(await store().listExpired({ now: longAgo(2), limit: 2 })).toHaveLength(2);
        expect(await store().listExpired({ now: longAgo(2), limit: 0 })).toEqual([]);
      } finally {
        await store().dropTenant({ tenantId });
      }
    });

    it('no longer lists a value once it is deleted for its expiry', async () => {
      const tenantId = randomTenantId();
      try {
        await setValue(store(), tenantId, 'ttl', 1, { at: longAgo(0), expiresAt: longAgo(1) });
        const before = await store().listExpired({ now: longAgo(2), limit: 1000 });
        expect(before).toContainEqual({ tenantId, key: 'ttl', version: 1 });
        await deleteKey(store(), tenantId, 'ttl', {
          ifVersion: 1,
          at: longAgo(2),
          reason: 'expired',
          updatedBy: 'system',
        });
        const after = await store().listExpired({ now: longAgo(2), limit: 1000 });
        expect(after.filter((entry) => entry.tenantId === tenantId)).toEqual([]);
      } finally {
        await store().dropTenant({ tenantId });
      }
    });
  });
}

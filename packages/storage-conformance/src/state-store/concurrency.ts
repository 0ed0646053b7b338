import type { StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId } from '../fixtures.js';
import {
  LATER,
  historyOf,
  schemaEntry,
  setValue,
  stateDeletion,
  stateWrite,
  versionOf,
  versionsOf,
} from './helpers.js';

/** Atomicity under concurrent calls on one key. */
export function describeConcurrency(store: () => StateStore): void {
  describe('concurrency', () => {
    it('lets exactly one of 20 concurrent writes with the same ifVersion win', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'race', 'start');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store().set(stateWrite(tenantId, 'race', { writer: index }, { ifVersion: 1 })),
        ),
      );
      const winners = results.filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => !result.ok)).toEqual(
        Array.from({ length: 19 }, () => ({ ok: false, reason: 'conflict', currentVersion: 2 })),
      );
      const winner = winners[0]!.ok ? winners[0]!.change : undefined;
      expect(winner?.version).toBe(2);
      expect((await store().get({ tenantId, key: 'race', now: LATER }))?.value).toEqual(
        winner?.value,
      );
      expect(versionsOf(await historyOf(store(), tenantId, 'race'))).toEqual([1, 2]);
    });

    it('lets exactly one of 20 concurrent creations with ifVersion 0 win', async () => {
      const tenantId = randomTenantId();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store().set(stateWrite(tenantId, 'lock', { holder: index }, { ifVersion: 0 })),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      for (const result of results) {
        if (!result.ok)
          expect(result).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
      }
      expect(await versionOf(store(), tenantId, 'lock')).toBe(1);
      expect(await historyOf(store(), tenantId, 'lock')).toHaveLength(1);
    });

    it('gives 50 concurrent writes the versions 1 to 50, once each, all in the history', async () => {
      const tenantId = randomTenantId();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          store().set(stateWrite(tenantId, 'counter', { writer: index })),
        ),
      );
      const changes = results.map((result) => {
        expect(result.ok).toBe(true);
        return result.ok ? result.change : undefined;
      });
      const versions = changes.map((change) => change?.version ?? 0).sort((a, b) => a - b);
      const expected = Array.from({ length: 50 }, (_, index) => index + 1);
      expect(versions).toEqual(expected);
      const history = await historyOf(store(), tenantId, 'counter');
      expect(versionsOf(history)).toEqual(expected);
      for (const change of history) {
        expect(changes.find((candidate) => candidate?.version === change.version)).toEqual(change);
      }
      const last = history[history.length - 1];
      expect(await store().get({ tenantId, key: 'counter', now: LATER })).toMatchObject({
        version: 50,
        value: last?.value,
      });
    });

    it('applies every concurrent first write of new tenants', async () => {
      const tenants = Array.from({ length: 10 }, () => randomTenantId());
      const results = await Promise.all(
        tenants.flatMap((tenantId) =>
          Array.from({ length: 10 }, (_, index) =>
            store().set(stateWrite(tenantId, 'first', index)),
          ),
        ),
      );
      expect(results.filter((result) => !result.ok)).toEqual([]);
      for (const tenantId of tenants) {
        expect(await versionOf(store(), tenantId, 'first')).toBe(10);
      }
    });

    it('records one deletion of 10 concurrent deletes', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'once', 1);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store().delete(stateDeletion(tenantId, 'once'))),
      );
      expect(results.every((result) => result.ok)).toBe(true);
      const deletions = results.filter((result) => result.ok && result.change !== null);
      expect(deletions).toHaveLength(1);
      expect(await versionOf(store(), tenantId, 'once')).toBe(2);
      expect(versionsOf(await historyOf(store(), tenantId, 'once'))).toEqual([1, 2]);
    });

    it('keeps concurrent writes to different keys independent', async () => {
      const tenantId = randomTenantId();
      const keys = Array.from({ length: 10 }, (_, index) => `key:${index}`);
      await Promise.all(
        keys.flatMap((key) => [1, 2, 3].map(() => store().set(stateWrite(tenantId, key, key)))),
      );
      const versions = await store().versions({ tenantId, keys });
      expect(keys.map((key) => versions[key])).toEqual(keys.map(() => 3));
    });
  });
}

/** Compare-and-set between two instances over the same backend. */
export function describeAcrossInstances(store: () => StateStore, peer: () => StateStore): void {
  it("reads the other instance's writes, deletions and schemas", async () => {
    const tenantId = randomTenantId();
    await setValue(store(), tenantId, 'shared', { from: 'main' });
    expect(await peer().get({ tenantId, key: 'shared', now: LATER })).toMatchObject({
      value: { from: 'main' },
      version: 1,
    });
    await peer().putSchema(
      schemaEntry(tenantId, 'shared', { updatedAt: LATER, updatedBy: 'k_peer' }),
    );
    expect(await store().set(stateWrite(tenantId, 'shared', 2, { schemaRevision: 0 }))).toEqual({
      ok: false,
      reason: 'schemas-changed',
      schemaRevision: 1,
    });
    await peer().delete(stateDeletion(tenantId, 'shared'));
    expect(await store().get({ tenantId, key: 'shared', now: LATER })).toBeNull();
    expect(await versionOf(store(), tenantId, 'shared')).toBe(2);
  });

  it('lets exactly one compare-and-set win across instances', async () => {
    const tenantId = randomTenantId();
    await setValue(store(), tenantId, 'race', 'start');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? store() : peer()).set(
          stateWrite(tenantId, 'race', { writer: index }, { ifVersion: 1 }),
        ),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toHaveLength(19);
    expect(versionsOf(await historyOf(peer(), tenantId, 'race'))).toEqual([1, 2]);
  });

  it('numbers concurrent writes of both instances without gaps or repeats', async () => {
    const tenantId = randomTenantId();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (index % 2 === 0 ? store() : peer()).set(stateWrite(tenantId, 'counter', index)),
      ),
    );
    const versions = results.map((result) => (result.ok ? result.change.version : 0));
    expect(versions.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
  });

  it('sees a schema change of the other instance after it dropped the tenant', async () => {
    const tenantId = randomTenantId();
    await setValue(store(), tenantId, 'k', 1);
    await peer().dropTenant({ tenantId });
    expect((await setValue(store(), tenantId, 'k', 2)).version).toBe(1);
    await peer().putSchema(schemaEntry(tenantId, 'k', { updatedAt: LATER, updatedBy: 'k_peer' }));
    expect(await store().set(stateWrite(tenantId, 'k', 3, { schemaRevision: 0 }))).toEqual({
      ok: false,
      reason: 'schemas-changed',
      schemaRevision: 1,
    });
  });
}

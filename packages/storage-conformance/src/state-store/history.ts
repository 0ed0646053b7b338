import type { StateChange, StateStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { randomTenantId, timestamp } from '../fixtures.js';
import { deleteKey, historyOf, longAgo, setValue, versionOf, versionsOf } from './helpers.js';

/** `history` and its limits: `historyLimit` per key and `trimHistory` by age. */
export function describeHistory(store: () => StateStore): void {
  describe('history', () => {
    it('records every change oldest first, deletions with their reason', async () => {
      const tenantId = randomTenantId();
      const changes: StateChange[] = [];
      changes.push(await setValue(store(), tenantId, 'plan', { step: 1 }, { at: timestamp(1) }));
      changes.push(
        await setValue(store(), tenantId, 'plan', { step: 2 }, { expiresAt: timestamp(90) }),
      );
      changes.push((await deleteKey(store(), tenantId, 'plan', { at: timestamp(3) }))!);
      changes.push(
        await setValue(store(), tenantId, 'plan', 'back', { at: timestamp(4), updatedBy: 'k2' }),
      );
      expect(versionsOf(changes)).toEqual([1, 2, 3, 4]);
      expect(await historyOf(store(), tenantId, 'plan')).toEqual(changes);
      expect(changes[1]).toMatchObject({ kind: 'value', expiresAt: timestamp(90) });
      expect(changes[2]).toEqual({
        key: 'plan',
        kind: 'delete',
        value: null,
        version: 3,
        updatedAt: timestamp(3),
        updatedBy: 'k_conformance',
        expiresAt: null,
        reason: 'deleted',
      });
    });

    it('returns the changes after afterVersion, at most limit', async () => {
      const tenantId = randomTenantId();
      for (let step = 1; step <= 5; step += 1) await setValue(store(), tenantId, 'k', step);
      const page = async (afterVersion: number, limit: number) =>
        versionsOf(await store().history({ tenantId, key: 'k', afterVersion, limit }));
      expect(await page(0, 2)).toEqual([1, 2]);
      expect(await page(2, 2)).toEqual([3, 4]);
      expect(await page(4, 10)).toEqual([5]);
      expect(await page(5, 10)).toEqual([]);
      expect(await page(0, 0)).toEqual([]);
      const [third] = await store().history({ tenantId, key: 'k', afterVersion: 2, limit: 1 });
      expect(third?.value).toBe(3);
    });

    it('keeps the changes of each key apart', async () => {
      const tenantId = randomTenantId();
      await setValue(store(), tenantId, 'a', 'a1');
      await setValue(store(), tenantId, 'b', 'b1');
      await setValue(store(), tenantId, 'a', 'a2');
      expect((await historyOf(store(), tenantId, 'a')).map((change) => change.value)).toEqual([
        'a1',
        'a2',
      ]);
      expect((await historyOf(store(), tenantId, 'b')).map((change) => change.value)).toEqual([
        'b1',
      ]);
      expect(await historyOf(store(), tenantId, 'ab')).toEqual([]);
    });

    it('keeps at most historyLimit changes of a key, the newest', async () => {
      const tenantId = randomTenantId();
      for (let step = 1; step <= 5; step += 1) {
        await setValue(store(), tenantId, 'capped', step, { historyLimit: 3 });
      }
      expect(versionsOf(await historyOf(store(), tenantId, 'capped'))).toEqual([3, 4, 5]);
      expect(versionsOf(await historyOf(store(), tenantId, 'capped', 3))).toEqual([4, 5]);
      await deleteKey(store(), tenantId, 'capped', { historyLimit: 2 });
      expect(versionsOf(await historyOf(store(), tenantId, 'capped'))).toEqual([5, 6]);
      expect(await versionOf(store(), tenantId, 'capped')).toBe(6);
      for (let step = 1; step <= 3; step += 1) {
        await setValue(store(), tenantId, 'single', step, { historyLimit: 1 });
      }
      expect(await historyOf(store(), tenantId, 'single')).toEqual([
        expect.objectContaining({ version: 3, value: 3 }),
      ]);
    });

    it('keeps every change below the default limit', async () => {
      const tenantId = randomTenantId();
      for (let step = 1; step <= 25; step += 1) await setValue(store(), tenantId, 'k', step);
      expect(versionsOf(await historyOf(store(), tenantId, 'k'))).toEqual(
        Array.from({ length: 25 }, (_, index) => index + 1),
      );
    });

    it('trims changes older than before, keeping the newest of every key in every tenant', async () => {
      const [tenantA, tenantB] = [randomTenantId(), randomTenantId()];
      try {
        for (let step = 1; step <= 3; step += 1) {
          await setValue(store(), tenantA, 'steps', step, { at: longAgo(step) });
        }
        await setValue(store(), tenantA, 'old', 'only', { at: longAgo(1) });
        await setValue(store(), tenantB, 'gone', 1, { at: longAgo(1) });
        await deleteKey(store(), tenantB, 'gone', { at: longAgo(2) });
        for (let step = 1; step <= 3; step += 1) {
          await setValue(store(), tenantB, 'steps', step, { at: longAgo(step) });
        }

        await store().trimHistory({ before: longAgo(2) });
        expect(versionsOf(await historyOf(store(), tenantA, 'steps'))).toEqual([2, 3]);
        expect(versionsOf(await historyOf(store(), tenantB, 'steps'))).toEqual([2, 3]);
        expect(versionsOf(await historyOf(store(), tenantA, 'old'))).toEqual([1]);
        expect(versionsOf(await historyOf(store(), tenantB, 'gone'))).toEqual([2]);

        await store().trimHistory({ before: longAgo(1000) });
        expect(versionsOf(await historyOf(store(), tenantA, 'steps'))).toEqual([3]);
        expect(versionsOf(await historyOf(store(), tenantB, 'steps'))).toEqual([3]);
        expect(await historyOf(store(), tenantB, 'gone')).toEqual([
          expect.objectContaining({ kind: 'delete', version: 2, reason: 'deleted' }),
        ]);
        expect(await historyOf(store(), tenantA, 'old')).toEqual([
          expect.objectContaining({ kind: 'value', version: 1, value: 'only' }),
        ]);
        expect(await versionOf(store(), tenantA, 'steps')).toBe(3);
        expect(await store().get({ tenantId: tenantA, key: 'old', now: longAgo(5) })).toMatchObject(
          { value: 'only', version: 1 },
        );
        const next = await setValue(store(), tenantA, 'steps', 4, { at: longAgo(1001) });
        expect(next.version).toBe(4);
      } finally {
        await store().dropTenant({ tenantId: tenantA });
        await store().dropTenant({ tenantId: tenantB });
      }
    });
  });
}

import type { HotStore, WorkingSet } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeLifecycle } from './assertions.js';
import { usePort, type ConformanceOptions } from './conformance-options.js';
import { makeMemory, randomId, randomTenantId, timestamp } from './fixtures.js';

/** Options of {@link runHotStoreConformance}. */
export type HotStoreConformanceOptions = ConformanceOptions<HotStore>;

function workingSet(tenantId: string, userId: string, version: number, text: string): WorkingSet {
  return {
    version,
    memories: [makeMemory({ tenantId, userId, text, entities: ['topic:x'] })],
    lastSeen: { channel: 'whatsapp', at: timestamp(version) },
  };
}

/** Register the HotStore conformance suite for an adapter. Call it at the top of a test file. */
export function runHotStoreConformance(options: HotStoreConformanceOptions): void {
  describe(`HotStore conformance: ${options.name}`, () => {
    const hot = usePort(options);
    let tenantA = '';
    let tenantB = '';
    let userId = '';
    const at = (tenantId = tenantA, user = userId) => ({ tenantId, userId: user });

    beforeEach(() => {
      tenantA = randomTenantId();
      tenantB = randomTenantId();
      userId = randomId();
    });

    it('declares its capabilities', () => {
      expect(typeof hot().capabilities.shared).toBe('boolean');
    });

    describe('working sets', () => {
      it('has no working set and generation 0 for an unknown user', async () => {
        expect(await hot().getWorkingSet(at())).toBeNull();
        expect(await hot().getGeneration(at())).toBe(0);
      });

      it('stores a working set at the current generation and returns it', async () => {
        const value = workingSet(tenantA, userId, 3, 'Prefers email 📧');
        const stored = await hot().setWorkingSet({ ...at(), generation: 0, workingSet: value });
        expect(stored).toBe(true);
        expect(await hot().getWorkingSet(at())).toEqual(value);
      });

      it('keeps a working set given a long TTL', async () => {
        const value = workingSet(tenantA, userId, 1, 'with ttl');
        await hot().setWorkingSet({ ...at(), generation: 0, workingSet: value, ttlSeconds: 3600 });
        expect(await hot().getWorkingSet(at())).toEqual(value);
      });

      it('drops the working set and advances the generation on invalidate', async () => {
        await hot().setWorkingSet({
          ...at(),
          generation: 0,
          workingSet: workingSet(tenantA, userId, 1, 'a'),
        });
        expect(await hot().invalidate(at())).toBe(1);
        expect(await hot().getWorkingSet(at())).toBeNull();
        expect(await hot().getGeneration(at())).toBe(1);
        expect(await hot().invalidate(at())).toBe(0);
        expect(await hot().getGeneration(at())).toBe(2);
      });

      it('refuses a working set read before an invalidation (compare-and-set)', async () => {
        const generation = await hot().getGeneration(at());
        await hot().invalidate(at());
        const stale = workingSet(tenantA, userId, 1, 'stale');
        expect(await hot().setWorkingSet({ ...at(), generation, workingSet: stale })).toBe(false);
        expect(await hot().getWorkingSet(at())).toBeNull();
        const fresh = workingSet(tenantA, userId, 2, 'fresh');
        const current = await hot().getGeneration(at());
        expect(await hot().setWorkingSet({ ...at(), generation: current, workingSet: fresh })).toBe(
          true,
        );
        expect(await hot().setWorkingSet({ ...at(), generation, workingSet: stale })).toBe(false);
        expect(await hot().getWorkingSet(at())).toEqual(fresh);
      });

      it('returns values (copies or frozen) that callers cannot use to change the cache', async () => {
        const value = workingSet(tenantA, userId, 1, 'original');
        await hot().setWorkingSet({ ...at(), generation: 0, workingSet: value });
        const attempt = (change: () => void) => {
          try {
            change();
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
        };
        attempt(() => (value.memories[0]!.text = 'changed input'));
        const read = await hot().getWorkingSet(at());
        attempt(() => read!.memories[0]!.entities.push('changed:output'));
        expect((await hot().getWorkingSet(at()))?.memories[0]).toMatchObject({
          text: 'original',
          entities: ['topic:x'],
        });
      });
    });

    describe('identifier cache', () => {
      it('stores, replaces and deletes identifier entries', async () => {
        const key = 'phone:+919241063955';
        expect(await hot().getIdentifier({ tenantId: tenantA, key })).toBeNull();
        await hot().setIdentifier({ tenantId: tenantA, key, userId });
        expect(await hot().getIdentifier({ tenantId: tenantA, key })).toBe(userId);
        const next = randomId();
        await hot().setIdentifier({ tenantId: tenantA, key, userId: next, ttlSeconds: 3600 });
        expect(await hot().getIdentifier({ tenantId: tenantA, key })).toBe(next);
        expect(await hot().deleteIdentifier({ tenantId: tenantA, key })).toBe(1);
        expect(await hot().deleteIdentifier({ tenantId: tenantA, key })).toBe(0);
        expect(await hot().getIdentifier({ tenantId: tenantA, key })).toBeNull();
      });

      it('keeps unicode keys intact', async () => {
        const key = 'email:josé.ñandú@exämple.com';
        await hot().setIdentifier({ tenantId: tenantA, key, userId });
        expect(await hot().getIdentifier({ tenantId: tenantA, key })).toBe(userId);
      });
    });

    describe('forget and clear', () => {
      it("drops the user's working set and identifiers, and nobody else's", async () => {
        const other = randomId();
        await hot().setWorkingSet({
          ...at(),
          generation: 0,
          workingSet: workingSet(tenantA, userId, 1, 'me'),
        });
        await hot().setWorkingSet({
          ...at(tenantA, other),
          generation: 0,
          workingSet: workingSet(tenantA, other, 1, 'other'),
        });
        await hot().setIdentifier({ tenantId: tenantA, key: 'phone:+1', userId });
        await hot().setIdentifier({ tenantId: tenantA, key: 'email:a@b.co', userId });
        await hot().setIdentifier({ tenantId: tenantA, key: 'phone:+2', userId: other });
        const removed = await hot().forgetUser({
          ...at(),
          identifierKeys: ['phone:+1', 'email:a@b.co', 'phone:+2'],
        });
        expect(removed).toBe(3);
        expect(await hot().getWorkingSet(at())).toBeNull();
        expect(await hot().getIdentifier({ tenantId: tenantA, key: 'phone:+1' })).toBeNull();
        expect(await hot().getIdentifier({ tenantId: tenantA, key: 'email:a@b.co' })).toBeNull();
        expect(await hot().getIdentifier({ tenantId: tenantA, key: 'phone:+2' })).toBe(other);
        expect(await hot().getWorkingSet(at(tenantA, other))).not.toBeNull();
      });

      it('forgets nothing for an unknown user', async () => {
        expect(await hot().forgetUser({ ...at(), identifierKeys: [] })).toBe(0);
      });

      it('clears every entry', async () => {
        await hot().setWorkingSet({
          ...at(),
          generation: 0,
          workingSet: workingSet(tenantA, userId, 1, 'a'),
        });
        await hot().setWorkingSet({
          ...at(tenantB),
          generation: 0,
          workingSet: workingSet(tenantB, userId, 1, 'b'),
        });
        await hot().setIdentifier({ tenantId: tenantB, key: 'web:x', userId });
        await hot().clear();
        expect(await hot().getWorkingSet(at())).toBeNull();
        expect(await hot().getWorkingSet(at(tenantB))).toBeNull();
        expect(await hot().getIdentifier({ tenantId: tenantB, key: 'web:x' })).toBeNull();
      });
    });

    describe('tenant isolation', () => {
      it("never returns, invalidates or forgets tenant A's entries from tenant B", async () => {
        const value = workingSet(tenantA, userId, 1, 'A only');
        await hot().setWorkingSet({ ...at(), generation: 0, workingSet: value });
        await hot().setIdentifier({ tenantId: tenantA, key: 'phone:+1', userId });
        expect(await hot().getWorkingSet(at(tenantB))).toBeNull();
        expect(await hot().getIdentifier({ tenantId: tenantB, key: 'phone:+1' })).toBeNull();
        expect(await hot().invalidate(at(tenantB))).toBe(0);
        expect(await hot().getGeneration(at(tenantB))).toBe(1);
        expect(await hot().getGeneration(at())).toBe(0);
        expect(await hot().deleteIdentifier({ tenantId: tenantB, key: 'phone:+1' })).toBe(0);
        expect(await hot().forgetUser({ ...at(tenantB), identifierKeys: ['phone:+1'] })).toBe(0);
        expect(await hot().getWorkingSet(at())).toEqual(value);
        expect(await hot().getIdentifier({ tenantId: tenantA, key: 'phone:+1' })).toBe(userId);
      });

      it('keeps generations of the same user id apart per tenant', async () => {
        await hot().invalidate(at());
        const value = workingSet(tenantB, userId, 1, 'B');
        expect(
          await hot().setWorkingSet({ ...at(tenantB), generation: 0, workingSet: value }),
        ).toBe(true);
        expect(await hot().getWorkingSet(at())).toBeNull();
      });
    });

    describeLifecycle(options, (port, tenantId) =>
      port.getGeneration({ tenantId, userId: randomId() }),
    );
  });
}

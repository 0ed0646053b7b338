import type { UsageStore } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from './assertions.js';
import { usePort, type ConformanceOptions } from './conformance-options.js';
import { randomTenantId } from './fixtures.js';

/** Options of {@link runUsageStoreConformance}. */
export type UsageStoreConformanceOptions = ConformanceOptions<UsageStore>;

/** The start of hour `index` after 2025-01-01T00:00:00Z. */
const hour = (index: number) => new Date(Date.UTC(2025, 0, 1, index)).toISOString();
const zero = { reads: 0, writes: 0, cacheHits: 0, cacheMisses: 0 };

/** Register the UsageStore conformance suite for an adapter. Call it at the top of a test file. */
export function runUsageStoreConformance(options: UsageStoreConformanceOptions): void {
  describe(`UsageStore conformance: ${options.name}`, () => {
    const usage = usePort(options);

    it('declares its capabilities', () => {
      expect(typeof usage().capabilities.durable).toBe('boolean');
      expect(typeof usage().capabilities.shared).toBe('boolean');
    });

    it('adds counts per hour and lists the hours of a window, oldest first', async () => {
      const tenantId = randomTenantId();
      await usage().add({
        tenantId,
        buckets: [
          { hour: hour(3), reads: 2, cacheHits: 1 },
          { hour: hour(1), writes: 5 },
        ],
      });
      await usage().add({ tenantId, buckets: [{ hour: hour(3), reads: 1, cacheMisses: 4 }] });
      expect(await usage().list({ tenantId, since: hour(0), until: hour(24) })).toEqual([
        { ...zero, hour: hour(1), writes: 5 },
        { ...zero, hour: hour(3), reads: 3, cacheHits: 1, cacheMisses: 4 },
      ]);
      expect(await usage().list({ tenantId, since: hour(2), until: hour(3) })).toEqual([]);
      expect(await usage().list({ tenantId, since: hour(3), until: hour(4) })).toHaveLength(1);
    });

    it('counts every one of many concurrent adds to one hour', async () => {
      const tenantId = randomTenantId();
      await Promise.all(
        Array.from({ length: 20 }, () =>
          usage().add({ tenantId, buckets: [{ hour: hour(5), reads: 1, writes: 2 }] }),
        ),
      );
      const [bucket] = await usage().list({ tenantId, since: hour(5), until: hour(6) });
      expect(bucket).toEqual({ ...zero, hour: hour(5), reads: 20, writes: 40 });
    });

    it('keeps tenants apart', async () => {
      const [first, second] = [randomTenantId(), randomTenantId()];
      await usage().add({ tenantId: first, buckets: [{ hour: hour(1), reads: 7 }] });
      expect(await usage().list({ tenantId: second, since: hour(0), until: hour(24) })).toEqual([]);
      expect(await usage().prune({ tenantId: second, before: hour(24) })).toBe(0);
      expect(await usage().list({ tenantId: first, since: hour(0), until: hour(24) })).toHaveLength(
        1,
      );
    });

    it('prunes the hours before a time, and only those', async () => {
      const tenantId = randomTenantId();
      await usage().add({
        tenantId,
        buckets: [1, 2, 3].map((index) => ({ hour: hour(index), writes: index })),
      });
      expect(await usage().prune({ tenantId, before: hour(3) })).toBe(2);
      const left = await usage().list({ tenantId, since: hour(0), until: hour(24) });
      expect(left.map((bucket) => bucket.hour)).toEqual([hour(3)]);
    });

    describeLifecycle(options, (port, tenantId) =>
      port.list({ tenantId, since: hour(0), until: hour(1) }),
    );
  });
}

import type { UsageBucket, UsageCounts, UsageStore } from '@memnex/core';
import { getOrCreate } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

const COUNTERS = ['reads', 'writes', 'cacheHits', 'cacheMisses'] as const;

/** A {@link UsageStore} held in process memory: counts per tenant and hour. */
export function createMemoryUsageStore(): UsageStore {
  const lifecycle = createLifecycleState('memory usage store');
  const tenants = new Map<string, Map<string, UsageCounts>>();

  return {
    capabilities: { durable: false, shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async add({ tenantId, buckets }) {
      lifecycle.assertOpen('add');
      const hours = getOrCreate(tenants, tenantId, () => new Map<string, UsageCounts>());
      for (const bucket of buckets) {
        const hour = new Date(bucket.hour).toISOString();
        const counts = getOrCreate(hours, hour, () => ({
          reads: 0,
          writes: 0,
          cacheHits: 0,
          cacheMisses: 0,
        }));
        for (const counter of COUNTERS) counts[counter] += bucket[counter] ?? 0;
      }
    },

    async list({ tenantId, since, until }) {
      lifecycle.assertOpen('list');
      const from = Date.parse(since);
      const to = Date.parse(until);
      const listed: UsageBucket[] = [];
      for (const [hour, counts] of tenants.get(tenantId) ?? []) {
        const start = Date.parse(hour);
        if (start >= from && start < to) listed.push({ hour, ...counts });
      }
      return listed.sort((a, b) => a.hour.localeCompare(b.hour));
    },

    async prune({ tenantId, before }) {
      lifecycle.assertOpen('prune');
      const hours = tenants.get(tenantId);
      if (!hours) return 0;
      const limit = Date.parse(before);
      let removed = 0;
      for (const hour of [...hours.keys()]) {
        if (Date.parse(hour) < limit) {
          hours.delete(hour);
          removed += 1;
        }
      }
      return removed;
    },
  };
}

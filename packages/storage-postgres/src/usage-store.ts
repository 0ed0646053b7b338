import type { UsageStore, UsageStoreCapabilities } from '@memnex/core';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { usageCounts } from './schema.js';

/**
 * The {@link UsageStore} on Postgres: one row per tenant and hour, to which every add is one
 * upsert that adds to the counters in place, so concurrent instances never lose a count.
 */
export function createPostgresUsageStore(
  handle: DatabaseHandle,
  capabilities: UsageStoreCapabilities,
): UsageStore {
  const session = createStoreSession(handle, 'Postgres usage store');
  const { run } = session;

  return {
    capabilities,
    init: session.init,
    close: session.close,

    add: ({ tenantId, buckets }) =>
      run('add', { tenantId }, async (transaction) => {
        if (buckets.length === 0) return;
        // In hour order, so that two instances adding the same hours lock rows alike.
        const rows = [...buckets]
          .map((bucket) => ({
            tenantId,
            hour: new Date(bucket.hour).toISOString(),
            reads: bucket.reads ?? 0,
            writes: bucket.writes ?? 0,
            cacheHits: bucket.cacheHits ?? 0,
            cacheMisses: bucket.cacheMisses ?? 0,
          }))
          .sort((a, b) => a.hour.localeCompare(b.hour));
        await transaction
          .insert(usageCounts)
          .values(rows)
          .onConflictDoUpdate({
            target: [usageCounts.tenantId, usageCounts.hour],
            set: {
              reads: sql`${usageCounts.reads} + excluded.reads`,
              writes: sql`${usageCounts.writes} + excluded.writes`,
              cacheHits: sql`${usageCounts.cacheHits} + excluded.cache_hits`,
              cacheMisses: sql`${usageCounts.cacheMisses} + excluded.cache_misses`,
            },
          });
      }),

    list: ({ tenantId, since, until }) =>
      run('list', { tenantId }, async (transaction) => {
        const rows = await transaction
          .select()
          .from(usageCounts)
          .where(
            and(
              eq(usageCounts.tenantId, tenantId),
              gte(usageCounts.hour, since),
              lt(usageCounts.hour, until),
            ),
          )
          .orderBy(asc(usageCounts.hour));
        return rows.map(({ tenantId: _tenantId, ...bucket }) => bucket);
      }),

    prune: ({ tenantId, before }) =>
      run('prune', { tenantId }, async (transaction) => {
        const removed = await transaction
          .delete(usageCounts)
          .where(and(eq(usageCounts.tenantId, tenantId), lt(usageCounts.hour, before)))
          .returning({ hour: usageCounts.hour });
        return removed.length;
      }),
  };
}

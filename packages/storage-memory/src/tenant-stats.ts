import type { MemoryRecord, TenantStatsRecord } from '@memnex/core';
import { compareInstants } from './collections.js';

/** Stats of a tenant that holds nothing. */
export function emptyTenantStats(): TenantStatsRecord {
  return {
    users: 0,
    current: 0,
    byKind: {},
    byType: {},
    byChannel: {},
    oldest: null,
    newest: null,
  };
}

/** Add one current memory to the counts. */
export function countMemory(stats: TenantStatsRecord, memory: MemoryRecord): void {
  const bump = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  stats.current++;
  bump(stats.byKind, memory.kind);
  bump(stats.byType, memory.type);
  bump(stats.byChannel, memory.source.channel ?? 'unknown');
  if (stats.oldest === null || compareInstants(memory.observedAt, stats.oldest) < 0) {
    stats.oldest = memory.observedAt;
  }
  if (stats.newest === null || compareInstants(memory.observedAt, stats.newest) > 0) {
    stats.newest = memory.observedAt;
  }
}

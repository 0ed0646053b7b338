import type { TenantStatsRecord } from '../ports/warm-store.js';

/** Stats of `users` people and no memories, to add groups of memories to. */
export function emptyTenantStats(users = 0): TenantStatsRecord {
  return {
    users,
    memories: { current: 0, byKind: {}, byType: {}, byChannel: {} },
    oldest: null,
    newest: null,
  };
}

/**
 * Add `count` current memories of one kind, type and channel, observed between `oldest` and
 * `newest` (ISO-8601 UTC instants), to the stats. Adapters count one memory or a group at a time.
 */
export function addToTenantStats(
  stats: TenantStatsRecord,
  group: {
    kind: string;
    type: string;
    channel: string | null;
    count: number;
    oldest: string;
    newest: string;
  },
): void {
  const add = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + group.count;
  };
  stats.memories.current += group.count;
  add(stats.memories.byKind, group.kind);
  add(stats.memories.byType, group.type);
  add(stats.memories.byChannel, group.channel ?? 'unknown');
  if (stats.oldest === null || group.oldest < stats.oldest) stats.oldest = group.oldest;
  if (stats.newest === null || group.newest > stats.newest) stats.newest = group.newest;
}

import type { WorkingSet } from '../ports/index.js';
import type { EngineContext } from './context.js';
import type { UserKey } from './users.js';

/**
 * The user's current facts, from the hot cache when warm. On a miss the generation is read
 * first, so that a load racing with a write cannot cache what the write just replaced.
 */
export async function loadWorkingSet(context: EngineContext, user: UserKey): Promise<WorkingSet> {
  const { hot, warm } = context.stores;
  const key = { tenantId: user.tenantId, userId: user.id };
  const cached = await hot.getWorkingSet(key);
  context.usage.count(user.tenantId, cached ? 'cacheHits' : 'cacheMisses');
  if (cached) return cached;

  const generation = await hot.getGeneration(key);
  const [stored, memories, latest] = await Promise.all([
    warm.getUserById(key),
    warm.listMemories({ ...key, scope: 'current', kinds: ['fact'] }),
    warm.listMemories({ ...key, scope: 'all', order: 'desc', limit: 1 }),
  ]);
  const last = latest[0];
  const workingSet: WorkingSet = {
    version: stored?.version ?? 0,
    memories,
    lastSeen: last ? { channel: last.source.channel, at: last.observedAt } : null,
  };
  await hot.setWorkingSet({ ...key, generation, workingSet, ttlSeconds: context.cacheTtlSeconds });
  return workingSet;
}

import { MemnexError } from '../../errors.js';
import type { MemoryPatch, MemoryRecord, UserRecord } from '../../model.js';
import type { EngineContext } from '../context.js';
import { announceChange, updateIndex } from '../effects.js';

/** How often a maintenance change is re-planned when a writer changed the user in between. */
const MAX_ATTEMPTS = 5;

/** What a maintenance job changes of one user, planned from the user's memories as they are. */
export interface MaintenancePlan {
  update: MemoryPatch[];
  /** Memories that stop being current (expired, merged into another). */
  retired: string[];
}

/**
 * Apply a maintenance change to one user's memories under the user's write lock, as one
 * version-checked commit: `plan` reads the memories it needs and returns the patches; when
 * another instance's write moved the user's version meanwhile, it is planned again. The index
 * and every instance's caches follow. Returns null when the user is gone or nothing changes.
 */
export async function patchUser<Summary>(
  context: EngineContext,
  target: { tenantId: string; userId: string },
  plan: (user: UserRecord) => Promise<(MaintenancePlan & { summary: Summary }) | null>,
): Promise<{ version: number; summary: Summary } | null> {
  const { tenantId, userId } = target;
  const { warm } = context.stores;
  return context.userLocks.run(`${tenantId}:${userId}`, async () => {
    for (let attempt = 1; ; attempt += 1) {
      const user = await warm.getUserById({ tenantId, userId });
      if (!user) return null;
      const planned = await plan(user);
      if (!planned || planned.update.length === 0) return null;
      try {
        const { version } = await warm.commitWrite({
          tenantId,
          userId,
          expectedVersion: user.version,
          insert: [],
          update: planned.update,
          at: context.now().toISOString(),
        });
        await updateIndex(context, tenantId, userId, { retired: planned.retired });
        await announceChange(context, user, version);
        return { version, summary: planned.summary };
      } catch (error) {
        if (MemnexError.isInstance(error) && error.code === 'CONFLICT' && attempt < MAX_ATTEMPTS) {
          continue;
        }
        throw error;
      }
    }
  });
}

/** Group memory references by user, keeping the order of first appearance. */
export function byUser<Ref extends { tenantId: string; userId: string }>(
  refs: readonly Ref[],
): Array<{ tenantId: string; userId: string; refs: Ref[] }> {
  const groups = new Map<string, { tenantId: string; userId: string; refs: Ref[] }>();
  for (const ref of refs) {
    const key = `${ref.tenantId}\u0000${ref.userId}`;
    let group = groups.get(key);
    if (!group) {
      group = { tenantId: ref.tenantId, userId: ref.userId, refs: [] };
      groups.set(key, group);
    }
    group.refs.push(ref);
  }
  return [...groups.values()];
}

/** True when the memory is one the user holds as current truth. */
export function isCurrent(record: MemoryRecord): boolean {
  return record.status === 'active' && record.validTo === null;
}

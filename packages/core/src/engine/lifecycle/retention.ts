import type { ExpiredMemoryRef } from '../../ports/index.js';
import type { EngineContext } from '../context.js';
import { appendAudit } from '../effects.js';
import { deleteUserMemories } from '../forget.js';
import { isExpired } from '../ranking.js';
import { patchUser } from './patch-user.js';

/** Settings of one retention sweep. */
export interface RetentionSettings {
  /** Seconds an expired memory is kept (out of reads and search) before it is deleted. */
  graceSeconds: number;
  /** Memories handled per store round trip. */
  batchSize: number;
  /** Called between batches; the sweep stops when it resolves false (the lease was lost). */
  keepGoing: () => Promise<boolean>;
}

/** What one retention sweep did. */
export interface RetentionResult {
  /** Memories whose time to live passed and that left reads and search. */
  expired: number;
  /** Expired memories deleted for good after the grace window. */
  purged: number;
  /** Users whose memories changed. */
  users: number;
  /** False when the sweep stopped early because it lost its lease. */
  complete: boolean;
}

/**
 * Expire the memories whose `expiresAt` has passed (status `expired`, `validTo` at the expiry,
 * out of the index's current entries), then delete for good those expired longer ago than the
 * grace window, on every tenant. Each user's change is one commit, announced to every instance
 * and recorded in the tenant's ledger (`memory.expire`, `memory.purge`).
 */
export async function sweepRetention(
  context: EngineContext,
  settings: RetentionSettings,
): Promise<RetentionResult> {
  const result: RetentionResult = { expired: 0, purged: 0, users: 0, complete: true };
  const touched = new Set<string>();
  const now = context.now();
  const phases = [
    {
      before: now.toISOString(),
      statuses: ['active' as const],
      apply: (group: Group) => expireGroup(context, group, now.toISOString()),
      count: (n: number) => (result.expired += n),
    },
    {
      before: new Date(now.getTime() - settings.graceSeconds * 1000).toISOString(),
      statuses: undefined,
      apply: (group: Group) => purgeGroup(context, group, settings.graceSeconds),
      count: (n: number) => (result.purged += n),
    },
  ];
  for (const phase of phases) {
    // Handled memories leave the listing; one that cannot be handled (its user is gone) is
    // skipped by id so that it cannot hold the sweep in a loop.
    const skipped = new Set<string>();
    for (;;) {
      const refs = (
        await context.stores.warm.listExpiredMemories({
          before: phase.before,
          statuses: phase.statuses,
          limit: settings.batchSize + skipped.size,
        })
      ).filter((ref) => !skipped.has(ref.id));
      if (refs.length === 0) break;
      for (const group of byUser(refs)) {
        const handled = await phase.apply(group);
        phase.count(handled.length);
        if (handled.length > 0) touched.add(`${group.tenantId}:${group.userId}`);
        const done = new Set(handled);
        for (const ref of group.refs) if (!done.has(ref.id)) skipped.add(ref.id);
      }
      if (!(await settings.keepGoing())) {
        result.complete = false;
        result.users = touched.size;
        return result;
      }
      if (refs.length < settings.batchSize) break;
    }
  }
  result.users = touched.size;
  return result;
}

type Group = { tenantId: string; userId: string; refs: ExpiredMemoryRef[] };

/** Mark a user's expired memories `expired`; returns the ids changed. */
async function expireGroup(context: EngineContext, group: Group, at: string): Promise<string[]> {
  const ids = group.refs.map((ref) => ref.id);
  const changed = await patchUser(context, group, async () => {
    const now = new Date(at);
    const records = (
      await context.stores.warm.getMemories({ tenantId: group.tenantId, ids })
    ).filter(
      (record) =>
        record.userId === group.userId && record.status === 'active' && isExpired(record, now),
    );
    return {
      update: records.map((record) => ({
        id: record.id,
        set: {
          status: 'expired' as const,
          validTo: record.validTo ?? record.expiresAt,
          updatedAt: at,
        },
      })),
      retired: records.map((record) => record.id),
      summary: records.map((record) => record.id),
    };
  });
  if (!changed) return [];
  await appendAudit(context, group.tenantId, {
    op: 'memory.expire',
    actor: 'system',
    subject: group.userId,
    payload: {
      memoryIds: changed.summary,
      count: changed.summary.length,
      version: changed.version,
    },
  });
  return changed.summary;
}

/** Delete a user's memories expired longer ago than the grace window; returns the ids deleted. */
async function purgeGroup(
  context: EngineContext,
  group: Group,
  graceSeconds: number,
): Promise<string[]> {
  const { tenantId, userId } = group;
  const purged = await context.userLocks.run(`${tenantId}:${userId}`, async () => {
    const user = await context.stores.warm.getUserById({ tenantId, userId });
    if (!user) return null;
    return deleteUserMemories(
      context,
      user,
      group.refs.map((ref) => ref.id),
    );
  });
  if (!purged || purged.memoryIds.length === 0) return [];
  await appendAudit(context, tenantId, {
    op: 'memory.purge',
    actor: 'system',
    subject: userId,
    payload: { memoryIds: purged.memoryIds, count: purged.memories, graceSeconds },
  });
  return purged.memoryIds;
}

/** Group memory references by user, keeping the order of first appearance. */
function byUser(refs: readonly ExpiredMemoryRef[]): Group[] {
  const groups = new Map<string, Group>();
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

import { MemnexError } from '../../errors.js';
import type { AuditDraft, MemoryPatch, UserRecord } from '../../model.js';
import type { EngineContext } from '../context.js';
import { announceChange, appendAudit, updateIndex } from '../effects.js';

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

/** One person's maintenance job: its plan from their memories, and the ledger entry of it. */
export interface PersonJob<Plan extends MaintenancePlan> {
  plan(user: UserRecord): Promise<Plan>;
  /** The ledger entry of a plan applied as the user's `version`. */
  audit(plan: Plan, version: number): Pick<AuditDraft, 'op' | 'payload'>;
}

/**
 * Plan one person's maintenance and, unless it is a dry run, apply it with {@link patchUser} and
 * record it in the ledger. Returns the plan of the last attempt (the one applied, or the one that
 * found nothing to change), or null when the person is gone.
 */
export async function runPersonJob<Plan extends MaintenancePlan>(
  context: EngineContext,
  run: { tenantId: string; person: UserRecord; actor: string; dryRun: boolean },
  job: PersonJob<Plan>,
): Promise<Plan | null> {
  const { tenantId, person } = run;
  if (run.dryRun) return job.plan(person);
  let plan = null as Plan | null;
  const applied = await patchUser(context, { tenantId, userId: person.id }, async (user) => {
    plan = await job.plan(user);
    return { ...plan, summary: plan };
  });
  if (applied) {
    await appendAudit(context, tenantId, {
      actor: run.actor,
      subject: person.id,
      ...job.audit(applied.summary, applied.version),
    });
  }
  return plan;
}

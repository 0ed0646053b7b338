import type { MemoryRecord } from '../../model.js';
import type { MemoryType } from '../../wire/common.js';
import {
  applyRetentionInputSchema,
  type ApplyRetentionInput,
  type ApplyRetentionResult,
} from '../../wire/lifecycle.js';
import type { CallContext, EngineContext } from '../context.js';
import { parseInput, splitTenant } from '../validate.js';
import { runPersonJob } from './patch-user.js';
import { peopleOf } from './people.js';

/** Options of `memnex.lifecycle.applyRetention`. */
export type ApplyRetentionOptions = ApplyRetentionInput & { tenantId: string } & CallContext;

/** A memory whose expiry the policy brings forward, and its new expiry. */
interface Shortened {
  record: MemoryRecord;
  expiresAt: string;
}

/**
 * The memories of `records` that the policy makes expire sooner: a memory of a type with a
 * retention lives at most that long after it was written. An earlier expiry (a shorter `ttl`
 * given with the fact) stays; nothing is made to live longer.
 */
function shortenedBy(
  records: readonly MemoryRecord[],
  retention: Partial<Record<MemoryType, number>>,
): Shortened[] {
  const shortened: Shortened[] = [];
  for (const record of records) {
    const seconds = retention[record.type];
    if (seconds === undefined) continue;
    const due = Date.parse(record.createdAt) + seconds * 1000;
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= due) continue;
    shortened.push({ record, expiresAt: new Date(due).toISOString() });
  }
  return shortened;
}

/**
 * Apply the tenant's retention policy (`settings.retention`) to the memories already stored, as
 * writes apply it to new ones: each memory of a type with a retention expires at most that long
 * after it was written. Current memories and history (superseded, resolved) alike; the retention
 * sweep then expires and deletes them as usual. Each person's change is one commit, audited as
 * `memory.retention` with the ids. A dry run counts the same and changes nothing.
 */
export async function applyRetention(
  context: EngineContext,
  options: ApplyRetentionOptions,
): Promise<ApplyRetentionResult> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(applyRetentionInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const retention = { ...tenant.settings.retention };
  const types = Object.keys(retention) as MemoryType[];
  const result: ApplyRetentionResult = {
    dryRun: input.dryRun,
    retention,
    users: 0,
    memories: 0,
    byType: {},
    due: 0,
  };
  if (types.length === 0) return result;
  const { warm } = context.stores;
  for await (const person of peopleOf(context, tenant, input)) {
    result.users += 1;
    const plan = await runPersonJob(
      context,
      { tenantId, person, actor, dryRun: input.dryRun },
      {
        plan: async (user) => {
          const at = context.now().toISOString();
          const records = await warm.listMemories({
            tenantId,
            userId: user.id,
            scope: 'all',
            statuses: ['active', 'superseded', 'resolved'],
            types,
          });
          const shortened = shortenedBy(records, retention);
          return {
            shortened,
            update: shortened.map(({ record, expiresAt }) => ({
              id: record.id,
              set: { expiresAt, updatedAt: at },
            })),
            retired: [],
          };
        },
        audit: (applied, version) => {
          const memoryIds = applied.shortened.map(({ record }) => record.id);
          return {
            op: 'memory.retention',
            payload: { memoryIds, count: memoryIds.length, retention, version },
          };
        },
      },
    );
    const now = context.now().getTime();
    for (const { record, expiresAt } of plan?.shortened ?? []) {
      result.memories += 1;
      result.byType[record.type] = (result.byType[record.type] ?? 0) + 1;
      if (Date.parse(expiresAt) <= now) result.due += 1;
    }
  }
  return result;
}

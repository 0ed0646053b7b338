import { toIso } from '../util/time.js';
import {
  timelineInputSchema,
  type TimelineEntry,
  type TimelineInput,
  type TimelineResult,
} from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { resolveUserForRead } from './users.js';
import { parseInput, splitTenant } from './validate.js';
import { toView } from './views.js';

/** Options of `memnex.timeline`. */
export type TimelineOptions = TimelineInput & { tenantId: string } & CallContext;

const END_EVENT = { superseded: 'superseded', resolved: 'resolved', expired: 'expired' } as const;

/**
 * The story of a user's facts in time order: when each was learnt, and when it was superseded,
 * resolved or expired, and by what.
 */
export async function timeline(
  context: EngineContext,
  options: TimelineOptions,
): Promise<TimelineResult> {
  const [tenantId, { actor: _actor, ...wire }] = splitTenant(options);
  const input = parseInput(timelineInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUserForRead(context, tenant, input.user);
  if (!user) return { entries: [] };

  const since = input.since === undefined ? null : toIso(input.since);
  const until = input.until === undefined ? null : toIso(input.until);
  const records = await context.stores.warm.listMemories({
    tenantId,
    userId: user.id,
    scope: 'all',
    kinds: ['fact'],
    types: input.types,
  });
  const entries: TimelineEntry[] = [];
  for (const record of records) {
    const memory = toView(record);
    entries.push({ at: record.validFrom, event: 'created', memory, by: null });
    if (record.validTo !== null && record.status !== 'active') {
      entries.push({
        at: record.validTo,
        event: END_EVENT[record.status],
        memory,
        by: record.supersededBy,
      });
    }
  }
  const inRange = entries.filter(
    (entry) => (since === null || entry.at >= since) && (until === null || entry.at < until),
  );
  inRange.sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      (a.event === 'created' ? -1 : 1) - (b.event === 'created' ? -1 : 1),
  );
  return { entries: inRange.slice(0, input.limit) };
}

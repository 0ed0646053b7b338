import type { MemoryPatch, MemoryRecord, UserRecord } from '../../model.js';
import { compactInputSchema, type CompactInput, type CompactResult } from '../../wire/lifecycle.js';
import type { CallContext, EngineContext } from '../context.js';
import { parseInput, splitTenant } from '../validate.js';
import { findNearDuplicates } from './near-duplicates.js';
import { runPersonJob } from './patch-user.js';
import { peopleOf } from './people.js';

/** How salience decays in compaction. */
export interface DecaySettings {
  /** A fact seen once and not again for this many days starts to lose salience. */
  afterDays: number;
  /** Salience halves every this many days after that. */
  halfLifeDays: number;
  /** Salience never goes below this. */
  floor: number;
}

/** Options of `memnex.lifecycle.compact`. */
export type CompactOptions = CompactInput & { tenantId: string } & CallContext;

const DAY_MS = 86_400_000;

/** Which facts compaction never touches: pinned facts and everything in an open issue. */
function protectedFacts(facts: readonly MemoryRecord[]): Set<string> {
  const openIssues = facts.filter((fact) => fact.type === 'issue');
  const issueEntities = new Set(openIssues.flatMap((issue) => issue.entities));
  const kept = new Set<string>();
  for (const fact of facts) {
    if (
      fact.type === 'issue' ||
      fact.metadata.pinned === true ||
      fact.entities.some((entity) => issueEntities.has(entity))
    ) {
      kept.add(fact.id);
    }
  }
  return kept;
}

interface UserPlan {
  update: MemoryPatch[];
  retired: string[];
  merges: CompactResult['merges'];
  decays: CompactResult['decays'];
  protected: number;
}

/** Plan one user's compaction from their current facts. */
function planUser(
  user: UserRecord,
  facts: readonly MemoryRecord[],
  similarity: number,
  decay: DecaySettings,
  now: Date,
): UserPlan {
  const at = now.toISOString();
  const guarded = protectedFacts(facts);
  const candidates = facts.filter((fact) => !guarded.has(fact.id));
  const plan: UserPlan = {
    update: [],
    retired: [],
    merges: [],
    decays: [],
    protected: guarded.size,
  };
  const ref = (fact: MemoryRecord) => ({ id: fact.id, type: fact.type, text: fact.text });
  const merged = new Set<string>();
  const lastSeen = new Map<string, string>();
  const seen = new Map<string, number>();

  for (const { keep, merged: others } of findNearDuplicates(candidates, similarity)) {
    const all = [keep, ...others];
    const latest = all.reduce((max, fact) => (fact.lastSeenAt > max ? fact.lastSeenAt : max), '');
    const seenCount = all.reduce((sum, fact) => sum + fact.seenCount, 0);
    const previous = Array.isArray(keep.metadata.mergedFrom) ? keep.metadata.mergedFrom : [];
    plan.update.push({
      id: keep.id,
      set: {
        seenCount,
        lastSeenAt: latest,
        confidence: Math.max(...all.map((fact) => fact.confidence)),
        metadata: {
          ...keep.metadata,
          mergedFrom: [...previous, ...others.map((fact) => fact.id)],
        },
        updatedAt: at,
      },
    });
    for (const other of others) {
      merged.add(other.id);
      plan.retired.push(other.id);
      plan.update.push({
        id: other.id,
        set: { status: 'superseded', validTo: at, supersededBy: keep.id, updatedAt: at },
      });
    }
    lastSeen.set(keep.id, latest);
    seen.set(keep.id, seenCount);
    plan.merges.push({ user: user.externalId, keep: ref(keep), merged: others.map(ref) });
  }

  for (const fact of candidates) {
    if (merged.has(fact.id) || (seen.get(fact.id) ?? fact.seenCount) > 1) continue;
    const idleDays =
      (now.getTime() - Date.parse(lastSeen.get(fact.id) ?? fact.lastSeenAt)) / DAY_MS;
    if (idleDays <= decay.afterDays) continue;
    const base =
      typeof fact.metadata.salienceBase === 'number' ? fact.metadata.salienceBase : fact.salience;
    const decayed = Math.max(
      decay.floor,
      Math.round(base * 0.5 ** ((idleDays - decay.afterDays) / decay.halfLifeDays) * 1000) / 1000,
    );
    if (decayed >= fact.salience - 0.005) continue;
    const existing = plan.update.find((patch) => patch.id === fact.id);
    const metadata = { ...(existing?.set.metadata ?? fact.metadata), salienceBase: base };
    if (existing) Object.assign(existing.set, { salience: decayed, metadata });
    else plan.update.push({ id: fact.id, set: { salience: decayed, metadata, updatedAt: at } });
    plan.decays.push({ user: user.externalId, id: fact.id, from: fact.salience, to: decayed });
  }
  return plan;
}

/**
 * Merge each person's near-duplicate facts into one (the others join its history, superseded by
 * it, and it records their ids in `metadata.mergedFrom`), and lower the salience of old facts
 * that were never seen again. Facts in an open issue and pinned facts (`metadata.pinned`) are
 * never touched. A dry run returns the same report and changes nothing.
 */
export async function compact(
  context: EngineContext,
  options: CompactOptions,
  decay: DecaySettings,
): Promise<CompactResult> {
  const [tenantId, { actor = 'system', ...wire }] = splitTenant(options);
  const input = parseInput(compactInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const { warm } = context.stores;
  const result: CompactResult = {
    dryRun: input.dryRun,
    users: 0,
    merges: [],
    decays: [],
    protected: 0,
  };
  for await (const person of peopleOf(context, tenant, input)) {
    result.users += 1;
    const plan = await runPersonJob(
      context,
      { tenantId, person, actor, dryRun: input.dryRun },
      {
        plan: async (user) => {
          const facts = await warm.listMemories({
            tenantId,
            userId: user.id,
            scope: 'current',
            kinds: ['fact'],
          });
          return planUser(user, facts, input.similarity, decay, context.now());
        },
        audit: (applied, version) => ({
          op: 'memory.compact',
          payload: {
            merged: applied.merges.map((merge) => ({
              keep: merge.keep.id,
              merged: merge.merged.map((fact) => fact.id),
            })),
            decayed: applied.decays.map((item) => item.id),
            version,
          },
        }),
      },
    );
    if (!plan) continue;
    result.merges.push(...plan.merges);
    result.decays.push(...plan.decays);
    result.protected += plan.protected;
  }
  return result;
}

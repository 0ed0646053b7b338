import type { MemoryRecord } from '../model.js';
import { toIso } from '../util/time.js';
import {
  searchInputSchema,
  type SearchHit,
  type SearchInput,
  type SearchResult,
} from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { hybridSearch } from './hybrid.js';
import { isExpired } from './ranking.js';
import { resolveUserForRead } from './users.js';
import { parseInput, splitTenant } from './validate.js';
import { toView } from './views.js';

/** Options of `memnex.search`. */
export type SearchOptions = SearchInput & { tenantId: string } & CallContext;

export async function search(
  context: EngineContext,
  options: SearchOptions,
): Promise<SearchResult> {
  const [tenantId, { actor: _actor, ...wire }] = splitTenant(options);
  const input = parseInput(searchInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUserForRead(context, tenant, input.user);
  if (!user) return { hits: [], version: 0 };

  const fused = await hybridSearch(context, {
    tenantId,
    userId: user.id,
    query: input.query,
    candidates: Math.max(context.search.candidates, input.limit * 3),
    filter: {
      types: input.types,
      kinds: input.kinds,
      includeHistory: input.includeHistory,
      since: input.since === undefined ? undefined : toIso(input.since),
      until: input.until === undefined ? undefined : toIso(input.until),
    },
  });
  const now = context.now();
  const wanted = fused.slice(0, input.limit * 2);
  const [records, stored] = await Promise.all([
    context.stores.warm.getMemories({ tenantId, ids: wanted.map((hit) => hit.memoryId) }),
    context.stores.warm.getUserById({ tenantId, userId: user.id }),
  ]);
  const byId = new Map<string, MemoryRecord>(
    records
      .filter(
        (record) => record.userId === user.id && (input.includeHistory || !isExpired(record, now)),
      )
      .map((record) => [record.id, record]),
  );
  const hits: SearchHit[] = [];
  for (const hit of wanted) {
    const record = byId.get(hit.memoryId);
    if (!record) continue;
    hits.push({
      ...toView(record),
      score: Math.round(hit.score * 1e6) / 1e6,
      lexicalRank: hit.ranks[0] ?? null,
      vectorRank: hit.ranks[1] ?? null,
    });
  }
  hits.sort(
    (a, b) =>
      b.score - a.score || b.observedAt.localeCompare(a.observedAt) || b.salience - a.salience,
  );
  return { hits: hits.slice(0, input.limit), version: stored?.version ?? 0 };
}

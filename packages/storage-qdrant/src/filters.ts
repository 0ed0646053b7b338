import type { IndexFilter } from '@memnex/core';
import { epochMillis, pointId } from './point-mapping.js';

/** One Qdrant filter condition, in the REST shape. */
export type Condition =
  | { key: string; match: { value: string | boolean } }
  | { key: string; match: { any: string[] } }
  | { key: string; range: { gte?: number; lt?: number } }
  | { has_id: string[] };

/** A Qdrant filter whose conditions must all hold. */
export interface MustFilter {
  must: Condition[];
}

/** The conditions that scope every request to one user of one tenant. */
export function ownerConditions(tenantId: string, userId: string): Condition[] {
  return [
    { key: 'tenant_id', match: { value: tenantId } },
    { key: 'user_id', match: { value: userId } },
  ];
}

/** Points of `memoryIds` owned by the user (ids are tenant-scoped point ids). */
export function ownedPointsFilter(
  tenantId: string,
  userId: string,
  memoryIds?: readonly string[],
): MustFilter {
  const must = ownerConditions(tenantId, userId);
  if (memoryIds !== undefined) {
    must.push({ has_id: [...new Set(memoryIds)].map((memoryId) => pointId(tenantId, memoryId)) });
  }
  return { must };
}

/**
 * The filter of a vector search: the owner, then the index filter. Returns null when the filter
 * can match nothing (an empty `types` or `kinds` list), so no request needs to be sent.
 */
export function searchFilter(
  tenantId: string,
  userId: string,
  filter: IndexFilter = {},
): MustFilter | null {
  const must = ownerConditions(tenantId, userId);
  if (filter.types) {
    if (filter.types.length === 0) return null;
    must.push({ key: 'type', match: { any: [...filter.types] } });
  }
  if (filter.kinds) {
    if (filter.kinds.length === 0) return null;
    must.push({ key: 'kind', match: { any: [...filter.kinds] } });
  }
  if (!filter.includeHistory) must.push({ key: 'current', match: { value: true } });
  const range: { gte?: number; lt?: number } = {};
  if (filter.since !== undefined) range.gte = epochMillis(filter.since, 'filter.since');
  if (filter.until !== undefined) range.lt = epochMillis(filter.until, 'filter.until');
  if (range.gte !== undefined || range.lt !== undefined) must.push({ key: 'observed_at', range });
  return { must };
}

import type { IndexEntry, IndexFilter, IndexHit } from '@memnex/core';
import { compareIds, compareInstants, takeLimit } from './collections.js';

/** What ranking and filtering read of an entry. */
export type RankedFields = Pick<
  IndexEntry,
  'memoryId' | 'current' | 'type' | 'kind' | 'observedAt'
>;

/** True when the entry passes every condition of the filter. */
export function matchesFilter(entry: RankedFields, filter: IndexFilter | undefined): boolean {
  if (!filter?.includeHistory && !entry.current) return false;
  if (filter?.types && !filter.types.includes(entry.type)) return false;
  if (filter?.kinds && !filter.kinds.includes(entry.kind)) return false;
  if (filter?.since !== undefined && compareInstants(entry.observedAt, filter.since) < 0) {
    return false;
  }
  if (filter?.until !== undefined && compareInstants(entry.observedAt, filter.until) >= 0) {
    return false;
  }
  return true;
}

/** A scored entry before ranking. */
export interface ScoredEntry {
  entry: RankedFields;
  score: number;
}

/**
 * Best first, ties broken deterministically: the newer `observedAt` first, then the smaller
 * memory id. Returns at most `limit` hits.
 */
export function rankHits(candidates: ScoredEntry[], limit: number): IndexHit[] {
  candidates.sort(
    (left, right) =>
      right.score - left.score ||
      compareInstants(right.entry.observedAt, left.entry.observedAt) ||
      compareIds(left.entry.memoryId, right.entry.memoryId),
  );
  return takeLimit(candidates, limit).map(({ entry, score }) => ({
    memoryId: entry.memoryId,
    score,
  }));
}

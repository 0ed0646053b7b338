import type { MemoryQuery, MemoryRecord } from '@memnex/core';
import { compareIds, compareInstants, takeLimit } from './collections.js';

/** True when the memory was current at `asOf`: `validFrom <= asOf < validTo`. */
function validAt(memory: MemoryRecord, asOf: string): boolean {
  if (compareInstants(memory.validFrom, asOf) > 0) return false;
  return memory.validTo === null || compareInstants(asOf, memory.validTo) < 0;
}

/** True when some item of `values` is in `wanted`; an empty `wanted` list matches nothing. */
function intersects(values: readonly string[], wanted: readonly string[]): boolean {
  return values.some((value) => wanted.includes(value));
}

/** True when the memory satisfies every condition of the query (user and tenant aside). */
export function matchesQuery(memory: MemoryRecord, query: MemoryQuery): boolean {
  if (query.asOf !== undefined) {
    if (!validAt(memory, query.asOf)) return false;
  } else if ((query.scope ?? 'current') === 'current') {
    if (memory.status !== 'active' || memory.validTo !== null) return false;
  }
  if (query.statuses && !query.statuses.includes(memory.status)) return false;
  if (query.types && !query.types.includes(memory.type)) return false;
  if (query.kinds && !query.kinds.includes(memory.kind)) return false;
  if (query.slots && (memory.slot === null || !query.slots.includes(memory.slot))) return false;
  if (query.contentHashes && !query.contentHashes.includes(memory.contentHash)) return false;
  if (query.entities && !intersects(memory.entities, query.entities)) return false;
  if (query.messageIds && !intersects(memory.source.messageIds, query.messageIds)) return false;
  if (query.since !== undefined && compareInstants(memory.observedAt, query.since) < 0) {
    return false;
  }
  if (query.until !== undefined && compareInstants(memory.observedAt, query.until) >= 0) {
    return false;
  }
  return true;
}

/** Oldest first by `observedAt`, then by id. */
export function compareMemories(left: MemoryRecord, right: MemoryRecord): number {
  return compareInstants(left.observedAt, right.observedAt) || compareIds(left.id, right.id);
}

/** Filter, order and limit one user's memories as {@link MemoryQuery} describes. */
export function runMemoryQuery(
  memories: Iterable<MemoryRecord>,
  query: MemoryQuery,
): MemoryRecord[] {
  const matching: MemoryRecord[] = [];
  for (const memory of memories) {
    if (matchesQuery(memory, query)) matching.push(memory);
  }
  matching.sort(compareMemories);
  if (query.order === 'desc') matching.reverse();
  return takeLimit(matching, query.limit);
}

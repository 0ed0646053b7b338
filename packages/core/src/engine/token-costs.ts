import { countTokens, type ContextFormatter } from '../formats/index.js';
import type { MemoryRecord } from '../model.js';
import type { ContextFormat } from '../wire/common.js';

/**
 * Token counting is the costliest step of a warm read, and a warm read counts what an earlier
 * read of the same user already counted. Counts are remembered where they stay valid:
 *
 * - a line's cost, by the record object: an in-process hot store hands out the same frozen
 *   records until they change, so the count lives as long as the cached record;
 * - then by record id and update time, for records parsed afresh from a shared (Redis) cache;
 * - a whole context's count, by the working set it was rendered from.
 */
const costsByRecord = new WeakMap<MemoryRecord, Partial<Record<ContextFormat, number>>>();
const costsByKey = new Map<string, number>();
const KEYED_COSTS = 100_000;
const countsBySet = new WeakMap<object, Map<string, number>>();
const COUNTS_PER_SET = 16;

/** Tokens of the line `formatter` renders for `record`. */
export function lineCost(formatter: ContextFormatter, record: MemoryRecord): number {
  const { format } = formatter;
  let costs = costsByRecord.get(record);
  const known = costs?.[format];
  if (known !== undefined) return known;
  const key = `${format}\u0000${record.id}\u0000${record.updatedAt}`;
  let cost = costsByKey.get(key);
  if (cost === undefined) {
    cost = countTokens(formatter.line(record));
    // Oldest first out: a busy server keeps the costs of the users it reads most.
    if (costsByKey.size >= KEYED_COSTS) costsByKey.delete(costsByKey.keys().next().value!);
    costsByKey.set(key, cost);
  }
  if (!costs) costsByRecord.set(record, (costs = {}));
  costs[format] = cost;
  return cost;
}

/** A token counter that remembers the contexts rendered from `workingSet` (none: no memory). */
export function contextCounter(workingSet: object | null): (text: string) => number {
  if (!workingSet) return countTokens;
  let counts = countsBySet.get(workingSet);
  if (!counts) countsBySet.set(workingSet, (counts = new Map()));
  const known = counts;
  return (text) => {
    let count = known.get(text);
    if (count === undefined) {
      count = countTokens(text);
      if (known.size >= COUNTS_PER_SET) known.delete(known.keys().next().value!);
      known.set(text, count);
    }
    return count;
  };
}

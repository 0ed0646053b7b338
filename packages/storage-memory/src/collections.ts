/** The value under `key`, created with `create` and stored when absent. */
export function getOrCreate<Key, Value>(
  map: Map<Key, Value>,
  key: Key,
  create: () => Value,
): Value {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * A deep copy, so that neither the caller nor the store can change the other's objects.
 * `structuredClone` keeps `Float32Array`s typed (as copies) and dates as dates.
 */
export function copy<Value>(value: Value): Value {
  return structuredClone(value);
}

/** Freeze a value and everything it holds (typed arrays, which cannot be frozen, aside). */
export function deepFreeze<Value>(value: Value): Value {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/** Compare two ISO-8601 instants by time, falling back to text when one does not parse. */
export function compareInstants(left: string, right: string): number {
  const leftTime = Date.parse(left);
  const rightTime = Date.parse(right);
  if (Number.isNaN(leftTime) || Number.isNaN(rightTime)) {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  return leftTime - rightTime;
}

/** Compare two strings by code unit, the order of ids everywhere in Memnex. */
export function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The first `limit` items; all of them when `limit` is absent, none when it is 0 or less. */
export function takeLimit<Item>(items: Item[], limit: number | undefined): Item[] {
  if (limit === undefined) return items;
  return items.slice(0, Math.max(0, Math.floor(limit)));
}

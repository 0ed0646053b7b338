/** An error the fake answers with: an HTTP status and Qdrant's error text. */
export class FakeQdrantError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FakeQdrantError';
  }
}

/** The data type of a payload index, as `PUT /collections/{name}/index` declares it. */
export type IndexDataType = 'keyword' | 'integer' | 'float' | 'bool' | 'uuid' | 'datetime' | 'text';

/** What a filter is evaluated against. */
export interface FilterTarget {
  id: string | number;
  payload: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * A point id as Qdrant keeps it: an unsigned integer, or a UUID in hyphenated lower case (Qdrant
 * accepts the simple, braced and urn forms too). Anything else is a 400, as on the server.
 */
export function parsePointId(value: unknown): string | number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const bare = value.replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1');
    if (UUID_PATTERN.test(bare)) {
      const hex = bare.replace(/-/g, '').toLowerCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
  }
  throw new FakeQdrantError(
    400,
    `Format error in JSON body: value ${JSON.stringify(value)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

/**
 * Evaluates Qdrant filters (`must`, `should`, `must_not`, nested filters; field conditions with
 * `match.value`, `match.any`, `match.except` and `range`; `has_id`) with the server's semantics.
 * Like a server in strict mode, a field condition needs a payload index of a fitting type, so a
 * filter on a field the adapter forgot to index fails here instead of scanning silently.
 */
export function createFilterEvaluator(indexes: ReadonlyMap<string, IndexDataType>) {
  function requireIndex(key: string, accepted: IndexDataType[]): void {
    const type = indexes.get(key);
    if (type && accepted.includes(type)) return;
    throw new FakeQdrantError(
      400,
      `Bad request: Index required but not found for "${key}" of one of the following types: [${accepted.join(', ')}]. Help: Create an index for this key or use a different filter.`,
    );
  }

  function valuesAt(payload: Json, key: string): unknown[] {
    const value = payload[key];
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  }

  function typesFor(value: unknown): IndexDataType[] {
    if (typeof value === 'boolean') return ['bool'];
    if (typeof value === 'number') return ['integer'];
    return ['keyword', 'uuid'];
  }

  function fieldMatches(condition: Json, target: FilterTarget | null): boolean {
    const key = condition.key;
    if (typeof key !== 'string') throw new FakeQdrantError(400, 'field condition without key');
    const values = target ? valuesAt(target.payload, key) : [];
    const match = condition.match as Json | undefined;
    const range = condition.range as Json | undefined;
    if (match && 'value' in match) {
      requireIndex(key, typesFor(match.value));
      return values.some((value) => value === match.value);
    }
    if (match && Array.isArray(match.any)) {
      requireIndex(key, typesFor(match.any[0]));
      return values.some((value) => (match.any as unknown[]).includes(value));
    }
    if (match && Array.isArray(match.except)) {
      requireIndex(key, typesFor(match.except[0]));
      return values.some((value) => !(match.except as unknown[]).includes(value));
    }
    if (range && !match) {
      requireIndex(key, ['integer', 'float']);
      return values.some((value) => typeof value === 'number' && inRange(value, range));
    }
    throw new FakeQdrantError(
      400,
      `the fake does not support the condition ${JSON.stringify(condition)}`,
    );
  }

  function conditionMatches(condition: unknown, target: FilterTarget | null): boolean {
    if (typeof condition !== 'object' || condition === null) {
      throw new FakeQdrantError(400, 'Format error in JSON body: invalid condition');
    }
    const json = condition as Json;
    if (Array.isArray(json.has_id)) {
      const wanted = json.has_id.map(parsePointId);
      return target !== null && wanted.includes(target.id);
    }
    if ('key' in json) return fieldMatches(json, target);
    if ('must' in json || 'should' in json || 'must_not' in json) return evaluate(json, target);
    throw new FakeQdrantError(
      400,
      `the fake does not support the condition ${JSON.stringify(json)}`,
    );
  }

  function list(clause: unknown): unknown[] {
    if (clause === undefined || clause === null) return [];
    return Array.isArray(clause) ? clause : [clause];
  }

  function evaluate(filter: unknown, target: FilterTarget | null): boolean {
    if (filter === undefined || filter === null) return true;
    const json = filter as Json;
    if (json.min_should !== undefined && json.min_should !== null) {
      throw new FakeQdrantError(400, 'the fake does not support min_should');
    }
    const must = list(json.must);
    const should = list(json.should);
    const mustNot = list(json.must_not);
    const mustResults = must.map((condition) => conditionMatches(condition, target));
    const shouldResults = should.map((condition) => conditionMatches(condition, target));
    const mustNotResults = mustNot.map((condition) => conditionMatches(condition, target));
    return (
      mustResults.every(Boolean) &&
      (shouldResults.length === 0 || shouldResults.some(Boolean)) &&
      !mustNotResults.some(Boolean)
    );
  }

  return {
    /** Throw the server's 400 for a filter it would refuse, before any point is looked at. */
    check(filter: unknown): void {
      evaluate(filter, null);
    },
    /** True when `target` passes `filter`; an absent filter passes everything. */
    matches: (filter: unknown, target: FilterTarget): boolean => evaluate(filter, target),
  };
}

function inRange(value: number, range: Json): boolean {
  const bound = (name: string): number | undefined =>
    typeof range[name] === 'number' ? (range[name] as number) : undefined;
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte)
  );
}

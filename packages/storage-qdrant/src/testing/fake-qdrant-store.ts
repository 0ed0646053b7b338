import {
  createFilterEvaluator,
  FakeQdrantError,
  parsePointId,
  type IndexDataType,
} from './fake-qdrant-filter.js';

type Json = Record<string, unknown>;

/** A stored point, as a test may inspect it. */
export interface FakePoint {
  id: string | number;
  /** The vector as Qdrant keeps it for cosine distance: normalised to length 1. */
  vector: number[];
  payload: Json;
}

interface StoredPoint extends FakePoint {
  version: number;
}

interface FakeCollection {
  name: string;
  size: number;
  distance: string;
  points: Map<string | number, StoredPoint>;
  indexes: Map<string, { dataType: IndexDataType; params: Json | null }>;
  operations: number;
}

const INDEX_TYPES: IndexDataType[] = [
  'keyword',
  'integer',
  'float',
  'bool',
  'uuid',
  'datetime',
  'text',
];
const FORBIDDEN_NAME_CHARACTERS = '<>:"/\\|?*';

/**
 * The state behind the fake server: collections of points with the semantics of Qdrant's REST
 * operations (validation, 404/409 answers, cosine scoring, payload filters, set_payload merges).
 * Every method takes the parsed JSON body and returns the `result` of the response envelope.
 */
export function createFakeQdrantStore() {
  const collections = new Map<string, FakeCollection>();

  function collection(name: string): FakeCollection {
    const found = collections.get(name);
    if (!found) throw new FakeQdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return found;
  }

  function evaluator(target: FakeCollection) {
    const types = new Map([...target.indexes].map(([key, index]) => [key, index.dataType]));
    return createFilterEvaluator(types);
  }

  /** Points of the collection passing `filter`, checked against the indexes first. */
  function select(target: FakeCollection, filter: unknown): StoredPoint[] {
    const { check, matches } = evaluator(target);
    check(filter);
    return [...target.points.values()].filter((point) => matches(filter, point));
  }

  /** The points a `points` list or a `filter` selects (exactly one of them must be given). */
  function selectPoints(target: FakeCollection, body: Json): StoredPoint[] {
    const hasPoints = Array.isArray(body.points);
    const hasFilter = body.filter !== undefined && body.filter !== null;
    if (hasPoints === hasFilter) {
      throw new FakeQdrantError(400, 'Format error in JSON body: give either points or filter');
    }
    if (hasFilter) return select(target, body.filter);
    return (body.points as unknown[]).flatMap((id) => {
      const point = target.points.get(parsePointId(id));
      return point ? [point] : [];
    });
  }

  function completed(target: FakeCollection): Json {
    target.operations += 1;
    return { operation_id: target.operations, status: 'completed' };
  }

  function checkVector(target: FakeCollection, vector: unknown): number[] {
    if (!Array.isArray(vector) || !vector.every((value) => typeof value === 'number')) {
      throw new FakeQdrantError(
        400,
        'Format error in JSON body: the fake takes unnamed dense vectors only',
      );
    }
    if (vector.length !== target.size) {
      throw new FakeQdrantError(
        400,
        `Wrong input: Vector dimension error: expected dim: ${target.size}, got ${vector.length}`,
      );
    }
    return vector as number[];
  }

  return {
    listCollections(): Json {
      return { collections: [...collections.keys()].map((name) => ({ name })) };
    },

    getCollection(name: string): Json {
      const target = collection(name);
      const payloadSchema = Object.fromEntries(
        [...target.indexes].map(([key, index]) => [
          key,
          {
            data_type: index.dataType,
            ...(index.params ? { params: index.params } : {}),
            points: [...target.points.values()].filter((point) => point.payload[key] !== undefined)
              .length,
          },
        ]),
      );
      return {
        status: 'green',
        optimizer_status: 'ok',
        indexed_vectors_count: 0,
        points_count: target.points.size,
        segments_count: 1,
        config: {
          params: {
            vectors: { size: target.size, distance: target.distance },
            shard_number: 1,
            replication_factor: 1,
            write_consistency_factor: 1,
            on_disk_payload: true,
          },
          hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, on_disk: false },
          optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000 },
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
          quantization_config: null,
        },
        payload_schema: payloadSchema,
      };
    },

    createCollection(name: string, body: Json): boolean {
      const forbidden = [...name].some(
        (character) => FORBIDDEN_NAME_CHARACTERS.includes(character) || character < ' ',
      );
      if (name.length === 0 || name.length > 255 || forbidden) {
        throw new FakeQdrantError(
          400,
          `Validation error in path parameters: invalid collection name ${name}`,
        );
      }
      const vectors = body.vectors as Json | undefined;
      const size = vectors?.size;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
        throw new FakeQdrantError(
          400,
          'Validation error in JSON body: [vectors.size: must be >= 1]',
        );
      }
      if (vectors?.distance !== 'Cosine') {
        throw new FakeQdrantError(400, 'the fake scores Cosine collections only');
      }
      if (collections.has(name)) {
        throw new FakeQdrantError(409, `Collection \`${name}\` already exists!`);
      }
      collections.set(name, {
        name,
        size,
        distance: 'Cosine',
        points: new Map(),
        indexes: new Map(),
        operations: 0,
      });
      return true;
    },

    createIndex(name: string, body: Json): Json {
      const target = collection(name);
      const schema = body.field_schema;
      const params = typeof schema === 'object' && schema !== null ? (schema as Json) : null;
      const dataType = (params ? params.type : schema) as IndexDataType;
      if (typeof body.field_name !== 'string' || !INDEX_TYPES.includes(dataType)) {
        throw new FakeQdrantError(400, 'Format error in JSON body: invalid field index');
      }
      target.indexes.set(body.field_name, { dataType, params });
      return completed(target);
    },

    upsert(name: string, body: Json): Json {
      const target = collection(name);
      if (!Array.isArray(body.points)) {
        throw new FakeQdrantError(400, 'Format error in JSON body: the fake takes a points list');
      }
      const checked = (body.points as Json[]).map((point) => ({
        id: parsePointId(point.id),
        vector: normalise(checkVector(target, point.vector)),
        payload: { ...((point.payload as Json | null | undefined) ?? {}) },
      }));
      const version = target.operations + 1;
      for (const point of checked) {
        // A re-upserted point moves to the end, like a new write to a segment.
        target.points.delete(point.id);
        target.points.set(point.id, { ...point, version });
      }
      return completed(target);
    },

    query(name: string, body: Json): Json {
      const target = collection(name);
      if (
        body.prefetch !== undefined ||
        body.using !== undefined ||
        body.lookup_from !== undefined
      ) {
        throw new FakeQdrantError(400, 'the fake answers plain nearest-vector queries only');
      }
      const raw = body.query as unknown;
      const vector =
        typeof raw === 'object' && raw !== null && 'nearest' in raw ? (raw as Json).nearest : raw;
      const query = normalise(checkVector(target, vector));
      const limit = typeof body.limit === 'number' ? body.limit : 10;
      const offset = typeof body.offset === 'number' ? body.offset : 0;
      const threshold = typeof body.score_threshold === 'number' ? body.score_threshold : undefined;
      const scored = select(target, body.filter)
        .map((point) => ({ point, score: Math.fround(dot(point.vector, query)) }))
        .filter(({ score }) => threshold === undefined || score >= Math.fround(threshold));
      // A stable sort: equal scores stay in storage order, as Qdrant promises no tie order.
      scored.sort((left, right) => right.score - left.score);
      const points = scored.slice(offset, offset + limit).map(({ point, score }) => ({
        id: point.id,
        version: point.version,
        score,
        payload: selectPayload(point.payload, body.with_payload),
        ...(body.with_vector === true ? { vector: point.vector } : {}),
      }));
      return { points };
    },

    setPayload(name: string, body: Json): Json {
      const target = collection(name);
      if (body.key !== undefined && body.key !== null) {
        throw new FakeQdrantError(400, 'the fake does not support set_payload by key');
      }
      if (typeof body.payload !== 'object' || body.payload === null) {
        throw new FakeQdrantError(400, 'Format error in JSON body: missing payload');
      }
      if (Array.isArray(body.points)) {
        for (const id of body.points) {
          if (!target.points.has(parsePointId(id))) {
            throw new FakeQdrantError(404, `Not found: No point with id ${String(id)} found`);
          }
        }
      }
      for (const point of selectPoints(target, body)) Object.assign(point.payload, body.payload);
      return completed(target);
    },

    deletePoints(name: string, body: Json): Json {
      const target = collection(name);
      for (const point of selectPoints(target, body)) target.points.delete(point.id);
      return completed(target);
    },

    count(name: string, body: Json): Json {
      return { count: select(collection(name), body.filter).length };
    },

    retrieve(name: string, body: Json): Json[] {
      const target = collection(name);
      if (!Array.isArray(body.ids)) {
        throw new FakeQdrantError(400, 'Format error in JSON body: missing field `ids`');
      }
      const withPayload = body.with_payload ?? true;
      return body.ids.flatMap((id) => {
        const point = target.points.get(parsePointId(id));
        if (!point) return [];
        return [
          {
            id: point.id,
            payload: selectPayload(point.payload, withPayload),
            ...(body.with_vector === true ? { vector: point.vector } : {}),
          },
        ];
      });
    },

    deleteCollection(name: string): boolean {
      collection(name);
      return collections.delete(name);
    },

    /** Drop a collection, as an operator would behind the adapter's back (no route uses it). */
    dropCollection(name: string): boolean {
      return collections.delete(name);
    },

    /** Names of every collection, for assertions. */
    collectionNames(): string[] {
      return [...collections.keys()];
    },

    /** Copies of a collection's points, for assertions; empty when it does not exist. */
    points(name: string): FakePoint[] {
      const target = collections.get(name);
      if (!target) return [];
      return [...target.points.values()].map(({ id, vector, payload }) => ({
        id,
        vector: [...vector],
        payload: { ...payload },
      }));
    },
  };
}

/** The fake's store; see {@link createFakeQdrantStore}. */
export type FakeQdrantStore = ReturnType<typeof createFakeQdrantStore>;

/** Qdrant normalises vectors of cosine collections on write and queries on read (float32). */
function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  if (norm < 1e-30) return Array.from(Float32Array.from(vector));
  return Array.from(Float32Array.from(vector, (value) => value / norm));
}

function dot(left: number[], right: number[]): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}

function selectPayload(payload: Json, selector: unknown): Json | null {
  if (selector === true) return { ...payload };
  if (Array.isArray(selector)) return pick(payload, selector as string[]);
  if (typeof selector === 'object' && selector !== null && 'include' in selector) {
    return pick(payload, (selector as { include: string[] }).include);
  }
  return null;
}

function pick(payload: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((key) => key in payload).map((key) => [key, payload[key]]));
}

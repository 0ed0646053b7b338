import {
  MemnexError,
  silentLogger,
  toStorageError,
  type Logger,
  type SemanticIndex,
} from '@memnex/core';
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import {
  assertCollectionPrefix,
  collectionName,
  DEFAULT_COLLECTION_PREFIX,
} from './collection-naming.js';
import { createCollectionRegistry, type KnownCollection } from './collection-registry.js';
import { ownedPointsFilter, searchFilter, type MustFilter } from './filters.js';
import { HIT_PAYLOAD_FIELDS, rankPoints } from './hit-ranking.js';
import { createModelStateStore } from './model-state-store.js';
import { pointId } from './point-mapping.js';
import { createPointWrites } from './point-writes.js';
import { describeQdrantError, httpStatusOf } from './qdrant-errors.js';

/** Options of {@link createQdrantSemanticIndex}. */
export interface QdrantSemanticIndexOptions {
  /** Base URL of the Qdrant REST API, e.g. `http://localhost:6333`. */
  url: string;
  /** API key of the Qdrant server or cloud cluster, sent as the `api-key` header. */
  apiKey?: string;
  /** First part of every collection name: letters, digits and hyphens; defaults to `memnex`. */
  collectionPrefix?: string;
  /** A ready client to use instead of one built from `url`, `apiKey` and `timeoutMs`. */
  client?: QdrantClient;
  /** Receives collection creation and request failures; defaults to silent. */
  logger?: Logger;
  /** Time limit of each request in milliseconds; defaults to 10000. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How many extra points a search fetches when equal scores straddle its limit. */
const TIE_WINDOW = 256;
/** Slack under the boundary score, so float rounding of the threshold cannot drop a tied point. */
const TIE_EPSILON = 1e-6;

/**
 * A {@link SemanticIndex} on Qdrant: vector search only (`lexical: false`; keyword search stays
 * with Postgres). One collection per embedding model, created on first use, holds every tenant's
 * vectors, so a memory has a point in each model's collection it has a vector of; every request
 * is filtered by tenant and user. Points carry ids and filter fields, never memory text, so the
 * index cannot list what to re-embed (`scan: false`). Writes wait for Qdrant to apply them, so a
 * read sees the write before it.
 */
export function createQdrantSemanticIndex(options: QdrantSemanticIndexOptions): SemanticIndex {
  const prefix = options.collectionPrefix ?? DEFAULT_COLLECTION_PREFIX;
  assertCollectionPrefix(prefix);
  const logger = (options.logger ?? silentLogger).child({ component: 'qdrant-semantic-index' });
  const client = options.client ?? createClient(options, logger);
  const collections = createCollectionRegistry({ client, prefix, logger });
  const modelState = createModelStateStore(client, prefix);
  const where = displayUrl(options.url);
  let closed = false;

  async function guarded<Result>(operation: string, work: () => Promise<Result>): Promise<Result> {
    if (closed) {
      throw new MemnexError({
        code: 'STORAGE_UNAVAILABLE',
        message: `qdrant semantic index is closed; ${operation} refused`,
        details: { operation },
      });
    }
    try {
      return await work();
    } catch (error) {
      if (MemnexError.isInstance(error)) throw error;
      logger.warn('qdrant request failed', { operation, reason: describeQdrantError(error) });
      throw toStorageError(error, `qdrant ${operation}`);
    }
  }

  /** Run `work` on every collection of the prefix; one deleted meanwhile counts as empty. */
  async function eachCollection(work: (name: string) => Promise<number>): Promise<number> {
    const names = await collections.list();
    const counts = await Promise.all(
      names.map((name) =>
        work(name).catch((error: unknown) => {
          if (httpStatusOf(error) !== 404) throw error;
          collections.forget(name);
          return 0;
        }),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  const points = createPointWrites({ client, collections, eachCollection });

  async function query(
    collection: KnownCollection,
    request: Schemas['QueryRequest'],
  ): Promise<Schemas['ScoredPoint'][] | null> {
    try {
      return (await client.query(collection.name, request)).points;
    } catch (error) {
      if (httpStatusOf(error) !== 404) throw error;
      collections.forget(collection.name);
      return null;
    }
  }

  async function countThen(
    name: string,
    filter: MustFilter,
    change: () => Promise<unknown>,
  ): Promise<number> {
    const { count } = await client.count(name, { filter, exact: true });
    if (count > 0) await change();
    return count;
  }

  return {
    capabilities: { lexical: false, vector: true, scan: false },

    async init() {
      closed = false;
      try {
        await client.getCollections();
      } catch (error) {
        const status = httpStatusOf(error);
        const problem =
          status === undefined
            ? 'is not reachable'
            : status === 401 || status === 403
              ? 'refused the API key'
              : 'is not available';
        throw new MemnexError({
          code: 'STORAGE_UNAVAILABLE',
          message: `Qdrant at ${where} ${problem} (${describeQdrantError(error)})`,
          details: { url: where, ...(status === undefined ? {} : { status }) },
          cause: error,
        });
      }
    },

    async close() {
      closed = true;
      collections.clear();
    },

    upsert: ({ tenantId, entries }) =>
      guarded('upsert', async () => {
        if (entries.length > 0) await points.store(tenantId, entries);
      }),

    upsertVectors: ({ tenantId, entries }) =>
      guarded('upsertVectors', async () => {
        if (entries.length > 0) await points.addVectors(tenantId, entries);
      }),

    findVectors: ({ tenantId, model, memoryIds }) =>
      guarded('findVectors', async () => {
        const unique = [...new Set(memoryIds)];
        const ids = unique.map((memoryId) => pointId(tenantId, memoryId));
        const located = await points.locate(ids, false);
        const inModel = located.get(collectionName(prefix, model));
        const heldIds = new Set([...located.values()].flatMap((points) => [...points.keys()]));
        return {
          held: unique.filter((_, index) => heldIds.has(ids[index]!)),
          withVector: unique.filter((_, index) => inModel?.has(ids[index]!) ?? false),
        };
      }),

    scanEntries: () =>
      guarded('scanEntries', async () => {
        throw new MemnexError({
          code: 'VALIDATION_FAILED',
          message: 'a Qdrant index holds vectors only and cannot list its entries',
        });
      }),

    countVectors: ({ model }) =>
      guarded('countVectors', async () => {
        const collection = await collections.find(model);
        if (!collection) return { entries: null, withVector: 0 };
        try {
          const { count } = await client.count(collection.name, { exact: true });
          return { entries: null, withVector: count };
        } catch (error) {
          if (httpStatusOf(error) !== 404) throw error;
          collections.forget(collection.name);
          return { entries: null, withVector: 0 };
        }
      }),

    pruneModels: ({ keep }) =>
      guarded('pruneModels', async () => {
        const kept = new Set(keep.map((model) => collectionName(prefix, model)));
        let removed = 0;
        for (const name of await collections.list()) {
          if (kept.has(name)) continue;
          try {
            removed += (await client.getCollection(name)).points_count ?? 0;
            await client.deleteCollection(name);
          } catch (error) {
            if (httpStatusOf(error) !== 404) throw error;
          }
          collections.forget(name);
          logger.info('qdrant collection of a pruned model deleted', { collection: name });
        }
        return removed;
      }),

    getModelState: () => guarded('getModelState', () => modelState.read()),

    setModelState: (change) => guarded('setModelState', () => modelState.write(change)),

    setCurrent: ({ tenantId, userId, memoryIds, current }) =>
      guarded('setCurrent', async () => {
        if (memoryIds.length === 0) return;
        const filter = ownedPointsFilter(tenantId, userId, memoryIds);
        await eachCollection(async (name) => {
          await client.setPayload(name, { payload: { current }, filter, wait: true });
          return 0;
        });
      }),

    // No lexical capability: keyword search is another index's job, so it finds nothing here.
    searchLexical: () => guarded('searchLexical', async () => []),

    searchVector: ({ tenantId, userId, vector, model, limit, filter }) =>
      guarded('searchVector', async () => {
        const count = Math.floor(limit);
        const must = searchFilter(tenantId, userId, filter);
        if (!(count > 0) || !must || !hasDirection(vector)) return [];
        const collection = await collections.find(model);
        if (!collection) return [];
        if (vector.length !== collection.size) {
          logger.warn('query vector size differs from its model collection; no hits', {
            model,
            expected: collection.size,
            received: vector.length,
          });
          return [];
        }
        const request = {
          query: Array.from(vector),
          filter: must,
          with_payload: HIT_PAYLOAD_FIELDS,
          limit: count + 1,
        };
        let points = await query(collection, request);
        const boundary = points?.[count - 1]?.score;
        if (points && boundary !== undefined && points[count]?.score === boundary) {
          // Equal scores straddle the limit: fetch all of them so the tie-break decides.
          points = await query(collection, {
            ...request,
            limit: count + TIE_WINDOW,
            score_threshold: boundary - TIE_EPSILON,
          });
        }
        return points ? rankPoints(points, count) : [];
      }),

    reassign: ({ tenantId, fromUserId, toUserId, memoryIds }) =>
      guarded('reassign', async () => {
        if (fromUserId === toUserId || memoryIds.length === 0) return 0;
        const filter = ownedPointsFilter(tenantId, fromUserId, memoryIds);
        return eachCollection((name) =>
          countThen(name, filter, () =>
            client.setPayload(name, { payload: { user_id: toUserId }, filter, wait: true }),
          ),
        );
      }),

    delete: ({ tenantId, userId, memoryIds }) =>
      guarded('delete', async () => {
        if (memoryIds?.length === 0) return 0;
        const filter = ownedPointsFilter(tenantId, userId, memoryIds);
        return eachCollection((name) =>
          countThen(name, filter, () => client.delete(name, { wait: true, filter })),
        );
      }),
  };
}

/** A query vector that can be compared: finite, and not all zeros. */
function hasDirection(vector: Float32Array): boolean {
  return vector.every(Number.isFinite) && vector.some((value) => value !== 0);
}

/**
 * The REST client. The API key goes in as a header because the client's own `apiKey` option
 * writes to the console over http; libraries here log through the injected logger only. The
 * version check is off for the same reason (it would also cost a request per instance).
 */
function createClient(options: QdrantSemanticIndexOptions, logger: Logger): QdrantClient {
  if (options.apiKey !== undefined && options.url.startsWith('http://')) {
    logger.warn('the Qdrant API key is sent over plain http', { url: displayUrl(options.url) });
  }
  try {
    return new QdrantClient({
      url: options.url,
      headers: options.apiKey === undefined ? {} : { 'api-key': options.apiKey },
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      checkCompatibility: false,
    });
  } catch (error) {
    throw MemnexError.validation(
      [{ path: 'url', message: describeQdrantError(error), code: 'invalid_url' }],
      `invalid Qdrant url: ${describeQdrantError(error)}`,
    );
  }
}

/** The url without credentials, for messages. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

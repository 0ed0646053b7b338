import { MemnexError, type Logger } from '@memnex/core';
import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { collectionName, isPrefixCollection } from './collection-naming.js';
import { httpStatusOf } from './qdrant-errors.js';

/** A collection known to exist, with the vector size it was created with. */
export interface KnownCollection {
  name: string;
  size: number;
}

/**
 * The payload indexes every collection gets. `tenant_id` is the tenant key of Qdrant's
 * multitenancy layout; `observed_at` is epoch milliseconds for `since`/`until` ranges.
 */
export const PAYLOAD_INDEXES: Readonly<Record<string, Schemas['PayloadFieldSchema']>> = {
  tenant_id: { type: 'keyword', is_tenant: true },
  user_id: 'keyword',
  type: 'keyword',
  kind: 'keyword',
  current: 'bool',
  observed_at: 'integer',
};

/** Finds, creates and lists the collections of one prefix; remembers the ones it has seen. */
export interface CollectionRegistry {
  /** The collection of `model`, or null when it does not exist yet. */
  find(model: string): Promise<KnownCollection | null>;
  /** The collection of `model`, created for vectors of `size` (cosine) when missing. */
  ensure(model: string, size: number): Promise<KnownCollection>;
  /** Names of every collection of this prefix on the server, asked afresh each time. */
  list(): Promise<string[]>;
  /** Drop a collection from the cache (it was deleted behind this process's back). */
  forget(name: string): void;
  /** Drop every cached collection. */
  clear(): void;
}

/** Options of {@link createCollectionRegistry}. */
export interface CollectionRegistryOptions {
  client: QdrantClient;
  prefix: string;
  logger: Logger;
}

/**
 * A registry with a per-process cache: a model's collection costs one `GET` the first time it is
 * used and nothing after. Concurrent first uses share one lookup; a collection created by another
 * process at the same moment is simply used.
 */
export function createCollectionRegistry(options: CollectionRegistryOptions): CollectionRegistry {
  const { client, prefix, logger } = options;
  const known = new Map<string, KnownCollection>();
  const pending = new Map<string, { lookup: Promise<KnownCollection | null>; creates: boolean }>();

  async function readInfo(name: string): Promise<Schemas['CollectionInfo'] | null> {
    try {
      return await client.getCollection(name);
    } catch (error) {
      if (httpStatusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Create the collection; when that fails because it exists by now, answer its info. */
  async function create(
    name: string,
    model: string,
    size: number,
  ): Promise<Schemas['CollectionInfo'] | null> {
    try {
      await client.createCollection(name, { vectors: { size, distance: 'Cosine' } });
      logger.info('qdrant collection created', { collection: name, model, size });
      return null;
    } catch (error) {
      // Another process won the race: 409 on current servers, 400 "already exists" on older ones.
      const info = await readInfo(name);
      if (info) return info;
      throw error;
    }
  }

  async function open(name: string, model: string, size?: number): Promise<KnownCollection | null> {
    let info = await readInfo(name);
    if (!info) {
      if (size === undefined) return null;
      info = await create(name, model, size);
    }
    const collection = info ? cosineCollection(name, info) : { name, size: size! };
    const existing = new Set(Object.keys(info?.payload_schema ?? {}));
    const missing = Object.entries(PAYLOAD_INDEXES).filter(([field]) => !existing.has(field));
    await Promise.all(
      missing.map(([field_name, field_schema]) =>
        client.createPayloadIndex(name, { field_name, field_schema, wait: true }),
      ),
    );
    known.set(name, collection);
    return collection;
  }

  function load(model: string, size?: number): Promise<KnownCollection | null> {
    const name = collectionName(prefix, model);
    const cached = known.get(name);
    if (cached) return Promise.resolve(cached);
    const inFlight = pending.get(name);
    if (inFlight && (inFlight.creates || size === undefined)) return inFlight.lookup;
    // A lookup that may not create cannot answer a caller that needs the collection to exist.
    const started = inFlight
      ? inFlight.lookup.then((found) => found ?? open(name, model, size))
      : open(name, model, size);
    const lookup = started.finally(() => {
      if (pending.get(name)?.lookup === lookup) pending.delete(name);
    });
    pending.set(name, { lookup, creates: size !== undefined });
    return lookup;
  }

  return {
    find: (model) => load(model),
    async ensure(model, size) {
      const collection = await load(model, size);
      return collection!;
    },
    async list() {
      const { collections } = await client.getCollections();
      return collections
        .map((collection) => collection.name)
        .filter((name) => isPrefixCollection(prefix, name))
        .sort();
    },
    forget: (name) => known.delete(name),
    clear: () => known.clear(),
  };
}

/** Size of a collection's single unnamed cosine vector; anything else is not ours to write. */
function cosineCollection(name: string, info: Schemas['CollectionInfo']): KnownCollection {
  const vectors: unknown = info.config.params.vectors;
  if (
    typeof vectors === 'object' &&
    vectors !== null &&
    'size' in vectors &&
    'distance' in vectors &&
    typeof vectors.size === 'number' &&
    vectors.distance === 'Cosine'
  ) {
    return { name, size: vectors.size };
  }
  throw new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message: `qdrant collection ${name} exists but does not hold one unnamed cosine vector`,
    details: { collection: name },
  });
}

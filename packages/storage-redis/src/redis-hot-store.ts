import {
  MemnexError,
  silentLogger,
  type HotStore,
  type Logger,
  type WorkingSet,
} from '@memnex/core';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createHotStoreKeys } from './hot-store-keys.js';
import {
  DELETE_IDENTIFIER,
  FORGET_USER,
  INVALIDATE,
  SET_IDENTIFIER,
  SET_WORKING_SET,
} from './hot-store-scripts.js';
import { runScript } from './lua-script.js';
import type { RedisConnectionOption } from './redis-connection.js';
import { ParsedCache } from './parsed-cache.js';
import { createRedisLifecycle } from './redis-lifecycle.js';

/** Options of {@link createRedisHotStore}. */
export interface RedisHotStoreOptions {
  /**
   * A `redis://` URL (the store opens and closes the connection) or an ioredis client (used, never
   * closed, by the store).
   */
  redis: RedisConnectionOption;
  /** Prefix of every key; `clear()` touches nothing outside it. Defaults to `memnex:`. */
  keyPrefix?: string;
  /**
   * Lifetime of a user's generation counter, renewed whenever it advances. It must outlast the
   * slowest warm-store read; it exists so that counters of long-gone users do not pile up.
   * Defaults to 7 days.
   */
  generationTtlSeconds?: number;
  /** Receives connection errors and dropped corrupt entries; silent by default. */
  logger?: Logger;
}

const DEFAULT_GENERATION_TTL_SECONDS = 7 * 24 * 3600;
const SCAN_COUNT = 1000;
/** A forget retries while identifiers keep being added to the user; this many times at most. */
const FORGET_ATTEMPTS = 8;

/** A TTL in ms for Redis (`PX`), or 0 for none; a TTL at or below zero expires at once. */
function ttlMilliseconds(ttlSeconds: number | undefined): number {
  if (ttlSeconds === undefined || !Number.isFinite(ttlSeconds)) return 0;
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

function checkGenerationTtl(seconds = DEFAULT_GENERATION_TTL_SECONDS): number {
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new MemnexError({
      code: 'VALIDATION_FAILED',
      message: `redis hot store: generationTtlSeconds must be at least 1, got ${seconds}`,
    });
  }
  return Math.ceil(seconds);
}

function isWorkingSet(value: unknown): value is WorkingSet {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<WorkingSet>;
  return typeof candidate.version === 'number' && Array.isArray(candidate.memories);
}

/**
 * A working set is stored as a stamp, new on every store, followed by its JSON. A read fetches the
 * stamp alone (`GETRANGE`) and reuses what it parsed before while the stamp is unchanged, so a warm
 * read moves a few bytes instead of the whole working set. Entries without a stamp (stored by an
 * earlier version) are read whole.
 */
const STAMP_PREFIX = 'ws1:';
const STAMP_LENGTH = STAMP_PREFIX.length + 16;
const newStamp = () => `${STAMP_PREFIX}${randomBytes(8).toString('hex')}`;

/** The working set a stored text holds, or null for a corrupt entry. */
function parseWorkingSet(text: string): WorkingSet | null {
  try {
    const value: unknown = JSON.parse(text);
    return isWorkingSet(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * A {@link HotStore} in Redis, shared by every instance that uses the same server and prefix.
 * Working sets are JSON strings; the generation compare-and-set, invalidation and forget are Lua
 * scripts, so they are atomic. See the README for the key layout.
 */
export function createRedisHotStore(options: RedisHotStoreOptions): HotStore {
  const logger = options.logger ?? silentLogger;
  const keys = createHotStoreKeys(options.keyPrefix ?? 'memnex:');
  const generationTtl = String(checkGenerationTtl(options.generationTtlSeconds));
  if (typeof options.redis !== 'string' && options.redis.options.keyPrefix) {
    // ioredis would prefix command keys but not SCAN patterns, so `clear()` would miss its keys.
    throw new MemnexError({
      code: 'VALIDATION_FAILED',
      message: 'redis hot store: give a client without ioredis `keyPrefix`; use `keyPrefix` here',
    });
  }
  const lifecycle = createRedisLifecycle({ redis: options.redis, name: 'redis hot store', logger });
  const { run } = lifecycle;
  const parsed = new ParsedCache<WorkingSet>();

  async function readWorkingSet(client: Redis, key: string): Promise<WorkingSet | null> {
    const stamp = await client.getrange(key, 0, STAMP_LENGTH - 1);
    const known = stamp.startsWith(STAMP_PREFIX) ? parsed.known(key, stamp) : undefined;
    if (known) return known;
    // A missing key has an empty range; an entry is never empty.
    const text = stamp === '' ? null : await client.get(key);
    if (text === null) {
      parsed.delete(key);
      return null;
    }
    const stamped = text.startsWith(STAMP_PREFIX);
    const workingSet = parsed.get(key, stamped ? text.slice(0, STAMP_LENGTH) : text, () =>
      parseWorkingSet(stamped ? text.slice(STAMP_LENGTH) : text),
    );
    if (workingSet) return workingSet;
    logger.warn('dropping an unreadable working set', { key });
    await client.unlink(key);
    return null;
  }

  async function forget(
    client: Redis,
    tenantId: string,
    userId: string,
    identifierKeys: string[],
  ): Promise<number> {
    const declared = new Set(identifierKeys);
    for (let attempt = 0; attempt < FORGET_ATTEMPTS; attempt += 1) {
      const names = [...declared];
      const reply = (await runScript(
        client,
        FORGET_USER,
        [
          keys.generation(tenantId, userId),
          keys.workingSet(tenantId, userId),
          keys.identifierIndex(tenantId, userId),
          ...names.map((name) => keys.identifier(tenantId, name)),
        ],
        [userId, generationTtl, ...names],
      )) as [number, ...Array<number | string>];
      const [done, ...rest] = reply;
      if (done === 1) return Number(rest[0]);
      for (const name of rest) declared.add(String(name));
    }
    throw new MemnexError({
      code: 'STORAGE_UNAVAILABLE',
      message: 'redis hot store: identifiers kept being added to the user being forgotten; retry',
      details: { operation: 'forgetUser' },
    });
  }

  /** Delete the store's entries and advance every generation, one `SCAN` page at a time. */
  async function clearAll(client: Redis): Promise<void> {
    let cursor = '0';
    do {
      const [next, names] = await client.scan(cursor, 'MATCH', keys.pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      const generations = names.filter((name) => keys.kindOf(name) === 'gen');
      const entries = names.filter((name) => {
        const kind = keys.kindOf(name);
        return kind !== null && kind !== 'gen';
      });
      if (generations.length === 0 && entries.length === 0) continue;
      const pipeline = client.pipeline();
      // Generations are advanced, not dropped: resetting them could bring back a generation a
      // slow reader still holds, letting it store a working set older than the clear.
      for (const name of generations) pipeline.incr(name).expire(name, generationTtl);
      if (entries.length > 0) pipeline.unlink(...entries);
      const results = (await pipeline.exec()) ?? [];
      const failure = results.find(([error]) => error !== null);
      if (failure) throw failure[0];
    } while (cursor !== '0');
  }

  return {
    capabilities: { shared: true },
    init: lifecycle.init,
    close: lifecycle.close,

    getWorkingSet: ({ tenantId, userId }) =>
      run('getWorkingSet', (client) => readWorkingSet(client, keys.workingSet(tenantId, userId))),

    setWorkingSet: ({ tenantId, userId, generation, workingSet, ttlSeconds }) =>
      run('setWorkingSet', async (client) => {
        const stored = await runScript(
          client,
          SET_WORKING_SET,
          [keys.generation(tenantId, userId), keys.workingSet(tenantId, userId)],
          [
            String(generation),
            newStamp() + JSON.stringify(workingSet),
            ttlMilliseconds(ttlSeconds),
          ],
        );
        return stored === 1;
      }),

    getGeneration: ({ tenantId, userId }) =>
      run('getGeneration', async (client) => {
        const value = await client.get(keys.generation(tenantId, userId));
        return value === null ? 0 : Number(value);
      }),

    invalidate: ({ tenantId, userId }) =>
      run('invalidate', async (client) => {
        const removed = await runScript(
          client,
          INVALIDATE,
          [keys.generation(tenantId, userId), keys.workingSet(tenantId, userId)],
          [generationTtl],
        );
        return Number(removed);
      }),

    getIdentifier: ({ tenantId, key }) =>
      run('getIdentifier', (client) => client.get(keys.identifier(tenantId, key))),

    setIdentifier: ({ tenantId, key, userId, ttlSeconds }) =>
      run('setIdentifier', async (client) => {
        const previous = await runScript(
          client,
          SET_IDENTIFIER,
          [keys.identifier(tenantId, key), keys.identifierIndex(tenantId, userId)],
          [userId, key, ttlMilliseconds(ttlSeconds)],
        );
        // Keeps the previous owner's index accurate; a stale member would only cost a check.
        if (typeof previous === 'string' && previous !== userId) {
          await client.srem(keys.identifierIndex(tenantId, previous), key);
        }
      }),

    deleteIdentifier: ({ tenantId, key }) =>
      run('deleteIdentifier', async (client) => {
        const previous = await runScript(
          client,
          DELETE_IDENTIFIER,
          [keys.identifier(tenantId, key)],
          [],
        );
        if (typeof previous !== 'string') return 0;
        await client.srem(keys.identifierIndex(tenantId, previous), key);
        return 1;
      }),

    forgetUser: ({ tenantId, userId, identifierKeys }) =>
      run('forgetUser', (client) => forget(client, tenantId, userId, identifierKeys)),

    clear: () => run('clear', clearAll),
  };
}

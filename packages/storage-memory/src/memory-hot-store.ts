import type { HotStore, WorkingSet } from '@memnex/core';
import { deepFreeze, getOrCreate } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

/** Options of {@link createMemoryHotStore}. */
export interface MemoryHotStoreOptions {
  /** Clock in milliseconds since the epoch, used for TTL expiry; defaults to `Date.now`. */
  now?: () => number;
}

/** A cached value and the instant (ms) it expires at, or null when it never expires. */
interface Expiring<Value> {
  value: Value;
  expiresAt: number | null;
}

/** One tenant's cache. Generations outlive the entries they guard. */
interface TenantCache {
  workingSets: Map<string, Expiring<WorkingSet>>;
  generations: Map<string, number>;
  /** Internal user id by identifier key. */
  identifiers: Map<string, Expiring<string>>;
  /** Identifier keys by the user they point to, so a user can be dropped without a scan. */
  identifierKeysByUser: Map<string, Set<string>>;
}

function createTenantCache(): TenantCache {
  return {
    workingSets: new Map(),
    generations: new Map(),
    identifiers: new Map(),
    identifierKeysByUser: new Map(),
  };
}

/**
 * A {@link HotStore} held in process memory. Entries with a TTL expire lazily, on the next read
 * after their deadline, against the injected clock.
 */
export function createMemoryHotStore(options: MemoryHotStoreOptions = {}): HotStore {
  const now = options.now ?? Date.now;
  const lifecycle = createLifecycleState('memory hot store');
  const tenants = new Map<string, TenantCache>();

  const expiresAt = (ttlSeconds: number | undefined): number | null =>
    ttlSeconds === undefined ? null : now() + ttlSeconds * 1000;
  const alive = (entry: Expiring<unknown>): boolean =>
    entry.expiresAt === null || now() < entry.expiresAt;

  /** The live entry under `key`, dropping it when it has expired. */
  function liveEntry<Value>(
    map: Map<string, Expiring<Value>>,
    key: string,
  ): Expiring<Value> | undefined {
    const entry = map.get(key);
    if (entry && !alive(entry)) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  function removeIdentifier(cache: TenantCache, key: string): boolean {
    const entry = cache.identifiers.get(key);
    if (!entry) return false;
    cache.identifiers.delete(key);
    cache.identifierKeysByUser.get(entry.value)?.delete(key);
    return alive(entry);
  }

  function advanceGeneration(cache: TenantCache, userId: string): void {
    cache.generations.set(userId, (cache.generations.get(userId) ?? 0) + 1);
  }

  return {
    capabilities: { shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async getWorkingSet({ tenantId, userId }) {
      lifecycle.assertOpen('getWorkingSet');
      const cache = tenants.get(tenantId);
      const entry = cache ? liveEntry(cache.workingSets, userId) : undefined;
      // Frozen when stored: handing out the cached object itself is safe and spares a deep copy
      // of every memory on each read.
      return entry ? entry.value : null;
    },

    async setWorkingSet({ tenantId, userId, generation, workingSet, ttlSeconds }) {
      lifecycle.assertOpen('setWorkingSet');
      const cache = getOrCreate(tenants, tenantId, createTenantCache);
      if ((cache.generations.get(userId) ?? 0) !== generation) return false;
      // The store keeps (and freezes) the object it is given: the caller that loaded it and
      // every later reader share one immutable working set.
      cache.workingSets.set(userId, {
        value: deepFreeze(workingSet),
        expiresAt: expiresAt(ttlSeconds),
      });
      return true;
    },

    async getGeneration({ tenantId, userId }) {
      lifecycle.assertOpen('getGeneration');
      return tenants.get(tenantId)?.generations.get(userId) ?? 0;
    },

    async invalidate({ tenantId, userId }) {
      lifecycle.assertOpen('invalidate');
      const cache = getOrCreate(tenants, tenantId, createTenantCache);
      const removed = liveEntry(cache.workingSets, userId) ? 1 : 0;
      cache.workingSets.delete(userId);
      advanceGeneration(cache, userId);
      return removed;
    },

    async getIdentifier({ tenantId, key }) {
      lifecycle.assertOpen('getIdentifier');
      const cache = tenants.get(tenantId);
      const entry = cache?.identifiers.get(key);
      if (!cache || !entry) return null;
      if (!alive(entry)) {
        removeIdentifier(cache, key);
        return null;
      }
      return entry.value;
    },

    async setIdentifier({ tenantId, key, userId, ttlSeconds }) {
      lifecycle.assertOpen('setIdentifier');
      const cache = getOrCreate(tenants, tenantId, createTenantCache);
      removeIdentifier(cache, key);
      cache.identifiers.set(key, { value: userId, expiresAt: expiresAt(ttlSeconds) });
      getOrCreate(cache.identifierKeysByUser, userId, () => new Set<string>()).add(key);
    },

    async deleteIdentifier({ tenantId, key }) {
      lifecycle.assertOpen('deleteIdentifier');
      const cache = tenants.get(tenantId);
      return cache && removeIdentifier(cache, key) ? 1 : 0;
    },

    async forgetUser({ tenantId, userId, identifierKeys }) {
      lifecycle.assertOpen('forgetUser');
      const cache = getOrCreate(tenants, tenantId, createTenantCache);
      let removed = liveEntry(cache.workingSets, userId) ? 1 : 0;
      cache.workingSets.delete(userId);
      const keys = new Set([...identifierKeys, ...(cache.identifierKeysByUser.get(userId) ?? [])]);
      for (const key of keys) {
        // A key named by the caller may meanwhile point to someone else; leave that one alone.
        if (cache.identifiers.get(key)?.value === userId && removeIdentifier(cache, key)) {
          removed += 1;
        }
      }
      cache.identifierKeysByUser.delete(userId);
      // A reader that loaded the user before the forget must not be able to cache it again.
      advanceGeneration(cache, userId);
      return removed;
    },

    async clear() {
      lifecycle.assertOpen('clear');
      for (const cache of tenants.values()) {
        cache.workingSets.clear();
        cache.identifiers.clear();
        cache.identifierKeysByUser.clear();
        // Generations are advanced, not dropped: resetting them could bring back a generation
        // a slow reader still holds, letting it store a working set older than the clear.
        for (const userId of cache.generations.keys()) advanceGeneration(cache, userId);
      }
    },
  };
}

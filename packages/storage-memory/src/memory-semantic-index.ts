import {
  analyzeTerms,
  cosineSimilarity,
  vectorNorm,
  type IndexEntry,
  type SemanticIndex,
} from '@memnex/core';
import { createBm25Scorer, type Bm25Scorer } from './bm25-scorer.js';
import { getOrCreate } from './collections.js';
import { matchesFilter, rankHits, type ScoredEntry } from './index-ranking.js';
import { createLifecycleState } from './lifecycle-state.js';

/** Options of {@link createMemorySemanticIndex}. */
export interface MemorySemanticIndexOptions {
  /** BM25 term-frequency saturation; defaults to 0.9. */
  k1?: number;
  /** BM25 length normalisation, from 0 (none) to 1 (full); defaults to 0.5. */
  b?: number;
  /** Weight of an entry's `context` terms relative to its own; defaults to 0.5. */
  contextWeight?: number;
}

/** A stored entry: its own copy of the vector, with the vector's norm computed once. */
interface StoredEntry extends IndexEntry {
  norm: number;
}

/** The index of one user: every search runs over exactly one of these. */
interface UserIndex {
  entries: Map<string, StoredEntry>;
  lexical: Bm25Scorer;
}

/** One tenant's user indexes, and the owner of every memory id so that an upsert can move it. */
interface TenantIndex {
  users: Map<string, UserIndex>;
  owners: Map<string, string>;
}

/**
 * A {@link SemanticIndex} held in process memory: BM25 over `analyzeTerms` terms and exact
 * cosine similarity, both per user. Vectors are only compared with vectors of the same model.
 */
export function createMemorySemanticIndex(options: MemorySemanticIndexOptions = {}): SemanticIndex {
  const lifecycle = createLifecycleState('memory semantic index');
  const contextWeight = options.contextWeight ?? 0.5;
  const tenants = new Map<string, TenantIndex>();

  const userIndex = (tenantId: string, userId: string): UserIndex | undefined =>
    tenants.get(tenantId)?.users.get(userId);

  function removeEntry(tenant: TenantIndex, userId: string, memoryId: string): boolean {
    const index = tenant.users.get(userId);
    if (!index?.entries.delete(memoryId)) return false;
    index.lexical.remove(memoryId);
    tenant.owners.delete(memoryId);
    if (index.entries.size === 0) tenant.users.delete(userId);
    return true;
  }

  function addEntry(tenant: TenantIndex, entry: IndexEntry): void {
    // A memory moved to another user (a merge) leaves its old user's index.
    const previousOwner = tenant.owners.get(entry.memoryId);
    if (previousOwner !== undefined && previousOwner !== entry.userId) {
      removeEntry(tenant, previousOwner, entry.memoryId);
    }
    const index = getOrCreate(tenant.users, entry.userId, () => ({
      entries: new Map<string, StoredEntry>(),
      lexical: createBm25Scorer(options),
    }));
    const vector = entry.vector ? new Float32Array(entry.vector) : null;
    const stored: StoredEntry = { ...entry, vector, norm: vector ? vectorNorm(vector) : 0 };
    index.entries.set(entry.memoryId, stored);
    index.lexical.add(
      entry.memoryId,
      analyzeTerms(entry.text),
      entry.context ? { terms: analyzeTerms(entry.context), weight: contextWeight } : undefined,
    );
    tenant.owners.set(entry.memoryId, entry.userId);
  }

  return {
    capabilities: { lexical: true, vector: true },
    init: lifecycle.init,
    close: lifecycle.close,

    async upsert({ tenantId, entries }) {
      lifecycle.assertOpen('upsert');
      const tenant = getOrCreate(tenants, tenantId, () => ({
        users: new Map(),
        owners: new Map(),
      }));
      for (const entry of entries) addEntry(tenant, entry);
    },

    async setCurrent({ tenantId, userId, memoryIds, current }) {
      lifecycle.assertOpen('setCurrent');
      const index = userIndex(tenantId, userId);
      for (const memoryId of memoryIds) {
        const entry = index?.entries.get(memoryId);
        if (entry) entry.current = current;
      }
    },

    async searchLexical({ tenantId, userId, query, limit, filter }) {
      lifecycle.assertOpen('searchLexical');
      const index = userIndex(tenantId, userId);
      const terms = analyzeTerms(query);
      if (!index || terms.length === 0 || limit <= 0) return [];
      const candidates: ScoredEntry[] = [];
      for (const [memoryId, score] of index.lexical.score(terms)) {
        const entry = index.entries.get(memoryId);
        if (entry && matchesFilter(entry, filter)) candidates.push({ entry, score });
      }
      return rankHits(candidates, limit);
    },

    async searchVector({ tenantId, userId, vector, model, limit, filter }) {
      lifecycle.assertOpen('searchVector');
      const index = userIndex(tenantId, userId);
      if (!index || limit <= 0) return [];
      const queryNorm = vectorNorm(vector);
      const candidates: ScoredEntry[] = [];
      for (const entry of index.entries.values()) {
        if (entry.model !== model || !entry.vector || !matchesFilter(entry, filter)) continue;
        const score = cosineSimilarity(entry.vector, entry.norm, vector, queryNorm);
        if (score !== null) candidates.push({ entry, score });
      }
      return rankHits(candidates, limit);
    },

    async reassign({ tenantId, fromUserId, toUserId, memoryIds }) {
      lifecycle.assertOpen('reassign');
      const tenant = tenants.get(tenantId);
      const index = tenant?.users.get(fromUserId);
      if (!tenant || !index || fromUserId === toUserId) return 0;
      let moved = 0;
      for (const memoryId of new Set(memoryIds)) {
        const entry = index.entries.get(memoryId);
        if (!entry) continue;
        addEntry(tenant, { ...entry, userId: toUserId });
        moved += 1;
      }
      return moved;
    },

    async delete({ tenantId, userId, memoryIds }) {
      lifecycle.assertOpen('delete');
      const tenant = tenants.get(tenantId);
      const index = tenant?.users.get(userId);
      if (!tenant || !index) return 0;
      const ids = memoryIds ?? [...index.entries.keys()];
      let removed = 0;
      for (const memoryId of new Set(ids)) {
        if (removeEntry(tenant, userId, memoryId)) removed += 1;
      }
      return removed;
    },
  };
}

import {
  analyzeTerms,
  cosineSimilarity,
  nextModelState,
  vectorNorm,
  type EmbeddingModelState,
  type IndexEntry,
  type ScannedEntry,
  type SemanticIndex,
} from '@memnex/core';
import { createBm25Scorer, type Bm25Scorer } from './bm25-scorer.js';
import { compareIds, copy, getOrCreate } from './collections.js';
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

/** A vector of one model, an own copy, with its norm computed once. */
interface StoredVector {
  vector: Float32Array;
  norm: number;
}

/** A stored entry and its vectors by model id. */
interface StoredEntry extends Omit<IndexEntry, 'vector' | 'model'> {
  vectors: Map<string, StoredVector>;
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
 * cosine similarity, both per user. An entry holds vectors of several models at once; vectors
 * are only compared with vectors of the same model.
 */
export function createMemorySemanticIndex(options: MemorySemanticIndexOptions = {}): SemanticIndex {
  const lifecycle = createLifecycleState('memory semantic index');
  const contextWeight = options.contextWeight ?? 0.5;
  const tenants = new Map<string, TenantIndex>();
  let modelState: EmbeddingModelState | null = null;

  const userIndex = (tenantId: string, userId: string): UserIndex | undefined =>
    tenants.get(tenantId)?.users.get(userId);

  function storedEntry(tenant: TenantIndex | undefined, memoryId: string): StoredEntry | undefined {
    const owner = tenant?.owners.get(memoryId);
    return owner === undefined ? undefined : tenant?.users.get(owner)?.entries.get(memoryId);
  }

  function removeEntry(tenant: TenantIndex, userId: string, memoryId: string): boolean {
    const index = tenant.users.get(userId);
    if (!index?.entries.delete(memoryId)) return false;
    index.lexical.remove(memoryId);
    tenant.owners.delete(memoryId);
    if (index.entries.size === 0) tenant.users.delete(userId);
    return true;
  }

  function addEntry(tenant: TenantIndex, entry: StoredEntry): void {
    // A memory moved to another user (a merge) leaves its old user's index.
    const previousOwner = tenant.owners.get(entry.memoryId);
    if (previousOwner !== undefined && previousOwner !== entry.userId) {
      removeEntry(tenant, previousOwner, entry.memoryId);
    }
    const index = getOrCreate(tenant.users, entry.userId, () => ({
      entries: new Map<string, StoredEntry>(),
      lexical: createBm25Scorer(options),
    }));
    index.entries.set(entry.memoryId, entry);
    index.lexical.add(
      entry.memoryId,
      analyzeTerms(entry.text),
      entry.context ? { terms: analyzeTerms(entry.context), weight: contextWeight } : undefined,
    );
    tenant.owners.set(entry.memoryId, entry.userId);
  }

  function vectorOf(entry: IndexEntry): StoredVector | null {
    if (!entry.vector || entry.model === null) return null;
    const vector = new Float32Array(entry.vector);
    return { vector, norm: vectorNorm(vector) };
  }

  /** Every entry of every tenant in (tenantId, memoryId) order. */
  function* allEntries(): Generator<[string, StoredEntry]> {
    for (const tenantId of [...tenants.keys()].sort(compareIds)) {
      const tenant = tenants.get(tenantId)!;
      for (const memoryId of [...tenant.owners.keys()].sort(compareIds)) {
        yield [tenantId, storedEntry(tenant, memoryId)!];
      }
    }
  }

  return {
    capabilities: { lexical: true, vector: true, scan: true },
    init: lifecycle.init,
    close: lifecycle.close,

    async upsert({ tenantId, entries }) {
      lifecycle.assertOpen('upsert');
      const tenant = getOrCreate(tenants, tenantId, () => ({
        users: new Map(),
        owners: new Map(),
      }));
      for (const entry of entries) {
        const { vector: _vector, model: _model, ...fields } = entry;
        const vectors = new Map(storedEntry(tenant, entry.memoryId)?.vectors);
        const given = vectorOf(entry);
        if (given) vectors.set(entry.model!, given);
        addEntry(tenant, { ...fields, vectors });
      }
    },

    async upsertVectors({ tenantId, entries }) {
      lifecycle.assertOpen('upsertVectors');
      const tenant = tenants.get(tenantId);
      for (const entry of entries) {
        const stored = storedEntry(tenant, entry.memoryId);
        const given = vectorOf(entry);
        if (stored && given) stored.vectors.set(entry.model!, given);
      }
    },

    async findVectors({ tenantId, model, memoryIds }) {
      lifecycle.assertOpen('findVectors');
      const tenant = tenants.get(tenantId);
      const held: string[] = [];
      const withVector: string[] = [];
      for (const memoryId of new Set(memoryIds)) {
        const stored = storedEntry(tenant, memoryId);
        if (!stored) continue;
        held.push(memoryId);
        if (stored.vectors.has(model)) withVector.push(memoryId);
      }
      return { held, withVector };
    },

    async scanEntries({ after, limit, missing }) {
      lifecycle.assertOpen('scanEntries');
      const count = Math.max(0, Math.floor(limit));
      const entries: ScannedEntry[] = [];
      if (count === 0) return { entries, next: after ?? null };
      for (const [tenantId, stored] of allEntries()) {
        if (after) {
          const order =
            compareIds(tenantId, after.tenantId) || compareIds(stored.memoryId, after.memoryId);
          if (order <= 0) continue;
        }
        if (missing !== undefined && stored.vectors.has(missing)) continue;
        const { vectors: _vectors, ...fields } = stored;
        entries.push({ ...copy(fields), tenantId });
        if (entries.length === count) break;
      }
      const last = entries.at(-1);
      const next =
        entries.length === count && last
          ? { tenantId: last.tenantId, memoryId: last.memoryId }
          : null;
      return { entries, next };
    },

    async countVectors({ model }) {
      lifecycle.assertOpen('countVectors');
      let entries = 0;
      let withVector = 0;
      for (const [, stored] of allEntries()) {
        entries += 1;
        if (stored.vectors.has(model)) withVector += 1;
      }
      return { entries, withVector };
    },

    async pruneModels({ keep }) {
      lifecycle.assertOpen('pruneModels');
      const kept = new Set(keep);
      let removed = 0;
      for (const [, stored] of allEntries()) {
        for (const model of [...stored.vectors.keys()]) {
          if (kept.has(model)) continue;
          stored.vectors.delete(model);
          removed += 1;
        }
      }
      return removed;
    },

    async getModelState() {
      lifecycle.assertOpen('getModelState');
      return modelState && copy(modelState);
    },

    async setModelState(change) {
      lifecycle.assertOpen('setModelState');
      modelState = nextModelState(modelState, change);
      return copy(modelState);
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
        const stored = entry.vectors.get(model);
        if (!stored || !matchesFilter(entry, filter)) continue;
        const score = cosineSimilarity(stored.vector, stored.norm, vector, queryNorm);
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

import type { IndexEntry, SemanticIndex } from './semantic-index.js';

/**
 * One {@link SemanticIndex} from two: keyword search from `lexical` (e.g. Postgres tsvector) and
 * vector search from `vector` (e.g. Qdrant). Every write goes to both; the lexical side gets the
 * entries without their vectors, so vectors are stored once. The lexical side holds every entry,
 * so it is the one scans page through, and it keeps the record of the embedding models.
 */
export function composeSemanticIndex(parts: {
  lexical: SemanticIndex;
  vector: SemanticIndex;
}): SemanticIndex {
  const { lexical, vector } = parts;
  const both = [lexical, vector];

  /** Ids of `entries` the lexical side holds (any model: only `held` is read). */
  async function heldByLexical(tenantId: string, entries: IndexEntry[]): Promise<Set<string>> {
    const memoryIds = entries.map((entry) => entry.memoryId);
    const { held } = await lexical.findVectors({ tenantId, model: '', memoryIds });
    return new Set(held);
  }

  return {
    capabilities: {
      lexical: lexical.capabilities.lexical,
      vector: vector.capabilities.vector,
      scan: lexical.capabilities.scan,
    },
    async init() {
      for (const index of both) await index.init();
    },
    async close() {
      for (const index of both) await index.close();
    },
    async upsert({ tenantId, entries }) {
      await lexical.upsert({
        tenantId,
        entries: entries.map((entry) => ({ ...entry, vector: null, model: null })),
      });
      await vector.upsert({ tenantId, entries });
    },
    async upsertVectors({ tenantId, entries }) {
      const given = entries.filter((entry) => entry.vector && entry.model);
      for (const model of new Set(given.map((entry) => entry.model!))) {
        const batch = given.filter((entry) => entry.model === model);
        const memoryIds = batch.map((entry) => entry.memoryId);
        // Entries the vector side holds keep its fields (which a merge may have changed since the
        // caller read them); the others, e.g. memories never embedded, get a point of their own.
        const { held } = await vector.findVectors({ tenantId, model, memoryIds });
        const known = new Set(held);
        await vector.upsertVectors({
          tenantId,
          entries: batch.filter((entry) => known.has(entry.memoryId)),
        });
        const fresh = batch.filter((entry) => !known.has(entry.memoryId));
        if (fresh.length === 0) continue;
        await vector.upsert({ tenantId, entries: fresh });
        // A memory deleted meanwhile must not keep a vector: the lexical side says what exists.
        const exists = await heldByLexical(tenantId, fresh);
        const gone = fresh.filter((entry) => !exists.has(entry.memoryId));
        for (const userId of new Set(gone.map((entry) => entry.userId))) {
          const ids = gone.filter((entry) => entry.userId === userId).map((e) => e.memoryId);
          await vector.delete({ tenantId, userId, memoryIds: ids });
        }
      }
    },
    async findVectors(options) {
      const { held } = await lexical.findVectors(options);
      const { withVector } = await vector.findVectors({ ...options, memoryIds: held });
      return { held, withVector };
    },
    async scanEntries({ after, limit, missing }) {
      // The lexical side holds no vectors here, so it pages every entry and the vector side
      // says which already have one.
      const page = await lexical.scanEntries({ after, limit });
      if (missing === undefined) return page;
      const entries = [];
      for (const tenantId of new Set(page.entries.map((entry) => entry.tenantId))) {
        const ofTenant = page.entries.filter((entry) => entry.tenantId === tenantId);
        const { withVector } = await vector.findVectors({
          tenantId,
          model: missing,
          memoryIds: ofTenant.map((entry) => entry.memoryId),
        });
        const done = new Set(withVector);
        entries.push(...ofTenant.filter((entry) => !done.has(entry.memoryId)));
      }
      return { entries, next: page.next };
    },
    async countVectors(options) {
      const [{ entries }, { withVector }] = await Promise.all([
        lexical.countVectors(options),
        vector.countVectors(options),
      ]);
      return { entries, withVector };
    },
    async pruneModels(options) {
      return (await vector.pruneModels(options)) + (await lexical.pruneModels(options));
    },
    getModelState: () => lexical.getModelState(),
    setModelState: (options) => lexical.setModelState(options),
    setCurrent: async (options) => {
      await lexical.setCurrent(options);
      await vector.setCurrent(options);
    },
    searchLexical: (options) => lexical.searchLexical(options),
    searchVector: (options) => vector.searchVector(options),
    async reassign(options) {
      const moved = await lexical.reassign(options);
      return Math.max(moved, await vector.reassign(options));
    },
    async delete(options) {
      const removed = await lexical.delete(options);
      return Math.max(removed, await vector.delete(options));
    },
  };
}

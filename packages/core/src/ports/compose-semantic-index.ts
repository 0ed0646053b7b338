import type { SemanticIndex } from './semantic-index.js';

/**
 * One {@link SemanticIndex} from two: keyword search from `lexical` (e.g. Postgres tsvector) and
 * vector search from `vector` (e.g. Qdrant). Every write goes to both; the lexical side gets the
 * entries without their vectors, so vectors are stored once.
 */
export function composeSemanticIndex(parts: {
  lexical: SemanticIndex;
  vector: SemanticIndex;
}): SemanticIndex {
  const { lexical, vector } = parts;
  const both = [lexical, vector];
  return {
    capabilities: { lexical: lexical.capabilities.lexical, vector: vector.capabilities.vector },
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
    async setCurrent(options) {
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

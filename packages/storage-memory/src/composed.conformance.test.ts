import { composeSemanticIndex, type SemanticIndex } from '@memnex/core';
import {
  makeIndexEntry,
  randomTenantId,
  runSemanticIndexConformance,
} from '@memnex/storage-conformance';
import { describe, expect, it } from 'vitest';
import { createMemorySemanticIndex } from './memory-semantic-index.js';

/**
 * A memory index that acts as an index of vectors alone (as Qdrant does): no keyword search, no
 * scans, and entries without a vector are not held.
 */
function vectorsOnly(inner: SemanticIndex): SemanticIndex {
  return {
    ...inner,
    capabilities: { lexical: false, vector: true, scan: false },
    searchLexical: async () => [],
    async upsert({ tenantId, entries }) {
      await inner.upsert({ tenantId, entries: entries.filter((entry) => entry.vector) });
    },
    async scanEntries() {
      throw new Error('an index of vectors alone cannot scan');
    },
    countVectors: async (options) => ({ ...(await inner.countVectors(options)), entries: null }),
  };
}

const composed = () =>
  composeSemanticIndex({
    lexical: createMemorySemanticIndex(),
    vector: vectorsOnly(createMemorySemanticIndex()),
  });

// The composition the runtime uses with Qdrant, here with both sides in memory: scans page the
// lexical side and ask the vector side which entries have a vector.
runSemanticIndexConformance({ name: 'composed (memory lexical + vectors only)', create: composed });

describe('composeSemanticIndex', () => {
  it('drops a vector added to a memory that was deleted meanwhile', async () => {
    const index = composed();
    const tenantId = randomTenantId();
    const entry = makeIndexEntry();
    await index.upsert({ tenantId, entries: [entry] });
    // A re-embed read the entry, then the user was forgotten, then its vector arrives.
    await index.delete({ tenantId, userId: entry.userId });
    await index.upsertVectors({
      tenantId,
      entries: [{ ...entry, vector: Float32Array.from([1, 0]), model: 'm' }],
    });
    expect(await index.findVectors({ tenantId, model: 'm', memoryIds: [entry.memoryId] })).toEqual({
      held: [],
      withVector: [],
    });
    expect(await index.countVectors({ model: 'm' })).toEqual({ entries: 0, withVector: 0 });
  });

  it('gives a memory that never had a vector its first one', async () => {
    const index = composed();
    const tenantId = randomTenantId();
    const entry = makeIndexEntry();
    await index.upsert({ tenantId, entries: [entry] });
    await index.upsertVectors({
      tenantId,
      entries: [{ ...entry, vector: Float32Array.from([1, 0]), model: 'm' }],
    });
    const hits = await index.searchVector({
      tenantId,
      userId: entry.userId,
      vector: Float32Array.from([1, 0]),
      model: 'm',
      limit: 5,
    });
    expect(hits.map((hit) => hit.memoryId)).toEqual([entry.memoryId]);
    const missing = await index.scanEntries({ limit: 10, missing: 'm' });
    expect(missing.entries).toEqual([]);
  });
});

import { vectorNorm, type IndexEntry, type SemanticIndex } from '@memnex/core';
import { and, eq, sql } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { anyOf, type Transaction } from './database.js';
import { readModelState, writeModelState } from './embedding-model-state.js';
import { searchLexical, searchVectorInDatabase, searchVectorInProcess } from './index-search.js';
import {
  countVectors,
  findVectors,
  pruneModels,
  scanEntries,
  storeVectors,
  vectorRows,
} from './index-vectors.js';
import { memoryIndex } from './schema.js';

/** A {@link SemanticIndex} on Postgres, which also says where its vector search runs. */
export interface PostgresSemanticIndex extends SemanticIndex {
  /**
   * `pgvector` when the database scores vectors (the extension is installed), `in-process`
   * when vectors are stored as bytes and scored exactly here; null until `init()`.
   */
  readonly vectorSearch: 'pgvector' | 'in-process' | null;
}

/** Entries per insert statement, well below the limit of 65535 bound parameters. */
const UPSERT_BATCH = 1000;

async function upsertEntries(
  transaction: Transaction,
  tenantId: string,
  entries: IndexEntry[],
  pgvector: boolean,
): Promise<void> {
  const rows = entries.map((entry) => ({
    tenantId,
    memoryId: entry.memoryId,
    userId: entry.userId,
    text: entry.text,
    context: entry.context ?? null,
    type: entry.type,
    kind: entry.kind,
    current: entry.current,
    observedAt: entry.observedAt,
  }));
  const replace = (column: string) => sql.raw(`excluded.${column}`);
  for (let start = 0; start < rows.length; start += UPSERT_BATCH) {
    await transaction
      .insert(memoryIndex)
      .values(rows.slice(start, start + UPSERT_BATCH))
      .onConflictDoUpdate({
        target: [memoryIndex.tenantId, memoryIndex.memoryId],
        set: {
          userId: replace('user_id'),
          text: replace('text'),
          context: replace('context'),
          type: replace('type'),
          kind: replace('kind'),
          current: replace('current'),
          observedAt: replace('observed_at'),
        },
      });
  }
  // Vectors of other models stay: an upsert replaces the entry and its vector of one model.
  await storeVectors(transaction, tenantId, vectorRows(entries), pgvector);
}

/**
 * The {@link SemanticIndex} on Postgres: lexical search over a generated, weighted `tsvector`
 * with a GIN index; vector search with pgvector where the extension exists, and exact cosine
 * in process over stored float32 bytes elsewhere. Both search one user's entries at a time. An
 * entry holds one vector per embedding model (`memory_vectors`); the models the index serves
 * are one row of `embedding_models`.
 */
export function createPostgresSemanticIndex(handle: DatabaseHandle): PostgresSemanticIndex {
  const session = createStoreSession(handle, 'Postgres semantic index');
  const { run } = session;
  let vectorSearch: PostgresSemanticIndex['vectorSearch'] = null;

  return {
    capabilities: { lexical: true, vector: true, scan: true },
    get vectorSearch() {
      return vectorSearch;
    },
    async init() {
      await session.init();
      vectorSearch = session.opened('init').pgvector ? 'pgvector' : 'in-process';
    },
    close: session.close,

    async upsert({ tenantId, entries }) {
      session.opened('upsert');
      // One row per memory id, the last entry winning, as a statement may touch a row once.
      const latest = [...new Map(entries.map((entry) => [entry.memoryId, entry])).values()];
      if (latest.length === 0) return;
      await run('upsert', { tenantId }, (transaction, opened) =>
        upsertEntries(transaction, tenantId, latest, opened.pgvector),
      );
    },

    async upsertVectors({ tenantId, entries }) {
      session.opened('upsertVectors');
      const rows = vectorRows(entries);
      if (rows.length === 0) return;
      await run('upsertVectors', { tenantId }, (transaction, opened) =>
        storeVectors(transaction, tenantId, rows, opened.pgvector),
      );
    },

    async findVectors({ tenantId, model, memoryIds }) {
      session.opened('findVectors');
      if (memoryIds.length === 0) return { held: [], withVector: [] };
      return run('findVectors', { tenantId }, (transaction) =>
        findVectors(transaction, { tenantId, model, memoryIds }),
      );
    },

    async scanEntries({ after, limit, missing }) {
      session.opened('scanEntries');
      const count = Math.max(0, Math.floor(limit));
      if (count === 0) return { entries: [], next: after ?? null };
      return run('scanEntries', { indexMaintenance: true }, (transaction) =>
        scanEntries(transaction, { after, limit: count, missing }),
      );
    },

    countVectors: ({ model }) =>
      run('countVectors', { indexMaintenance: true }, (transaction) =>
        countVectors(transaction, model),
      ),

    pruneModels: ({ keep }) =>
      run('pruneModels', { indexMaintenance: true }, (transaction) =>
        pruneModels(transaction, keep),
      ),

    getModelState: () => run('getModelState', { noTenant: true }, readModelState),

    setModelState: (change) =>
      run('setModelState', { noTenant: true }, (transaction) =>
        writeModelState(transaction, change),
      ),

    async setCurrent({ tenantId, userId, memoryIds, current }) {
      session.opened('setCurrent');
      if (memoryIds.length === 0) return;
      await run('setCurrent', { tenantId }, (transaction) =>
        transaction
          .update(memoryIndex)
          .set({ current })
          .where(
            and(
              eq(memoryIndex.tenantId, tenantId),
              eq(memoryIndex.userId, userId),
              anyOf(memoryIndex.memoryId, memoryIds),
            ),
          ),
      );
    },

    async searchLexical({ tenantId, userId, query, limit, filter }) {
      session.opened('searchLexical');
      if (limit <= 0 || query.trim() === '') return [];
      const target = { tenantId, userId, query, filter, limit: Math.floor(limit) };
      return run('searchLexical', { tenantId }, (transaction) =>
        searchLexical(transaction, target),
      );
    },

    async searchVector({ tenantId, userId, vector, model, limit, filter }) {
      session.opened('searchVector');
      if (limit <= 0 || vector.length === 0 || vectorNorm(vector) === 0) return [];
      const target = { tenantId, userId, vector, model, filter, limit: Math.floor(limit) };
      return run('searchVector', { tenantId }, (transaction, opened) =>
        opened.pgvector
          ? searchVectorInDatabase(transaction, target)
          : searchVectorInProcess(transaction, target),
      );
    },

    async reassign({ tenantId, fromUserId, toUserId, memoryIds }) {
      if (fromUserId === toUserId || memoryIds.length === 0) {
        session.opened('reassign');
        return 0;
      }
      const moved = await run('reassign', { tenantId }, (transaction) =>
        transaction
          .update(memoryIndex)
          .set({ userId: toUserId })
          .where(
            and(
              eq(memoryIndex.tenantId, tenantId),
              eq(memoryIndex.userId, fromUserId),
              anyOf(memoryIndex.memoryId, memoryIds),
            ),
          )
          .returning({ memoryId: memoryIndex.memoryId }),
      );
      return moved.length;
    },

    async delete({ tenantId, userId, memoryIds }) {
      if (memoryIds?.length === 0) {
        session.opened('delete');
        return 0;
      }
      const removed = await run('delete', { tenantId }, (transaction) =>
        transaction
          .delete(memoryIndex)
          .where(
            and(
              eq(memoryIndex.tenantId, tenantId),
              eq(memoryIndex.userId, userId),
              memoryIds ? anyOf(memoryIndex.memoryId, memoryIds) : undefined,
            ),
          )
          .returning({ memoryId: memoryIndex.memoryId }),
      );
      return removed.length;
    },
  };
}

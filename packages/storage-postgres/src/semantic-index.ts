import { vectorNorm, type IndexEntry, type SemanticIndex } from '@memnex/core';
import { and, eq, sql } from 'drizzle-orm';
import { createStoreSession, type DatabaseHandle } from './database-handle.js';
import { anyOf, textArray, type Transaction } from './database.js';
import { searchLexical, searchVectorInDatabase, searchVectorInProcess } from './index-search.js';
import { memoryIndex } from './schema.js';
import { encodeVector, vectorLiteral } from './vector-codec.js';

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
    model: entry.vector ? entry.model : null,
    vector: entry.vector ? encodeVector(entry.vector) : null,
    dimensions: entry.vector ? entry.vector.length : null,
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
          model: replace('model'),
          vector: replace('vector'),
          dimensions: replace('dimensions'),
        },
      });
  }
  if (!pgvector) return;
  // The optional pgvector column is not part of the drizzle schema; fill it in one statement.
  const ids = entries.map((entry) => entry.memoryId);
  const vectors = entries.map((entry) =>
    entry.vector && vectorNorm(entry.vector) > 0 ? vectorLiteral(entry.vector) : null,
  );
  await transaction.execute(
    sql`update ${memoryIndex} set embedding = given.embedding::vector
      from unnest(${textArray(ids)}, ${textArray(vectors)}) as given (memory_id, embedding)
      where ${memoryIndex.tenantId} = ${tenantId} and ${memoryIndex.memoryId} = given.memory_id`,
  );
}

/**
 * The {@link SemanticIndex} on Postgres: lexical search over a generated, weighted `tsvector`
 * with a GIN index; vector search with pgvector where the extension exists, and exact cosine
 * in process over stored float32 bytes elsewhere. Both search one user's entries at a time.
 */
export function createPostgresSemanticIndex(handle: DatabaseHandle): PostgresSemanticIndex {
  const session = createStoreSession(handle, 'Postgres semantic index');
  const { run } = session;
  let vectorSearch: PostgresSemanticIndex['vectorSearch'] = null;

  return {
    capabilities: { lexical: true, vector: true },
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

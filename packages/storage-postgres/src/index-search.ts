import { cosineSimilarity, vectorNorm, type IndexFilter, type IndexHit } from '@memnex/core';
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { anyOf, selectRows, type Transaction } from './database.js';
import { memoryIndex, memoryVectors } from './schema.js';
import { vectorLiteral, vectorOf } from './vector-codec.js';

/** Where one search looks: a user of a tenant, narrowed by a filter. */
export interface SearchTarget {
  tenantId: string;
  userId: string;
  filter?: IndexFilter;
  /** At least 1. */
  limit: number;
}

/** The conditions every search applies before ranking: tenant, user, then the filter. */
function targetConditions({ tenantId, userId, filter }: SearchTarget): SQL {
  const conditions: SQL[] = [eq(memoryIndex.tenantId, tenantId), eq(memoryIndex.userId, userId)];
  if (!filter?.includeHistory) conditions.push(eq(memoryIndex.current, true));
  if (filter?.types) conditions.push(anyOf(memoryIndex.type, filter.types));
  if (filter?.kinds) conditions.push(anyOf(memoryIndex.kind, filter.kinds));
  if (filter?.since !== undefined) conditions.push(gte(memoryIndex.observedAt, filter.since));
  if (filter?.until !== undefined) conditions.push(lt(memoryIndex.observedAt, filter.until));
  return and(...conditions) as SQL;
}

/** Best first; ties go to the newer entry, then to the smaller memory id. */
const RANKING = sql`score desc, ${memoryIndex.observedAt} desc, ${memoryIndex.memoryId}`;

/**
 * Keyword search with the `english` text-search configuration, the same analysis the
 * `document` column was built with. The query's terms are OR-ed, as in BM25: a document
 * needs one of them, and `ts_rank_cd` ranks documents with more (and denser) matches first,
 * counting the entry's own text (weight A) above its context (weight B), divided by
 * 1 + log(length) (normalisation 1) so that long messages do not win by length alone.
 */
export async function searchLexical(
  transaction: Transaction,
  target: SearchTarget & { query: string },
): Promise<IndexHit[]> {
  const rows = await selectRows<{ memory_id: string; score: number }>(
    transaction,
    sql`with search as (
        select replace(plainto_tsquery('english', ${target.query})::text, ' & ', ' | ')::tsquery
          as query
      )
      select ${memoryIndex.memoryId}, ts_rank_cd(${memoryIndex.document}, search.query, 1) as score
      from ${memoryIndex}, search
      where ${targetConditions(target)} and ${memoryIndex.document} @@ search.query
      order by ${RANKING}
      limit ${target.limit}`,
  );
  return rows.map((row) => ({ memoryId: row.memory_id, score: Number(row.score) }));
}

/** The target narrowed to vectors of one model and dimension. */
interface VectorTarget extends SearchTarget {
  vector: Float32Array;
  model: string;
}

/** The entries searched, each with its vector of the target's model and dimension. */
function withVectors(target: VectorTarget): SQL {
  return sql`${memoryIndex} join ${memoryVectors}
    on ${memoryVectors.tenantId} = ${memoryIndex.tenantId}
    and ${memoryVectors.memoryId} = ${memoryIndex.memoryId}
    and ${memoryVectors.model} = ${target.model}
    and ${memoryVectors.dimensions} = ${target.vector.length}`;
}

/** Cosine search in the database with pgvector's `<=>` (cosine distance), exact per user. */
export async function searchVectorInDatabase(
  transaction: Transaction,
  target: VectorTarget,
): Promise<IndexHit[]> {
  const rows = await selectRows<{ memory_id: string; score: number }>(
    transaction,
    sql`select ${memoryIndex.memoryId},
        1 - (${memoryVectors}.embedding <=> ${vectorLiteral(target.vector)}::vector) as score
      from ${withVectors(target)}
      where ${targetConditions(target)} and ${memoryVectors}.embedding is not null
        and vector_norm(${memoryVectors}.embedding) > 0
      order by ${RANKING}
      limit ${target.limit}`,
  );
  return rows.map((row) => ({ memoryId: row.memory_id, score: Number(row.score) }));
}

/**
 * Cosine search without pgvector: the user's stored vectors of the model are read and scored
 * exactly in process. One user holds thousands of vectors, not millions, so this stays in the
 * tens of milliseconds; the bytes travel as base64, a third less text than bytea's hex.
 */
export async function searchVectorInProcess(
  transaction: Transaction,
  target: VectorTarget,
): Promise<IndexHit[]> {
  const rows = await selectRows<{ memory_id: string; observed: number; vector: string }>(
    transaction,
    sql`select ${memoryIndex.memoryId},
        (extract(epoch from ${memoryIndex.observedAt}) * 1000)::float8 as observed,
        encode(${memoryVectors.vector}, 'base64') as vector
      from ${withVectors(target)}
      where ${targetConditions(target)}`,
  );
  const queryNorm = vectorNorm(target.vector);
  const scored: Array<{ memoryId: string; observed: number; score: number }> = [];
  for (const row of rows) {
    const stored = vectorOf(Buffer.from(row.vector, 'base64'));
    const score = cosineSimilarity(stored, vectorNorm(stored), target.vector, queryNorm);
    if (score !== null) scored.push({ memoryId: row.memory_id, observed: row.observed, score });
  }
  scored.sort(
    (left, right) =>
      right.score - left.score ||
      right.observed - left.observed ||
      (left.memoryId < right.memoryId ? -1 : left.memoryId > right.memoryId ? 1 : 0),
  );
  return scored.slice(0, target.limit).map(({ memoryId, score }) => ({ memoryId, score }));
}

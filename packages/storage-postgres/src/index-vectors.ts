import { vectorNorm, type IndexEntry, type ScanCursor, type ScannedEntry } from '@memnex/core';
import { and, asc, eq, notExists, sql, type SQL } from 'drizzle-orm';
import { anyOf, selectRows, textArray, type Transaction } from './database.js';
import { memoryIndex, memoryVectors } from './schema.js';
import { encodeVector, vectorLiteral } from './vector-codec.js';

/** One vector to store: a memory's vector of one model. */
type VectorRow = Pick<IndexEntry, 'memoryId'> & { model: string; vector: Float32Array };

/** The vectors of `entries` that can be stored, the last one winning per (memory, model). */
export function vectorRows(entries: readonly IndexEntry[]): VectorRow[] {
  const rows = new Map<string, VectorRow>();
  for (const entry of entries) {
    if (!entry.vector || entry.model === null || entry.vector.length === 0) continue;
    rows.set(JSON.stringify([entry.memoryId, entry.model]), {
      memoryId: entry.memoryId,
      model: entry.model,
      vector: entry.vector,
    });
  }
  return [...rows.values()];
}

/**
 * Store vectors of the tenant's entries, replacing a vector of the same (memory, model). Only
 * entries the index holds get one (the join), so a late vector never revives a deleted memory.
 * With pgvector the `embedding` column is filled in the same statement.
 */
export async function storeVectors(
  transaction: Transaction,
  tenantId: string,
  rows: readonly VectorRow[],
  pgvector: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const ids = textArray(rows.map((row) => row.memoryId));
  const models = textArray(rows.map((row) => row.model));
  const bytes = textArray(
    rows.map((row) => Buffer.from(encodeVector(row.vector)).toString('base64')),
  );
  const embeddings = textArray(
    rows.map((row) => (vectorNorm(row.vector) > 0 ? vectorLiteral(row.vector) : null)),
  );
  const given = pgvector
    ? sql`unnest(${ids}, ${models}, ${bytes}, ${embeddings}) as given (memory_id, model, bytes, embedding)`
    : sql`unnest(${ids}, ${models}, ${bytes}) as given (memory_id, model, bytes)`;
  await transaction.execute(
    sql`insert into ${memoryVectors} (tenant_id, memory_id, model, dimensions, vector${pgvector ? sql`, embedding` : sql``})
      select ${tenantId}, given.memory_id, given.model,
        octet_length(decode(given.bytes, 'base64')) / 4, decode(given.bytes, 'base64')
        ${pgvector ? sql`, given.embedding::vector` : sql``}
      from ${given}
      join ${memoryIndex} on ${memoryIndex.tenantId} = ${tenantId}
        and ${memoryIndex.memoryId} = given.memory_id
      on conflict (tenant_id, memory_id, model) do update
        set dimensions = excluded.dimensions, vector = excluded.vector
        ${pgvector ? sql`, embedding = excluded.embedding` : sql``}`,
  );
}

/** Which of `memoryIds` the tenant's index holds, and which of those have a vector of `model`. */
export async function findVectors(
  transaction: Transaction,
  target: { tenantId: string; model: string; memoryIds: readonly string[] },
): Promise<{ held: string[]; withVector: string[] }> {
  if (target.memoryIds.length === 0) return { held: [], withVector: [] };
  const rows = await selectRows<{ memory_id: string; has_vector: boolean }>(
    transaction,
    sql`select ${memoryIndex.memoryId}, exists (
        select 1 from ${memoryVectors}
        where ${memoryVectors.tenantId} = ${memoryIndex.tenantId}
          and ${memoryVectors.memoryId} = ${memoryIndex.memoryId}
          and ${memoryVectors.model} = ${target.model}
      ) as has_vector
      from ${memoryIndex}
      where ${memoryIndex.tenantId} = ${target.tenantId}
        and ${anyOf(memoryIndex.memoryId, [...new Set(target.memoryIds)])}
      order by ${memoryIndex.memoryId}`,
  );
  return {
    held: rows.map((row) => row.memory_id),
    withVector: rows.filter((row) => row.has_vector).map((row) => row.memory_id),
  };
}

/** `memory_index` rows without a vector of `model`. */
function lacksVector(model: string, transaction: Transaction): SQL {
  return notExists(
    transaction
      .select({ one: sql`1` })
      .from(memoryVectors)
      .where(
        and(
          eq(memoryVectors.tenantId, memoryIndex.tenantId),
          eq(memoryVectors.memoryId, memoryIndex.memoryId),
          eq(memoryVectors.model, model),
        ),
      ),
  );
}

/**
 * A page of the entries of every tenant after `after`, in (tenantId, memoryId) order (the
 * primary key's), optionally only those lacking a vector of `missing`. Runs in the index
 * maintenance scope, which reads every tenant.
 */
export async function scanEntries(
  transaction: Transaction,
  options: { after?: ScanCursor | null; limit: number; missing?: string },
): Promise<{ entries: ScannedEntry[]; next: ScanCursor | null }> {
  const conditions: SQL[] = [];
  if (options.after) {
    conditions.push(
      sql`(${memoryIndex.tenantId}, ${memoryIndex.memoryId}) > (${options.after.tenantId}, ${options.after.memoryId})`,
    );
  }
  if (options.missing !== undefined) conditions.push(lacksVector(options.missing, transaction));
  const rows = await transaction
    .select({
      tenantId: memoryIndex.tenantId,
      memoryId: memoryIndex.memoryId,
      userId: memoryIndex.userId,
      text: memoryIndex.text,
      context: memoryIndex.context,
      type: memoryIndex.type,
      kind: memoryIndex.kind,
      current: memoryIndex.current,
      observedAt: memoryIndex.observedAt,
    })
    .from(memoryIndex)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(memoryIndex.tenantId), asc(memoryIndex.memoryId))
    .limit(options.limit);
  const last = rows.at(-1);
  const next =
    rows.length === options.limit && last
      ? { tenantId: last.tenantId, memoryId: last.memoryId }
      : null;
  return { entries: rows, next };
}

/** Entries of every tenant, and how many have a vector of `model` (maintenance scope). */
export async function countVectors(
  transaction: Transaction,
  model: string,
): Promise<{ entries: number; withVector: number }> {
  const [row] = await selectRows<{ entries: string | number; with_vector: string | number }>(
    transaction,
    sql`select (select count(*) from ${memoryIndex}) as entries,
      (select count(*) from ${memoryVectors} where ${memoryVectors.model} = ${model}) as with_vector`,
  );
  return { entries: Number(row?.entries ?? 0), withVector: Number(row?.with_vector ?? 0) };
}

/** Delete the vectors of every model not in `keep`, in every tenant (maintenance scope). */
export async function pruneModels(
  transaction: Transaction,
  keep: readonly string[],
): Promise<number> {
  const [row] = await selectRows<{ removed: string | number }>(
    transaction,
    sql`with removed as (
        delete from ${memoryVectors} where not (${anyOf(memoryVectors.model, [...keep])})
        returning 1
      )
      select count(*) as removed from removed`,
  );
  return Number(row?.removed ?? 0);
}

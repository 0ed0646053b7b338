import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** A drizzle database over either driver (postgres.js or PGlite). */
export type Database = PgDatabase<PgQueryResultHKT>;

/** A transaction of a {@link Database}. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * The rows of a raw `execute()`: postgres.js answers with an array of rows, PGlite with
 * `{ rows }`.
 */
export async function selectRows<Row>(executor: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await executor.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}

/** Quote one element of a Postgres array literal. */
function arrayElement(value: string | null): string {
  if (value === null) return 'NULL';
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A `text[]` parameter: the whole list travels as one bound value, so any number of ids costs
 * one parameter and the statement text does not depend on the list's length.
 */
export function textArray(values: ReadonlyArray<string | null>): SQL {
  return sql`${`{${values.map(arrayElement).join(',')}}`}::text[]`;
}

/** `column = any(values)`; false for an empty list. */
export function anyOf(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${textArray(values)})`;
}

/** `column && values` (the arrays share an element); false for an empty list. */
export function overlaps(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} && ${textArray(values)}`;
}

/** A limit as Memnex reads it: absent means none, 0 or less means no rows. */
export function rowLimit(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.max(0, Math.floor(limit));
}

import { MemnexError, type Logger } from '@memnex/core';
import { sql } from 'drizzle-orm';
import { selectRows, type Database } from './database.js';
import { applyMigrations } from './migration-runner.js';

/** A database ready for the stores: migrated, with its optional features detected. */
export interface OpenedDatabase {
  database: Database;
  /** `memory_vectors.embedding` (pgvector) exists, so vector search runs in the database. */
  pgvector: boolean;
  /** Tags of the migrations applied while opening. */
  applied: string[];
  /** Release what was opened (pool, PGlite instance, data-dir lock); a caller's client stays. */
  close(): Promise<void>;
}

/** What to do right after connecting. */
export interface PrepareOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  logger?: Logger;
}

/** What preparing a database found. */
export type Prepared = Pick<OpenedDatabase, 'pgvector' | 'applied'>;

/**
 * Migrate (unless told not to), check that the tables exist and detect pgvector, which the
 * migrations add only where the extension could be installed.
 */
export async function prepareDatabase(
  database: Database,
  options: PrepareOptions,
): Promise<Prepared> {
  const applied = (options.migrate ?? true) ? await applyMigrations(database) : [];
  if (applied.length > 0) options.logger?.info('applied migrations', { applied });
  const [row] = await selectRows<{ tables: boolean; pgvector: boolean }>(
    database,
    sql`select to_regclass('memories') is not null as tables,
      exists (select 1 from pg_attribute where attrelid = to_regclass('memory_vectors')
        and attname = 'embedding' and not attisdropped) as pgvector`,
  );
  if (!row?.tables) {
    throw new MemnexError({
      code: 'STORAGE_UNAVAILABLE',
      message: 'the database has no Memnex tables; apply the migrations with migrate() first',
    });
  }
  return { pgvector: row.pgvector, applied };
}

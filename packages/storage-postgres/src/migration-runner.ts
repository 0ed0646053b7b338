import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { selectRows, type Database } from './database.js';

/** One migration of the `drizzle/` folder, as drizzle-kit wrote it. */
interface Migration {
  tag: string;
  /** Creation time from the journal; a migration is pending when it is newer than the last applied. */
  createdAt: number;
  hash: string;
  statements: string[];
}

/** The committed migrations: `drizzle/` beside `src/` and `dist/`, shipped with the package. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle/', import.meta.url));

/**
 * Key of the advisory lock held while migrating (two-int form, `'mx'` and `1`), so that two
 * processes starting at once apply each migration once.
 */
const MIGRATION_LOCK = sql`pg_advisory_xact_lock(28024, 1)`;

let cached: Promise<Migration[]> | undefined;

async function readMigrations(): Promise<Migration[]> {
  const journal = JSON.parse(await readFile(`${MIGRATIONS_FOLDER}meta/_journal.json`, 'utf8')) as {
    entries: Array<{ tag: string; when: number }>;
  };
  return Promise.all(
    journal.entries.map(async (entry) => {
      const text = await readFile(`${MIGRATIONS_FOLDER}${entry.tag}.sql`, 'utf8');
      return {
        tag: entry.tag,
        createdAt: entry.when,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text.split('--> statement-breakpoint').filter((part) => part.trim() !== ''),
      };
    }),
  );
}

/**
 * Apply the pending migrations in one transaction and return their tags. The bookkeeping is
 * drizzle's own (`drizzle.__drizzle_migrations`, pending = newer than the last applied), so
 * `drizzle-kit migrate` and this runner can take turns on one database; unlike drizzle's
 * migrator it holds an advisory lock, so concurrent starts are safe.
 */
export async function applyMigrations(database: Database): Promise<string[]> {
  cached ??= readMigrations();
  const migrations = await cached.catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return database.transaction(async (transaction) => {
    await transaction.execute(
      sql`select ${MIGRATION_LOCK}, set_config('client_min_messages', 'warning', true)`,
    );
    const [table] = await selectRows<{ exists: boolean }>(
      transaction,
      sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
    );
    if (!table?.exists) {
      await transaction.execute(sql`create schema if not exists drizzle`);
      await transaction.execute(
        sql`create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
      );
    }
    const [last] = await selectRows<{ created_at: string | number }>(
      transaction,
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const lastApplied = last ? Number(last.created_at) : -Infinity;
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.createdAt <= lastApplied) continue;
      for (const statement of migration.statements) await transaction.execute(sql.raw(statement));
      await transaction.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.createdAt})`,
      );
      applied.push(migration.tag);
    }
    return applied;
  });
}

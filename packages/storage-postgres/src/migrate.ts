import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@memnex/core';
import type { Sql } from 'postgres';
import { applyMigrations } from './migration-runner.js';
import { wrapClient } from './existing-client.js';
import { openDataDir } from './pglite-database.js';
import { openServer } from './server-database.js';
import { toStoreError } from './storage-errors.js';

/** Where {@link migrate} applies the migrations. */
export type MigrateOptions = (
  | {
      /** A Postgres server URL. */
      url: string;
    }
  | {
      /** An embedded data dir; it is locked while migrating. */
      dataDir: string;
    }
  | {
      /** A postgres.js `Sql` or `PGlite` the caller owns; it stays open. */
      client: Sql | PGlite;
    }
) & {
  /** Receives the applied migrations; silent by default. */
  logger?: Logger;
};

/**
 * Apply the migrations shipped in this package's `drizzle/` folder that the database does not
 * have yet, in one transaction under an advisory lock, and return their tags. Running it again
 * applies nothing. The stores do this at `init()` unless created with `migrate: false`.
 */
export async function migrate(options: MigrateOptions): Promise<{ applied: string[] }> {
  try {
    if ('client' in options) {
      return { applied: await applyMigrations(await wrapClient(options.client)) };
    }
    const opened =
      'url' in options
        ? await openServer({ url: options.url, maxConnections: 1, logger: options.logger })
        : await openDataDir(options.dataDir, { logger: options.logger });
    await opened.close();
    return { applied: opened.applied };
  } catch (error) {
    throw toStoreError(error, 'migrate');
  }
}

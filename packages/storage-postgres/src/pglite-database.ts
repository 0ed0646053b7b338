import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { MemnexError } from '@memnex/core';
import { acquireDataDirLock } from './data-dir-lock.js';
import type { Database } from './database.js';
import { prepareDatabase, type OpenedDatabase, type PrepareOptions } from './prepare-database.js';

/** Sub-directory of a data dir that holds the PGlite cluster, beside the lock file. */
const PGLITE_FOLDER = 'pgdata';

/**
 * A new PGlite with pgvector, in memory or in a folder. PGlite, its pgvector build and drizzle's
 * PGlite driver are imported on first use, so a process on a Postgres server never loads the
 * WebAssembly build.
 */
export async function createPglite(folder?: string): Promise<PGlite> {
  const [{ PGlite }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  return PGlite.create({ dataDir: folder, extensions: { vector } });
}

/** Wrap a PGlite instance for drizzle. */
export async function pgliteDatabase(client: PGlite): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  return drizzle(client) as unknown as Database;
}

/**
 * Embedded PGlite in `<dataDir>/pgdata`. The process holds the data dir's lock from before
 * PGlite opens until after it has closed.
 */
export async function openDataDir(
  dataDir: string,
  options: PrepareOptions,
): Promise<OpenedDatabase> {
  const lock = await acquireDataDirLock(dataDir, options.logger);
  let client: PGlite | undefined;
  try {
    client = await createPglite(join(resolve(dataDir), PGLITE_FOLDER));
    const database = await pgliteDatabase(client);
    const prepared = await prepareDatabase(database, options);
    const opened = client;
    return {
      database,
      ...prepared,
      async close() {
        try {
          await opened.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await client?.close().catch(() => undefined);
    await lock.release();
    if (MemnexError.isInstance(error)) throw error;
    throw new MemnexError({
      code: 'STORAGE_UNAVAILABLE',
      message: `could not open the data dir ${dataDir}`,
      cause: error,
    });
  }
}

/** PGlite in memory: everything is gone when it closes. */
export async function openInMemory(options: PrepareOptions): Promise<OpenedDatabase> {
  const client = await createPglite();
  try {
    const database = await pgliteDatabase(client);
    const prepared = await prepareDatabase(database, options);
    return { database, ...prepared, close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

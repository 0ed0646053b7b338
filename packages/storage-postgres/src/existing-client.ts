import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Database } from './database.js';
import { pgliteDatabase } from './pglite-database.js';
import {
  prepareDatabase,
  type OpenedDatabase,
  type Prepared,
  type PrepareOptions,
} from './prepare-database.js';

/** A client the caller owns: a postgres.js `Sql` or a `PGlite` instance. */
export type ExistingClient = Sql | PGlite;

/**
 * Wrap a caller's client for drizzle. Drizzle's postgres.js driver makes the client return
 * timestamps as text, for every user of that client.
 */
export function wrapClient(client: ExistingClient): Promise<Database> {
  return typeof client === 'function'
    ? Promise.resolve(drizzle(client) as unknown as Database)
    : pgliteDatabase(client);
}

/** Per caller-owned client: the drizzle wrapper and the result of preparing it. */
const PREPARED = new WeakMap<ExistingClient, Promise<Prepared & { database: Database }>>();

/**
 * A client the caller owns and closes. It is wrapped and migrated once per process, however
 * many stores are created on it.
 */
export async function openExisting(
  client: ExistingClient,
  options: PrepareOptions,
): Promise<OpenedDatabase> {
  let prepared = PREPARED.get(client);
  if (!prepared) {
    prepared = (async () => {
      const database = await wrapClient(client);
      return { database, ...(await prepareDatabase(database, options)) };
    })();
    PREPARED.set(client, prepared);
    prepared.catch(() => PREPARED.delete(client));
  }
  return { ...(await prepared), applied: [], close: async () => undefined };
}

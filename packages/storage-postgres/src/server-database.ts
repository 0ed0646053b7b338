import { MemnexError } from '@memnex/core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from './database.js';
import { prepareDatabase, type OpenedDatabase, type PrepareOptions } from './prepare-database.js';

/** `host:port/database` of a URL, never its credentials. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'an invalid Postgres URL';
  }
}

/** Options of {@link openServer}. */
export interface ServerOptions extends PrepareOptions {
  url: string;
  maxConnections?: number;
  connectTimeoutSeconds?: number;
}

/**
 * A postgres.js pool on a Postgres server. Connections open lazily; the first one is made
 * while preparing, so an unreachable server fails here with `STORAGE_UNAVAILABLE`.
 */
export async function openServer(options: ServerOptions): Promise<OpenedDatabase> {
  const client = postgres(options.url, {
    max: options.maxConnections ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    idle_timeout: 60,
    onnotice: () => undefined,
    connection: { application_name: 'memnex' },
  });
  const close = () => client.end({ timeout: 5 });
  try {
    const database = drizzle(client) as unknown as Database;
    return { database, ...(await prepareDatabase(database, options)), close };
  } catch (error) {
    await close().catch(() => undefined);
    if (MemnexError.isInstance(error)) throw error;
    throw new MemnexError({
      code: 'STORAGE_UNAVAILABLE',
      message: `could not open Postgres at ${describeUrl(options.url)}`,
      cause: error,
    });
  }
}

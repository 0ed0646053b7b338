import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';

/** Where the server tests find Postgres; the default is the local trust-auth server. */
export const TEST_POSTGRES_URL =
  process.env.MEMNEX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database created for one test run, dropped afterwards, so parallel runs never collide. */
export interface TestDatabase {
  /** URL of the new database. */
  url: string;
  /** A pool on it, ended by `drop`. */
  client: Sql;
  /** Open another client on the database (e.g. with one connection); ended by `drop`. */
  connect(options?: { max?: number }): Sql;
  /** End every client and drop the database. */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Server to create the database on; {@link TEST_POSTGRES_URL} by default. */
  adminUrl?: string;
  /**
   * Create the database for a new login role (with CREATEROLE, not a superuser) and connect as
   * it, as a production service that owns its tables would; the role is dropped with it.
   */
  ownedByNewRole?: boolean;
}

/** Create `memnex_test_<random>` on the server. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? TEST_POSTGRES_URL;
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  const name = `memnex_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    if (options.ownedByNewRole) {
      await admin.unsafe(`create role ${name} login createrole`);
      await admin.unsafe(`create database ${name} owner ${name}`);
      url.username = name;
      url.password = '';
    } else {
      await admin.unsafe(`create database ${name}`);
    }
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    throw error;
  }
  const clients: Sql[] = [];
  const connect = (connectOptions: { max?: number } = {}) => {
    const client = postgres(url.toString(), {
      max: connectOptions.max ?? 10,
      onnotice: () => undefined,
    });
    clients.push(client);
    return client;
  };
  return {
    url: url.toString(),
    client: connect(),
    connect,
    async drop() {
      await Promise.all(clients.map((client) => client.end({ timeout: 5 })));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      if (options.ownedByNewRole) await admin.unsafe(`drop role if exists ${name}`);
      await admin.end({ timeout: 5 });
    },
  };
}

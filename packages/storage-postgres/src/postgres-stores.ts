import type { PGlite } from '@electric-sql/pglite';
import {
  MemnexError,
  type AccountStore,
  type AuditLog,
  type Leases,
  type Logger,
  type StateStore,
  type UsageStore,
  type WarmStore,
} from '@memnex/core';
import type { Sql } from 'postgres';
import { createPostgresAccountStore } from './account-store.js';
import { createPostgresAuditLog } from './audit-log.js';
import { createDatabaseHandle } from './database-handle.js';
import { openExisting } from './existing-client.js';
import { createPostgresLeases } from './leases.js';
import { openDataDir, openInMemory } from './pglite-database.js';
import type { OpenedDatabase } from './prepare-database.js';
import { createPostgresSemanticIndex, type PostgresSemanticIndex } from './semantic-index.js';
import { openServer } from './server-database.js';
import { createPostgresStateStore } from './state-store.js';
import { createPostgresUsageStore } from './usage-store.js';
import { createPostgresWarmStore } from './warm-store.js';

/** Options every way of opening the stores accepts. */
export interface PostgresStoresCommonOptions {
  /**
   * Apply pending migrations at `init()` (default true). Turn off when migrations run as a
   * separate deployment step (see `migrate`); `init()` then fails if the tables are missing.
   */
  migrate?: boolean;
  /** Receives applied migrations and data-dir lock takeovers; silent by default. */
  logger?: Logger;
}

/** A Postgres server, through a postgres.js pool: durable and shared by many processes. */
export interface PostgresServerStoresOptions extends PostgresStoresCommonOptions {
  /** Connection URL, e.g. `postgres://memnex@db:5432/memnex`. */
  url: string;
  /** Size of the connection pool; default 10. */
  maxConnections?: number;
  /** Seconds to wait for a connection before `STORAGE_UNAVAILABLE`; default 10. */
  connectTimeoutSeconds?: number;
}

/** Embedded PGlite in a directory: durable, owned by one process at a time. */
export interface PgliteDataDirStoresOptions extends PostgresStoresCommonOptions {
  /** Directory of the data (created when absent), e.g. `~/.memnex`. */
  dataDir: string;
}

/** PGlite in memory: fast, for tests and experiments; the data is gone on close. */
export interface PgliteMemoryStoresOptions extends PostgresStoresCommonOptions {
  /** Keep everything in memory. */
  memory: true;
}

/** A client the caller created and closes, shared with other code (e.g. tests). */
export interface ExistingClientStoresOptions extends PostgresStoresCommonOptions {
  /**
   * A postgres.js `Sql` (create it with `onnotice` set to taste) or a `PGlite` created with the
   * pgvector extension. Closing the stores leaves it open.
   */
  client: Sql | PGlite;
}

/** Where {@link createPostgresStores} keeps the data. */
export type PostgresStoresOptions =
  | PostgresServerStoresOptions
  | PgliteDataDirStoresOptions
  | PgliteMemoryStoresOptions
  | ExistingClientStoresOptions;

/** The stores of {@link createPostgresStores}, sharing one pool or PGlite instance. */
export interface PostgresStores {
  warm: WarmStore;
  semantic: PostgresSemanticIndex;
  audit: AuditLog;
  /** Shared state values, their history and schemas. */
  state: StateStore;
  /** Named locks with a time limit, judged by the database clock. */
  leases: Leases;
  /** Accounts of the web console. */
  accounts: AccountStore;
  /** Hourly read and write counts per tenant. */
  usage: UsageStore;
}

/** How to open the database, and what kind of store it makes. */
interface Target {
  open: () => Promise<OpenedDatabase>;
  durable: boolean;
  shared: boolean;
}

function targetOf(options: PostgresStoresOptions): Target {
  const given = (['url', 'dataDir', 'memory', 'client'] as const).filter(
    (key) => key in options && (options as unknown as Record<string, unknown>)[key] !== undefined,
  );
  if (given.length !== 1) {
    throw MemnexError.validation([
      {
        path: '',
        message: 'give exactly one of url, dataDir, memory or client',
        code: 'invalid_union',
      },
    ]);
  }
  const { migrate, logger } = options;
  if ('url' in options) {
    return { open: () => openServer(options), durable: true, shared: true };
  }
  if ('dataDir' in options) {
    return {
      open: () => openDataDir(options.dataDir, { migrate, logger }),
      durable: true,
      shared: false,
    };
  }
  if ('memory' in options) {
    return { open: () => openInMemory({ migrate, logger }), durable: false, shared: false };
  }
  const { client } = options;
  const server = typeof client === 'function';
  const dataDir = server ? undefined : client.dataDir;
  return {
    open: () => openExisting(client, { migrate, logger }),
    durable: server || (dataDir !== undefined && !dataDir.startsWith('memory://')),
    shared: server,
  };
}

/**
 * The warm store, semantic index, audit log, state store and leases on Postgres (a server URL) or on embedded
 * PGlite (a data dir, or memory), sharing one connection pool or PGlite instance. Tenants are
 * isolated by row-level security in the database. Nothing connects until `init()`; the first
 * store initialised opens the database and applies the migrations, the last one closed closes
 * it. A data dir is locked by the process that opens it.
 */
export function createPostgresStores(options: PostgresStoresOptions): PostgresStores {
  const target = targetOf(options);
  const handle = createDatabaseHandle(target.open);
  return {
    warm: createPostgresWarmStore(handle, { durable: target.durable, shared: target.shared }),
    semantic: createPostgresSemanticIndex(handle),
    audit: createPostgresAuditLog(handle, { durable: target.durable }),
    state: createPostgresStateStore(handle, { durable: target.durable, shared: target.shared }),
    leases: createPostgresLeases(handle, { shared: target.shared }),
    accounts: createPostgresAccountStore(handle, {
      durable: target.durable,
      shared: target.shared,
    }),
    usage: createPostgresUsageStore(handle, { durable: target.durable, shared: target.shared }),
  };
}

import { MemnexError } from '@memnex/core';
import type { Transaction } from './database.js';
import type { OpenedDatabase } from './prepare-database.js';
import { toStoreError } from './storage-errors.js';
import { inScope, type Scope } from './tenant-scope.js';

/**
 * One database shared by the stores of one factory call. It opens when the first store is
 * initialised and closes when the last one is closed, so the stores share a pool (or a PGlite
 * instance and its data-dir lock) and may be initialised and closed in any order.
 */
export interface DatabaseHandle {
  /** Count a user; the first one opens the database. */
  acquire(): Promise<void>;
  /** Stop counting a user; the last one closes the database. */
  release(): Promise<void>;
  /** The open database, or null while no store holds it open. */
  current(): OpenedDatabase | null;
}

/** A handle that opens the database with `open`. */
export function createDatabaseHandle(open: () => Promise<OpenedDatabase>): DatabaseHandle {
  let users = 0;
  let opened: OpenedDatabase | null = null;
  let opening: Promise<OpenedDatabase> | null = null;
  let closing: Promise<void> | null = null;

  return {
    async acquire() {
      users += 1;
      try {
        if (closing) await closing;
        if (!opened) {
          opening ??= open().finally(() => {
            opening = null;
          });
          opened = await opening;
        }
      } catch (error) {
        users -= 1;
        throw error;
      }
    },

    async release() {
      users -= 1;
      if (users > 0 || !opened) return;
      const closed = opened;
      opened = null;
      closing = closed.close().finally(() => {
        closing = null;
      });
      await closing;
    },

    current: () => opened,
  };
}

/** The lifecycle of one store over a shared handle, and the way its operations run. */
export interface StoreSession {
  init(): Promise<void>;
  close(): Promise<void>;
  /** The open database; throws `STORAGE_UNAVAILABLE` unless the store is initialised. */
  opened(operation: string): OpenedDatabase;
  /**
   * Run `work` in a transaction scoped to `scope` (see {@link inScope}); failures come out as
   * MemnexErrors (see {@link toStoreError}).
   */
  run<Result>(
    operation: string,
    scope: Scope,
    work: (transaction: Transaction, opened: OpenedDatabase) => Promise<Result>,
  ): Promise<Result>;
}

/** A store session named `store` (used in error messages) over `handle`. */
export function createStoreSession(handle: DatabaseHandle, store: string): StoreSession {
  let open = false;
  let starting: Promise<void> | null = null;

  const opened = (operation: string): OpenedDatabase => {
    const database = open ? handle.current() : null;
    if (!database) {
      throw new MemnexError({
        code: 'STORAGE_UNAVAILABLE',
        message: `${store} is not open (call init() first); ${operation} refused`,
        details: { operation },
      });
    }
    return database;
  };

  return {
    init() {
      if (open) return Promise.resolve();
      starting ??= handle
        .acquire()
        .then(() => {
          open = true;
        })
        .catch((error: unknown) => {
          throw toStoreError(error, 'init');
        })
        .finally(() => {
          starting = null;
        });
      return starting;
    },

    async close() {
      if (starting) await starting.catch(() => undefined);
      if (!open) return;
      open = false;
      await handle.release();
    },

    opened,

    async run(operation, scope, work) {
      const database = opened(operation);
      try {
        return await inScope(database.database, scope, (transaction) =>
          work(transaction, database),
        );
      } catch (error) {
        throw toStoreError(error, operation);
      }
    },
  };
}

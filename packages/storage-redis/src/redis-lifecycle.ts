import { MemnexError, type Lifecycle, type Logger } from '@memnex/core';
import type { Redis } from 'ioredis';
import {
  closeOwnedClient,
  describeFailure,
  openRedisConnection,
  type RedisConnection,
  type RedisConnectionOption,
} from './redis-connection.js';

/** Options of {@link createRedisLifecycle}. */
export interface RedisLifecycleOptions {
  /** URL to connect to, or a client owned by the caller. */
  redis: RedisConnectionOption;
  /** Name of the adapter in error messages, e.g. `redis hot store`. */
  name: string;
  /** Receives connection errors of an owned connection. */
  logger: Logger;
}

/** One adapter's connection, its open/closed state and its error boundary. */
export interface RedisLifecycle extends Lifecycle {
  /** The connection the adapter talks through. */
  readonly connection: RedisConnection;
  /**
   * Run `work` against the client, refusing when closed and turning every failure into
   * `STORAGE_UNAVAILABLE` with the driver error as `cause`.
   */
  run<Result>(operation: string, work: (client: Redis) => Promise<Result>): Promise<Result>;
}

/** Wrap a failure of `operation` as `STORAGE_UNAVAILABLE`, keeping MemnexErrors unchanged. */
export function storageError(name: string, operation: string, error: unknown): MemnexError {
  if (MemnexError.isInstance(error)) return error;
  // Driver messages name hosts and ports; they stay in `cause`, out of what API callers see.
  return new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message: `${name}: Redis is unavailable (${operation} failed)`,
    details: { operation },
    cause: error,
  });
}

/**
 * The lifecycle every Redis adapter shares. Calls made before `init()` are allowed (a URL
 * connection then opens on first use); calls after `close()` are refused.
 *
 * A connection the adapter owns is thrown away when `init()` fails or the adapter closes, and a
 * fresh one is opened on the next use: an ioredis client stopped while reconnecting stays in
 * `reconnecting` for good and would queue commands until they time out.
 */
export function createRedisLifecycle(options: RedisLifecycleOptions): RedisLifecycle {
  const { name } = options;
  let connection = open();
  let closed = false;
  let starting: Promise<void> | null = null;
  let lastError: unknown = undefined;

  function open(): RedisConnection {
    const opened = openRedisConnection(options.redis, options.logger);
    // A caller's client is left without our listeners; its own handlers see its errors.
    if (opened.owned) {
      opened.client.on('error', (error: unknown) => {
        lastError = error;
      });
    }
    return opened;
  }

  async function dispose(): Promise<void> {
    if (!connection.owned) return;
    const { client } = connection;
    connection = open();
    await closeOwnedClient(client);
  }

  async function start(): Promise<void> {
    const { client, owned, target } = connection;
    try {
      if (owned && client.status === 'wait') await client.connect();
      await client.ping();
    } catch (error) {
      await dispose();
      const cause = lastError ?? error;
      throw new MemnexError({
        code: 'STORAGE_UNAVAILABLE',
        message: `${name} cannot reach Redis at ${target}: ${describeFailure(cause)}`,
        details: { operation: 'init' },
        cause,
      });
    }
  }

  return {
    get connection() {
      return connection;
    },

    init() {
      closed = false;
      lastError = undefined;
      starting ??= start().finally(() => {
        starting = null;
      });
      return starting;
    },

    async close() {
      if (closed) return;
      closed = true;
      await dispose();
    },

    async run(operation, work) {
      if (closed) {
        throw new MemnexError({
          code: 'STORAGE_UNAVAILABLE',
          message: `${name} is closed; ${operation} refused`,
          details: { operation },
        });
      }
      try {
        return await work(connection.client);
      } catch (error) {
        throw storageError(name, operation, error);
      }
    },
  };
}

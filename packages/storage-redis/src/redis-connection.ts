import { type Logger } from '@memnex/core';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * How an adapter reaches Redis: a `redis://` / `rediss://` URL, whose connection the adapter opens
 * and closes, or an ioredis client owned by the caller, which the adapter uses but never closes.
 */
export type RedisConnectionOption = Redis | string;

/**
 * Options of every connection an adapter opens itself.
 *
 * - `lazyConnect`: nothing touches the network until `init()` (or a first command), so creating
 *   an adapter is free and cannot fail.
 * - `connectTimeout` and `commandTimeout`: an unreachable or stalled server fails a call within
 *   seconds instead of hanging a request forever.
 * - `maxRetriesPerRequest: 2`: a command issued while the connection is down waits for at most two
 *   reconnection attempts (a fraction of a second when the port refuses), then fails.
 * - `enableOfflineQueue: true` (the default, kept on purpose): commands issued during a short
 *   reconnect are queued and sent once the connection is back, instead of failing at once; the two
 *   settings above bound how long they wait.
 * - `enableAutoPipelining: true`: commands issued in the same tick (many requests in flight) go
 *   out in one socket write instead of one write each; order is unchanged.
 */
export const OWNED_CONNECTION_OPTIONS = {
  lazyConnect: true,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  enableAutoPipelining: true,
} as const satisfies RedisOptions;

/** A client and whether the adapter that holds it must close it. */
export interface RedisConnection {
  client: Redis;
  /** True when the adapter opened the connection from a URL and so closes it. */
  owned: boolean;
  /** Where the client points, without credentials, for error messages. */
  target: string;
}

/** Open (lazily) a connection from a URL, or wrap a caller's client without taking it over. */
export function openRedisConnection(redis: RedisConnectionOption, logger: Logger): RedisConnection {
  if (typeof redis !== 'string') {
    return { client: redis, owned: false, target: describeClient(redis) };
  }
  const client = new Redis(redis, OWNED_CONNECTION_OPTIONS);
  watchConnectionErrors(client, logger);
  return { client, owned: true, target: redactUrl(redis) };
}

/**
 * Log connection errors of a client the adapter owns. ioredis emits one per failed reconnection
 * attempt and writes unhandled ones to the console, which libraries must never do; only the first
 * error of an outage is a warning, the rest are debug lines.
 */
export function watchConnectionErrors(client: Redis, logger: Logger): void {
  let healthy = true;
  client.on('ready', () => {
    healthy = true;
  });
  client.on('error', (error: unknown) => {
    const fields = { error: error instanceof Error ? error.message : String(error) };
    if (healthy) logger.warn('redis connection error', fields);
    else logger.debug('redis connection error', fields);
    healthy = false;
  });
}

/** Close a client the adapter owns: gracefully when connected, at once otherwise. */
export async function closeOwnedClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // The connection broke while quitting; dropping it is all that is left to do.
    }
  }
  client.disconnect();
}

/** `redis://host:port/db` without user name or password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the configured Redis URL';
  }
}

function describeClient(client: Redis): string {
  const { host, port, path } = client.options;
  return path ? `unix:${path}` : `${host ?? 'localhost'}:${port ?? 6379}`;
}

/** A driver failure in one line, with its error code (`ECONNREFUSED`, ...) when it has one. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code} ${error.message}`
      : error.message;
  }
  return String(error);
}

import { MemnexError, type Logger } from '@memnex/core';
import type { Redis } from 'ioredis';
import { closeOwnedClient, describeFailure, watchConnectionErrors } from './redis-connection.js';

/** Options of {@link createBusSubscriber}. */
export interface BusSubscriberOptions {
  /** The bus's publishing client; the subscriber is a duplicate of it, owned by the bus. */
  publisher: Redis;
  /** Where the publisher points, for error messages. */
  target: string;
  /** The pub/sub channel. */
  channel: string;
  /** Receives connection errors and resubscription failures. */
  logger: Logger;
  /** Called with every message of the channel. */
  onMessage(message: string): void;
  /** Called once the subscription is back after the connection was lost. */
  onGap(): void;
}

/** The dedicated connection a bus receives on. */
export interface BusSubscriber {
  /** Connect and subscribe; rejects with `STORAGE_UNAVAILABLE` when Redis cannot be reached. */
  start(): Promise<void>;
  /** Disconnect; no gap is reported for it. */
  stop(): Promise<void>;
}

/**
 * A subscription on its own connection (a connection in subscriber mode can do nothing else).
 *
 * ioredis reconnects by itself; its automatic resubscription is turned off so that the bus
 * resubscribes itself and reports the gap only once `SUBSCRIBE` is confirmed: a cache dropped on
 * the gap can then no longer miss an invalidation published after the drop.
 */
export function createBusSubscriber(options: BusSubscriberOptions): BusSubscriber {
  const { channel, logger } = options;
  const baseName = options.publisher.options.connectionName ?? 'memnex-bus';
  const client = options.publisher.duplicate({
    lazyConnect: true,
    autoResubscribe: false,
    connectionName: `${baseName}-subscriber`,
  });
  watchConnectionErrors(client, logger);
  let established = false;
  let interrupted = false;
  let stopping = false;
  let lastError: unknown = undefined;

  async function resubscribe(): Promise<void> {
    try {
      await client.subscribe(channel);
    } catch (error) {
      // The next reconnection tries again: `interrupted` stays set.
      logger.warn('bus resubscription failed', { channel, error });
      return;
    }
    interrupted = false;
    logger.info('bus subscription restored; reporting a delivery gap', { channel });
    options.onGap();
  }

  client.on('error', (error: unknown) => {
    lastError = error;
  });
  client.on('message', (from: string, message: string) => {
    if (from === channel) options.onMessage(message);
  });
  client.on('close', () => {
    if (established && !stopping) interrupted = true;
  });
  client.on('ready', () => {
    if (interrupted && !stopping) void resubscribe();
  });
  client.on('end', () => {
    if (stopping) return;
    logger.error('bus subscriber stopped reconnecting; events are lost', { channel });
  });

  return {
    async start() {
      try {
        await client.connect();
        await client.subscribe(channel);
        established = true;
      } catch (error) {
        client.disconnect();
        const cause = lastError ?? error;
        throw new MemnexError({
          code: 'STORAGE_UNAVAILABLE',
          message: `redis bus cannot subscribe at ${options.target}: ${describeFailure(cause)}`,
          details: { operation: 'init' },
          cause,
        });
      }
    },

    async stop() {
      stopping = true;
      await closeOwnedClient(client);
    },
  };
}

import {
  MemnexError,
  createListeners,
  silentLogger,
  type Bus,
  type BusEvent,
  type Logger,
} from '@memnex/core';
import { parseBusEvent } from './bus-event.js';
import { createBusSubscriber, type BusSubscriber } from './bus-subscriber.js';
import type { RedisConnectionOption } from './redis-connection.js';
import { createRedisLifecycle } from './redis-lifecycle.js';

/** Options of {@link createRedisBus}. */
export interface RedisBusOptions {
  /**
   * A `redis://` URL (the bus opens and closes its connections) or an ioredis client to publish
   * on (never closed by the bus; it subscribes on a duplicate of it, which it does close).
   */
  redis: RedisConnectionOption;
  /** Pub/sub channel shared by every instance of a deployment. Defaults to `memnex:events`. */
  channel?: string;
  /** Receives dropped messages, failing handlers, connection errors and gaps; silent by default. */
  logger?: Logger;
}

/**
 * A {@link Bus} on Redis pub/sub. Events are published on the given connection and received on a
 * dedicated subscriber connection, so every instance, this one included, gets every event.
 * Delivery is at most once: when the subscriber reconnects, events published meanwhile are gone,
 * and every `onGap` listener is called once the subscription is back.
 */
export function createRedisBus(options: RedisBusOptions): Bus {
  const logger = options.logger ?? silentLogger;
  const channel = options.channel ?? 'memnex:events';
  const lifecycle = createRedisLifecycle({ redis: options.redis, name: 'redis bus', logger });
  const handlers = createListeners<BusEvent>();
  const gapHandlers = createListeners<void>();
  let subscriber: BusSubscriber | null = null;
  let starting: Promise<void> | null = null;

  function receive(message: string): void {
    const parsed = parseBusEvent(message);
    if (parsed.problem !== undefined) {
      logger.warn('dropping a malformed bus message', {
        channel,
        problem: parsed.problem,
        bytes: Buffer.byteLength(message),
      });
      return;
    }
    const { event } = parsed;
    handlers.emit(event, {
      copy: structuredClone,
      onError: (error) => logger.warn('bus handler failed', { eventType: event.type, error }),
    });
  }

  function reportGap(): void {
    gapHandlers.emit(undefined, {
      onError: (error) => logger.warn('bus gap listener failed', { error }),
    });
  }

  async function start(): Promise<void> {
    await lifecycle.init();
    if (subscriber) return;
    const next = createBusSubscriber({
      publisher: lifecycle.connection.client,
      target: lifecycle.connection.target,
      channel,
      logger,
      onMessage: receive,
      onGap: reportGap,
    });
    try {
      await next.start();
    } catch (error) {
      await lifecycle.close();
      throw error;
    }
    subscriber = next;
  }

  return {
    capabilities: { crossInstance: true },

    init() {
      starting ??= start().finally(() => {
        starting = null;
      });
      return starting;
    },

    async close() {
      await starting?.catch(() => undefined);
      const current = subscriber;
      subscriber = null;
      handlers.clear();
      gapHandlers.clear();
      await current?.stop();
      await lifecycle.close();
    },

    async publish(event) {
      const message = JSON.stringify(event);
      const problem = parseBusEvent(message).problem;
      if (problem !== undefined) {
        throw new MemnexError({
          code: 'VALIDATION_FAILED',
          message: `refusing to publish a bus event that subscribers would drop: ${problem}`,
        });
      }
      await lifecycle.run('publish', (client) => client.publish(channel, message));
    },

    subscribe: (handler) => handlers.add(handler),
    onGap: (handler) => gapHandlers.add(() => handler()),
  };
}

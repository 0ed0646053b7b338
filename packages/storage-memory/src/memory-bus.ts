import { silentLogger, type Bus, type BusEvent, type Logger } from '@memnex/core';
import { copy } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

/** Options of {@link createMemoryBus}. */
export interface MemoryBusOptions {
  /** Receives failures of subscriber handlers, which never reach the publisher; silent by default. */
  logger?: Logger;
}

type Handler = (event: BusEvent) => void;

/**
 * A {@link Bus} within one process. Events are delivered on a microtask after `publish` is
 * called, to every handler subscribed at that moment, each with its own copy of the event;
 * `publish` resolves once every handler has been called. Nothing crosses processes, so no
 * delivery can be interrupted and `onGap` listeners are never called.
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const logger = options.logger ?? silentLogger;
  const lifecycle = createLifecycleState('memory bus');
  const handlers = new Set<Handler>();
  const gapHandlers = new Set<() => void>();

  function reportFailure(event: BusEvent, error: unknown): void {
    logger.warn('bus handler failed', { eventType: event.type, error });
  }

  function deliver(handler: Handler, event: BusEvent): void {
    try {
      // Handlers are typed as synchronous, but an async one must not leak a rejection either.
      const result: unknown = handler(copy(event));
      if (result instanceof Promise) result.catch((error: unknown) => reportFailure(event, error));
    } catch (error) {
      reportFailure(event, error);
    }
  }

  return {
    capabilities: { crossInstance: false },
    init: lifecycle.init,

    async close() {
      handlers.clear();
      gapHandlers.clear();
      await lifecycle.close();
    },

    async publish(event) {
      lifecycle.assertOpen('publish');
      const snapshot = [...handlers];
      const frozen = copy(event);
      await Promise.resolve();
      for (const handler of snapshot) {
        if (handlers.has(handler)) deliver(handler, frozen);
      }
    },

    subscribe(handler) {
      // A wrapper per call, so subscribing the same function twice gives two subscriptions.
      const subscription: Handler = (event) => handler(event);
      handlers.add(subscription);
      return () => {
        handlers.delete(subscription);
      };
    },

    onGap(handler) {
      const listener = () => handler();
      gapHandlers.add(listener);
      return () => {
        gapHandlers.delete(listener);
      };
    },
  };
}

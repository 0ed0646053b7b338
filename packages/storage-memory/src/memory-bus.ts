import { createListeners, silentLogger, type Bus, type BusEvent, type Logger } from '@memnex/core';
import { copy } from './collections.js';
import { createLifecycleState } from './lifecycle-state.js';

/** Options of {@link createMemoryBus}. */
export interface MemoryBusOptions {
  /** Receives failures of subscriber handlers, which never reach the publisher; silent by default. */
  logger?: Logger;
}

/**
 * A {@link Bus} within one process. Events are delivered on a microtask after `publish` is
 * called, to every handler subscribed at that moment, each with its own copy of the event;
 * `publish` resolves once every handler has been called. Nothing crosses processes, so no
 * delivery can be interrupted and `onGap` listeners are never called.
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const logger = options.logger ?? silentLogger;
  const lifecycle = createLifecycleState('memory bus');
  const handlers = createListeners<BusEvent>();
  const gapHandlers = createListeners<void>();

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
      const deliver = handlers.snapshot();
      const frozen = copy(event);
      await Promise.resolve();
      deliver(frozen, {
        copy,
        onError: (error) => logger.warn('bus handler failed', { eventType: event.type, error }),
      });
    },

    subscribe: (handler) => handlers.add(handler),
    onGap: (handler) => gapHandlers.add(() => handler()),
  };
}

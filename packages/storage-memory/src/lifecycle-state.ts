import { MemnexError } from '@memnex/core';

/** Open/closed state of one in-process port. */
export interface LifecycleState {
  /** Open the port; harmless when already open, and reopens a closed port. */
  init(): Promise<void>;
  /** Close the port; harmless when already closed. Stored data is kept. */
  close(): Promise<void>;
  /** Throw `STORAGE_UNAVAILABLE` when the port is closed. */
  assertOpen(operation: string): void;
}

/**
 * The lifecycle every memory port shares. A port works before `init()` (there is nothing to
 * connect to) but refuses calls after `close()`, as a real store whose pool was released would.
 */
export function createLifecycleState(port: string): LifecycleState {
  let closed = false;
  return {
    async init() {
      closed = false;
    },
    async close() {
      closed = true;
    },
    assertOpen(operation) {
      if (closed) {
        throw new MemnexError({
          code: 'STORAGE_UNAVAILABLE',
          message: `${port} is closed; ${operation} refused`,
          details: { operation },
        });
      }
    },
  };
}

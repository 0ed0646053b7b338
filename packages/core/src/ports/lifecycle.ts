/** What every port implements: idempotent start and stop. */
export interface Lifecycle {
  /** Connect, create schema, warm up. Calling it twice is harmless. */
  init(): Promise<void>;
  /** Release connections and timers. Calling it twice is harmless. */
  close(): Promise<void>;
}

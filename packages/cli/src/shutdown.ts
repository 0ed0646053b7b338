import type { CliIo } from './io.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What stopped a server. */
export type StopReason = (typeof SIGNALS)[number] | 'closed' | 'requested';

/** Options of {@link waitForStop}. */
export interface StopOptions {
  /** Settles when the client hung up: the server stops with reason `closed`. */
  closed?: Promise<void>;
  /**
   * Settles when the process that supervises this one asks it to stop (reason `requested`). Not
   * a signal: a signal that follows it is still the first, and waits for the graceful stop.
   */
  requested?: Promise<void>;
  /** Runs before a second signal exits the process, e.g. to kill the processes it started. */
  beforeForcedExit?: () => void;
}

/**
 * Resolve on the first SIGINT/SIGTERM, or when `closed` or `requested` settles. A second signal
 * while shutting down exits at once, for a server whose close hangs.
 */
export function waitForStop(
  io: CliIo,
  options: StopOptions = {},
): { stopped: Promise<StopReason>; dispose(): void } {
  let received = 0;
  let resolveStop!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => {
    resolveStop = resolve;
  });
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      received += 1;
      if (received > 1) {
        io.stderr.write(`memnex: ${signal} again, exiting without waiting\n`);
        options.beforeForcedExit?.();
        process.exit(1);
      }
      resolveStop(signal);
    };
    io.signals.on(signal, handler);
    return () => io.signals.off(signal, handler);
  });
  const stopOn = (settled: Promise<void> | undefined, reason: StopReason) =>
    settled?.then(
      () => resolveStop(reason),
      () => resolveStop(reason),
    );
  stopOn(options.closed, 'closed');
  stopOn(options.requested, 'requested');
  return {
    stopped,
    dispose: () => {
      for (const remove of handlers) remove();
    },
  };
}

import type { CliIo } from './io.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What stopped a server. */
export type StopReason = (typeof SIGNALS)[number] | 'closed';

/**
 * Resolve on the first SIGINT/SIGTERM, or when `closed` settles (the client hung up). A second
 * signal while shutting down exits at once, for a server whose close hangs.
 */
export function waitForStop(
  io: CliIo,
  closed?: Promise<void>,
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
        process.exit(1);
      }
      resolveStop(signal);
    };
    io.signals.on(signal, handler);
    return () => io.signals.off(signal, handler);
  });
  closed?.then(
    () => resolveStop('closed'),
    () => resolveStop('closed'),
  );
  return {
    stopped,
    dispose: () => {
      for (const remove of handlers) remove();
    },
  };
}

import type { Logger } from '@memnex/core';
import type { Runtime } from '@memnex/runtime';
import type { ensureDevKey } from '../dev-key.js';
import { EXIT_CODES } from '../errors.js';
import { writeLine, type CliIo } from '../io.js';
import { waitForStop } from '../shutdown.js';

/**
 * Run until a signal, the client hangs up or `requested` settles (a supervisor asks), then close
 * the server and the runtime, in order.
 */
export async function runUntilStopped(
  io: CliIo,
  logger: Logger,
  server: { close(): Promise<void>; closed?: Promise<void> },
  runtime?: Runtime,
  requested?: Promise<void>,
): Promise<number> {
  const stop = waitForStop(io, { closed: server.closed, requested });
  try {
    const reason = await stop.stopped;
    logger.info('shutting down', { reason });
    await server.close();
    await runtime?.close();
    return EXIT_CODES.ok;
  } finally {
    stop.dispose();
  }
}

/** Print the dev key and where it is kept, on stderr. */
export function announceDevKey(io: CliIo, devKey: Awaited<ReturnType<typeof ensureDevKey>>): void {
  writeLine(io.stderr, `memnex dev key: ${devKey.key}`);
  writeLine(
    io.stderr,
    `  ${devKey.created ? 'created' : 'reused'} for dev tenant ${devKey.tenantId}, saved in ` +
      `${devKey.path}; use it as MEMNEX_SECRET_KEY or "Authorization: Bearer <key>" (local development only)`,
  );
}

/** The one stable line of `serve rest` once it listens, which scripts and tests wait for. */
export function announceRestListening(io: CliIo, url: string): void {
  writeLine(
    io.stderr,
    `memnex rest listening on ${url} (docs at ${url}/docs, console at ${url}/console)`,
  );
}

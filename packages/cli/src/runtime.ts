import type { Logger } from '@memnex/core';
import {
  createLogger,
  createRuntime,
  loadConfig,
  type MemnexConfig,
  type Runtime,
} from '@memnex/runtime';
import { configurationError } from './errors.js';
import type { CliIo } from './io.js';

/** Parse the server-side configuration; a bad value fails listing every problem. */
export function readConfig(io: CliIo): MemnexConfig {
  try {
    return loadConfig(io.env);
  } catch (error) {
    throw configurationError(error);
  }
}

/**
 * The logger of a command: pino on stderr. One-shot commands log warnings and errors only unless
 * `MEMNEX_LOG_LEVEL` asks for more, so their output is the result and little else.
 */
export function loggerFor(io: CliIo, config: MemnexConfig, kind: 'server' | 'one-shot'): Logger {
  const explicit = io.env.MEMNEX_LOG_LEVEL !== undefined && io.env.MEMNEX_LOG_LEVEL.trim() !== '';
  const level = kind === 'one-shot' && !explicit ? 'warn' : config.logLevel;
  return createLogger({ level });
}

/** Whether stack traces of unexpected errors are printed. */
export function isVerbose(io: CliIo): boolean {
  return io.env.MEMNEX_LOG_LEVEL?.trim().toLowerCase() === 'debug';
}

/**
 * Open the configured storage, run `work` on the engine and close it again, whatever happens: the
 * embedded data dir is locked while open, so a one-shot command must release it.
 */
export async function withRuntime<T>(
  io: CliIo,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const config = readConfig(io);
  const runtime = await createRuntime({ config, logger: loggerFor(io, config, 'one-shot') });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

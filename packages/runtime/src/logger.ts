import type { LogFields, Logger } from '@memnex/core';
import { pino, type Logger as PinoLogger } from 'pino';
import type { MemnexConfig } from './config.js';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  level?: MemnexConfig['logLevel'];
  /** File descriptor the JSON lines go to; stderr by default, so stdout stays free for stdio. */
  fd?: number;
}

function adapt(logger: PinoLogger): Logger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
      if (fields === undefined) logger[level](message);
      else logger[level](fields, message);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (bindings) => adapt(logger.child(bindings)),
  };
}

/**
 * The Memnex {@link Logger} of the apps: pino JSON lines on stderr. An `error` field that holds
 * an `Error` is serialised with its stack.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const logger = pino(
    {
      name: 'memnex',
      level: level === 'silent' ? 'silent' : level,
      serializers: { error: pino.stdSerializers.err },
    },
    pino.destination({ fd: options.fd ?? 2, sync: true }),
  );
  return adapt(logger);
}

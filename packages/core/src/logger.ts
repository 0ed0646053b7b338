/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logging interface of Memnex. Libraries never write to the console; they log through a
 * Logger given in their options (silent by default). Apps inject pino or similar.
 */
export interface Logger {
  /** Verbose diagnostics. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation worth recording. */
  info(message: string, fields?: LogFields): void;
  /** Something unexpected that the caller survived. */
  warn(message: string, fields?: LogFields): void;
  /** A failure. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

/** A logger that discards everything; the default of every factory. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

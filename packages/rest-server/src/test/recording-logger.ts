import type { LogFields, Logger } from '@memnex/core';

/** One line a {@link RecordingLogger} received. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps every line, for tests that check what the server logs. */
export interface RecordingLogger extends Logger {
  lines: LogLine[];
}

export function createRecordingLogger(
  bindings: LogFields = {},
  lines: LogLine[] = [],
): RecordingLogger {
  const log =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, fields: { ...bindings, ...fields } });
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => createRecordingLogger({ ...bindings, ...more }, lines),
  };
}

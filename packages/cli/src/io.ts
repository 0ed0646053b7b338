import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** A stream the command writes text to; `isTTY` turns on progress indicators. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal. */
  isTTY?: boolean;
}

/** Where the command reads and writes, so tests can run it in process. */
export interface CliIo {
  /** Results go here, and only results: stdio MCP owns it in `serve mcp`. */
  stdout: OutputStream;
  /** Messages, progress, hints and errors. */
  stderr: OutputStream;
  /** The environment the configuration is read from. */
  env: Record<string, string | undefined>;
  /** Emits `SIGINT` / `SIGTERM` to stop a server; `process` by default. */
  signals: Pick<EventEmitter, 'on' | 'off'>;
  /** The protocol input of `serve mcp --transport stdio`; `process.stdin` by default. */
  stdin?: Readable;
  /** The protocol output of `serve mcp --transport stdio`; `process.stdout` by default. */
  protocolOut?: Writable;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    stdin: process.stdin,
    protocolOut: process.stdout,
  };
}

/** Write one line. */
export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** Write a value as indented JSON. */
export function writeJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

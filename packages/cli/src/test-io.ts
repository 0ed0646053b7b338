import { EventEmitter } from 'node:events';
import type { CliIo } from './io.js';

/** An in-memory {@link CliIo} for tests: what was written, and an emitter for signals. */
export function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env,
    signals,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), signals };
}

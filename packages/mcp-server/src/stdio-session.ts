import { type Readable, type Writable } from 'node:stream';
import { MemnexError } from '@memnex/core';
import { type Channel } from '@memnex/core/wire';
import { parseChannel } from './channel.js';

/** A running stdio server or bridge. */
export interface StdioSession {
  /** Stop serving: close the transport (and, for a bridge, end the remote session). Idempotent. */
  close(): Promise<void>;
  /** Settles when the session ends: `close()` was called, or stdin ended. */
  closed: Promise<void>;
}

/**
 * Call `onEnd` once when stdin ends or closes: the MCP client went away. The returned function
 * removes the listeners.
 */
export function onStdinEnd(stdin: Readable, onEnd: () => void): () => void {
  const handler = () => onEnd();
  stdin.once('end', handler);
  stdin.once('close', handler);
  return () => {
    stdin.off('end', handler);
    stdin.off('close', handler);
  };
}

/** The streams a stdio session uses: the process's own unless given. */
export function stdioStreams(options: { stdin?: Readable; stdout?: Writable }): {
  stdin: Readable;
  stdout: Writable;
} {
  return { stdin: options.stdin ?? process.stdin, stdout: options.stdout ?? process.stdout };
}

/**
 * A `close` that runs `shutdown` once, however often and from wherever it is called (transports
 * call their `onclose` from inside `close()`), and a `closed` promise settled after it.
 */
export function closeOnce(shutdown: () => Promise<void>): Pick<StdioSession, 'close' | 'closed'> {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () =>
    // Deferred, so `closing` is set before `shutdown` can re-enter `close`.
    (closing ??= Promise.resolve().then(shutdown).finally(resolveClosed));
  return { close, closed };
}

/**
 * The key and channel a stdio session runs with (`MEMNEX_SECRET_KEY`, `MEMNEX_CHANNEL`): a missing
 * key is `UNAUTHENTICATED`, an unknown channel `VALIDATION_FAILED`.
 */
export function stdioCredentials(options: { key?: string; channel?: string }): {
  key: string;
  channel: Channel | undefined;
} {
  if (!options.key) {
    throw new MemnexError({
      code: 'UNAUTHENTICATED',
      message: 'MEMNEX_SECRET_KEY is required: set it to a Memnex API key (mx_live_...)',
    });
  }
  return { key: options.key, channel: parseChannel(options.channel, 'MEMNEX_CHANNEL') };
}

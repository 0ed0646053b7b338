import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MemnexError, type Logger, type Memnex, type RateLimiter } from '@memnex/core';
import { WebSocket } from 'ws';
import type { SocketSessions } from './console/socket-sessions.js';
import type { RestMetrics } from './metrics.js';

/** Which protocol a socket speaks: Memnex's `/v1/state/ws` or memX's `/subscribe/{key}`. */
export type SocketProtocol = 'memnex' | 'memx';

/** Limits of the state sockets, all set (defaults applied). */
export interface SocketLimits {
  /** Ping interval; a socket that did not answer the previous ping is cut. */
  heartbeatMs: number;
  /** How long a socket without a key on its upgrade may take to send `{"type":"auth"}`. */
  authTimeoutMs: number;
  /** Most subscriptions one socket may hold. */
  maxSubscriptions: number;
  /** Bytes queued for a client past which it is too slow and gets closed with 4008. */
  maxBufferedBytes: number;
  /** How long a closing handshake may take before the connection is cut. */
  closeTimeoutMs: number;
}

/** What the protocol sessions need from the socket server that runs them. */
export interface SocketContext {
  memnex: Memnex;
  logger: Logger;
  metrics: Pick<RestMetrics, 'observeSocket' | 'observeSocketEvent'> | null;
  limits: SocketLimits;
  /** True once the server is shutting down: new work must stop. */
  readonly closing: boolean;
  /** Complete the WebSocket handshake; null when the connection is gone or not a WebSocket one. */
  accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    protocol: SocketProtocol,
  ): SocketPeer | null;
  /** Count async work (authentication, subscribing) that shutdown must wait for. */
  track(work: Promise<unknown>): void;
  /**
   * Take one point from the key's allowance (the same one as HTTP requests); the seconds to wait
   * when it is spent, else null.
   */
  consume(keyId: string): Promise<number | null>;
  /** Console sessions, which may authenticate with their cookie; null when the console is off. */
  sessions: SocketSessions | null;
}

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= 123) return text;
  let cut = text.slice(0, 120);
  while (Buffer.byteLength(`${cut}...`, 'utf8') > 123) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** Reject an upgrade before the handshake with a bare HTTP status. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

/** The close code and reason of a failed authentication or subscription of a socket. */
export function socketFailure(
  error: unknown,
  logger: Logger,
  unauthenticated: [number, string] | null = null,
): [number, string] {
  if (MemnexError.isInstance(error)) {
    if (error.code === 'UNAUTHENTICATED') return unauthenticated ?? [4401, error.message];
    if (error.code === 'RATE_LIMITED') return [4429, error.message];
    if (error.code === 'STORAGE_UNAVAILABLE') {
      logger.warn('state socket could not start', { error, code: error.code });
      return [1013, 'storage unavailable; try again later'];
    }
  }
  logger.error('state socket failed', { error });
  return [1011, 'internal error'];
}

/**
 * One open state WebSocket: its liveness for the heartbeat, backpressure, and what must be undone
 * when it closes (its engine subscriptions). Closing runs the clean-ups at once, before the
 * closing handshake is over, so nothing is sent or subscribed after.
 */
export class SocketPeer {
  /** Answered the last ping. */
  alive = true;
  private closed = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly ws: WebSocket,
    readonly protocol: SocketProtocol,
    private readonly context: Pick<SocketContext, 'limits' | 'logger' | 'metrics'>,
  ) {
    ws.on('pong', () => void (this.alive = true));
    ws.on('error', (error) => context.logger.debug('state socket error', { error }));
    ws.once('close', () => this.finish());
  }

  /** True once the socket is closing or closed. */
  get closing(): boolean {
    return this.closed;
  }

  /** Run `cleanup` when the socket closes (at once if it already did). */
  onClose(cleanup: () => void): void {
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** Send a JSON message; a client that lets over `maxBufferedBytes` queue up is closed (4008). */
  send(message: object, isEvent = false): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(message));
    if (isEvent) this.context.metrics?.observeSocketEvent(this.protocol);
    if (this.ws.bufferedAmount > this.context.limits.maxBufferedBytes) {
      this.close(4008, 'too slow; resume with since');
    }
  }

  /** Start the closing handshake; the connection is cut if it does not finish in time. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.finish();
    const timer = setTimeout(() => this.ws.terminate(), this.context.limits.closeTimeoutMs);
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
    try {
      this.ws.close(code, closeReason(reason));
    } catch {
      this.ws.terminate();
    }
  }

  /** Cut the connection without a closing handshake. */
  terminate(): void {
    this.finish();
    this.ws.terminate();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        this.context.logger.error('state socket clean-up failed', { error });
      }
    }
  }
}

/** What consuming a point of a rate limiter answers for sockets. */
export async function consumePoint(
  limiter: RateLimiter | null | undefined,
  keyId: string,
): Promise<number | null> {
  if (!limiter) return null;
  const result = await limiter.consume(`key:${keyId}`);
  return result.allowed ? null : Math.max(Math.ceil(result.resetMs / 1000), 1);
}

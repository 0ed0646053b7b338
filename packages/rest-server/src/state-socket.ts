import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { silentLogger, type Logger, type Memnex, type RateLimiter } from '@memnex/core';
import { WebSocketServer } from 'ws';
import type { SocketSessions } from './console/socket-sessions.js';
import { MEMX_SUBSCRIBE_PREFIX, startMemxSession } from './memx-socket.js';
import type { RestMetrics } from './metrics.js';
import {
  consumePoint,
  refuseUpgrade,
  SocketPeer,
  type SocketContext,
  type SocketLimits,
} from './state-socket-peer.js';
import { startStateSession } from './state-socket-session.js';

/** Path of Memnex's state WebSocket. */
export const STATE_SOCKET_PATH = '/v1/state/ws';

/** Tuning of the state sockets; every field has a default. */
export interface StateSocketTuning {
  /** Ping interval in ms (default 30 000); a socket that missed the previous pong is cut. */
  heartbeatMs?: number;
  /** How long a socket without a key on its upgrade may take to authenticate (default 10 000 ms). */
  authTimeoutMs?: number;
  /** Most subscriptions per socket (default 100). */
  maxSubscriptions?: number;
  /** Bytes queued for one client past which it is closed with 4008 (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Largest client message in bytes (default 1 MiB); larger ones close the socket with 1009. */
  maxMessageBytes?: number;
  /** How long a closing handshake may take before the connection is cut (default 5000 ms). */
  closeTimeoutMs?: number;
}

/** Options of {@link attachStateSockets}. */
export interface StateSocketsOptions extends StateSocketTuning {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** Where the sockets log; silent by default. */
  logger?: Logger;
  /** Counts open sockets and events sent (`memnex_state_sockets`, `..._socket_events_total`). */
  metrics?: Pick<RestMetrics, 'observeSocket' | 'observeSocketEvent'> | null;
  /** Each authenticated socket and each subscription takes a point of the key's allowance. */
  rateLimiter?: RateLimiter | null;
  /** Also serve memX's `/subscribe/{key}` (default true). */
  memx?: boolean;
  /**
   * Lets the web console's sessions open `/v1/state/ws` with their cookie (from the console's
   * own origin only); API keys work as ever. Set by `createRestApp` when the console is on.
   */
  consoleSessions?: SocketSessions | null;
}

/** The state sockets of one HTTP server. */
export interface StateSockets {
  /** Number of open sockets. */
  readonly size: number;
  /**
   * Refuse new sockets, close every open one with 1001 (cutting those that do not finish the
   * handshake within `closeTimeoutMs`), and resolve once they are gone and no authentication or
   * subscription started by a socket is still running. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Serve Memnex's state WebSocket (`GET /v1/state/ws`) and memX's subscription socket
 * (`GET /subscribe/{key}`) on a node:http server, next to whatever serves its requests. Other
 * upgrade listeners keep the paths they serve; when there are none, an upgrade to another path
 * is answered as a plain request (GET and HEAD) or refused.
 */
export function attachStateSockets(server: Server, options: StateSocketsOptions): StateSockets {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? null;
  const memx = options.memx ?? true;
  const limits: SocketLimits = {
    heartbeatMs: options.heartbeatMs ?? 30_000,
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    maxSubscriptions: options.maxSubscriptions ?? 100,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    closeTimeoutMs: options.closeTimeoutMs ?? 5000,
  };
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxMessageBytes ?? 1024 * 1024,
  });
  const peers = new Set<SocketPeer>();
  const pending = new Set<Promise<unknown>>();
  const whenEmpty: Array<() => void> = [];
  let closing = false;
  let closed: Promise<void> | undefined;

  const context: SocketContext = {
    memnex: options.memnex,
    logger,
    metrics,
    limits,
    get closing() {
      return closing;
    },
    accept(request, socket, head, protocol) {
      if (socket.destroyed) return null;
      let peer: SocketPeer | null = null;
      wss.handleUpgrade(request, socket, head, (ws) => {
        const opened = new SocketPeer(ws, protocol, context);
        peer = opened;
        peers.add(opened);
        metrics?.observeSocket(protocol, 1);
        ws.once('close', () => {
          peers.delete(opened);
          metrics?.observeSocket(protocol, -1);
          if (peers.size === 0) for (const resolve of whenEmpty.splice(0)) resolve();
        });
      });
      // A handshake completed after shutdown began is closed at once.
      if (closing) (peer as SocketPeer | null)?.close(1001, 'server shutting down');
      return peer;
    },
    track(work) {
      pending.add(work);
      void work
        .catch((error: unknown) => logger.error('state socket task failed', { error }))
        .finally(() => pending.delete(work));
    },
    consume: (keyId) => consumePoint(options.rateLimiter, keyId),
    sessions: options.consoleSessions ?? null,
  };

  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        logger.debug('state socket missed a heartbeat', { protocol: peer.protocol });
        peer.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      path = '';
    }
    const protocol =
      path === STATE_SOCKET_PATH
        ? 'memnex'
        : memx &&
            path.startsWith(MEMX_SUBSCRIBE_PREFIX) &&
            path.length > MEMX_SUBSCRIBE_PREFIX.length
          ? 'memx'
          : null;
    if (protocol === null) {
      // Another listener may serve this path; when none does, it is a plain request.
      if (server.listenerCount('upgrade') === 1) answerPlainly(server, request, socket);
      return;
    }
    socket.on('error', (error) => logger.debug('state socket connection error', { error }));
    if (closing) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    try {
      if (protocol === 'memnex') startStateSession(context, request, socket, head);
      else startMemxSession(context, request, socket, head, path);
    } catch (error) {
      logger.error('state socket upgrade failed', { error });
      socket.destroy();
    }
  };
  server.on('upgrade', onUpgrade);

  return {
    get size() {
      return peers.size;
    },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        clearInterval(heartbeat);
        for (const peer of peers) peer.close(1001, 'server shutting down');
        // Work in flight sees `closing` when it resumes: it refuses or closes its socket.
        while (pending.size > 0) await Promise.allSettled([...pending]);
        if (peers.size > 0) await new Promise<void>((resolve) => whenEmpty.push(resolve));
        server.off('upgrade', onUpgrade);
        wss.close();
      })()),
  };
}

/**
 * With an `upgrade` listener, node:http hands every request with an `Upgrade` header (e.g.
 * `h2c`) to it: answer GET and HEAD through the server's request handler as if there were none.
 */
function answerPlainly(server: Server, request: IncomingMessage, socket: Duplex): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    refuseUpgrade(socket, 400, 'Bad Request');
    return;
  }
  const response = new ServerResponse(request);
  response.shouldKeepAlive = false;
  response.assignSocket(socket as Socket);
  response.once('finish', () => {
    response.detachSocket(socket as Socket);
    socket.end();
  });
  server.emit('request', request, response);
}

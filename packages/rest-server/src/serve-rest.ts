import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { silentLogger, type Logger } from '@memnex/core';
import type { RestApp } from './create-rest-app.js';
import { attachStateSockets, type StateSocketTuning } from './state-socket.js';

/** Options of {@link serveRest}. */
export interface ServeRestOptions {
  /** The app from `createRestApp`. */
  rest: RestApp;
  /** Where the server logs; silent by default. */
  logger?: Logger;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port to listen on (default 8000; 0 picks a free one). */
  port?: number;
  /** How long `close()` waits for requests in flight before cutting connections (default 10 s). */
  drainTimeoutMs?: number;
  /** Heartbeat, limits and timeouts of the state WebSockets. */
  sockets?: StateSocketTuning;
}

/** A listening REST server. */
export interface RestServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  /**
   * Graceful stop: readiness turns false, no new connections are accepted, state WebSockets are
   * closed (1001), requests in flight finish (up to the drain timeout), then every connection
   * closes. Resolves once no request is running, even one whose client hung up, so the stores can
   * be closed safely.
   */
  close(): Promise<void>;
}

/** Serve a REST app on node:http. */
export async function serveRest(options: ServeRestOptions): Promise<RestServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  const server = createAdaptorServer({ fetch: options.rest.app.fetch }) as Server;
  // Behind a load balancer, idle keep-alive sockets must outlive the balancer's own timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (error, socket) => {
    logger.debug('malformed http request', { error });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const sockets = attachStateSockets(server, {
    ...options.rest.sockets,
    closeTimeoutMs: Math.min(drainTimeoutMs, 5000),
    ...options.sockets,
  });
  let closing: Promise<void> | undefined;
  // While closing, a keep-alive connection whose request just finished is idle: close it now,
  // rather than leaving it open until the drain deadline.
  server.on('request', (_request, response) => {
    response.once('finish', () => {
      if (closing) server.closeIdleConnections();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await sockets.close();
    throw error;
  });
  server.on('error', (error) => logger.error('rest server error', { error }));
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  logger.info('rest server listening', { host, port });
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        options.rest.drain();
        // Upgraded sockets keep the server open: they must close for `stopped` to resolve.
        const socketsClosed = sockets.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), drainTimeoutMs);
        });
        if ((await Promise.race([stopped, deadline])) === 'deadline') {
          logger.warn('requests still running at the drain deadline; closing their connections');
          server.closeAllConnections();
          await stopped;
        }
        if ((await Promise.race([socketsClosed, deadline])) === 'deadline') {
          logger.warn('state sockets still starting at the drain deadline; closing anyway');
        }
        // A request whose client hung up has no connection left but may still be running: the
        // caller closes the stores after this resolves, so wait for it too (bounded likewise).
        if ((await Promise.race([options.rest.idle(), deadline])) === 'deadline') {
          logger.warn('requests still running at the drain deadline; closing anyway');
        }
        clearTimeout(timer);
      })()),
  };
}

import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { silentLogger, type Logger, type Memnex } from '@memnex/core';
import { createMcpHttpHandler, type McpHttpHandlerOptions } from './http-handler.js';

/** Options of {@link serveMcpHttp}. */
export interface ServeMcpHttpOptions extends Pick<
  McpHttpHandlerOptions,
  'sessionIdleMs' | 'maxBodyBytes' | 'maxSessions'
> {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** Where the server logs; silent by default. */
  logger?: Logger;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port to listen on (default 8500; 0 picks a free one). */
  port?: number;
  /**
   * Hosts accepted in `Host`/`Origin`. Default: `localhost`, `127.0.0.1` and `[::1]` when
   * listening on a loopback interface (DNS-rebinding protection), no check otherwise.
   */
  allowedHosts?: readonly string[];
}

/** A listening MCP HTTP server. */
export interface McpHttpServer {
  /** URL of the MCP endpoint, e.g. `http://127.0.0.1:8500/mcp`. */
  url: string;
  /** The port listened on (useful with port 0). */
  port: number;
  /** Close every session and stop listening. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Listen on node:http and serve MCP Streamable HTTP at `/mcp` ({@link createMcpHttpHandler}). */
export async function serveMcpHttp(options: ServeMcpHttpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  const allowedHosts = options.allowedHosts ?? (LOOPBACK.has(host) ? LOOPBACK_HOSTS : undefined);
  const handler = createMcpHttpHandler({
    memnex: options.memnex,
    logger,
    ...(allowedHosts ? { allowedHosts } : {}),
    ...(options.sessionIdleMs !== undefined ? { sessionIdleMs: options.sessionIdleMs } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
  });
  const server = createServer((request, response) => void handler.handle(request, response));
  server.on('clientError', (error, socket) => {
    logger.debug('malformed http request', { error });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8500, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('mcp http server error', { error }));
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  logger.info('mcp http server listening', { host, port });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/mcp`,
    port,
    close: () =>
      (closing ??= (async () => {
        await handler.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Open SSE streams would keep close() waiting forever.
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

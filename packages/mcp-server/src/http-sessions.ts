import { randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { type Logger, type Memnex } from '@memnex/core';
import { type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type McpAuth } from './auth.js';
import { createMcpServer } from './create-mcp-server.js';

/** One stateful Streamable HTTP session, bound to the tenant and key that created it. */
export interface HttpSession {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  auth: McpAuth;
  /** The raw key that created the session, kept in memory to re-verify it. */
  key: string;
  /** Time of the last request start or end, for idle expiry. */
  lastActive: number;
  /** Requests (and SSE streams) still open; a session with any is never idle. */
  open: number;
}

/** Sessions by `Mcp-Session-Id`, with creation, activity tracking and closing. */
export interface SessionTable {
  get(id: string): HttpSession | undefined;
  readonly size: number;
  /** A new, not yet initialised session; it enters the table once the SDK assigns its id. */
  create(auth: McpAuth, key: string): Promise<HttpSession>;
  /** Count `response` as activity of `session` until it closes. */
  track(session: HttpSession, response: ServerResponse): void;
  /** Close a session (its transport, server and subscriptions). */
  close(session: HttpSession, reason: string): Promise<void>;
  /** Every session, for sweeps. */
  all(): HttpSession[];
}

/** The table of one HTTP handler. */
export function createSessionTable(memnex: Memnex, logger: Logger): SessionTable {
  const sessions = new Map<string, HttpSession>();
  const close = async (session: HttpSession, reason: string) => {
    logger.debug('mcp http session closing', { sessionId: session.transport.sessionId, reason });
    await session.server
      .close()
      .catch((error: unknown) => logger.warn('mcp http session close failed', { error }));
  };
  return {
    get: (id) => sessions.get(id),
    get size() {
      return sessions.size;
    },
    async create(auth, key) {
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, session);
          logger.info('mcp http session started', { sessionId: id, tenantId: auth.tenantId });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      transport.onerror = (error) => logger.debug('mcp http transport error', { error });
      const server = createMcpServer({ memnex, auth, logger });
      const session: HttpSession = {
        transport,
        server,
        auth,
        key,
        lastActive: Date.now(),
        open: 0,
      };
      await server.connect(transport);
      return session;
    },
    track(session, response) {
      session.open += 1;
      session.lastActive = Date.now();
      response.once('close', () => {
        session.open -= 1;
        session.lastActive = Date.now();
      });
    },
    close,
    all: () => [...sessions.values()],
  };
}

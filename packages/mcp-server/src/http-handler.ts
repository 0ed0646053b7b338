import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  MemnexError,
  silentLogger,
  type Logger,
  type Memnex,
  type VerifiedKey,
} from '@memnex/core';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type McpAuth } from './auth.js';
import {
  bearerKeyOf,
  headerOf,
  hostIsAllowed,
  readBody,
  RPC,
  sendFailure,
  type HttpFailure,
} from './http-support.js';
import { createSessionTable, type HttpSession } from './http-sessions.js';
import { parseChannel } from './channel.js';

/** Options of {@link createMcpHttpHandler}. */
export interface McpHttpHandlerOptions {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** Where the handler logs; silent by default. */
  logger?: Logger;
  /**
   * Hosts accepted in `Host` and `Origin` (DNS-rebinding protection), as hostnames or
   * `host:port`. Unset: no check (for servers behind a proxy that checks). Set it whenever the
   * server listens on localhost.
   */
  allowedHosts?: readonly string[];
  /** A session with no request or open stream for this long is closed (default 30 minutes). */
  sessionIdleMs?: number;
  /** Largest request body accepted, in bytes (default 4 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Most sessions held at once (default 10,000); beyond it new sessions get 503. */
  maxSessions?: number;
}

/** A Node HTTP handler serving MCP Streamable HTTP at `/mcp`. */
export interface McpHttpHandler {
  /** Serve one request; never rejects, whatever the request. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Close every session and stop the idle sweep. */
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_SESSIONS = 10_000;
const REALM = 'Bearer realm="memnex"';

/** Thrown inside the handler to answer with an HTTP failure. */
class Refusal extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.message);
  }
}

const refuse = (failure: HttpFailure) => new Refusal(failure);

function unauthenticated(message: string, presented: boolean): Refusal {
  const challenge = presented
    ? `${REALM}, error="invalid_token", error_description="${message.replace(/"/gu, "'")}"`
    : REALM;
  return refuse({
    status: 401,
    rpcCode: RPC.serverError,
    code: 'UNAUTHENTICATED',
    message,
    headers: { 'WWW-Authenticate': challenge },
  });
}

/**
 * Serve MCP over Streamable HTTP for many tenants in one process. Every request is authenticated
 * with `Authorization: Bearer <key>`; a session (`Mcp-Session-Id`) is bound to the tenant and key
 * that initialised it and refuses any other. The conversation channel is `X-Memnex-Channel` at
 * initialisation, else the key's default channel.
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const { memnex } = options;
  const logger = options.logger ?? silentLogger;
  const idleMs = options.sessionIdleMs ?? DEFAULT_IDLE_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = createSessionTable(memnex, logger);
  const allowedHosts =
    options.allowedHosts && new Set(options.allowedHosts.map((host) => host.toLowerCase()));

  /** Close a session whose key was refused. */
  const expire = (session: HttpSession, error: MemnexError) =>
    sessions.close(session, `key no longer valid: ${error.message}`);

  /** Verify the session's own key again; close the session if it is refused (revoked, tenant disabled). */
  const recheck = async (session: HttpSession) => {
    try {
      await memnex.keys.verify({ key: session.key });
    } catch (error) {
      if (MemnexError.isInstance(error) && error.code === 'UNAUTHENTICATED') {
        await expire(session, error);
      }
    }
  };

  const sweep = async () => {
    const now = Date.now();
    for (const session of sessions.all()) {
      if (session.open === 0 && now - session.lastActive > idleMs) {
        await sessions.close(session, 'idle');
      } else if (session.open > 0) {
        // A client that only listens on its SSE stream makes no requests to check.
        await recheck(session);
      }
    }
  };
  const timer = setInterval(
    () => void sweep().catch((error: unknown) => logger.error('session sweep failed', { error })),
    Math.max(10, Math.min(idleMs / 2, 60_000)),
  );
  timer.unref();

  const authenticate = async (request: IncomingMessage, session: HttpSession | undefined) => {
    const key = bearerKeyOf(request);
    if (key === null) {
      throw unauthenticated('missing API key: send Authorization: Bearer <key>', false);
    }
    let verified: VerifiedKey;
    try {
      verified = await memnex.keys.verify({ key });
    } catch (error) {
      if (MemnexError.isInstance(error) && error.code === 'UNAUTHENTICATED') {
        // The session's own key was just refused: no need to verify it a second time.
        if (session?.key === key) await expire(session, error);
        else if (session) await recheck(session);
        throw unauthenticated(error.message, true);
      }
      throw error;
    }
    return { key, verified };
  };

  let closed = false;
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    if (closed) {
      throw refuse({
        status: 503,
        rpcCode: RPC.serverError,
        code: 'NOT_AVAILABLE',
        message: 'the server is shutting down',
      });
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/mcp' && path !== '/mcp/') {
      throw refuse({
        status: 404,
        rpcCode: RPC.invalidRequest,
        code: 'NOT_FOUND',
        message: `no route ${path}; MCP is served at /mcp`,
      });
    }
    if (allowedHosts && !hostIsAllowed(request, allowedHosts)) {
      throw refuse({
        status: 403,
        rpcCode: RPC.serverError,
        code: 'FORBIDDEN',
        message: 'Host or Origin header is not allowed',
      });
    }
    const method = request.method ?? 'GET';
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      throw refuse({
        status: 405,
        rpcCode: RPC.serverError,
        code: 'VALIDATION_FAILED',
        message: `method ${method} is not allowed`,
        headers: { Allow: 'GET, POST, DELETE' },
      });
    }
    const sessionId = headerOf(request, 'mcp-session-id');
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    const { key, verified } = await authenticate(request, session);
    if (sessionId !== undefined && !session) {
      throw refuse({
        status: 404,
        rpcCode: RPC.sessionNotFound,
        code: 'NOT_FOUND',
        message: 'Session not found',
      });
    }
    if (
      session &&
      (session.auth.tenantId !== verified.tenantId || session.auth.keyId !== verified.keyId)
    ) {
      throw refuse({
        status: 403,
        rpcCode: RPC.serverError,
        code: 'FORBIDDEN',
        message: 'this session belongs to another key',
      });
    }

    let body: unknown;
    if (method === 'POST') {
      const read = await readBody(request, maxBodyBytes);
      if (read.tooLarge) {
        throw refuse({
          status: 413,
          rpcCode: RPC.invalidRequest,
          code: 'PAYLOAD_TOO_LARGE',
          message: `request body exceeds ${maxBodyBytes} bytes`,
          headers: { Connection: 'close' },
        });
      }
      try {
        body = JSON.parse(read.text);
      } catch {
        throw refuse({
          status: 400,
          rpcCode: RPC.parseError,
          code: 'VALIDATION_FAILED',
          message: 'request body is not valid JSON',
        });
      }
    }

    if (session) {
      sessions.track(session, response);
      await session.transport.handleRequest(request, response, body);
      return;
    }
    const initializing =
      method === 'POST' &&
      (Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body));
    if (!initializing) {
      throw refuse({
        status: 400,
        rpcCode: RPC.serverError,
        code: 'VALIDATION_FAILED',
        message: 'Mcp-Session-Id header is required: initialize a session first',
      });
    }
    if (sessions.size >= maxSessions) {
      throw refuse({
        status: 503,
        rpcCode: RPC.serverError,
        code: 'RATE_LIMITED',
        message: 'too many open sessions; try again later',
      });
    }
    const channel = parseChannel(headerOf(request, 'x-memnex-channel'), 'X-Memnex-Channel');
    const auth: McpAuth = {
      tenantId: verified.tenantId,
      keyId: verified.keyId,
      scopes: verified.scopes,
      channel: channel ?? verified.defaultChannel ?? null,
      pinnedUserId: verified.pinnedUserId,
    };
    const created = await sessions.create(auth, key);
    sessions.track(created, response);
    await created.transport.handleRequest(request, response, body);
    // The SDK refused the request before assigning a session id: nothing will reach this one.
    if (!created.transport.sessionId) await sessions.close(created, 'not initialised');
  };

  return {
    async handle(request, response) {
      try {
        await route(request, response);
      } catch (error) {
        if (error instanceof Refusal) return sendFailure(response, error.failure);
        if (MemnexError.isInstance(error)) {
          if (error.status >= 500) logger.error('mcp http request failed', { error });
          return sendFailure(response, {
            status: error.status,
            rpcCode: RPC.serverError,
            code: error.code,
            message: error.message,
          });
        }
        logger.error('mcp http request failed', { error });
        sendFailure(response, {
          status: 500,
          rpcCode: RPC.serverError,
          code: 'INTERNAL',
          message: 'internal error',
        });
      }
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all(sessions.all().map((session) => sessions.close(session, 'server closing')));
    },
  };
}

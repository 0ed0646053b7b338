import { type Readable, type Writable } from 'node:stream';
import { MemnexError, silentLogger, type Logger } from '@memnex/core';
import { type Channel } from '@memnex/core/wire';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RPC } from './http-support.js';
import { createRemoteLink } from './remote-link.js';
import {
  closeOnce,
  onStdinEnd,
  stdioCredentials,
  stdioStreams,
  type StdioSession,
} from './stdio-session.js';

/** Options of {@link bridgeStdioToRemote}. */
export interface BridgeStdioOptions {
  /** The remote Memnex server (`MEMNEX_URL`); `/mcp` is appended unless the path ends with it. */
  url: string;
  /** The raw API key (`MEMNEX_SECRET_KEY`), sent as `Authorization: Bearer` on every request. */
  key: string | undefined;
  /** Channel of the conversation (`MEMNEX_CHANNEL`), sent as `X-Memnex-Channel`. */
  channel?: Channel | string;
  /** Where the bridge logs; silent by default. Must not write to stdout. */
  logger?: Logger;
  /** Input of JSON-RPC messages; `process.stdin` by default. */
  stdin?: Readable;
  /** Output of JSON-RPC messages, and nothing else; `process.stdout` by default. */
  stdout?: Writable;
  /** The fetch used for HTTP (proxies, tests); the global fetch by default. */
  fetch?: typeof fetch;
}

/** The `/mcp` endpoint of a Memnex server URL, or `VALIDATION_FAILED`. */
export function mcpEndpointOf(url: string): URL {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    endpoint = new URL('invalid:');
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw MemnexError.validation([
      {
        path: 'MEMNEX_URL',
        message: 'must be an http(s) URL, e.g. https://memnex.example.com',
        code: 'invalid_format',
      },
    ]);
  }
  if (!/\/mcp\/?$/u.test(endpoint.pathname)) {
    endpoint.pathname = `${endpoint.pathname.replace(/\/$/u, '')}/mcp`;
  }
  return endpoint;
}

/** The JSON-RPC error a failed forward answers the local client with. */
function forwardError(error: unknown): { code: number; message: string; data?: unknown } {
  if (error instanceof StreamableHTTPError) {
    // The SDK puts the server's response body after the status text: relay its JSON-RPC error.
    const start = error.message.indexOf('{');
    if (start >= 0) {
      try {
        const body = JSON.parse(error.message.slice(start)) as {
          error?: { code?: unknown; message?: unknown; data?: unknown };
        };
        if (typeof body.error?.code === 'number' && typeof body.error.message === 'string') {
          return { code: body.error.code, message: body.error.message, data: body.error.data };
        }
      } catch {
        // Not JSON: fall through to the generic message.
      }
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { code: RPC.serverError, message: `the Memnex server could not be reached: ${reason}` };
}

/**
 * Bridge a stdio MCP client to a remote Memnex server's Streamable HTTP endpoint: every JSON-RPC
 * message is forwarded both ways, server notifications (resource updates) included, with the key
 * and channel on every request. A request the remote refuses (401, unreachable) is answered with
 * a JSON-RPC error carrying the server's message. Only JSON-RPC is written to stdout.
 */
export async function bridgeStdioToRemote(options: BridgeStdioOptions): Promise<StdioSession> {
  const logger = options.logger ?? silentLogger;
  const { key, channel } = stdioCredentials(options);
  const endpoint = mcpEndpointOf(options.url);
  const { stdin, stdout } = stdioStreams(options);
  const local = new StdioServerTransport(stdin, stdout);
  const deliver = (message: JSONRPCMessage) =>
    void local
      .send(message)
      .catch((error: unknown) => logger.warn('stdout write failed', { error }));
  const remote = createRemoteLink({
    endpoint,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(channel ? { 'X-Memnex-Channel': channel } : {}),
    },
    deliver,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  local.onmessage = (message) => {
    remote.send(message).catch((error: unknown) => {
      logger.warn('forwarding to the Memnex server failed', { error });
      if (isJSONRPCRequest(message)) {
        deliver({ jsonrpc: '2.0', id: message.id, error: forwardError(error) });
      }
    });
  };
  local.onerror = (error) => logger.warn('stdio transport error', { error });

  const { close, closed } = closeOnce(async () => {
    stopWatching();
    await remote.close().catch((error: unknown) => logger.warn('bridge close failed', { error }));
    await local.close().catch(() => undefined);
  });
  const stopWatching = onStdinEnd(stdin, () => void close());
  local.onclose = () => void close();
  await local.start();
  logger.info('mcp stdio bridge started', { endpoint: endpoint.href });
  return { close, closed };
}

import { type Readable, type Writable } from 'node:stream';
import { MemnexError, silentLogger, type Logger, type Memnex } from '@memnex/core';
import { type Channel } from '@memnex/core/wire';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './create-mcp-server.js';
import {
  closeOnce,
  onStdinEnd,
  stdioCredentials,
  stdioStreams,
  type StdioSession,
} from './stdio-session.js';

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** The raw API key (`MEMNEX_SECRET_KEY`, read by the caller); verified once at start. */
  key: string | undefined;
  /** Channel of the conversation (`MEMNEX_CHANNEL`); the key's default channel when absent. */
  channel?: Channel | string;
  /** Where the session logs; silent by default. Must not write to stdout. */
  logger?: Logger;
  /** Input of JSON-RPC messages; `process.stdin` by default. */
  stdin?: Readable;
  /** Output of JSON-RPC messages, and nothing else; `process.stdout` by default. */
  stdout?: Writable;
}

/**
 * Serve one MCP session over stdio for the tenant of `key`. The key is verified once, before
 * anything is read from stdin: a missing, malformed, unknown or revoked key rejects with an
 * `UNAUTHENTICATED` MemnexError. Only JSON-RPC is ever written to stdout.
 */
export async function serveStdio(options: ServeStdioOptions): Promise<StdioSession> {
  const logger = options.logger ?? silentLogger;
  const { key, channel } = stdioCredentials(options);
  const verified = await options.memnex.keys.verify({ key }).catch((error: unknown) => {
    if (MemnexError.isInstance(error) && error.code === 'UNAUTHENTICATED') {
      throw new MemnexError({
        code: 'UNAUTHENTICATED',
        message: `MEMNEX_SECRET_KEY was refused: ${error.message}`,
        cause: error,
      });
    }
    throw error;
  });
  const server = createMcpServer({
    memnex: options.memnex,
    auth: {
      tenantId: verified.tenantId,
      keyId: verified.keyId,
      scopes: verified.scopes,
      channel: channel ?? verified.defaultChannel ?? null,
      pinnedUserId: verified.pinnedUserId,
    },
    logger,
  });
  const { stdin, stdout } = stdioStreams(options);
  const transport = new StdioServerTransport(stdin, stdout);
  const { close, closed } = closeOnce(async () => {
    stopWatching();
    await server.close().catch((error: unknown) => logger.warn('stdio close failed', { error }));
  });
  const stopWatching = onStdinEnd(stdin, () => void close());
  transport.onclose = () => void close();
  transport.onerror = (error) => logger.warn('stdio transport error', { error });
  await server.connect(transport);
  logger.info('mcp stdio session started', { tenantId: verified.tenantId, keyId: verified.keyId });
  return { close, closed };
}

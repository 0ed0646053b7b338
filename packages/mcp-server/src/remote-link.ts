import { type Logger } from '@memnex/core';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';

/** Options of {@link createRemoteLink}. */
export interface RemoteLinkOptions {
  /** The remote `/mcp` endpoint. */
  endpoint: URL;
  /** Headers of every request: the Bearer key and the channel. */
  headers: Record<string, string>;
  /** Messages from the remote server, for the local client. */
  deliver: (message: JSONRPCMessage) => void;
  logger: Logger;
  fetch?: typeof fetch;
}

/** The remote half of the bridge: a Streamable HTTP session that survives server restarts. */
export interface RemoteLink {
  /** Forward a message from the local client. */
  send(message: JSONRPCMessage): Promise<void>;
  /** End the remote session (HTTP DELETE) and stop. */
  close(): Promise<void>;
}

/** Prefix of the ids of requests the bridge itself makes when it re-opens a session. */
const OWN_ID = 'memnex-bridge:';

function isSessionGone(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

/**
 * Forward JSON-RPC messages to a remote MCP server over Streamable HTTP. The link remembers the
 * client's `initialize` and its resource subscriptions; when the server answers 404 (session
 * expired, server restarted) it opens a new session, replays them, and sends the message again,
 * so a long-lived desktop client keeps working.
 */
export function createRemoteLink(options: RemoteLinkOptions): RemoteLink {
  const { logger } = options;
  let initialize: JSONRPCRequest | null = null;
  const initializeIds = new Set<string | number>();
  const subscriptions = new Set<string>();
  const waiting = new Map<string, (message: JSONRPCMessage) => void>();
  let ownSequence = 0;
  let closed = false;
  let reopening: Promise<void> | null = null;

  const onMessage = (transport: StreamableHTTPClientTransport) => (message: JSONRPCMessage) => {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const id = message.id;
      if (typeof id === 'string' && waiting.has(id)) {
        waiting.get(id)!(message);
        waiting.delete(id);
        return;
      }
      if (id !== undefined && initializeIds.delete(id) && isJSONRPCResultResponse(message)) {
        const version = message.result.protocolVersion;
        if (typeof version === 'string') transport.setProtocolVersion(version);
      }
    }
    options.deliver(message);
  };

  const open = async () => {
    const transport = new StreamableHTTPClientTransport(options.endpoint, {
      requestInit: { headers: options.headers },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    transport.onmessage = onMessage(transport);
    transport.onerror = (error) => logger.debug('remote transport error', { error });
    await transport.start();
    return transport;
  };
  let current = open();

  /** A request of the bridge's own, answered to the bridge and never to the client. */
  const ask = async (
    transport: StreamableHTTPClientTransport,
    method: string,
    params: Record<string, unknown> | undefined,
  ) => {
    const id = `${OWN_ID}${(ownSequence += 1)}`;
    const answered = new Promise<JSONRPCMessage>((resolve) => waiting.set(id, resolve));
    await transport.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    const answer = await answered;
    if (isJSONRPCErrorResponse(answer))
      throw new Error(`${method} failed: ${answer.error.message}`);
    return answer;
  };

  const reopen = async (stale: StreamableHTTPClientTransport) => {
    logger.warn('remote MCP session is gone; opening a new one');
    await stale.close().catch(() => undefined);
    const transport = await open();
    const answer = await ask(transport, 'initialize', initialize!.params);
    if (isJSONRPCResultResponse(answer) && typeof answer.result.protocolVersion === 'string') {
      transport.setProtocolVersion(answer.result.protocolVersion);
    }
    await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    for (const uri of subscriptions) {
      await ask(transport, 'resources/subscribe', { uri }).catch((error: unknown) =>
        logger.warn('could not renew a resource subscription', { uri, error }),
      );
    }
    return transport;
  };

  const remember = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && isInitializeRequest(message)) {
      initialize = message;
      initializeIds.add(message.id);
    } else if (isJSONRPCRequest(message) && typeof message.params?.uri === 'string') {
      if (message.method === 'resources/subscribe') subscriptions.add(message.params.uri);
      if (message.method === 'resources/unsubscribe') subscriptions.delete(message.params.uri);
    }
  };

  return {
    async send(message) {
      if (closed) throw new Error('the bridge is closed');
      remember(message);
      const transport = await current;
      try {
        await transport.send(message);
      } catch (error) {
        if (!isSessionGone(error) || initialize === null || isInitializeRequest(message)) {
          throw error;
        }
        // Only the first message to meet the dead session re-opens; the others wait for it.
        if ((await current) === transport) {
          reopening ??= (async () => {
            const next = reopen(transport);
            current = next;
            try {
              await next;
            } catch (reopenError) {
              // Let the next message try again rather than fail forever.
              current = Promise.resolve(transport);
              throw reopenError;
            }
          })().finally(() => (reopening = null));
          await reopening;
        }
        await (await current).send(message);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const transport = await current.catch(() => null);
      if (!transport) return;
      await transport
        .terminateSession()
        .catch((error: unknown) => logger.debug('remote session end failed', { error }));
      await transport.close();
    },
  };
}

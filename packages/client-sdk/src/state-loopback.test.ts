import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StateEvent } from '@memnex/core/wire';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { createMemnexClient } from './create-client.js';
import type { MemnexClientOptions, StateWebSocketConstructor } from './types.js';

// Both classes fit the option's type; this file fails to compile otherwise.
const _fromPackage: StateWebSocketConstructor = WebSocket;
const _global: MemnexClientOptions['WebSocket'] = globalThis.WebSocket;

const event: StateEvent = {
  event: 'value',
  key: 'plan:goal',
  value: 'ship',
  version: 2,
  updatedAt: '2025-01-02T03:04:05.000Z',
  updatedBy: 'key_1',
  expiresAt: null,
};

/** A bare WebSocket server speaking just enough of the state protocol. */
async function startServer(
  onMessage: (socket: ServerSocket, message: Record<string, unknown>) => void,
) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1/state/ws' });
  await once(server, 'listening');
  const received: Array<Record<string, unknown>> = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      received.push(message);
      onMessage(socket, message);
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, received, url: `http://127.0.0.1:${port}` };
}

const servers: WebSocketServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('state.subscribe with the ws package', () => {
  it('authenticates, subscribes, receives, and unsubscribes on close', async () => {
    const { server, received, url } = await startServer((socket, message) => {
      if (message.type !== 'subscribe') return;
      socket.send(
        JSON.stringify({
          type: 'ready',
          id: message.id,
          versions: { 'plan:goal': 1 },
          truncated: false,
        }),
      );
      socket.send(JSON.stringify({ type: 'event', id: message.id, event }));
    });
    servers.push(server);
    const client = createMemnexClient({ url, apiKey: 'mx_test_secret', WebSocket });
    const events: StateEvent[] = [];

    const subscription = client.state.subscribe('plan:*', (change) => {
      events.push(change);
    });
    await subscription.ready;
    await vi.waitFor(() => expect(events).toEqual([event]));
    const [connection] = server.clients;
    const closed = once(connection!, 'close');
    subscription.close();
    const [code] = (await closed) as [number];

    expect(code).toBe(1000);
    expect(received.map((message) => message.type)).toEqual(['auth', 'subscribe', 'unsubscribe']);
    expect(received[0]).toEqual({ type: 'auth', apiKey: 'mx_test_secret' });
  });

  it('stops on 4401 without reconnecting', async () => {
    const { server, url } = await startServer((socket, message) => {
      if (message.type === 'auth') socket.close(4401, 'unknown API key');
    });
    servers.push(server);
    let connections = 0;
    server.on('connection', () => (connections += 1));
    const client = createMemnexClient({ url, apiKey: 'bad', WebSocket, retryDelayMs: 1 });
    const onError = vi.fn();

    const subscription = client.state.subscribe('a', () => undefined, { onError });

    await expect(subscription.ready).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'unknown API key',
    });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'UNAUTHENTICATED' }), {
      fatal: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(1);
  });

  it('can be closed while the socket is still connecting', async () => {
    const { server, received, url } = await startServer(() => undefined);
    servers.push(server);
    const client = createMemnexClient({ url, apiKey: 'k', WebSocket });

    const subscription = client.state.subscribe('a', () => undefined);
    subscription.close();

    await expect(subscription.ready).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The socket was given up before it opened: it never authenticated nor subscribed, and no
    // connection stays open on the server.
    expect(received).toEqual([]);
    expect(server.clients.size).toBe(0);
  });
});

describe('state.subscribe over server-sent events with the platform fetch', () => {
  it('reads a real stream, reconnects with since, and aborts on close', async () => {
    const requests: URL[] = [];
    let closedRequests = 0;
    const server: Server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      requests.push(url);
      request.on('close', () => (closedRequests += 1));
      if (request.headers.authorization !== 'Bearer mx_test_secret') {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'no' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (requests.length === 1) {
        response.write('event: ready\ndata: {"versions":{"plan:goal":1},');
        response.write('"truncated":false}\n\n: ping\n\n');
        response.write(`event: value\ndata: ${JSON.stringify(event)}\n\n`);
        // The first stream ends; the client must come back with what it has seen.
        response.end();
        return;
      }
      response.write('event: ready\ndata: {"versions":{"plan:goal":2},"truncated":false}\n\n');
      response.write(`event: value\ndata: ${JSON.stringify(event)}\n\n`);
      response.write(`event: value\ndata: ${JSON.stringify({ ...event, version: 3 })}\n\n`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const client = createMemnexClient({
        url: `http://127.0.0.1:${port}`,
        apiKey: 'mx_test_secret',
        WebSocket: null,
        retryDelayMs: 1,
      });
      const versions: number[] = [];
      const subscription = client.state.subscribe(
        'plan:*',
        (change) => {
          versions.push(change.version);
        },
        { onError: () => undefined },
      );

      await subscription.ready;
      await vi.waitFor(() => expect(versions).toEqual([2, 3]));
      expect(requests[1]?.searchParams.get('since')).toBe('{"plan:goal":2}');
      expect(requests[1]?.searchParams.get('sinceVersion')).toBe('0');

      subscription.close();
      await vi.waitFor(() => expect(closedRequests).toBe(2));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

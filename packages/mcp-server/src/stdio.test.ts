import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createMemnex } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { type Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeStdioToRemote, mcpEndpointOf } from './bridge.js';
import { serveMcpHttp } from './http-server.js';
import { serveStdio } from './stdio.js';
import { type StdioSession } from './stdio-session.js';
import { nextUpdate } from './testing/mcp-client.js';

const SCOPES = ['memory:read', 'memory:write', 'memory:forget', 'state:read:*', 'state:write:*'];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup() {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    embedder: null,
    auditKey: 'mcp-tests-audit-key-0123456789',
    piiKey: 'mcp-tests-pii-key-0123456789',
  });
  await memnex.init();
  cleanup.push(() => memnex.close());
  const { id: tenantId } = await memnex.tenants.create({ name: 'acme' });
  const newKey = async () =>
    (await memnex.keys.create({ tenantId, label: 'agent', scopes: SCOPES })).key;
  return { memnex, tenantId, key: await newKey(), newKey };
}

/** A client transport over a pair of streams: what an MCP desktop client does with a child's stdio. */
function streamTransport(toServer: Writable, fromServer: Readable): Transport {
  const buffer = new ReadBuffer();
  const transport: Transport = {
    async start() {
      fromServer.on('data', (chunk: Buffer) => {
        buffer.append(chunk);
        for (let message = buffer.readMessage(); message; message = buffer.readMessage()) {
          transport.onmessage?.(message);
        }
      });
    },
    async send(message: JSONRPCMessage) {
      toServer.write(serializeMessage(message));
    },
    async close() {
      toServer.end();
      transport.onclose?.();
    },
  };
  return transport;
}

/** Streams for a stdio server, every byte it writes to stdout recorded. */
function stdioPair() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let written = '';
  stdout.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  return { stdin, stdout, written: () => written };
}

async function clientOver(stdin: PassThrough, stdout: PassThrough, session: StdioSession) {
  const client = new Client({ name: 'desktop', version: '1.0.0' });
  await client.connect(streamTransport(stdin, stdout));
  cleanup.push(async () => {
    await client.close();
    await session.close();
  });
  await client.listTools();
  return client;
}

function expectOnlyJsonRpc(written: string): void {
  const lines = written.split('\n').filter((line) => line.length > 0);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
}

describe('stdio', () => {
  it('verifies the key once at start with a clear error', async () => {
    const { memnex } = await setup();
    await expect(serveStdio({ memnex, key: undefined })).rejects.toThrow(
      /MEMNEX_SECRET_KEY is required/u,
    );
    await expect(serveStdio({ memnex, key: 'mx_live_nonsense' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'MEMNEX_SECRET_KEY was refused: malformed API key',
    });
    const { key } = await setup();
    await expect(serveStdio({ memnex, key })).rejects.toThrow(/refused: unknown API key/u);
    await expect(serveStdio({ memnex, key, channel: 'fax' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('serves tools over stdin/stdout and writes nothing but JSON-RPC', async () => {
    const { memnex, key } = await setup();
    const { stdin, stdout, written } = stdioPair();
    const session = await serveStdio({ memnex, key, channel: 'whatsapp', stdin, stdout });
    const client = await clientOver(stdin, stdout, session);
    await client.callTool({
      name: 'memory_write',
      arguments: {
        user_id: 'priya',
        facts: [{ fact: 'Order #4521 arrived damaged', type: 'issue' }],
      },
    });
    const read = (await client.callTool({
      name: 'memory_read',
      arguments: { user_id: 'priya' },
    })) as CallToolResult;
    expect(read.structuredContent).toMatchObject({ format: 'whatsapp' });
    const state = (await client.callTool({
      name: 'state_get',
      arguments: { key: 'plan:goal' },
    })) as CallToolResult;
    expect(state.structuredContent).toEqual({
      key: 'plan:goal',
      found: false,
      value: null,
      version: 0,
    });
    const bad = (await client.callTool({
      name: 'memory_read',
      arguments: { token_budget: 'lots' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expectOnlyJsonRpc(written());
  });

  it('settles closed when stdin ends', async () => {
    const { memnex, key } = await setup();
    const { stdin, stdout } = stdioPair();
    const session = await serveStdio({ memnex, key, stdin, stdout });
    stdin.end();
    await session.closed;
  });
});

describe('bridge to a remote server', () => {
  /** A remote server, and a fetch for the bridge that reports SSE streams and session ids. */
  async function remote() {
    const engine = await setup();
    const server = await serveMcpHttp({ memnex: engine.memnex, port: 0 });
    cleanup.push(() => server.close());
    const sessionIds: string[] = [];
    let streams = 0;
    const streamWaiters: Array<{ count: number; resolve: () => void }> = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const sessionId = response.headers.get('mcp-session-id');
      if (sessionId && !sessionIds.includes(sessionId)) sessionIds.push(sessionId);
      if (init?.method === 'GET' && response.ok) {
        streams += 1;
        for (const waiter of streamWaiters.filter((entry) => entry.count <= streams))
          waiter.resolve();
      }
      return response;
    };
    const streamsOpened = (count: number) =>
      count <= streams
        ? Promise.resolve()
        : new Promise<void>((resolve) => streamWaiters.push({ count, resolve }));
    return { ...engine, server, fetchSpy, sessionIds, streamsOpened };
  }

  it(
    'forwards requests and resource update notifications end to end',
    { timeout: 60_000 },
    async () => {
      const { memnex, tenantId, server, key, fetchSpy, streamsOpened } = await remote();
      const { stdin, stdout, written } = stdioPair();
      const base = server.url.replace(/\/mcp$/u, '');
      const bridge = await bridgeStdioToRemote({
        url: base,
        key,
        channel: 'voice',
        stdin,
        stdout,
        fetch: fetchSpy,
      });
      const client = await clientOver(stdin, stdout, bridge);

      await client.callTool({
        name: 'memory_write',
        arguments: {
          identifier: { channel: 'voice', id: '+44 20 7946 0958' },
          facts: [
            { fact: 'Wants a refund for order #4521', type: 'intent', entities: ['order:4521'] },
          ],
        },
      });
      const read = (await client.callTool({
        name: 'memory_read',
        arguments: { identifier: { channel: 'sms', id: '+442079460958' } },
      })) as CallToolResult;
      expect(read.structuredContent).toMatchObject({ format: 'voice' });
      expect((read.structuredContent as { items: unknown[] }).items).toHaveLength(1);

      const uri = 'memnex://users/priya/memories';
      await client.subscribeResource({ uri });
      await streamsOpened(1);
      const updated = nextUpdate(client);
      await memnex.write({
        tenantId,
        user: 'priya',
        facts: [{ type: 'intent', text: 'Wants a refund' }],
      });
      expect(await updated).toBe(uri);
      expectOnlyJsonRpc(written());
    },
  );

  it('forwards the state tools and state resource subscriptions', { timeout: 60_000 }, async () => {
    const { memnex, tenantId, server, key, fetchSpy, streamsOpened } = await remote();
    const { stdin, stdout, written } = stdioPair();
    const bridge = await bridgeStdioToRemote({
      url: server.url,
      key,
      stdin,
      stdout,
      fetch: fetchSpy,
    });
    const client = await clientOver(stdin, stdout, bridge);
    const set = (await client.callTool({
      name: 'state_set',
      arguments: { key: 'plan:goal', value: 'ship' },
    })) as CallToolResult;
    expect(set.structuredContent).toMatchObject({ key: 'plan:goal', value: 'ship', version: 1 });

    const uri = 'memnex://state/plan%3Agoal';
    await client.subscribeResource({ uri });
    await streamsOpened(1);
    const updated = nextUpdate(client);
    // Another agent changes it.
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 'ship v2' });
    expect(await updated).toBe(uri);
    const { contents } = await client.readResource({ uri });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({
      value: 'ship v2',
      version: 2,
    });
    expectOnlyJsonRpc(written());
  });

  it('relays the server refusing the key as a JSON-RPC error', { timeout: 60_000 }, async () => {
    const { server, key } = await remote();
    const { stdin, stdout } = stdioPair();
    const bridge = await bridgeStdioToRemote({
      url: server.url,
      key: key.slice(0, -4) + 'AAAA',
      stdin,
      stdout,
    });
    const client = new Client({ name: 'desktop', version: '1.0.0' });
    cleanup.push(() => bridge.close());
    await expect(client.connect(streamTransport(stdin, stdout))).rejects.toThrow(
      /UNAUTHENTICATED: unknown API key/u,
    );
  });

  it(
    'opens a new remote session when the old one is gone, subscriptions included',
    { timeout: 60_000 },
    async () => {
      const { memnex, tenantId, server, key, fetchSpy, sessionIds, streamsOpened } = await remote();
      const { stdin, stdout } = stdioPair();
      const bridge = await bridgeStdioToRemote({
        url: server.url,
        key,
        stdin,
        stdout,
        fetch: fetchSpy,
      });
      const client = await clientOver(stdin, stdout, bridge);
      const uri = 'memnex://users/priya/memories';
      await client.subscribeResource({ uri });
      await streamsOpened(1);

      // End the session behind the bridge's back, as an expiry or a restart would.
      const ended = await fetch(server.url, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${key}`, 'Mcp-Session-Id': sessionIds[0]! },
      });
      expect(ended.status).toBe(200);

      const read = (await client.callTool({
        name: 'memory_read',
        arguments: { user_id: 'priya' },
      })) as CallToolResult;
      expect(read.isError).toBeFalsy();
      expect(sessionIds).toHaveLength(2);
      await streamsOpened(2);
      const updated = nextUpdate(client);
      await memnex.write({
        tenantId,
        user: 'priya',
        facts: [{ type: 'intent', text: 'Wants a refund' }],
      });
      expect(await updated).toBe(uri);
    },
  );

  it('appends /mcp to a server URL and refuses other schemes', () => {
    expect(mcpEndpointOf('https://memnex.example.com').href).toBe('https://memnex.example.com/mcp');
    expect(mcpEndpointOf('https://example.com/memnex/').href).toBe(
      'https://example.com/memnex/mcp',
    );
    expect(mcpEndpointOf('http://127.0.0.1:8500/mcp').href).toBe('http://127.0.0.1:8500/mcp');
    expect(() => mcpEndpointOf('ftp://example.com')).toThrow(/http/u);
    expect(() => mcpEndpointOf('not a url')).toThrow(/http/u);
  });
});

import { request as httpRequest } from 'node:http';
import { createMemnex } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { serveMcpHttp, type ServeMcpHttpOptions } from './http-server.js';
import { nextUpdate } from './testing/mcp-client.js';

const SCOPES = ['memory:read', 'memory:write', 'memory:forget', 'state:read:*', 'state:write:*'];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** An engine, two tenants with a key each, and the MCP HTTP server on a free port. */
async function setup(options: Partial<ServeMcpHttpOptions> = {}) {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    embedder: null,
    auditKey: 'mcp-tests-audit-key-0123456789',
    piiKey: 'mcp-tests-pii-key-0123456789',
  });
  await memnex.init();
  cleanup.push(() => memnex.close());
  const tenantA = (await memnex.tenants.create({ name: 'acme' })).id;
  const tenantB = (await memnex.tenants.create({ name: 'globex' })).id;
  const keyOf = async (tenantId: string) =>
    (await memnex.keys.create({ tenantId, label: 'agent', scopes: SCOPES })).key;
  const server = await serveMcpHttp({ memnex, port: 0, ...options });
  cleanup.push(() => server.close());
  return {
    memnex,
    server,
    tenantA,
    tenantB,
    keyA: await keyOf(tenantA),
    keyB: await keyOf(tenantB),
    keyOf,
  };
}

/** A fetch that reports when the client's standalone SSE stream (GET) is open. */
function watchingFetch() {
  let opened!: () => void;
  const streamOpen = new Promise<void>((resolve) => (opened = resolve));
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method === 'GET' && response.ok) opened();
    return response;
  };
  return { fetch: wrapped, streamOpen };
}

async function connect(url: string, key: string, headers: Record<string, string> = {}) {
  const watcher = watchingFetch();
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${key}`, ...headers } },
    fetch: watcher.fetch,
  });
  const client = new Client({ name: 'http-agent', version: '1.0.0' });
  await client.connect(transport);
  cleanup.push(() => client.close());
  await client.listTools();
  return { client, transport, streamOpen: watcher.streamOpen };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with full control of the headers (Host included). */
function raw(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'POST',
        path: options.path ?? target.pathname,
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...options.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
});

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

function errorData(response: RawResponse): { code: string; message: string } {
  return (JSON.parse(response.body) as { error: { data: { code: string; message: string } } }).error
    .data;
}

describe('streamable HTTP', () => {
  it(
    'serves the tools with the key of each request and the channel header',
    { timeout: 60_000 },
    async () => {
      const { server, keyA } = await setup();
      const { client } = await connect(server.url, keyA, { 'X-Memnex-Channel': 'voice' });
      const write = (await client.callTool({
        name: 'memory_write',
        arguments: {
          identifier: { channel: 'voice', id: '+44 20 7946 0958' },
          facts: [{ fact: 'Order #4521 arrived damaged', type: 'issue', entities: ['order:4521'] }],
        },
      })) as CallToolResult;
      expect(write.isError).toBeFalsy();
      const read = (await client.callTool({
        name: 'memory_read',
        arguments: { identifier: { channel: 'whatsapp', id: 'wa:442079460958' } },
      })) as CallToolResult;
      // The session's channel (voice) picks the format: one spoken paragraph.
      expect(read.structuredContent).toMatchObject({ format: 'voice' });
      expect(String((read.content[0] as { text: string }).text)).toContain('damaged');
    },
  );

  it('answers 401 with WWW-Authenticate without a key or with a bad one', async () => {
    const { server, keyA } = await setup();
    const missing = await raw(server.url, { body: initialize });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="memnex"');
    expect(errorData(missing).code).toBe('UNAUTHENTICATED');
    expect(JSON.parse(missing.body)).toMatchObject({ jsonrpc: '2.0', id: null });

    const wrongSecret = keyA.slice(0, -4) + 'AAAA';
    const bad = await raw(server.url, {
      body: initialize,
      headers: { Authorization: `Bearer ${wrongSecret}` },
    });
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(
      /^Bearer realm="memnex", error="invalid_token"/u,
    );
    expect(errorData(bad)).toEqual({ code: 'UNAUTHENTICATED', message: 'unknown API key' });

    const malformed = await raw(server.url, {
      body: initialize,
      headers: { Authorization: 'Basic dXNlcjpwdw==' },
    });
    expect(malformed.status).toBe(401);
  });

  it('stops serving an existing session once its key is revoked', { timeout: 60_000 }, async () => {
    const { memnex, server, tenantA, keyA, keyOf } = await setup();
    const { client, transport } = await connect(server.url, keyA);
    const sessionId = transport.sessionId!;
    await client.callTool({ name: 'memory_read', arguments: { user_id: 'priya' } });
    const { keyId } = await memnex.keys.verify({ key: keyA });
    await memnex.keys.revoke({ tenantId: tenantA, keyId });
    await expect(
      client.callTool({ name: 'memory_read', arguments: { user_id: 'priya' } }),
    ).rejects.toThrow(/401|revoked/u);
    // The session itself is gone, whatever key comes next.
    const other = await keyOf(tenantA);
    const after = await raw(server.url, {
      body: listTools,
      headers: { Authorization: `Bearer ${other}`, 'Mcp-Session-Id': sessionId },
    });
    expect(after.status).toBe(404);
  });

  it("refuses tenant B's key on tenant A's session", { timeout: 60_000 }, async () => {
    const { server, keyA, keyB } = await setup();
    const { client, transport } = await connect(server.url, keyA);
    const refused = await raw(server.url, {
      body: listTools,
      headers: {
        Authorization: `Bearer ${keyB}`,
        'Mcp-Session-Id': transport.sessionId!,
        'Mcp-Protocol-Version': LATEST_PROTOCOL_VERSION,
      },
    });
    expect(refused.status).toBe(403);
    expect(errorData(refused).code).toBe('FORBIDDEN');
    // Tenant A's client is unaffected.
    expect((await client.listTools()).tools.length).toBe(8);
  });

  it('refuses a DNS-rebinding Host or Origin when bound to localhost', async () => {
    const { server, keyA } = await setup();
    const authorization = { Authorization: `Bearer ${keyA}` };
    const evilHost = await raw(server.url, {
      body: initialize,
      headers: { ...authorization, Host: `evil.example:${server.port}` },
    });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await raw(server.url, {
      body: initialize,
      headers: { ...authorization, Origin: 'http://evil.example' },
    });
    expect(evilOrigin.status).toBe(403);
    const local = await raw(server.url, {
      body: initialize,
      headers: {
        ...authorization,
        Host: `localhost:${server.port}`,
        Origin: 'http://localhost:3000',
      },
    });
    expect(local.status).toBe(200);
  });

  it('ends the session on DELETE', { timeout: 60_000 }, async () => {
    const { server, keyA } = await setup();
    const { transport } = await connect(server.url, keyA);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await raw(server.url, {
      body: listTools,
      headers: { Authorization: `Bearer ${keyA}`, 'Mcp-Session-Id': sessionId },
    });
    expect(after.status).toBe(404);
    expect(JSON.parse(after.body)).toMatchObject({ error: { code: -32001 } });
  });

  it('expires idle sessions', { timeout: 60_000 }, async () => {
    const { server, keyA, keyB } = await setup({ sessionIdleMs: 50 });
    const opened = await raw(server.url, {
      body: initialize,
      headers: { Authorization: `Bearer ${keyA}` },
    });
    const sessionId = String(opened.headers['mcp-session-id']);
    // Tenant B's key is refused before the session counts as active, so polling does not keep it alive.
    const probe = () =>
      raw(server.url, {
        body: listTools,
        headers: { Authorization: `Bearer ${keyB}`, 'Mcp-Session-Id': sessionId },
      });
    expect((await probe()).status).toBe(403);
    const deadline = Date.now() + 10_000;
    let status = 403;
    while (status === 403 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await probe()).status;
    }
    expect(status).toBe(404);
  });

  it(
    'pushes resource updates on the SSE stream after a write by another session',
    { timeout: 60_000 },
    async () => {
      const { server, keyA, keyOf, tenantA } = await setup();
      const watcher = await connect(server.url, keyA);
      const writer = await connect(server.url, await keyOf(tenantA));
      const uri = 'memnex://users/priya/memories';
      await watcher.client.subscribeResource({ uri });
      await watcher.streamOpen;
      const updated = nextUpdate(watcher.client);
      await writer.client.callTool({
        name: 'memory_write',
        arguments: { user_id: 'priya', facts: [{ fact: 'Wants a refund', type: 'intent' }] },
      });
      expect(await updated).toBe(uri);
    },
  );

  it(
    'shares state between sessions and pushes its changes on the SSE stream',
    { timeout: 60_000 },
    async () => {
      const { server, keyA, keyOf, tenantA } = await setup();
      const watcher = await connect(server.url, keyA);
      const writer = await connect(server.url, await keyOf(tenantA));
      const uri = 'memnex://state/team%2Falpha%3Aplan';
      await watcher.client.subscribeResource({ uri });
      await watcher.streamOpen;
      const updated = nextUpdate(watcher.client);
      const set = (await writer.client.callTool({
        name: 'state_set',
        arguments: { key: 'team/alpha:plan', value: { step: 1 }, if_version: 0 },
      })) as CallToolResult;
      expect(set.structuredContent).toMatchObject({ version: 1 });
      expect(await updated).toBe(uri);
      const read = (await watcher.client.callTool({
        name: 'state_get',
        arguments: { key: 'team/alpha:plan' },
      })) as CallToolResult;
      expect(read.structuredContent).toMatchObject({ found: true, value: { step: 1 }, version: 1 });
      const stale = (await watcher.client.callTool({
        name: 'state_set',
        arguments: { key: 'team/alpha:plan', value: { step: 2 }, if_version: 0 },
      })) as CallToolResult;
      expect(stale).toMatchObject({
        isError: true,
        structuredContent: { error: { code: 'CONFLICT', details: { currentVersion: 1 } } },
      });
    },
  );

  it('answers bad requests precisely and keeps serving', { timeout: 60_000 }, async () => {
    const { server, keyA } = await setup({ maxBodyBytes: 2048 });
    const authorization = { Authorization: `Bearer ${keyA}` };
    const notFound = await raw(server.url, {
      method: 'GET',
      path: '/other',
      headers: authorization,
    });
    expect(notFound.status).toBe(404);
    expect(
      (await raw(server.url, { method: 'PUT', headers: authorization, body: '{}' })).status,
    ).toBe(405);
    expect((await raw(server.url, { headers: authorization, body: '{"jsonrpc":' })).status).toBe(
      400,
    );
    const tooLarge = await raw(server.url, {
      headers: authorization,
      body: JSON.stringify({ padding: 'x'.repeat(4096) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(errorData(tooLarge).code).toBe('PAYLOAD_TOO_LARGE');
    const noSession = await raw(server.url, { headers: authorization, body: listTools });
    expect(noSession.status).toBe(400);
    const unknownSession = await raw(server.url, {
      headers: { ...authorization, 'Mcp-Session-Id': 'no-such-session' },
      body: listTools,
    });
    expect(unknownSession.status).toBe(404);
    const badChannel = await raw(server.url, {
      headers: { ...authorization, 'X-Memnex-Channel': 'fax' },
      body: initialize,
    });
    expect(badChannel.status).toBe(400);
    expect(errorData(badChannel).code).toBe('VALIDATION_FAILED');
    const { client } = await connect(server.url, keyA);
    expect((await client.listTools()).tools).toHaveLength(8);
  });

  it(
    'serves many tenants from one process, each seeing only its own users',
    { timeout: 60_000 },
    async () => {
      const { server, keyA, keyB } = await setup();
      const a = await connect(server.url, keyA);
      const b = await connect(server.url, keyB);
      await a.client.callTool({
        name: 'memory_write',
        arguments: { user_id: 'priya', facts: [{ fact: 'Wants a refund', type: 'intent' }] },
      });
      const fromB = (await b.client.callTool({
        name: 'memory_read',
        arguments: { user_id: 'priya' },
      })) as CallToolResult;
      expect(fromB.structuredContent).toMatchObject({ items: [] });
      const fromA = (await a.client.callTool({
        name: 'memory_read',
        arguments: { user_id: 'priya' },
      })) as CallToolResult;
      expect((fromA.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    },
  );
});

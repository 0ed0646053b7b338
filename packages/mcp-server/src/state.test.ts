import { createMemnex, type Logger, type Memnex, type MemnexOptions } from '@memnex/core';
import { createMemoryStores } from '@memnex/storage-memory';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpServer } from './create-mcp-server.js';
import { stateUri } from './resource-uris.js';
import { call, ok, toolError } from './testing/mcp-client.js';

const STATE_SCOPES = ['state:read:*', 'state:write:*'];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** An engine whose state subscriptions are counted, so that leaks show. */
function countingState(memnex: Memnex) {
  let open = 0;
  const engine: Memnex = {
    ...memnex,
    state: {
      ...memnex.state,
      async subscribe(call, listener) {
        let done = false;
        const finish = () => {
          if (!done) open -= 1;
          done = true;
        };
        open += 1;
        try {
          const subscription = await memnex.state.subscribe(call, {
            event: (event) => listener.event(event),
            end: (error) => {
              finish();
              listener.end?.(error);
            },
          });
          return {
            ready: subscription.ready,
            close() {
              finish();
              subscription.close();
            },
          };
        } catch (error) {
          finish();
          throw error;
        }
      },
    },
  };
  return { engine, open: () => open };
}

/** An engine on in-memory stores with one tenant, and a way to open MCP sessions on it. */
async function setup(options: Partial<MemnexOptions> = {}) {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    embedder: null,
    auditKey: 'mcp-tests-audit-key-0123456789',
    ...options,
  });
  await memnex.init();
  cleanup.push(() => memnex.close());
  const { id: tenantId } = await memnex.tenants.create({ name: 'acme' });
  const counted = countingState(memnex);

  const connect = async (key: { tenantId?: string; scopes?: string[]; logger?: Logger } = {}) => {
    const created = await memnex.keys.create({
      tenantId: key.tenantId ?? tenantId,
      label: 'agent',
      scopes: key.scopes ?? STATE_SCOPES,
    });
    const auth = await memnex.keys.verify({ key: created.key });
    const server = createMcpServer({
      memnex: counted.engine,
      auth,
      ...(key.logger ? { logger: key.logger } : {}),
    });
    const client = new Client({ name: 'team-agent', version: '1.0.0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    const close = async () => {
      await client.close();
      await server.close();
    };
    cleanup.push(close);
    // Caches the output schemas, so every callTool below is validated against them.
    await client.listTools();
    return { client, keyId: auth.keyId, close };
  };
  return { memnex, tenantId, connect, openSubscriptions: counted.open };
}

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

async function readJson(client: Client, uri: string): Promise<Record<string, unknown>> {
  const { contents } = await client.readResource({ uri });
  expect(contents).toHaveLength(1);
  expect(contents[0]).toMatchObject({ uri, mimeType: 'application/json' });
  const first = contents[0]!;
  return JSON.parse('text' in first ? String(first.text) : '') as Record<string, unknown>;
}

/** Every `notifications/resources/updated` URI the client receives, in order. */
function updatesOf(client: Client) {
  const uris: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
    uris.push(notification.params.uri);
    for (const waiter of waiters.filter((entry) => entry.count <= uris.length)) waiter.resolve();
  });
  return {
    uris,
    /** Resolves once `count` updates have arrived in all. */
    reach: (count: number) =>
      count <= uris.length
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
  };
}

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => void warnings.push({ message, fields }),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warnings };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('state tools', () => {
  it('publishes state_get and state_set with their arguments', async () => {
    const { connect } = await setup();
    const { client } = await connect();
    const { tools } = await client.listTools();
    const tool = (name: string) => tools.find((candidate) => candidate.name === name)!;
    expect(Object.keys(tool('state_get').inputSchema.properties ?? {})).toEqual(['key']);
    expect(tool('state_get').inputSchema.required).toEqual(['key']);
    expect(tool('state_get').annotations).toMatchObject({ readOnlyHint: true });
    expect(Object.keys(tool('state_set').inputSchema.properties ?? {})).toEqual([
      'key',
      'value',
      'if_version',
      'ttl_seconds',
    ]);
    expect(tool('state_set').inputSchema.required).toEqual(['key', 'value']);
    expect(tool('state_set').description).toContain('if_version');
    expect(tool('state_set').annotations).toMatchObject({ readOnlyHint: false });
    // The server's instructions name the argument as the tool takes it.
    expect(client.getInstructions()).toContain('compare-and-set with if_version');
  });

  it('reads a key without a value, sets it, and reads it back', async () => {
    const { connect } = await setup();
    const { client, keyId } = await connect();
    const key = 'team/alpha/tasks:3';

    const missing = await call(client, 'state_get', { key });
    expect(missing.isError).toBeFalsy();
    expect(missing.structuredContent).toEqual({ key, found: false, value: null, version: 0 });
    expect(textOf(missing)).toBe('"team/alpha/tasks:3" has no value (version 0).');

    const set = await call(client, 'state_set', { key, value: { status: 'doing', owner: 'a1' } });
    expect(set.isError).toBeFalsy();
    expect(set.structuredContent).toEqual({
      key,
      value: { status: 'doing', owner: 'a1' },
      version: 1,
      updatedAt: expect.any(String),
      updatedBy: keyId,
      expiresAt: null,
    });
    expect(textOf(set)).toBe('Set "team/alpha/tasks:3": now at version 1.');

    const read = await call(client, 'state_get', { key });
    expect(read.structuredContent).toEqual({ found: true, ...set.structuredContent });
    expect(textOf(read)).toContain('is at version 1');
    expect(textOf(read)).toContain('{"status":"doing","owner":"a1"}');

    // null is a value like any other; a TTL sets expiresAt.
    const expiring = await ok<{ value: unknown; version: number; expiresAt: string | null }>(
      client,
      'state_set',
      { key, value: null, ttl_seconds: 60 },
    );
    expect(expiring).toMatchObject({ value: null, version: 2 });
    expect(Date.parse(expiring.expiresAt!)).toBeGreaterThan(Date.now() + 50_000);
    expect(await ok(client, 'state_get', { key })).toMatchObject({ found: true, value: null });
  });

  it('compare-and-sets: a stale if_version is a CONFLICT naming the current version', async () => {
    const { connect } = await setup();
    const { client } = await connect();
    const key = 'plan:goal';
    expect(await ok(client, 'state_set', { key, value: 'ship', if_version: 0 })).toMatchObject({
      version: 1,
    });
    const taken = await toolError(client, 'state_set', { key, value: 'other', if_version: 0 });
    expect(taken).toMatchObject({ code: 'CONFLICT', details: { key, currentVersion: 1 } });
    expect(taken.message).toBe(
      '"plan:goal" is at version 1, not 0: it already has a value. Read it again with state_get, ' +
        'redo your change on what it holds now, and retry with if_version 1',
    );

    // Read, change, write back with the version read.
    const { version } = await ok<{ version: number }>(client, 'state_get', { key });
    expect(await ok(client, 'state_set', { key, value: 'ship v2', if_version: version })).toEqual(
      expect.objectContaining({ value: 'ship v2', version: 2 }),
    );
    const stale = await toolError(client, 'state_set', { key, value: 'late', if_version: 1 });
    expect(stale).toMatchObject({
      code: 'CONFLICT',
      details: { key, currentVersion: 2, expectedVersion: 1 },
    });
    expect(stale.message).toContain('retry with if_version 2');
    expect(await ok(client, 'state_get', { key })).toMatchObject({ value: 'ship v2', version: 2 });
  });

  it("refuses a value that breaks the key's schema, listing every error by JSON pointer", async () => {
    const { memnex, tenantId, connect } = await setup();
    await memnex.state.setSchema({
      tenantId,
      pattern: 'plan:*',
      schema: {
        type: 'object',
        required: ['step', 'owner'],
        properties: {
          step: { type: 'integer' },
          owner: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    });
    const { client } = await connect();
    const error = await toolError(client, 'state_set', {
      key: 'plan:goal',
      value: { step: 'one', tags: ['ok', 7], extra: true },
    });
    expect(error.code).toBe('VALIDATION_FAILED');
    const issues = (error.details as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(['', '/owner', '/step', '/tags/1']);
    // All four, each at its JSON pointer.
    expect(error.message).toMatch(/^the value does not match the schema of "plan:\*": /u);
    for (const located of ['/owner ', '/step ', '/tags/1 ', 'the value must NOT have']) {
      expect(error.message).toContain(located);
    }
    expect(await ok(client, 'state_get', { key: 'plan:goal' })).toMatchObject({ found: false });
    await ok(client, 'state_set', { key: 'plan:goal', value: { step: 1, owner: 'a1' } });
  });

  it('spells out at most 50 schema errors; details.issues holds every one', async () => {
    const { memnex, tenantId, connect } = await setup();
    await memnex.state.setSchema({
      tenantId,
      pattern: 'list:*',
      schema: { type: 'array', items: { type: 'string' } },
    });
    const { client } = await connect();
    const error = await toolError(client, 'state_set', {
      key: 'list:a',
      value: Array.from({ length: 60 }, (_, index) => index),
    });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(60);
    expect(error.message).toMatch(/^the value does not match the schema of "list:\*": \/0 must /u);
    expect(error.message).toMatch(/; \/49 must be string; 10 more in details\.issues$/u);
    expect(error.message).not.toContain('/50 ');
  });

  it.each<[string, Record<string, unknown>]>([
    ['state_get', {}],
    ['state_get', { key: 'has space' }],
    ['state_get', { key: 'plan:*' }],
    ['state_set', { key: 'plan:goal' }],
    ['state_set', { key: 'plan:goal', value: 1, if_version: -1 }],
    ['state_set', { key: 'plan:goal', value: 1, ttl_seconds: 0 }],
    ['state_set', { key: 'plan:goal', value: 1, ifVersion: 1 }],
  ])('%s with bad arguments %j is a VALIDATION_FAILED tool error', async (name, args) => {
    const { connect } = await setup();
    const { client } = await connect();
    expect((await toolError(client, name, args)).code).toBe('VALIDATION_FAILED');
  });

  it('keeps a key to the state its scopes cover', async () => {
    const { connect } = await setup();
    const { client: writer } = await connect();
    await ok(writer, 'state_set', { key: 'plan:goal', value: 'ship' });
    await ok(writer, 'state_set', { key: 'other:x', value: 'secret' });

    const { client: planReader } = await connect({ scopes: ['state:read:plan:*'] });
    expect(await ok(planReader, 'state_get', { key: 'plan:goal' })).toMatchObject({
      value: 'ship',
    });
    const write = await toolError(planReader, 'state_set', { key: 'plan:goal', value: 'mine' });
    expect(write).toMatchObject({
      code: 'FORBIDDEN',
      details: { needed: 'state:write:plan:goal' },
    });
    expect((await toolError(planReader, 'state_get', { key: 'other:x' })).code).toBe('FORBIDDEN');
    await expect(planReader.readResource({ uri: stateUri('other:x') })).rejects.toThrow(
      /FORBIDDEN/u,
    );
    await expect(planReader.subscribeResource({ uri: stateUri('other:x') })).rejects.toThrow(
      /FORBIDDEN/u,
    );
    await planReader.subscribeResource({ uri: stateUri('plan:goal') });

    const { client: memoryOnly } = await connect({ scopes: ['memory:read', 'memory:write'] });
    expect((await toolError(memoryOnly, 'state_get', { key: 'plan:goal' })).code).toBe('FORBIDDEN');
    expect(await ok(writer, 'state_get', { key: 'plan:goal' })).toMatchObject({ value: 'ship' });
  });

  it("gives tenant B's key none of tenant A's state", async () => {
    const { memnex, connect } = await setup();
    const { client: agentA } = await connect();
    const tenantB = await memnex.tenants.create({ name: 'globex' });
    const { client: agentB } = await connect({ tenantId: tenantB.id });
    const uri = stateUri('plan:goal');
    const updatesB = updatesOf(agentB);
    await agentB.subscribeResource({ uri });

    await ok(agentA, 'state_set', { key: 'plan:goal', value: 'A' });
    expect(await ok(agentB, 'state_get', { key: 'plan:goal' })).toMatchObject({ found: false });
    expect(await readJson(agentB, uri)).toMatchObject({ found: false, version: 0 });
    // B's compare-and-set sees its own, empty key.
    await ok(agentB, 'state_set', { key: 'plan:goal', value: 'B', if_version: 0 });
    await updatesB.reach(1);
    expect(await ok(agentA, 'state_get', { key: 'plan:goal' })).toMatchObject({
      value: 'A',
      version: 1,
    });
    await agentB.ping();
    expect(updatesB.uris).toEqual([uri]);
  });
});

describe('state resources', () => {
  it('lists the template and reads a key by its percent-encoded URI, decoded once', async () => {
    const { connect } = await setup();
    const { client } = await connect();
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain(
      'memnex://state/{key}',
    );

    await ok(client, 'state_set', { key: 'team/alpha/tasks:3', value: { status: 'done' } });
    await ok(client, 'state_set', { key: 'a:b', value: 'colon' });
    await ok(client, 'state_set', { key: 'a%3Ab', value: 'percent' });

    const uri = 'memnex://state/team%2Falpha%2Ftasks%3A3';
    expect(stateUri('team/alpha/tasks:3')).toBe(uri);
    expect(await readJson(client, uri)).toMatchObject({
      key: 'team/alpha/tasks:3',
      found: true,
      value: { status: 'done' },
      version: 1,
    });
    expect(await readJson(client, 'memnex://state/a:b')).toMatchObject({ value: 'colon' });
    expect(await readJson(client, 'memnex://state/a%3Ab')).toMatchObject({ value: 'colon' });
    expect(await readJson(client, 'memnex://state/a%253Ab')).toMatchObject({
      key: 'a%3Ab',
      value: 'percent',
    });
    expect(await readJson(client, stateUri('never:set'))).toEqual({
      key: 'never:set',
      found: false,
      value: null,
      version: 0,
    });

    // An unencoded "/" is another path; a bad key is named.
    await expect(client.readResource({ uri: 'memnex://state/team/alpha' })).rejects.toThrow(
      /not found/u,
    );
    await expect(client.readResource({ uri: 'memnex://state/a%20b' })).rejects.toThrow(
      /VALIDATION_FAILED/u,
    );
    await expect(client.readResource({ uri: 'memnex://state/%ZZ' })).rejects.toThrow(
      /VALIDATION_FAILED/u,
    );
    await expect(client.subscribeResource({ uri: 'memnex://state/plan%3A*' })).rejects.toThrow(
      /VALIDATION_FAILED/u,
    );
    await expect(client.subscribeResource({ uri: 'memnex://state/.' })).rejects.toThrow(
      /VALIDATION_FAILED/u,
    );
  });
});

describe('state subscriptions', () => {
  it('pushes resources/updated for writes and deletes made by another agent', async () => {
    const { memnex, tenantId, connect, openSubscriptions } = await setup();
    const { client } = await connect();
    const key = 'team/alpha:plan';
    const uri = stateUri(key);
    const updates = updatesOf(client);
    await client.subscribeResource({ uri });
    expect(openSubscriptions()).toBe(1);

    // Another agent, straight through the engine.
    await memnex.state.set({ tenantId, key, value: { step: 1 } });
    await updates.reach(1);
    expect(await readJson(client, uri)).toMatchObject({ value: { step: 1 }, version: 1 });
    await memnex.state.set({ tenantId, key, value: { step: 2 } });
    await memnex.state.delete({ tenantId, key });
    await updates.reach(3);
    expect(updates.uris).toEqual([uri, uri, uri]);
    expect(await readJson(client, uri)).toMatchObject({ found: false, version: 0 });

    // Other keys, even ones the URI's key is a prefix of, do not notify.
    await memnex.state.set({ tenantId, key: `${key}:2`, value: 1 });
    await client.ping();
    expect(updates.uris).toHaveLength(3);
  });

  it('pushes changes made on another engine instance sharing the stores', async () => {
    const stores = createMemoryStores();
    const options = { stores, embedder: null, auditKey: 'mcp-tests-audit-key-0123456789' };
    const { tenantId, connect } = await setup(options);
    const other = createMemnex(options);
    await other.init();
    cleanup.push(() => other.close());
    const { client } = await connect();
    const uri = stateUri('plan:goal');
    const updates = updatesOf(client);
    await client.subscribeResource({ uri });
    await other.state.set({ tenantId, key: 'plan:goal', value: 'from elsewhere' });
    await updates.reach(1);
    expect(updates.uris).toEqual([uri]);
    expect(await readJson(client, uri)).toMatchObject({ value: 'from elsewhere' });
  });

  it('stops after unsubscribe and ends every engine subscription when the session closes', async () => {
    const { memnex, tenantId, connect, openSubscriptions } = await setup();
    const { client, close } = await connect();
    const updates = updatesOf(client);
    const first = stateUri('plan:goal');
    const second = stateUri('plan:owner');
    await client.subscribeResource({ uri: first });
    await client.subscribeResource({ uri: second });
    // Subscribing again replaces, it does not add.
    await client.subscribeResource({ uri: second });
    expect(openSubscriptions()).toBe(2);

    await client.unsubscribeResource({ uri: first });
    expect(openSubscriptions()).toBe(1);
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 1 });
    await memnex.state.set({ tenantId, key: 'plan:owner', value: 'a1' });
    await updates.reach(1);
    await client.ping();
    expect(updates.uris).toEqual([second]);

    await close();
    expect(openSubscriptions()).toBe(0);
  });

  it('ends a subscription the client drops while it is still starting', async () => {
    const { memnex, tenantId, connect, openSubscriptions } = await setup();
    const { client, close } = await connect();
    const updates = updatesOf(client);
    const uri = stateUri('plan:goal');
    await Promise.all([client.subscribeResource({ uri }), client.unsubscribeResource({ uri })]);
    expect(openSubscriptions()).toBe(0);
    // Checked while the client can still hear: after close nothing could reach it anyway.
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 1 });
    await client.ping();
    expect(updates.uris).toEqual([]);
    // The session closes while a subscription starts: the client's request fails with it.
    await Promise.allSettled([client.subscribeResource({ uri }), close()]);
    await until(() => openSubscriptions() === 0);
  });

  it('stops pushing once the engine ends the subscription for a revoked key', async () => {
    const { memnex, tenantId, connect, openSubscriptions } = await setup();
    const { logger, warnings } = recordingLogger();
    const { client, keyId } = await connect({ logger });
    const updates = updatesOf(client);
    const uri = stateUri('plan:goal');
    await client.subscribeResource({ uri });
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 1 });
    await updates.reach(1);

    await memnex.keys.revoke({ tenantId, keyId });
    await until(() => openSubscriptions() === 0);
    expect(warnings).toEqual([
      {
        message: 'state subscription ended by the engine',
        fields: { uri, code: 'UNAUTHENTICATED', reason: 'API key was revoked' },
      },
    ]);
    await memnex.state.set({ tenantId, key: 'plan:goal', value: 2 });
    await client.ping();
    expect(updates.uris).toEqual([uri]);
  });
});

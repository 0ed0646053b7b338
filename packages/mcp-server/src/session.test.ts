import { createMemnex, type Memnex, type MemnexOptions } from '@memnex/core';
import { createHashEmbedder } from '@memnex/embeddings';
import { createMemoryStores } from '@memnex/storage-memory';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type McpAuth } from './auth.js';
import { createMcpServer } from './create-mcp-server.js';
import { call, nextUpdate, ok, toolError } from './testing/mcp-client.js';

const MEMORY_SCOPES = ['memory:read', 'memory:write', 'memory:forget'];
const VOICE = { channel: 'voice', id: '+44 20 7946 0958' } as const;
const WHATSAPP = { channel: 'whatsapp', id: 'wa:442079460958' } as const;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface KeyOptions {
  tenantId?: string;
  scopes?: string[];
  channel?: McpAuth['channel'];
  pinnedUserId?: string;
}

/** An engine on in-memory stores with one tenant, and a way to open MCP sessions on it. */
async function setup(options: Partial<MemnexOptions> = {}) {
  const memnex = createMemnex({
    stores: createMemoryStores(),
    embedder: createHashEmbedder({ dimensions: 256 }),
    auditKey: 'mcp-tests-audit-key-0123456789',
    piiKey: 'mcp-tests-pii-key-0123456789',
    ...options,
  });
  await memnex.init();
  cleanup.push(() => memnex.close());
  const { id: tenantId } = await memnex.tenants.create({ name: 'acme' });

  const connect = async (key: KeyOptions = {}, engine: Memnex = memnex) => {
    const created = await memnex.keys.create({
      tenantId: key.tenantId ?? tenantId,
      label: 'agent',
      scopes: key.scopes ?? MEMORY_SCOPES,
      pinnedUserId: key.pinnedUserId ?? null,
    });
    const verified = await memnex.keys.verify({ key: created.key });
    const server = createMcpServer({
      memnex: engine,
      auth: { ...verified, channel: key.channel ?? null },
    });
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    cleanup.push(async () => {
      await client.close();
      await server.close();
    });
    // Caches the output schemas, so every callTool below is validated against them.
    await client.listTools();
    return client;
  };
  return { memnex, tenantId, connect };
}

function textOf(contents: ReadonlyArray<object>): string {
  const first = contents[0];
  return first && 'text' in first ? String(first.text) : '';
}

describe('listing', () => {
  it('lists the tools, resources, resource templates and prompts by name', async () => {
    const { connect } = await setup();
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'memory_write',
      'memory_read',
      'memory_search',
      'memory_trace',
      'memory_forget',
      'identity_link',
      'state_get',
      'state_set',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      'memnex://schema/fact-types',
      'memnex://tenants/me/stats',
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      'memnex://users/{user_id}/memories',
      'memnex://state/{key}',
    ]);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual([
      'memory-writer',
      'memory-reader',
      'hallucination-check',
    ]);
    expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
  });

  it('publishes the argument names agents of the original product use', async () => {
    const { connect } = await setup();
    const client = await connect();
    const { tools } = await client.listTools();
    const properties = (name: string) =>
      Object.keys(
        (tools.find((tool) => tool.name === name)!.inputSchema.properties ?? {}) as object,
      );
    expect(properties('memory_write')).toEqual(
      expect.arrayContaining(['user_id', 'identifier', 'facts', 'trust_level', 'session_id']),
    );
    expect(properties('memory_read')).toEqual(
      expect.arrayContaining(['user_id', 'identifier', 'token_budget', 'target_format']),
    );
    expect(properties('memory_search')).toEqual(expect.arrayContaining(['query', 'max_results']));
    expect(properties('memory_trace')).toEqual(expect.arrayContaining(['agent_output']));
  });
});

describe('memory tools', () => {
  it('writes by voice phone number and reads in whatsapp format by the wa: id', async () => {
    const { connect } = await setup();
    const voiceAgent = await connect({ channel: 'voice' });
    const written = await ok<{ written: unknown[]; rejected: unknown[] }>(
      voiceAgent,
      'memory_write',
      {
        identifier: VOICE,
        facts: [
          { fact: 'Order #4521 arrived damaged', type: 'issue', entities: ['order:4521'] },
          { fact: 'Wants a refund for order #4521', type: 'intent', entities: ['order:4521'] },
        ],
      },
    );
    expect(written.written).toHaveLength(2);
    expect(written.rejected).toEqual([]);

    const whatsappAgent = await connect({ channel: 'whatsapp' });
    const read = await call(whatsappAgent, 'memory_read', {
      identifier: WHATSAPP,
      target_format: 'whatsapp',
    });
    const structured = read.structuredContent as {
      format: string;
      context: string;
      items: unknown[];
    };
    expect(structured.format).toBe('whatsapp');
    expect(structured.items).toHaveLength(2);
    expect(structured.context).toContain('Order #4521 arrived damaged');
    expect(structured.context).toContain('voice');
    // The text content is the packed context itself, not a JSON dump.
    expect(read.content).toEqual([{ type: 'text', text: structured.context }]);
  });

  it('uses the session channel as the default format and honours the token budget', async () => {
    const { connect } = await setup();
    const agent = await connect({ channel: 'sms' });
    await ok(agent, 'memory_write', {
      user_id: 'priya',
      facts: Array.from({ length: 12 }, (_, index) => ({
        fact: `Asked about invoice number ${1000 + index} for the annual maintenance contract renewal`,
        type: 'issue',
        entities: [`invoice:${1000 + index}`],
      })),
    });
    const read = await ok<{ format: string; tokens: number; omitted: number }>(
      agent,
      'memory_read',
      { user_id: 'priya', token_budget: 40 },
    );
    expect(read.format).toBe('sms');
    expect(read.tokens).toBeLessThanOrEqual(40);
    expect(read.omitted).toBeGreaterThan(0);
  });

  it('searches one person', async () => {
    const { connect } = await setup();
    const agent = await connect();
    await ok(agent, 'memory_write', {
      user_id: 'priya',
      facts: [
        { fact: 'Order #4521 arrived damaged', type: 'issue', entities: ['order:4521'] },
        { fact: 'Prefers calls in the morning', type: 'preference' },
      ],
    });
    const found = await ok<{ hits: Array<{ text: string; score: number }> }>(
      agent,
      'memory_search',
      {
        user_id: 'priya',
        query: 'damaged order',
        max_results: 1,
      },
    );
    expect(found.hits).toHaveLength(1);
    expect(found.hits[0]!.text).toBe('Order #4521 arrived damaged');
  });

  it('traces a draft: one claim supported, one invented', async () => {
    const { connect } = await setup();
    const agent = await connect();
    await ok(agent, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Order #4521 arrived damaged', type: 'issue', entities: ['order:4521'] }],
    });
    const traced = await ok<{
      supported: string[];
      unsupported: string[];
      suspectedHallucinations: string[];
    }>(agent, 'memory_trace', {
      user_id: 'priya',
      agent_output:
        'I see your order #4521 arrived damaged. Your refund of 5000 rupees was approved last week.',
    });
    expect(traced.supported).toEqual(['I see your order #4521 arrived damaged.']);
    expect(traced.unsupported).toEqual(['Your refund of 5000 rupees was approved last week.']);
    expect(traced.suspectedHallucinations).toEqual(traced.unsupported);
  });

  it('forgets and returns a receipt the audit keys verify', async () => {
    const { memnex, connect } = await setup();
    const agent = await connect();
    await ok(agent, 'memory_write', {
      identifier: VOICE,
      facts: [{ fact: 'Lives in Pune', type: 'profile', slot: 'profile:city' }],
    });
    const receipt = await ok<Record<string, unknown> & { deleted: { memories: number } }>(
      agent,
      'memory_forget',
      { identifier: WHATSAPP, reason: 'gdpr_request' },
    );
    expect(receipt.deleted.memories).toBe(1);
    expect(memnex.audit.verifyReceipt(receipt)).toMatchObject({ ok: true });
    expect(memnex.audit.verifyReceipt({ ...receipt, reason: 'tampered' })).toMatchObject({
      ok: false,
    });
    const read = await ok<{ items: unknown[] }>(agent, 'memory_read', { identifier: VOICE });
    expect(read.items).toEqual([]);
  });

  it('links another identifier to the person', async () => {
    const { connect } = await setup();
    const agent = await connect();
    await ok(agent, 'memory_write', {
      identifier: VOICE,
      facts: [{ fact: 'Prefers email receipts', type: 'preference' }],
    });
    const linked = await ok<{ channel: string; id: string }>(agent, 'identity_link', {
      identifier: VOICE,
      link: { channel: 'email', id: ' Priya@Example.com ' },
    });
    expect(linked).toMatchObject({ channel: 'email', id: 'priya@example.com' });
    const read = await ok<{ items: Array<{ text: string }> }>(agent, 'memory_read', {
      identifier: { channel: 'email', id: 'priya@example.com' },
    });
    expect(read.items.map((item) => item.text)).toEqual(['Prefers email receipts']);
  });

  it('lists every write outcome: nothing is dropped silently', async () => {
    const { connect } = await setup({ minTrust: { profile: 'verified_external' } });
    const agent = await connect();
    const result = await ok<{
      written: unknown[];
      rejected: Array<{ index: number; code: string }>;
    }>(agent, 'memory_write', {
      user_id: 'priya',
      facts: [
        { fact: 'Lives in Pune', type: 'profile', slot: 'profile:city' },
        { fact: 'Wants a refund', type: 'intent' },
      ],
    });
    expect(result.written).toHaveLength(1);
    expect(result.rejected).toEqual([expect.objectContaining({ index: 0, code: 'TRUST_TOO_LOW' })]);
  });

  it('extracts facts from raw_text and shows how in the structured output', async () => {
    const { connect } = await setup();
    const agent = await connect({ channel: 'whatsapp' });
    const result = await ok<{
      written: Array<{ kind: string; type: string }>;
      extraction: { extractor: string; facts: number; messages: number; fallback: unknown };
    }>(agent, 'memory_write', {
      identifier: WHATSAPP,
      raw_text: [
        {
          id: 'w1',
          speaker: 'Priya',
          text: 'My order #4521 arrived damaged 😞',
          observed_at: '2026-03-01T09:00:00Z',
        },
        {
          id: 'w2',
          speaker: 'Acme Support',
          text: 'A replacement has been shipped for order 4521.',
        },
      ],
    });
    expect(result.extraction).toMatchObject({
      extractor: 'rules',
      facts: 2,
      messages: 2,
      fallback: null,
    });
    expect(result.written.map((item) => `${item.kind}:${item.type}`)).toEqual([
      'fact:issue',
      'fact:resolution',
      'message:event',
      'message:event',
    ]);
    const read = await ok<{ items: Array<{ text: string; source: { messageIds: string[] } }> }>(
      agent,
      'memory_read',
      { identifier: VOICE },
    );
    expect(read.items).toEqual([
      expect.objectContaining({
        text: 'A replacement has been shipped for order 4521',
        source: expect.objectContaining({ messageIds: ['w2'] }),
      }),
    ]);
  });
});

describe('tool errors', () => {
  const badCalls: Array<[string, Record<string, unknown>]> = [
    ['memory_write', { user_id: 'priya', facts: [{ fact: 'x', type: 'gossip' }] }],
    ['memory_write', { user_id: 'priya' }],
    ['memory_write', { user_id: 'priya', raw_text: '   ' }],
    ['memory_write', { facts: [{ fact: 'Lives in Pune', type: 'profile' }] }],
    ['memory_read', { user_id: 'priya', token_budget: 0 }],
    ['memory_read', { user_id: 5 }],
    ['memory_read', { user_id: 'priya', identifier: VOICE }],
    ['memory_read', { identifier: { channel: 'fax', id: '1' } }],
    ['memory_search', { user_id: 'priya', query: '   ' }],
    ['memory_search', { user_id: 'priya', query: 'refund', max_results: 51 }],
    ['memory_trace', { user_id: 'priya' }],
    ['memory_forget', { user_id: 'priya', memory_ids: ['not-a-uuid'] }],
    ['memory_forget', { user_id: 'priya', shred: true }],
    ['identity_link', { user_id: 'priya', link: { channel: 'voice' } }],
    ['state_get', {}],
    ['state_set', { key: 'plan:goal' }],
  ];

  it('names user_id when a call addresses no one', async () => {
    const { connect } = await setup();
    const error = await toolError(await connect(), 'memory_read', {});
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: 'user_id', message: 'pass user_id or identifier' }] },
    });
  });

  it.each(badCalls)(
    '%s with bad arguments %j is a VALIDATION_FAILED tool error',
    async (name, args) => {
      const { connect } = await setup();
      const agent = await connect();
      const error = await toolError(agent, name, args);
      expect(error.code).toBe('VALIDATION_FAILED');
      // The server keeps serving.
      await ok(agent, 'memory_read', { user_id: 'priya' });
    },
  );

  it('refuses a tool the key has no scope for', async () => {
    const { connect } = await setup();
    const reader = await connect({ scopes: ['memory:read'] });
    const write = await toolError(reader, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Wants a refund', type: 'intent' }],
    });
    expect(write.code).toBe('FORBIDDEN');
    expect((await toolError(reader, 'memory_forget', { user_id: 'priya' })).code).toBe('FORBIDDEN');
    await ok(reader, 'memory_read', { user_id: 'priya' });
  });

  it('keeps a pinned key to its own user', async () => {
    const { connect } = await setup();
    const agent = await connect();
    await ok(agent, 'memory_write', {
      user_id: 'bob',
      facts: [{ fact: 'Owes nothing', type: 'profile' }],
    });
    const device = await connect({ pinnedUserId: 'alice' });
    await ok(device, 'memory_write', { facts: [{ fact: 'Wants a refund', type: 'intent' }] });
    const own = await ok<{ items: Array<{ text: string }> }>(device, 'memory_read', {});
    expect(own.items.map((item) => item.text)).toEqual(['Wants a refund']);
    expect((await toolError(device, 'memory_read', { user_id: 'bob' })).code).toBe('FORBIDDEN');
    expect((await toolError(device, 'memory_read', { identifier: VOICE })).code).toBe('FORBIDDEN');
    await expect(device.readResource({ uri: 'memnex://users/bob/memories' })).rejects.toThrow(
      /FORBIDDEN/,
    );
  });
});

describe('resources', () => {
  it('describes the five fact types with their slots and the tenant policy', async () => {
    const { memnex, tenantId, connect } = await setup();
    await memnex.tenants.update({
      tenantId,
      set: { settings: { conflictPolicy: { issue: 'keep_both' } } },
    });
    const client = await connect();
    const { contents } = await client.readResource({ uri: 'memnex://schema/fact-types' });
    const text = textOf(contents);
    for (const type of ['intent', 'preference', 'issue', 'resolution', 'profile']) {
      expect(text).toContain(`## ${type}`);
    }
    expect(text).toContain('Slot:');
    expect(text).toMatch(/## issue[\s\S]*keep_both/u);
  });

  it('returns every current memory of a user, not cut to a budget', async () => {
    const { connect } = await setup();
    const agent = await connect();
    const facts = Array.from({ length: 40 }, (_, index) => ({
      fact: `Asked about invoice number ${1000 + index} for the annual maintenance contract`,
      type: 'issue',
      entities: [`invoice:${1000 + index}`],
    }));
    await ok(agent, 'memory_write', { user_id: 'priya s', facts });
    await ok(agent, 'memory_write', {
      user_id: 'priya s',
      facts: [
        { fact: 'Asked again about invoice 1000', type: 'issue', entities: ['invoice:1000'] },
      ],
    });
    const budgeted = await ok<{ omitted: number }>(agent, 'memory_read', {
      user_id: 'priya s',
      token_budget: 100,
    });
    expect(budgeted.omitted).toBeGreaterThan(0);
    const { contents } = await agent.readResource({ uri: 'memnex://users/priya%20s/memories' });
    const document = JSON.parse(textOf(contents)) as {
      userId: string;
      count: number;
      memories: Array<{ text: string }>;
    };
    expect(document.userId).toBe('priya s');
    // 40 written, one superseded by the newer fact in its slot.
    expect(document.count).toBe(40);
    expect(document.memories.map((memory) => memory.text)).toContain(
      'Asked again about invoice 1000',
    );
  });

  it("leaves a memory past its time to live, by the engine's clock, out of the memories resource", async () => {
    let clock = Date.now();
    const { connect } = await setup({ now: () => new Date(clock) });
    const agent = await connect();
    await ok(agent, 'memory_write', {
      user_id: 'brief',
      facts: [
        { fact: 'Wants a callback within the second', type: 'intent', ttl: 1 },
        { fact: 'Lives in Pune', type: 'profile' },
      ],
    });
    const texts = async () =>
      (
        JSON.parse(
          textOf((await agent.readResource({ uri: 'memnex://users/brief/memories' })).contents),
        ) as { memories: Array<{ text: string }> }
      ).memories.map((memory) => memory.text);
    expect(await texts()).toHaveLength(2);
    clock += 1000;
    expect(await texts()).toEqual(['Lives in Pune']);
  });

  it('counts the tenant', async () => {
    const { connect } = await setup();
    const agent = await connect({ channel: 'voice' });
    await ok(agent, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Wants a refund', type: 'intent' }],
    });
    const { contents } = await agent.readResource({ uri: 'memnex://tenants/me/stats' });
    const stats = JSON.parse(textOf(contents)) as {
      users: number;
      memories: {
        current: number;
        byType: Record<string, number>;
        byChannel: Record<string, number>;
      };
    };
    expect(stats.users).toBe(1);
    expect(stats.memories.current).toBe(1);
    expect(stats.memories.byType).toMatchObject({ intent: 1 });
    expect(stats.memories.byChannel).toMatchObject({ voice: 1 });
  });

  it("gives tenant B's key none of tenant A's users", async () => {
    const { memnex, connect } = await setup();
    const agentA = await connect();
    await ok(agentA, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Order #4521 arrived damaged', type: 'issue' }],
    });
    const tenantB = await memnex.tenants.create({ name: 'globex' });
    const agentB = await connect({ tenantId: tenantB.id });
    expect(
      (await ok<{ items: unknown[] }>(agentB, 'memory_read', { user_id: 'priya' })).items,
    ).toEqual([]);
    expect(
      (await ok<{ hits: unknown[] }>(agentB, 'memory_search', { user_id: 'priya', query: 'order' }))
        .hits,
    ).toEqual([]);
    const memories = JSON.parse(
      textOf((await agentB.readResource({ uri: 'memnex://users/priya/memories' })).contents),
    ) as { count: number };
    expect(memories.count).toBe(0);
    const stats = JSON.parse(
      textOf((await agentB.readResource({ uri: 'memnex://tenants/me/stats' })).contents),
    ) as { users: number };
    expect(stats.users).toBe(0);
    const receipt = await ok<{ deleted: { memories: number } }>(agentB, 'memory_forget', {
      user_id: 'priya',
    });
    expect(receipt.deleted.memories).toBe(0);
    expect(
      (await ok<{ items: unknown[] }>(agentA, 'memory_read', { user_id: 'priya' })).items,
    ).toHaveLength(1);
  });
});

describe('subscriptions', () => {
  it('pushes resources/updated when another session writes about the user', async () => {
    const { connect } = await setup();
    const watcher = await connect();
    const writer = await connect();
    const uri = 'memnex://users/priya/memories';
    await watcher.subscribeResource({ uri });
    const updated = nextUpdate(watcher);
    await ok(writer, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Wants a refund', type: 'intent' }],
    });
    expect(await updated).toBe(uri);
    const { contents } = await watcher.readResource({ uri });
    expect(JSON.parse(textOf(contents))).toMatchObject({ count: 1 });
  });

  it('pushes updates made on another engine instance sharing the bus', async () => {
    const stores = createMemoryStores();
    const options = { stores, embedder: null, auditKey: 'mcp-tests-audit-key-0123456789' };
    const { connect } = await setup(options);
    const other = createMemnex(options);
    await other.init();
    cleanup.push(() => other.close());
    const { id: tenantId } = await other.tenants.create({ name: 'second' });
    const watcher = await connect({ tenantId });
    await watcher.subscribeResource({ uri: 'memnex://users/priya/memories' });
    const updated = nextUpdate(watcher);
    // Written through the other engine: the change reaches this one only over the bus.
    await other.write({
      tenantId,
      user: 'priya',
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    expect(await updated).toBe('memnex://users/priya/memories');
  });

  it('does not tell another tenant, and stops after unsubscribe', async () => {
    const { memnex, connect } = await setup();
    const uri = 'memnex://users/priya/memories';
    const tenantB = await memnex.tenants.create({ name: 'globex' });
    const otherTenant = await connect({ tenantId: tenantB.id });
    const unsubscribed = await connect();
    const watcher = await connect();
    const writer = await connect();
    let leaked = 0;
    otherTenant.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void (leaked += 1));
    unsubscribed.setNotificationHandler(
      ResourceUpdatedNotificationSchema,
      () => void (leaked += 1),
    );
    await otherTenant.subscribeResource({ uri });
    await unsubscribed.subscribeResource({ uri });
    await unsubscribed.unsubscribeResource({ uri });
    await watcher.subscribeResource({ uri });
    const updated = nextUpdate(watcher);
    await ok(writer, 'memory_write', {
      user_id: 'priya',
      facts: [{ fact: 'Wants a refund', type: 'intent' }],
    });
    await updated;
    // A notification sent with the watcher's would arrive before these round trips complete.
    await otherTenant.ping();
    await unsubscribed.ping();
    expect(leaked).toBe(0);
  });

  it('listens to the engine only while subscribed, and not after the session closes', async () => {
    const { memnex } = await setup();
    let listeners = 0;
    const counting: Memnex = {
      ...memnex,
      events: {
        subscribe(handler) {
          listeners += 1;
          const stop = memnex.events.subscribe(handler);
          return () => {
            listeners -= 1;
            stop();
          };
        },
      },
    };
    const { id: tenantId } = await memnex.tenants.create({ name: 'counted' });
    const created = await memnex.keys.create({ tenantId, label: 'agent', scopes: MEMORY_SCOPES });
    const server = createMcpServer({
      memnex: counting,
      auth: await memnex.keys.verify({ key: created.key }),
    });
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    expect(listeners).toBe(0);
    await client.subscribeResource({ uri: 'memnex://users/priya/memories' });
    await client.subscribeResource({ uri: 'memnex://tenants/me/stats' });
    expect(listeners).toBe(1);
    await client.unsubscribeResource({ uri: 'memnex://users/priya/memories' });
    expect(listeners).toBe(1);
    await client.unsubscribeResource({ uri: 'memnex://tenants/me/stats' });
    expect(listeners).toBe(0);
    await client.subscribeResource({ uri: 'memnex://users/priya/memories' });
    expect(listeners).toBe(1);
    await client.close();
    expect(listeners).toBe(0);
    await server.close();
  });

  it('refuses to subscribe to unknown resources', async () => {
    const { connect } = await setup();
    const client = await connect();
    await expect(client.subscribeResource({ uri: 'file:///etc/passwd' })).rejects.toThrow(
      /not found/u,
    );
    await expect(client.subscribeResource({ uri: 'memnex://users/%ZZ/memories' })).rejects.toThrow(
      /VALIDATION_FAILED/u,
    );
  });
});

describe('prompts', () => {
  it('teaches writing per sub-intent, reading once per turn, and tracing drafts', async () => {
    const { connect } = await setup();
    const client = await connect();
    const writer = await client.getPrompt({
      name: 'memory-writer',
      arguments: { agent_role: 'billing agent' },
    });
    const writerText = (writer.messages[0]!.content as { text: string }).text;
    expect(writerText).toContain('billing agent');
    expect(writerText).toContain('memory_write');
    expect(writerText).toContain('sub-intent');
    expect(writerText).toContain('"entities"');
    const reader = await client.getPrompt({
      name: 'memory-reader',
      arguments: { target_format: 'voice' },
    });
    const readerText = (reader.messages[0]!.content as { text: string }).text;
    expect(readerText).toContain('once per turn');
    expect(readerText).toContain('target_format "voice"');
    const check = await client.getPrompt({
      name: 'hallucination-check',
      arguments: { agent_output: 'Your refund was approved.' },
    });
    const checkText = (check.messages[0]!.content as { text: string }).text;
    expect(checkText).toContain('memory_trace');
    expect(checkText).toContain('Your refund was approved.');
    await expect(
      client.getPrompt({ name: 'hallucination-check', arguments: {} }),
    ).rejects.toThrow();
  });
});

describe('server info', () => {
  it('reports the package version', async () => {
    const { connect } = await setup();
    const client = await connect();
    expect(client.getServerVersion()).toMatchObject({
      name: 'memnex',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/u),
    });
    expect(client.getServerVersion()?.version).not.toBe('0.0.0');
  });
});

import { describe, expect, it } from 'vitest';
import { createMemnexClient } from './create-client.js';
import type { MemnexClient } from './types.js';
import {
  createFakeFetch,
  errorResponse,
  jsonResponse,
  type FakeAnswer,
} from './testing/fake-fetch.js';

const user = { userId: 'u_42' };
const identifier = { channel: 'voice', id: '+442079460958' } as const;
const memoryId = '0b7e8d2c-4f7a-4b61-9d3e-2f1a6c5b8e90';

function clientWith(...answers: FakeAnswer[]) {
  const fake = createFakeFetch(...answers);
  const client = createMemnexClient({
    url: 'http://memnex.test',
    apiKey: 'mx_test_secret',
    fetch: fake.fetch,
    retryDelayMs: 1,
  });
  return { client, requests: fake.requests };
}

interface RouteCase {
  name: string;
  call: (client: MemnexClient) => Promise<unknown>;
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** The server's reply, when the method unwraps it. */
  reply?: unknown;
  /** What the method resolves with, when it differs from the reply. */
  result?: unknown;
}

const ROUTES: RouteCase[] = [
  {
    name: 'memory.read',
    call: (c) => c.memory.read({ user }),
    method: 'POST',
    path: '/v1/memory/read',
    body: { user },
  },
  {
    name: 'memory.search',
    call: (c) => c.memory.search({ user, query: 'order' }),
    method: 'POST',
    path: '/v1/memory/search',
    body: { user, query: 'order' },
  },
  {
    name: 'memory.trace',
    call: (c) => c.memory.trace({ user, draft: 'Hi' }),
    method: 'POST',
    path: '/v1/memory/trace',
    body: { user, draft: 'Hi' },
  },
  {
    name: 'memory.forget',
    call: (c) => c.memory.forget({ user }),
    method: 'POST',
    path: '/v1/memory/forget',
    body: { user },
  },
  {
    name: 'memory.export',
    call: (c) => c.memory.export({ user }),
    method: 'POST',
    path: '/v1/memory/export',
    body: { user },
  },
  {
    name: 'memory.timeline',
    call: (c) => c.memory.timeline({ user, since: new Date('2025-01-02T03:04:05.000Z') }),
    method: 'POST',
    path: '/v1/memory/timeline',
    body: { user, since: '2025-01-02T03:04:05.000Z' },
  },
  {
    name: 'memory.reveal',
    call: (c) => c.memory.reveal({ user, memoryIds: [memoryId], reason: 'dispute' }),
    method: 'POST',
    path: '/v1/memory/reveal',
    body: { user, memoryIds: [memoryId], reason: 'dispute' },
  },
  {
    name: 'users.resolve',
    call: (c) => c.users.resolve({ identifier }),
    method: 'POST',
    path: '/v1/identifiers/resolve',
    body: { identifier },
    reply: { userId: 'u_42' },
  },
  {
    name: 'users.link',
    call: (c) => c.users.link({ identifier, user: 'u_42' }),
    method: 'POST',
    path: '/v1/identifiers/link',
    body: { identifier, user: 'u_42' },
  },
  {
    name: 'users.unlink',
    call: (c) => c.users.unlink({ identifier }),
    method: 'POST',
    path: '/v1/identifiers/unlink',
    body: { identifier },
  },
  {
    name: 'users.merge',
    call: (c) => c.users.merge({ from: 'u_1', into: 'u_2' }),
    method: 'POST',
    path: '/v1/users/merge',
    body: { from: 'u_1', into: 'u_2' },
  },
  {
    name: 'users.unmerge',
    call: (c) => c.users.unmerge({ user: 'u_1' }),
    method: 'POST',
    path: '/v1/users/unmerge',
    body: { user: 'u_1' },
  },
  {
    name: 'keys.create',
    call: (c) => c.keys.create({ label: 'ivr', scopes: ['memory:write'] }),
    method: 'POST',
    path: '/v1/keys',
    body: { label: 'ivr', scopes: ['memory:write'] },
  },
  {
    name: 'keys.list',
    call: (c) => c.keys.list(),
    method: 'GET',
    path: '/v1/keys',
    reply: { keys: [{ id: 'k_1' }] },
    result: [{ id: 'k_1' }],
  },
  {
    name: 'keys.revoke',
    call: (c) => c.keys.revoke('k/1 ?'),
    method: 'DELETE',
    path: '/v1/keys/k%2F1%20%3F',
  },
  {
    name: 'audit.entries (all)',
    call: (c) => c.audit.entries(),
    method: 'GET',
    path: '/v1/audit/entries',
    query: {},
    reply: { entries: [{ seq: 1 }] },
    result: [{ seq: 1 }],
  },
  {
    name: 'audit.entries (filtered)',
    call: (c) => c.audit.entries({ afterSeq: 10, limit: 5, op: 'memory.write' }),
    method: 'GET',
    path: '/v1/audit/entries',
    query: { afterSeq: '10', limit: '5', op: 'memory.write' },
    reply: { entries: [] },
    result: [],
  },
  {
    name: 'audit.entries (limit only)',
    call: (c) => c.audit.entries({ limit: 5 }),
    method: 'GET',
    path: '/v1/audit/entries',
    query: { limit: '5' },
    reply: { entries: [] },
    result: [],
  },
  { name: 'audit.verify', call: (c) => c.audit.verify(), method: 'GET', path: '/v1/audit/verify' },
  {
    name: 'audit.verifyReceipt',
    call: (c) => c.audit.verifyReceipt({ receiptId: 'r_1', hash: 'h' }),
    method: 'POST',
    path: '/v1/audit/receipts/verify',
    body: { receiptId: 'r_1', hash: 'h' },
  },
  { name: 'tenant.stats', call: (c) => c.tenant.stats(), method: 'GET', path: '/v1/tenant/stats' },
];

describe('createMemnexClient routes', () => {
  it.each(ROUTES)('$name sends $method $path', async (route) => {
    const reply = route.reply ?? { answer: route.name };
    const { client, requests } = clientWith(
      jsonResponse(route.method === 'POST' && route.path === '/v1/keys' ? 201 : 200, reply),
    );

    const result = await route.call(client);

    expect(result).toEqual(route.result ?? reply);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(route.method);
    expect(request?.path).toBe(route.path);
    expect(request?.body).toEqual(route.body);
    expect(request?.query).toEqual(route.query ?? {});
  });

  it('sends memory.write with the input and an idempotency key', async () => {
    const { client, requests } = clientWith(jsonResponse(200, { version: 1 }));
    const facts = [{ text: 'Wants a refund for order 4521', type: 'intent' as const }];

    await expect(client.memory.write({ user, facts })).resolves.toEqual({ version: 1 });

    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.path).toBe('/v1/memory/write');
    expect(requests[0]?.body).toEqual({ user, facts, idempotencyKey: expect.any(String) });
  });

  it('sends raw text and returns how it was extracted', async () => {
    const extraction = {
      extractor: 'rules',
      facts: 1,
      messages: 1,
      firstFactIndex: 0,
      firstMessageIndex: 0,
      fallback: null,
    };
    const { client, requests } = clientWith(jsonResponse(200, { version: 1, extraction }));
    const rawText = [{ speaker: 'Priya', text: 'My order #4521 arrived damaged' }];

    const result = await client.memory.write({ user, rawText });

    expect(result.extraction).toEqual(extraction);
    expect(requests[0]?.body).toEqual({ user, rawText, idempotencyKey: expect.any(String) });
  });
});

describe('memory.write idempotency', () => {
  it('keeps one generated key across retries and makes a new one per call', async () => {
    const { client, requests } = clientWith(
      errorResponse(503, 'STORAGE_UNAVAILABLE'),
      jsonResponse(200, { version: 1 }),
    );
    const input = { user, messages: [{ text: 'Hello' }] };
    await client.memory.write(input);
    await client.memory.write(input);

    const keys = requests.map(
      (request) => (request.body as { idempotencyKey: string }).idempotencyKey,
    );
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(input).not.toHaveProperty('idempotencyKey');
  });

  it('keeps a key given in the input or in the call options', async () => {
    const { client, requests } = clientWith();
    const messages = [{ text: 'Hello' }];
    await client.memory.write({ user, messages, idempotencyKey: 'from-input' });
    await client.memory.write({ user, messages }, { idempotencyKey: 'from-options' });

    expect(requests.map((request) => request.body)).toMatchObject([
      { idempotencyKey: 'from-input' },
      { idempotencyKey: 'from-options' },
    ]);
  });
});

describe('users.resolve', () => {
  it('returns null when nobody has the identifier', async () => {
    const { client } = clientWith(errorResponse(404, 'NOT_FOUND'));
    await expect(client.users.resolve({ identifier })).resolves.toBeNull();
  });

  it('still throws other failures, and a 404 that is not a Memnex answer', async () => {
    const forbidden = clientWith(errorResponse(403, 'FORBIDDEN')).client;
    await expect(forbidden.users.resolve({ identifier })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const wrongUrl = clientWith(new Response('Not Found', { status: 404 })).client;
    await expect(wrongUrl.users.resolve({ identifier })).rejects.toMatchObject({
      code: 'INTERNAL',
      status: 404,
    });
  });
});

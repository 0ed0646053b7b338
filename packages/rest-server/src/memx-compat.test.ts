import { createMemoryRateLimiter } from '@memnex/storage-memory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveRest, type RestServer } from './serve-rest.js';
import type { StateSocketTuning } from './state-socket.js';
import { createFixture, keyIdOf, type Fixture } from './test/fixture.js';
import { TestSocket } from './test/test-socket.js';
import { trackSubscriptions } from './test/track-subscriptions.js';

/**
 * memX's wire protocol as its clients use it: `x-api-key`, `POST /set`, `GET /get`, `/schema`,
 * and the WebSocket `/subscribe/{key}`, with memX's bodies and statuses for valid use.
 */

/** A message of memX's subscription socket. */
interface MemxMessage {
  event: 'value' | 'schema';
  key: string;
  value?: unknown;
  deleted?: boolean;
  version?: number;
  ts?: number;
  action?: 'set' | 'delete';
  schema?: unknown;
}

class Subscriber extends TestSocket<MemxMessage> {}

const servers: RestServer[] = [];
const shared: RestServer[] = [];
const subscribers: Subscriber[] = [];
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) subscriber.ws.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await Promise.all(shared.splice(0).map((server) => server.close()));
});

interface Setup {
  fixture: Fixture;
  server: RestServer;
  keys: { full: string; reader: string; writer: string; writeOnly: string; schemaOnly: string };
  /** A memX-style request: `x-api-key` unless told otherwise, JSON body when given. */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  subscribe(
    path: string,
    headers?: Record<string, string>,
    options?: WebSocket.ClientOptions,
  ): Subscriber;
}

async function setup(
  options: {
    maxBodyBytes?: number;
    rateLimit?: number;
    sockets?: StateSocketTuning;
    /** Keep the server for every test of the file. */
    shared?: boolean;
  } = {},
): Promise<Setup> {
  const fixture = await createFixture({
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.rateLimit
      ? { rateLimiter: createMemoryRateLimiter({ points: options.rateLimit, durationSeconds: 60 }) }
      : {}),
  });
  const server = await serveRest({
    rest: fixture.rest,
    port: 0,
    ...(options.sockets ? { sockets: options.sockets } : {}),
  });
  (options.shared ? shared : servers).push(server);
  const key = async (scopes: string[]) =>
    (await fixture.memnex.keys.create({ tenantId: fixture.tenantId, label: 'memx', scopes })).key;
  const keys = {
    full: await key(['state:read:*', 'state:write:*', 'state:schema:*']),
    reader: await key(['state:read:*']),
    writer: await key(['state:read:*', 'state:write:*']),
    writeOnly: await key(['state:write:*']),
    schemaOnly: await key(['state:schema:*']),
  };
  return {
    fixture,
    server,
    keys,
    call: (method, path, { key: raw = keys.full, body, headers = {} } = {}) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(raw ? { 'x-api-key': raw } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    subscribe: (path, headers = { 'x-api-key': keys.full }, more = {}) => {
      const subscriber = new Subscriber(`${server.url.replace(/^http/u, 'ws')}${path}`, {
        headers,
        ...more,
      });
      subscribers.push(subscriber);
      return subscriber;
    },
  };
}

const POINT = {
  type: 'object',
  properties: { x: { type: 'number' }, y: { type: 'number' } },
  required: ['x', 'y'],
};

async function expectReply(response: Response, status: number, body: unknown): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/u);
  expect(await response.json()).toEqual(body);
}

describe('memX HTTP protocol', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ shared: true });
  });

  it('registers a schema, writes a valid value, refuses an invalid one and reads it back', async () => {
    await expectReply(
      await s.call('POST', '/schema', { body: { key: 'agent:pos', schema: POINT } }),
      200,
      {
        ok: true,
      },
    );
    await expectReply(await s.call('GET', '/schema?key=agent:pos'), 200, {
      key: 'agent:pos',
      schema: POINT,
    });

    const before = Date.now() / 1000;
    await expectReply(
      await s.call('POST', '/set', { body: { key: 'agent:pos', value: { x: 1, y: 2 } } }),
      200,
      { ok: true, updated: true, version: 1 },
    );
    const invalid = await s.call('POST', '/set', { body: { key: 'agent:pos', value: { x: 'a' } } });
    expect(invalid.status).toBe(400);
    const refusal = (await invalid.json()) as {
      detail: string;
      errors: Array<{ path: string; message: string; code: string }>;
    };
    expect(typeof refusal.detail).toBe('string');
    expect(refusal.detail).toMatch(/schema/u);
    // Every problem, not only jsonschema's "best match", each with its JSON pointer.
    expect(refusal.errors.map((error) => [error.path, error.code]).sort()).toEqual([
      ['/x', 'type'],
      ['/y', 'required'],
    ]);

    const read = await s.call('GET', '/get?key=agent:pos');
    expect(read.status).toBe(200);
    const envelope = (await read.json()) as { value: unknown; ts: number; version: number };
    expect(envelope.value).toEqual({ x: 1, y: 2 });
    expect(envelope.version).toBe(1);
    expect(envelope.ts).toBeGreaterThanOrEqual(Math.floor(before));
    expect(envelope.ts).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(Object.keys(envelope).sort()).toEqual(['ts', 'value', 'version']);
  });

  it('answers null (200) for a key without a value, and stores null values', async () => {
    await expectReply(await s.call('GET', '/get?key=never:set'), 200, null);
    // A key that no value can have is refused rather than answered null.
    for (const path of ['/get?key=', '/get?key=a%20b', '/get?key=a*']) {
      const refused = await s.call('GET', path);
      expect(refused.status, path).toBe(400);
      expect(((await refused.json()) as { detail: string }).detail, path).toMatch(/key/u);
    }
    await expectReply(
      await s.call('POST', '/set', { body: { key: 'nullable', value: null } }),
      200,
      {
        ok: true,
        updated: true,
        version: 1,
      },
    );
    expect(
      ((await (await s.call('GET', '/get?key=nullable')).json()) as { value: unknown }).value,
    ).toBe(null);
  });

  it('always reports updated, and every write gets the next version', async () => {
    for (let index = 1; index <= 3; index += 1) {
      const written = await s.call('POST', '/set', { body: { key: 'counter', value: index } });
      expect(await written.json()).toEqual({ ok: true, updated: true, version: index });
    }
  });

  it('answers 401 without a key and 403 for a bad or revoked one', async () => {
    const missing = { detail: 'Missing API key' };
    const invalid = { detail: 'Invalid or inactive API key' };
    await expectReply(
      await s.call('POST', '/set', { key: null, body: { key: 'a', value: 1 } }),
      401,
      missing,
    );
    await expectReply(await s.call('GET', '/get?key=a', { key: null }), 401, missing);
    await expectReply(
      await s.call('POST', '/schema', { key: null, body: { key: 'a', schema: {} } }),
      401,
      missing,
    );
    await expectReply(await s.call('GET', '/schema?key=a', { key: null }), 401, missing);
    await expectReply(await s.call('DELETE', '/schema?key=a', { key: null }), 401, missing);
    await expectReply(await s.call('GET', '/get?key=a', { key: 'local_dev_key' }), 403, invalid);
    await expectReply(
      await s.call('GET', '/get?key=a', { key: `mx_live_k00000000_${'a'.repeat(43)}` }),
      403,
      invalid,
    );
    // A memX body is parsed after authentication here: an anonymous bad body is still a 401.
    await expectReply(await s.call('POST', '/set', { key: null, body: '{oops' }), 401, missing);

    const fresh = await setup();
    const { fixture } = fresh;
    await fixture.memnex.keys.revoke({
      tenantId: fixture.tenantId,
      keyId: keyIdOf(fresh.keys.full),
    });
    await expectReply(await fresh.call('GET', '/get?key=a'), 403, invalid);
  });

  it('accepts Authorization: Bearer as well as x-api-key', async () => {
    const response = await s.call('POST', '/set', {
      key: null,
      headers: { authorization: `Bearer ${s.keys.full}` },
      body: { key: 'bearer', value: true },
    });
    expect(response.status).toBe(200);
    const upper = await s.call('GET', '/get?key=bearer', {
      key: null,
      headers: { 'X-API-KEY': s.keys.full },
    });
    expect(((await upper.json()) as { value: unknown }).value).toBe(true);
  });

  it("answers 403 with memX's READ / WRITE message when the key lacks the scope", async () => {
    const { reader, writeOnly, writer, schemaOnly } = s.keys;
    await expectReply(
      await s.call('POST', '/set', { key: reader, body: { key: 'agent:goal', value: 1 } }),
      403,
      { detail: "WRITE not permitted for key 'agent:goal'" },
    );
    await expectReply(await s.call('GET', '/get?key=agent:goal', { key: writeOnly }), 403, {
      detail: "READ not permitted for key 'agent:goal'",
    });
    // Schemas need `state:schema`; `state:write` alone does not register them.
    await expectReply(
      await s.call('POST', '/schema', { key: writer, body: { key: 'agent:goal', schema: true } }),
      403,
      { detail: "WRITE not permitted for key 'agent:goal'" },
    );
    await expectReply(await s.call('DELETE', '/schema?key=agent:goal', { key: writer }), 403, {
      detail: "WRITE not permitted for key 'agent:goal'",
    });
    await expectReply(await s.call('GET', '/schema?key=agent:goal', { key: writeOnly }), 403, {
      detail: "READ not permitted for key 'agent:goal'",
    });
    expect(
      (
        await s.call('POST', '/schema', {
          key: schemaOnly,
          body: { key: 'agent:goal', schema: true },
        })
      ).status,
    ).toBe(200);
    expect((await s.call('DELETE', '/schema?key=agent:goal', { key: schemaOnly })).status).toBe(
      200,
    );
  });

  it('answers 400 with a detail, never 500, for malformed bodies', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{oops', /not valid JSON/u],
      ['', /not valid JSON/u],
      ['[1, 2]', /JSON object/u],
      ['"text"', /JSON object/u],
      ['null', /JSON object/u],
      ['{"value": 1}', /"key" is required/u],
      ['{"key": "a"}', /"value" is required/u],
      ['{"key": 5, "value": 1}', /"key" must be a string/u],
      ['{"key": "", "value": 1}', /key/u],
      ['{"key": "a b", "value": 1}', /key/u],
      ['{"key": "a*", "value": 1}', /key/u],
      ['{"key": "a", "value": NaN}', /not valid JSON/u],
      ['{"key": "a", "value": 1e999}', /value/u],
    ];
    for (const [body, detail] of cases) {
      const response = await s.call('POST', '/set', { body });
      expect(response.status, body).toBe(400);
      const answer = (await response.json()) as { detail: string; errors: unknown[] };
      expect(answer.detail, body).toMatch(detail);
      expect(Array.isArray(answer.errors), body).toBe(true);
    }
    for (const body of ['{oops', '{"schema": {}}', '{"key": "a"}', '{"key": 1, "schema": {}}']) {
      const response = await s.call('POST', '/schema', { body });
      expect(response.status, body).toBe(400);
      expect(typeof ((await response.json()) as { detail: unknown }).detail, body).toBe('string');
    }
  });

  it('answers 400 "Invalid schema: ..." for a schema that is not one', async () => {
    for (const schema of [[1], 'string', 7, { type: 12 }, { minimum: 'five' }]) {
      const response = await s.call('POST', '/schema', { body: { key: 'bad:schema', schema } });
      expect(response.status, JSON.stringify(schema)).toBe(400);
      const answer = (await response.json()) as { detail: string; errors: unknown[] };
      expect(answer.detail, JSON.stringify(schema)).toMatch(/^Invalid schema: /u);
      expect(answer.errors.length).toBeGreaterThan(0);
    }
    await expectReply(await s.call('GET', '/schema?key=bad:schema'), 404, {
      detail: 'Schema not found',
    });
  });

  it('answers 404 for a schema that is not there, and deletes one once', async () => {
    await expectReply(await s.call('GET', '/schema?key=none'), 404, { detail: 'Schema not found' });
    await expectReply(await s.call('DELETE', '/schema?key=none'), 404, {
      detail: 'Schema not found',
    });
    // memX loses falsy schemas such as {}; here {} is a schema like any other.
    await s.call('POST', '/schema', { body: { key: 'empty', schema: {} } });
    await expectReply(await s.call('GET', '/schema?key=empty'), 200, { key: 'empty', schema: {} });
    await expectReply(await s.call('DELETE', '/schema?key=empty'), 200, { ok: true });
    await expectReply(await s.call('DELETE', '/schema?key=empty'), 404, {
      detail: 'Schema not found',
    });
    // And `false` refuses every value, as JSON Schema says.
    await s.call('POST', '/schema', { body: { key: 'closed', schema: false } });
    expect((await s.call('POST', '/set', { body: { key: 'closed', value: 1 } })).status).toBe(400);
  });

  it("answers FastAPI's 422 when the key query parameter is missing", async () => {
    const body = {
      detail: [{ loc: ['query', 'key'], msg: 'field required', type: 'value_error.missing' }],
    };
    await expectReply(await s.call('GET', '/get'), 422, body);
    await expectReply(await s.call('GET', '/get', { key: null }), 422, body);
    await expectReply(await s.call('GET', '/schema'), 422, body);
    await expectReply(await s.call('DELETE', '/schema'), 422, body);
  });

  it('answers 405 to methods memX does not have: values cannot be deleted', async () => {
    const notAllowed = { detail: 'Method Not Allowed' };
    await expectReply(await s.call('DELETE', '/get?key=a'), 405, notAllowed);
    await expectReply(await s.call('POST', '/get', { body: { key: 'a' } }), 405, notAllowed);
    await expectReply(await s.call('GET', '/set'), 405, notAllowed);
    await expectReply(
      await s.call('PUT', '/set', { body: { key: 'a', value: 1 } }),
      405,
      notAllowed,
    );
    await expectReply(await s.call('PATCH', '/schema?key=a', { body: {} }), 405, notAllowed);
  });

  it('keeps each tenant to its own values', async () => {
    await s.call('POST', '/set', { body: { key: 'tenant:secret', value: 'acme' } });
    await expectReply(
      await s.call('GET', '/get?key=tenant:secret', { key: s.fixture.keys.other }),
      200,
      null,
    );
  });

  it('stores the same values as /v1 state: one shared state', async () => {
    await s.call('POST', '/set', { body: { key: 'shared:one', value: [1, 2] } });
    const entry = await s.fixture.memnex.state.get({
      tenantId: s.fixture.tenantId,
      key: 'shared:one',
    });
    expect(entry?.value).toEqual([1, 2]);
  });

  it('answers 413 for a body or a value that is too large', async () => {
    const big = 'x'.repeat(1_100_000);
    // A fresh server: the client may not reuse a connection whose body was left unread.
    const limited = await (
      await setup()
    ).call('POST', '/set', { body: { key: 'big', value: big } });
    expect(limited.status).toBe(413);
    expect(((await limited.json()) as { detail: string }).detail).toMatch(/exceeds/u);

    const roomy = await setup({ maxBodyBytes: 4 * 1024 * 1024 });
    const tooLarge = await roomy.call('POST', '/set', { body: { key: 'big', value: big } });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { detail: string }).detail).toMatch(/limit/u);
  });

  it('takes a point of the rate limit per request, as /v1 does', async () => {
    const limited = await setup({ rateLimit: 2 });
    expect((await limited.call('GET', '/get?key=a')).status).toBe(200);
    const second = await limited.call('GET', '/get?key=a');
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const third = await limited.call('POST', '/set', { body: { key: 'a', value: 1 } });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await third.json()) as { detail: string }).detail).toMatch(/too many requests/u);
  });

  it('documents the routes under the memx tag of /openapi.json', async () => {
    const document = (await (await s.call('GET', '/openapi.json', { key: null })).json()) as {
      tags: Array<{ name: string }>;
      paths: Record<string, Record<string, { tags: string[] }>>;
    };
    expect(document.tags.map((tag) => tag.name)).toContain('memx');
    for (const [path, method] of [
      ['/set', 'post'],
      ['/get', 'get'],
      ['/schema', 'post'],
      ['/schema', 'get'],
      ['/schema', 'delete'],
    ] as const) {
      expect(document.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['memx']);
    }
  });
});

describe('memX WebSocket /subscribe/{key}', () => {
  it('pushes every write of the key, as soon as the socket is open', async () => {
    const { subscribe, call } = await setup();
    const subscriber = subscribe('/subscribe/agent:goal');
    await subscriber.opened;
    // No acknowledgement: the subscription is registered before the handshake completes.
    await call('POST', '/set', { body: { key: 'agent:goal', value: { text: 'ship' } } });
    const message = await subscriber.next();
    expect(message).toMatchObject({
      event: 'value',
      key: 'agent:goal',
      value: { text: 'ship' },
      version: 1,
    });
    expect(typeof message.ts).toBe('number');
    // The same value again is another write, published again.
    await call('POST', '/set', { body: { key: 'agent:goal', value: { text: 'ship' } } });
    expect((await subscriber.next()).version).toBe(2);
    // Other keys are not sent.
    await call('POST', '/set', { body: { key: 'agent:other', value: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(subscriber.messages).toEqual([]);
  });

  it('sends a deletion as a null value marked deleted', async () => {
    const { subscribe, call, fixture } = await setup();
    await call('POST', '/set', { body: { key: 'temp', value: 1 } });
    const subscriber = subscribe('/subscribe/temp');
    await subscriber.opened;
    await fixture.memnex.state.delete({ tenantId: fixture.tenantId, key: 'temp' });
    expect(await subscriber.next()).toMatchObject({
      event: 'value',
      key: 'temp',
      value: null,
      deleted: true,
      version: 2,
    });
  });

  it('pushes schema events with ?event=schema, and only those', async () => {
    const { subscribe, call } = await setup();
    const schemas = subscribe('/subscribe/agent:pos?event=schema');
    const values = subscribe('/subscribe/agent:pos?event=value');
    await Promise.all([schemas.opened, values.opened]);
    await call('POST', '/schema', { body: { key: 'agent:pos', schema: POINT } });
    await call('POST', '/set', { body: { key: 'agent:pos', value: { x: 1, y: 1 } } });
    await call('DELETE', '/schema?key=agent:pos');
    expect(await schemas.next()).toEqual({
      event: 'schema',
      action: 'set',
      key: 'agent:pos',
      schema: POINT,
    });
    expect(await schemas.next()).toEqual({ event: 'schema', action: 'delete', key: 'agent:pos' });
    expect((await values.next()).event).toBe('value');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(schemas.messages).toEqual([]);
    expect(values.messages).toEqual([]);
  });

  it('takes keys with a slash, percent-encoded or as they are', async () => {
    const { subscribe, call } = await setup();
    const encoded = subscribe('/subscribe/team%2Falpha%3Atasks');
    const raw = subscribe('/subscribe/team/alpha:tasks');
    await Promise.all([encoded.opened, raw.opened]);
    await call('POST', '/set', { body: { key: 'team/alpha:tasks', value: 3 } });
    expect(await encoded.next()).toMatchObject({ key: 'team/alpha:tasks', value: 3 });
    expect(await raw.next()).toMatchObject({ key: 'team/alpha:tasks', value: 3 });
  });

  it("closes with memX's codes when the key is missing, invalid or lacks the read scope", async () => {
    const { subscribe, keys } = await setup();
    const cases: Array<[string, Record<string, string>, { code: number; reason: string }]> = [
      ['/subscribe/a', {}, { code: 4401, reason: 'Missing API key' }],
      // memX ignores a key in the query string; so do we.
      [`/subscribe/a?x-api-key=${keys.full}`, {}, { code: 4401, reason: 'Missing API key' }],
      ['/subscribe/a', { 'x-api-key': 'local_dev_key' }, { code: 4403, reason: 'Invalid API key' }],
      [
        '/subscribe/a',
        { 'x-api-key': keys.writeOnly },
        { code: 4403, reason: 'Unauthorized to subscribe to this key' },
      ],
    ];
    for (const [path, headers, closed] of cases) {
      const subscriber = subscribe(path, headers);
      await subscriber.opened;
      expect(await subscriber.closed, path).toEqual(closed);
    }
  });

  it('closes with 4400 for an unknown event or a key that cannot exist', async () => {
    const { subscribe } = await setup();
    for (const path of ['/subscribe/a?event=values', '/subscribe/a%20b', '/subscribe/a*']) {
      const subscriber = subscribe(path);
      await subscriber.opened;
      const closed = await subscriber.closed;
      expect(closed.code, path).toBe(4400);
      expect(closed.reason.length, path).toBeGreaterThan(0);
    }
  });

  it('accepts Authorization: Bearer, and ignores what the client sends', async () => {
    const { subscribe, call, keys } = await setup();
    const subscriber = subscribe('/subscribe/x', { authorization: `Bearer ${keys.reader}` });
    await subscriber.opened;
    subscriber.ws.send('hello');
    subscriber.ws.send(Buffer.from([1, 2, 3]));
    await call('POST', '/set', { body: { key: 'x', value: 'y' } });
    expect((await subscriber.next()).value).toBe('y');
    expect(subscriber.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes the socket with 4403 when its key is revoked', async () => {
    const { subscribe, keys, fixture } = await setup();
    const subscriber = subscribe('/subscribe/x', { 'x-api-key': keys.reader });
    await subscriber.opened;
    await fixture.memnex.keys.revoke({ tenantId: fixture.tenantId, keyId: keyIdOf(keys.reader) });
    expect(await subscriber.closed).toEqual({ code: 4403, reason: 'Invalid API key' });
  });

  it('cuts silent sockets and frees the subscriptions of sockets that go away', async () => {
    const { subscribe, server, fixture } = await setup({ sockets: { heartbeatMs: 40 } });
    const subscriptions = trackSubscriptions(fixture.memnex);
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const gauge = async () =>
      /^memnex_state_sockets\{protocol="memx"\} (\d+)$/mu.exec(await scrape())?.[1];
    // It answers pings by hand until the counts are read, so a slow scrape cannot race the cut.
    const silent = subscribe('/subscribe/x', undefined, { autoPong: false });
    let answering = true;
    silent.ws.on('ping', (data) => answering && silent.ws.pong(data));
    const leaving = subscribe('/subscribe/y');
    const live = subscribe('/subscribe/z');
    await Promise.all([silent.opened, leaving.opened, live.opened]);
    expect(await gauge()).toBe('3');
    expect(subscriptions.open()).toBe(3);
    answering = false;
    leaving.ws.terminate();
    expect((await silent.closed).code).toBe(1006);
    await expect.poll(gauge).toBe('1');
    await expect.poll(() => subscriptions.open()).toBe(1);
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes the sockets with 1001 when the server closes', async () => {
    const { subscribe, server } = await setup();
    const subscriber = subscribe('/subscribe/x');
    await subscriber.opened;
    await server.close();
    expect(await subscriber.closed).toEqual({ code: 1001, reason: 'server shutting down' });
  });
});

import { request as httpRequest } from 'node:http';
import { createMemnex, type RateLimiter, type Stores } from '@memnex/core';
import { createMemoryRateLimiter, createMemoryStores } from '@memnex/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveRest, type RestServer } from './serve-rest.js';
import type { StateSocketTuning } from './state-socket.js';
import { createStoreFaults } from './test/faulty-stores.js';
import { createFixture, keyIdOf } from './test/fixture.js';
import { TestSocket } from './test/test-socket.js';
import { trackSubscriptions } from './test/track-subscriptions.js';
import { sample } from './test/metric-sample.js';

/** A message of `/v1/state/ws`, loosely typed for assertions. */
interface Message {
  type: 'ready' | 'event' | 'error';
  id?: string;
  versions?: Record<string, number>;
  truncated?: boolean;
  event?: {
    event: 'value' | 'delete' | 'schema';
    key: string;
    value?: unknown;
    version: number;
    action?: string;
    schema?: unknown;
    resync?: boolean;
  };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** A test socket that can also take every message of one subscription at once. */
class Client extends TestSocket<Message> {
  /** Every message of one subscription that arrived so far. */
  drain(id: string): Message[] {
    const taken = this.messages.filter((message) => message.id === id);
    for (const message of taken) this.messages.splice(this.messages.indexOf(message), 1);
    return taken;
  }
}

const servers: RestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const ALL = ['state:read:*', 'state:write:*', 'state:schema:*'];

async function setup(
  options: { sockets?: StateSocketTuning; rateLimiter?: RateLimiter; stores?: Stores } = {},
) {
  const fixture = await createFixture({
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    ...(options.stores ? { stores: options.stores } : {}),
  });
  const server = await serveRest({
    rest: fixture.rest,
    port: 0,
    sockets: { heartbeatMs: 60_000, ...options.sockets },
  });
  servers.push(server);
  const { tenantId, memnex } = fixture;
  const key = async (scopes: string[] = ALL) =>
    (await memnex.keys.create({ tenantId, label: 'state', scopes })).key;
  const url = `${server.url.replace(/^http/u, 'ws')}/v1/state/ws`;
  const client = (headers: Record<string, string> = {}, more: WebSocket.ClientOptions = {}) => {
    const created = new Client(url, { headers, ...more });
    clients.push(created);
    return created;
  };
  /** An open socket authenticated with `raw` (a fresh key of every state scope by default). */
  const connect = async (raw?: string, how: 'bearer' | 'x-api-key' | 'message' = 'bearer') => {
    const apiKey = raw ?? (await key());
    const headers: Record<string, string> =
      how === 'bearer'
        ? { authorization: `Bearer ${apiKey}` }
        : how === 'x-api-key'
          ? { 'x-api-key': apiKey }
          : {};
    const opened = client(headers);
    await opened.opened;
    if (how === 'message') opened.send({ type: 'auth', apiKey });
    return opened;
  };
  const subscribe = async (socket: Client, id: string, options: Record<string, unknown>) => {
    socket.send({ type: 'subscribe', id, ...options });
    return socket.next((message) => message.id === id);
  };
  const set = (name: string, value: unknown) => memnex.state.set({ tenantId, key: name, value });
  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
  return { fixture, server, url, key, client, connect, subscribe, set, scrape };
}

const isEvent = (id: string) => (message: Message) => message.id === id && message.type === 'event';

describe('GET /v1/state/ws: authentication', () => {
  it.each(['bearer', 'x-api-key', 'message'] as const)(
    'accepts a key sent by %s, then subscribes',
    async (how) => {
      const { connect, subscribe, set } = await setup();
      const socket = await connect(undefined, how);
      const ready = await subscribe(socket, 's1', { pattern: 'plan:goal' });
      // An exact key is listed even without a value: version 0.
      expect(ready).toEqual({
        type: 'ready',
        id: 's1',
        versions: { 'plan:goal': 0 },
        truncated: false,
      });
      await set('plan:goal', { text: 'ship it' });
      const event = await socket.next(isEvent('s1'));
      expect(event.event).toMatchObject({
        event: 'value',
        key: 'plan:goal',
        value: { text: 'ship it' },
        version: 1,
      });
    },
  );

  it('closes with 4401 for a missing, unknown, malformed or revoked key', async () => {
    const { client, key, fixture, connect } = await setup();
    const unknown = client({ authorization: `Bearer mx_live_k00000000_${'a'.repeat(43)}` });
    expect(await unknown.closed).toEqual({ code: 4401, reason: 'unknown API key' });
    const malformed = client({ 'x-api-key': 'nope' });
    expect(await malformed.closed).toEqual({ code: 4401, reason: 'malformed API key' });
    const basic = client({ authorization: 'Basic abc' });
    expect((await basic.closed).code).toBe(4401);

    const raw = await key();
    await fixture.memnex.keys.revoke({ tenantId: fixture.tenantId, keyId: keyIdOf(raw) });
    const revoked = client({ 'x-api-key': raw });
    expect(await revoked.closed).toEqual({ code: 4401, reason: 'API key was revoked' });

    const byMessage = await connect('mx_live_kffffffff_secret', 'message');
    expect((await byMessage.closed).code).toBe(4401);
  });

  it('closes with 4401 when the first message is not an auth message', async () => {
    const { client } = await setup();
    for (const first of [
      'not json',
      { type: 'subscribe', id: 's', pattern: 'a' },
      { type: 'auth' },
    ]) {
      const socket = client();
      await socket.opened;
      socket.send(first);
      const closed = await socket.closed;
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/authenticate first/u);
    }
  });

  it('closes with 4401 when no auth message comes in time', async () => {
    const { client } = await setup({ sockets: { authTimeoutMs: 100 } });
    const socket = client();
    await socket.opened;
    const closed = await socket.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/auth/u);
  });

  it('handles messages sent before the upgrade key is verified', async () => {
    const { client, key } = await setup();
    const socket = client({ authorization: `Bearer ${await key()}` });
    await socket.opened;
    socket.send({ type: 'subscribe', id: 'early', pattern: 'a' });
    socket.send({ type: 'subscribe', id: 'gone', pattern: 'b' });
    socket.send({ type: 'unsubscribe', id: 'gone' });
    socket.send({ type: 'unsubscribe', id: 'nope' });
    expect((await socket.next((message) => message.id === 'early')).type).toBe('ready');
    expect((await socket.next((message) => message.id === 'nope')).error?.code).toBe('NOT_FOUND');
    // `gone` was unsubscribed while it started: it never became ready.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.drain('gone')).toEqual([]);
  });

  it('takes a point of the rate limit per socket and per subscription', async () => {
    const rateLimiter = createMemoryRateLimiter({ points: 2, durationSeconds: 60 });
    const { connect, subscribe, key, client } = await setup({ rateLimiter });
    const raw = await key();
    const socket = await connect(raw);
    expect((await subscribe(socket, 'one', { pattern: 'a' })).type).toBe('ready');
    const refused = await subscribe(socket, 'two', { pattern: 'b' });
    expect(refused.error?.code).toBe('RATE_LIMITED');
    const second = client({ authorization: `Bearer ${raw}` });
    const closed = await second.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/retry in \d+ s/u);
  });
});

describe('GET /v1/state/ws: subscriptions', () => {
  it('serves several subscriptions on one socket, each with its own id', async () => {
    const { connect, subscribe, set, fixture } = await setup();
    await set('team:a', 1);
    await set('team:b', 1);
    await set('team:b', 2);
    const socket = await connect();
    const team = await subscribe(socket, 'team', { pattern: 'team:*' });
    expect(team).toEqual({
      type: 'ready',
      id: 'team',
      versions: { 'team:a': 1, 'team:b': 2 },
      truncated: false,
    });
    expect((await subscribe(socket, 'goal', { pattern: 'goal', events: ['delete'] })).type).toBe(
      'ready',
    );
    expect((await subscribe(socket, 'schemas', { pattern: '*', events: ['schema'] })).type).toBe(
      'ready',
    );

    await set('team:a', 'x');
    await set('goal', 'g');
    await fixture.memnex.state.delete({ tenantId: fixture.tenantId, key: 'goal' });
    await fixture.memnex.state.setSchema({
      tenantId: fixture.tenantId,
      pattern: 'team:*',
      schema: { type: 'string' },
    });

    expect((await socket.next(isEvent('team'))).event).toMatchObject({
      event: 'value',
      key: 'team:a',
      value: 'x',
      version: 2,
    });
    // `goal` asked only for deletions.
    expect((await socket.next(isEvent('goal'))).event).toMatchObject({
      event: 'delete',
      key: 'goal',
      version: 2,
    });
    expect((await socket.next(isEvent('schemas'))).event).toMatchObject({
      event: 'schema',
      action: 'set',
      key: 'team:*',
      schema: { type: 'string' },
    });
    // `team` wants every kind: the schema of its glob comes too; `goal` gets nothing more.
    expect((await socket.next(isEvent('team'))).event).toMatchObject({
      event: 'schema',
      key: 'team:*',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.drain('team')).toEqual([]);
    expect(socket.drain('goal')).toEqual([]);
  });

  it('refuses a second subscription with the same id, and too many per socket', async () => {
    const { connect, subscribe } = await setup({ sockets: { maxSubscriptions: 2 } });
    const socket = await connect();
    expect((await subscribe(socket, 'a', { pattern: 'a' })).type).toBe('ready');
    const again = await subscribe(socket, 'a', { pattern: 'b' });
    expect(again).toMatchObject({ type: 'error', id: 'a', error: { code: 'CONFLICT' } });
    expect((await subscribe(socket, 'b', { pattern: 'b' })).type).toBe('ready');
    const third = await subscribe(socket, 'c', { pattern: 'c' });
    expect(third).toMatchObject({
      type: 'error',
      id: 'c',
      error: { code: 'RATE_LIMITED', details: { maxSubscriptions: 2 } },
    });
    // Unsubscribing frees a place.
    socket.send({ type: 'unsubscribe', id: 'a' });
    expect((await subscribe(socket, 'c', { pattern: 'c' })).type).toBe('ready');
  });

  it('stops the events of a subscription on unsubscribe, and only those', async () => {
    const { connect, subscribe, set } = await setup();
    const socket = await connect();
    await subscribe(socket, 'a', { pattern: 'k' });
    await subscribe(socket, 'b', { pattern: 'k' });
    socket.send({ type: 'unsubscribe', id: 'a' });
    // A later message is handled after the unsubscribe: once it is answered, `a` is gone.
    socket.send({ type: 'unsubscribe', id: 'missing' });
    expect(await socket.next()).toMatchObject({
      type: 'error',
      id: 'missing',
      error: { code: 'NOT_FOUND' },
    });
    await set('k', 1);
    expect((await socket.next(isEvent('b'))).event?.version).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(socket.drain('a')).toEqual([]);
  });

  it('answers bad frames with an error message and keeps the socket', async () => {
    const { connect, subscribe } = await setup();
    const socket = await connect();
    const bad: Array<[unknown, string | undefined, RegExp]> = [
      ['{not json', undefined, /not valid JSON/u],
      ['42', undefined, /unknown message type/u],
      [{ type: 'publish', id: 'p' }, 'p', /unknown message type "publish"/u],
      [{ type: 'subscribe', id: 'x' }, 'x', /pattern/u],
      [{ type: 'subscribe', id: 'y', pattern: 'a b' }, 'y', /pattern/u],
      [{ type: 'subscribe', id: 'z', pattern: 'a', sinceVersion: -1 }, 'z', /sinceVersion/u],
      [{ type: 'subscribe', id: 'w', pattern: 'a', extra: true }, 'w', /extra/u],
      [{ type: 'auth', apiKey: 'again' }, undefined, /already authenticated/u],
    ];
    for (const [frame, id, message] of bad) {
      socket.send(frame);
      const answer = await socket.next();
      expect(answer.type, JSON.stringify(frame)).toBe('error');
      expect(answer.id, JSON.stringify(frame)).toBe(id);
      expect(answer.error?.code, JSON.stringify(frame)).toBe('VALIDATION_FAILED');
      expect(
        `${answer.error?.message} ${JSON.stringify(answer.error?.details)}`,
        JSON.stringify(frame),
      ).toMatch(message);
    }
    socket.ws.send(Buffer.from('{"type":"unsubscribe","id":"a"}'), { binary: true });
    expect((await socket.next()).error?.message).toMatch(/text frames/u);
    expect((await subscribe(socket, 'ok', { pattern: 'a' })).type).toBe('ready');
  });

  it('fails a subscription outside the key scopes with FORBIDDEN, and keeps the socket', async () => {
    const { connect, subscribe, key, set } = await setup();
    const socket = await connect(await key(['state:read:team/*']));
    const refused = await subscribe(socket, 'all', { pattern: '*' });
    expect(refused).toMatchObject({
      type: 'error',
      id: 'all',
      error: { code: 'FORBIDDEN', details: { needed: 'state:read:*' } },
    });
    expect((await subscribe(socket, 'team', { pattern: 'team/*' })).type).toBe('ready');
    // The refused id is free again.
    expect((await subscribe(socket, 'all', { pattern: 'team/a' })).type).toBe('ready');
    await set('team/a', 1);
    expect((await socket.next(isEvent('team'))).event?.key).toBe('team/a');
    expect((await socket.next(isEvent('all'))).event?.key).toBe('team/a');
  });

  it('replays the versions missed since `sinceVersion`, in order, then goes live', async () => {
    const { connect, subscribe, set } = await setup();
    for (let version = 1; version <= 5; version += 1) await set('doc', { version });
    const socket = await connect();
    const ready = await subscribe(socket, 'doc', { pattern: 'doc', sinceVersion: 2 });
    expect(ready.versions).toEqual({ doc: 2 });
    await set('doc', { version: 6 });
    const versions: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const event = await socket.next(isEvent('doc'));
      versions.push(event.event!.version);
      expect(event.event?.value).toEqual({ version: event.event!.version });
    }
    expect(versions).toEqual([3, 4, 5, 6]);
  });

  it('resumes each key from its own version with `since`', async () => {
    const { connect, subscribe, set } = await setup();
    await set('r:a', 'a1');
    await set('r:a', 'a2');
    await set('r:b', 'b1');
    await set('r:b', 'b2');
    await set('r:b', 'b3');
    const socket = await connect();
    const ready = await subscribe(socket, 'r', {
      pattern: 'r:*',
      since: { 'r:a': 2, 'r:b': 1 },
    });
    expect(ready.versions).toEqual({ 'r:a': 2, 'r:b': 1 });
    const replayed = [
      (await socket.next(isEvent('r'))).event,
      (await socket.next(isEvent('r'))).event,
    ];
    expect(replayed.map((event) => [event?.key, event?.version, event?.value])).toEqual([
      ['r:b', 2, 'b2'],
      ['r:b', 3, 'b3'],
    ]);
  });

  it('delivers writes made by another engine instance on the same stores', async () => {
    const stores = createMemoryStores();
    const { connect, subscribe, fixture } = await setup({ stores });
    const other = createMemnex({
      auditKey: 'rest-test-audit-key-0123456789',
      piiKey: 'rest-test-pii-key-0123456789',
      stores,
    });
    await other.init();
    const socket = await connect();
    await subscribe(socket, 'x', { pattern: 'shared' });
    await other.state.set({ tenantId: fixture.tenantId, key: 'shared', value: 'from afar' });
    expect((await socket.next(isEvent('x'))).event).toMatchObject({
      key: 'shared',
      value: 'from afar',
    });
  });
});

describe('GET /v1/state/ws: lifecycle', () => {
  it('ends the subscriptions and closes the socket with 4401 when the key is revoked', async () => {
    const { connect, subscribe, key, fixture } = await setup();
    const raw = await key();
    const socket = await connect(raw);
    await subscribe(socket, 'a', { pattern: 'a' });
    await subscribe(socket, 'b', { pattern: 'b' });
    await fixture.memnex.keys.revoke({ tenantId: fixture.tenantId, keyId: keyIdOf(raw) });
    const ended = await socket.next((message) => message.type === 'error');
    expect(ended.error?.code).toBe('UNAUTHENTICATED');
    expect(['a', 'b']).toContain(ended.id);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'API key was revoked' });
  });

  it('terminates a socket that does not answer pings, and keeps one that does', async () => {
    const { connect, client, key } = await setup({ sockets: { heartbeatMs: 40 } });
    const live = await connect();
    const silent = client({ authorization: `Bearer ${await key()}` }, { autoPong: false });
    await silent.opened;
    expect((await silent.closed).code).toBe(1006);
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a client that lets too much queue up with 4008, which it can resume from', async () => {
    const { connect, subscribe, set } = await setup({
      sockets: { maxBufferedBytes: 64 * 1024 },
    });
    const socket = await connect();
    await subscribe(socket, 'big', { pattern: 'big' });
    socket.ws.pause();
    const blob = 'x'.repeat(256 * 1024);
    for (let index = 0; index < 40; index += 1) await set('big', `${index}${blob}`);
    socket.ws.resume();
    expect(await socket.closed).toEqual({ code: 4008, reason: 'too slow; resume with since' });
    const seen = socket.drain('big').filter((message) => message.type === 'event');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(40);

    const resumed = await connect();
    const last = seen.at(-1)!.event!.version;
    expect((await subscribe(resumed, 'big', { pattern: 'big', sinceVersion: last })).type).toBe(
      'ready',
    );
    const next = await resumed.next(isEvent('big'));
    expect(next.event?.version).toBe(last + 1);
  });

  it('closes every engine subscription of a socket whose client goes away', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const { connect, subscribe, fixture, scrape } = await setup({ stores: faults.stores });
    const subscriptions = trackSubscriptions(fixture.memnex);
    const open = () => subscriptions.open();

    const cut = await connect();
    await subscribe(cut, 'a', { pattern: 'a' });
    await subscribe(cut, 'b', { pattern: 'b*' });
    const polite = await connect();
    await subscribe(polite, 'c', { pattern: 'c' });
    expect(open()).toBe(3);
    expect(sample(await scrape(), 'memnex_state_sockets{protocol="memnex"}')).toBe(2);
    cut.ws.terminate();
    polite.ws.close(1000);
    await expect.poll(open).toBe(0);
    await expect
      .poll(async () => sample(await scrape(), 'memnex_state_sockets{protocol="memnex"}'))
      .toBe(0);

    // A subscription still starting when its client leaves is closed once it has started.
    const leaving = await connect();
    const held = faults.hold('state', 'versions');
    leaving.send({ type: 'subscribe', id: 'late', pattern: 'late' });
    await held.entered;
    leaving.ws.terminate();
    await leaving.closed;
    // Released only once the server saw the socket close, so the subscription starts after it.
    await expect
      .poll(async () => sample(await scrape(), 'memnex_state_sockets{protocol="memnex"}'))
      .toBe(0);
    held.release();
    await expect.poll(() => subscriptions.opened).toBe(4);
    await expect.poll(open).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open()).toBe(0);
  });

  it('closes with 1009 a socket whose client sends a message over maxMessageBytes', async () => {
    const { connect, subscribe } = await setup({ sockets: { maxMessageBytes: 1024 } });
    const socket = await connect();
    expect((await subscribe(socket, 'small', { pattern: 'a' })).type).toBe('ready');
    socket.send({ type: 'subscribe', id: 'big', pattern: 'b', padding: 'x'.repeat(2048) });
    expect((await socket.closed).code).toBe(1009);
  });

  it('closes with 1008 a socket that sends over 200 messages before its key is verified', async () => {
    const faults = createStoreFaults(createMemoryStores());
    const { client, key } = await setup({ stores: faults.stores });
    const raw = await key();
    // A key's first use records when it was used: hold that, so the verification waits.
    const held = faults.hold('warm', 'touchApiKey');
    const socket = client({ authorization: `Bearer ${raw}` });
    await socket.opened;
    await held.entered;
    for (let index = 0; index <= 200; index += 1) {
      socket.send({ type: 'unsubscribe', id: `m${index}` });
    }
    expect(await socket.closed).toEqual({
      code: 1008,
      reason: 'too many messages before authentication',
    });
    held.release();
  });

  it('counts the events it sends', async () => {
    const { connect, subscribe, set, scrape } = await setup();
    const socket = await connect();
    await subscribe(socket, 'a', { pattern: 'a' });
    await set('a', 1);
    await set('a', 2);
    await socket.next(isEvent('a'));
    await socket.next(isEvent('a'));
    expect(sample(await scrape(), 'memnex_state_socket_events_total{protocol="memnex"}')).toBe(2);
  });

  it('closes every socket with 1001 on server close, without waiting for them', async () => {
    const { connect, subscribe, server, client } = await setup();
    const subscribed = await connect();
    await subscribe(subscribed, 'a', { pattern: 'a' });
    const waiting = client();
    await waiting.opened;
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await subscribed.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect((await waiting.closed).code).toBe(1001);
  });

  it('cuts a socket that does not finish the closing handshake on server close', async () => {
    const fixture = await createFixture();
    const server = await serveRest({ rest: fixture.rest, port: 0, drainTimeoutMs: 200 });
    const raw = (
      await fixture.memnex.keys.create({
        tenantId: fixture.tenantId,
        label: 'state',
        scopes: ALL,
      })
    ).key;
    const socket = new Client(`${server.url.replace(/^http/u, 'ws')}/v1/state/ws`, {
      headers: { authorization: `Bearer ${raw}` },
    });
    clients.push(socket);
    await socket.opened;
    socket.ws.pause();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    socket.ws.resume();
    expect([1001, 1006]).toContain((await socket.closed).code);
  });
});

describe('upgrades the sockets do not serve', () => {
  it('answers an upgrade of another path as the app would answer a GET', async () => {
    const { server } = await setup();
    const unknown = new Client(`${server.url.replace(/^http/u, 'ws')}/nope`);
    const v1 = new Client(`${server.url.replace(/^http/u, 'ws')}/v1/memory/read`);
    clients.push(unknown, v1);
    await expect(unknown.opened).rejects.toThrow('HTTP 404');
    await expect(v1.opened).rejects.toThrow('HTTP 401');
  });

  it('serves a GET with an Upgrade header (h2c) as a plain request', async () => {
    const { server } = await setup();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/healthz`, {
        headers: { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': '' },
      });
      request.once('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.once('error', reject);
      request.end();
    });
    expect(answer).toEqual({ status: 200, body: '{"ok":true}' });
  });
});

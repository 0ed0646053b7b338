import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveRest, type RestServer } from './serve-rest.js';
import { openStateEventStream } from './state-events.js';
import { createFixture, keyIdOf, type Fixture } from './test/fixture.js';
import { trackSubscriptions, type SubscriptionCounts } from './test/track-subscriptions.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- event data is checked field by field */

/** One server-sent message: its fields, or the text of a comment line. */
interface Message {
  event?: string;
  id?: string;
  data?: any;
  comment?: string;
}

/** Reads a `text/event-stream` body message by message. */
class EventReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next message, comments included; null when the stream ended. */
  async message(timeoutMs = 3000): Promise<Message | null> {
    for (;;) {
      const cut = this.buffer.indexOf('\n\n');
      if (cut >= 0) {
        const block = this.buffer.slice(0, cut);
        this.buffer = this.buffer.slice(cut + 2);
        return parseMessage(block);
      }
      this.pending ??= this.reader.read();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      });
      const { done, value } = await Promise.race([this.pending, timeout]).finally(() =>
        clearTimeout(timer),
      );
      this.pending = undefined;
      if (done) return null;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** The next event, skipping `: ping` comments; null when the stream ended. */
  async event(timeoutMs?: number): Promise<Message | null> {
    for (;;) {
      const message = await this.message(timeoutMs);
      if (message?.comment === undefined) return message;
    }
  }

  /** Whether nothing arrives within `ms` (comments aside). */
  async quiet(ms: number): Promise<boolean> {
    try {
      const message = await this.event(ms);
      throw new Error(`unexpected message ${JSON.stringify(message)}`);
    } catch (error) {
      if ((error as Error).message.startsWith('no message')) return true;
      throw error;
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function parseMessage(block: string): Message {
  const message: Message = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    else {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /u, '');
      if (field === 'data') message.data = JSON.parse(value);
      else if (field === 'event' || field === 'id') message[field] = value;
    }
  }
  return message;
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let fixture: Fixture;
let server: RestServer;
let subscriptions: SubscriptionCounts;
const keys = {} as { plan: string; planReader: string };
const aborts: AbortController[] = [];

beforeAll(async () => {
  fixture = await createFixture();
  subscriptions = trackSubscriptions(fixture.memnex);
  const key = async (scopes: string[]) =>
    (await fixture.memnex.keys.create({ tenantId: fixture.tenantId, label: 'state', scopes })).key;
  keys.plan = await key(['state:read:plan:*', 'state:write:plan:*']);
  keys.planReader = await key(['state:read:plan:*']);
  server = await serveRest({ rest: fixture.rest, port: 0, drainTimeoutMs: 2000 });
});

afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  await until(() => subscriptions.open() === 0, 'every subscription to close');
});

afterAll(async () => {
  await server.close();
  await fixture.memnex.close();
});

/** `fetch` against the server with a key (the admin key unless given). */
function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const abort = new AbortController();
  aborts.push(abort);
  return fetch(`${server.url}${path}`, {
    method,
    signal: abort.signal,
    headers: {
      authorization: `Bearer ${options.key ?? fixture.keys.admin}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

async function put(key: string, value: unknown, apiKey?: string): Promise<any> {
  const response = await call('PUT', `/v1/state/values/${encodeURIComponent(key)}`, {
    body: { value },
    ...(apiKey ? { key: apiKey } : {}),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function subscribe(
  query: string,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<{ response: Response; events: EventReader; ready: Message }> {
  const response = await call('GET', `/v1/state/events?${query}`, options);
  expect(response.status, await peekError(response)).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/u);
  const events = new EventReader(response.body!);
  const ready = (await events.event())!;
  expect(ready.event).toBe('ready');
  return { response, events, ready };
}

async function peekError(response: Response): Promise<string> {
  return response.status === 200 ? '' : await response.clone().text();
}

describe('GET /v1/state/events', () => {
  it('sends ready, then live value and delete events with the version as id', async () => {
    await put('plan:live', 'one');
    const { events, ready } = await subscribe('pattern=plan:live');
    expect(ready.data).toEqual({ versions: { 'plan:live': 1 }, truncated: false });
    expect(ready.id).toBe('1');

    await put('plan:live', 'two', keys.plan);
    const value = await events.event();
    expect(value).toMatchObject({ event: 'value', id: '2' });
    expect(value!.data).toMatchObject({
      event: 'value',
      key: 'plan:live',
      value: 'two',
      version: 2,
      updatedBy: keyIdOf(keys.plan),
      expiresAt: null,
    });
    const deleted = await call('DELETE', `/v1/state/values/plan%3Alive`);
    expect(deleted.status).toBe(200);
    expect(await events.event()).toMatchObject({
      event: 'delete',
      id: '3',
      data: { event: 'delete', key: 'plan:live', version: 3, reason: 'deleted' },
    });
  });

  it('follows a glob, without ids, and sends schema events', async () => {
    const { events, ready } = await subscribe(`pattern=${encodeURIComponent('plan:glob:?')}`, {
      key: keys.planReader,
    });
    expect(ready.data).toEqual({ versions: {}, truncated: false });
    expect(ready.id).toBeUndefined();
    await put('plan:glob:a', 1);
    await put('plan:glob:ab', 'does not match');
    await put('plan:glob:b', 2);
    const first = await events.event();
    expect(first).toMatchObject({ event: 'value', data: { key: 'plan:glob:a', value: 1 } });
    expect(first!.id).toBeUndefined();
    expect(await events.event()).toMatchObject({ data: { key: 'plan:glob:b', value: 2 } });

    const registered = await call('PUT', `/v1/state/schemas/${encodeURIComponent('plan:glob:*')}`, {
      body: { schema: { type: 'integer' } },
    });
    expect(registered.status).toBe(200);
    const schema = await events.event();
    expect(schema).toMatchObject({
      event: 'schema',
      data: { event: 'schema', key: 'plan:glob:*', action: 'set', schema: { type: 'integer' } },
    });
    expect(schema!.id).toBeUndefined();
  });

  it('replays what happened after sinceVersion, then goes on live', async () => {
    for (const text of ['v1', 'v2', 'v3']) await put('plan:replay', text);
    const { events, ready } = await subscribe('pattern=plan:replay&sinceVersion=1');
    expect(ready.data.versions).toEqual({ 'plan:replay': 1 });
    expect(await events.event()).toMatchObject({ id: '2', data: { value: 'v2', version: 2 } });
    expect(await events.event()).toMatchObject({ id: '3', data: { value: 'v3', version: 3 } });
    await put('plan:replay', 'v4');
    expect(await events.event()).toMatchObject({ id: '4', data: { value: 'v4', version: 4 } });
  });

  it('resumes a glob per key with since, and filters kinds with events', async () => {
    await put('plan:since:a', 'a1');
    await put('plan:since:a', 'a2');
    await put('plan:since:b', 'b1');
    const since = encodeURIComponent(JSON.stringify({ 'plan:since:a': 1, 'plan:since:b': 1 }));
    const { events, ready } = await subscribe(`pattern=plan:since:*&since=${since}`);
    expect(ready.data.versions).toEqual({ 'plan:since:a': 1, 'plan:since:b': 1 });
    expect(await events.event()).toMatchObject({ data: { key: 'plan:since:a', value: 'a2' } });

    const deletes = await subscribe('pattern=plan:since:*&events=delete');
    await put('plan:since:b', 'b2');
    await call('DELETE', '/v1/state/values/plan:since:b');
    expect(await deletes.events.event()).toMatchObject({
      event: 'delete',
      data: { key: 'plan:since:b', version: 3 },
    });
    expect(await events.event()).toMatchObject({ data: { key: 'plan:since:b', value: 'b2' } });
  });

  it('resumes after Last-Event-ID for an exact key, over the URL', async () => {
    for (const text of ['v1', 'v2', 'v3', 'v4']) await put('plan:resume', text);
    const { events, ready } = await subscribe('pattern=plan:resume&sinceVersion=0', {
      headers: { 'last-event-id': '2' },
    });
    expect(ready).toMatchObject({ id: '2', data: { versions: { 'plan:resume': 2 } } });
    expect(await events.event()).toMatchObject({ id: '3', data: { value: 'v3' } });
    expect(await events.event()).toMatchObject({ id: '4', data: { value: 'v4' } });

    const bad = await call('GET', '/v1/state/events?pattern=plan:resume', {
      headers: { 'last-event-id': 'abc' },
    });
    expect(bad.status).toBe(400);
  });

  it('answers errors as JSON before streaming anything', async () => {
    const cases: Array<[string, number, string, string?]> = [
      ['pattern=team:*', 403, 'FORBIDDEN', keys.planReader],
      ['pattern=*', 403, 'FORBIDDEN', keys.planReader],
      ['pattern=plan:x', 403, 'FORBIDDEN', fixture.keys.writer],
      ['', 400, 'VALIDATION_FAILED'],
      ['pattern=has%20space', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&sinceVersion=-1', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&since=%7Bnot%20json', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&since=%7B%22plan%3Aa%22%3A%22x%22%7D', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&events=value,nope', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&events=', 400, 'VALIDATION_FAILED'],
      ['pattern=plan:*&other=1', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code, key] of cases) {
      const response = await call('GET', `/v1/state/events?${query}`, key ? { key } : {});
      expect(response.status, query).toBe(status);
      expect(response.headers.get('content-type'), query).toMatch(/^application\/json/u);
      expect(((await response.json()) as any).error.code, query).toBe(code);
    }
    const anonymous = await fetch(`${server.url}/v1/state/events?pattern=plan:*`);
    expect(anonymous.status).toBe(401);
    expect(subscriptions.open()).toBe(0);
  });

  it("never sends another tenant's changes", async () => {
    const theirs = await subscribe('pattern=shared:*', { key: fixture.keys.other });
    await put('shared:doc', 'tenant A');
    await put('shared:doc', 'tenant B', fixture.keys.other);
    expect(await theirs.events.event()).toMatchObject({
      data: { key: 'shared:doc', value: 'tenant B', version: 1 },
    });
    expect(await theirs.events.quiet(200)).toBe(true);
  });

  it('closes the engine subscription when the client goes away', async () => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}/v1/state/events?pattern=plan:gone`, {
      headers: { authorization: `Bearer ${keys.plan}` },
      signal: abort.signal,
    });
    const events = new EventReader(response.body!);
    expect((await events.event())!.event).toBe('ready');
    expect(subscriptions.open()).toBe(1);
    abort.abort();
    await until(() => subscriptions.open() === 0, 'the subscription to close');
    // Later changes reach no one, and nothing fails.
    await put('plan:gone', 1);

    // Cancelling the body (rather than the request) closes it too.
    const { events: other } = await subscribe('pattern=plan:gone', { key: keys.plan });
    expect(subscriptions.open()).toBe(1);
    await other.cancel();
    await until(() => subscriptions.open() === 0, 'the subscription to close');
  });

  it('ends the stream with an error event when the key is revoked', async () => {
    const created = await fixture.memnex.keys.create({
      tenantId: fixture.tenantId,
      label: 'short-lived',
      scopes: ['state:read:*'],
    });
    const { events } = await subscribe('pattern=plan:*', { key: created.key });
    await fixture.memnex.keys.revoke({ tenantId: fixture.tenantId, keyId: created.record.id });
    expect(await events.event()).toEqual({
      event: 'error',
      data: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) } },
    });
    expect(await events.message()).toBeNull();
    await until(() => subscriptions.open() === 0, 'the subscription to close');
  });
});

describe('state event streams', () => {
  it('send a ping comment while idle', async () => {
    const response = await openStateEventStream({
      memnex: fixture.memnex,
      call: { tenantId: fixture.tenantId, pattern: 'plan:ping' },
      withIds: true,
      tuning: { pingMs: 20 },
    });
    const events = new EventReader(response.body!);
    expect(await events.message()).toMatchObject({ event: 'ready', id: '0' });
    expect(await events.message()).toEqual({ comment: 'ping' });
    expect(await events.message()).toEqual({ comment: 'ping' });
    await events.cancel();
  });

  it('end with RATE_LIMITED when the client falls more than 1 MiB behind', async () => {
    const response = await fixture.call('GET', '/v1/state/events?pattern=plan:flood', {
      key: keys.planReader,
    });
    expect(response.status).toBe(200);
    // The body is not read while ~1.6 MiB of events are produced.
    const chunk = 'x'.repeat(200_000);
    for (let index = 0; index < 8; index += 1) {
      await fixture.memnex.state.set({
        tenantId: fixture.tenantId,
        key: 'plan:flood',
        value: `${index}${chunk}`,
      });
    }
    await until(() => subscriptions.open() === 0, 'the slow subscription to close');
    const events = new EventReader(response.body!);
    const received: Message[] = [];
    for (let message = await events.event(); message; message = await events.event()) {
      received.push(message);
    }
    expect(received[0]!.event).toBe('ready');
    const last = received.at(-1)!;
    expect(last).toMatchObject({
      event: 'error',
      data: { error: { code: 'RATE_LIMITED', details: { reason: 'slow_consumer' } } },
    });
    const values = received.filter((message) => message.event === 'value');
    expect(values.length).toBeGreaterThanOrEqual(5);
    expect(values.length).toBeLessThan(8);
    expect(values.map((message) => message.data.version)).toEqual(
      values.map((_message, index) => index + 1),
    );
  });

  it('do not count a long ready frame against that limit', async () => {
    const { tenantId, memnex } = fixture;
    for (const name of ['a', 'b', 'c', 'd']) {
      await memnex.state.set({ tenantId, key: `plan:many:${name}`, value: name });
    }
    const response = await openStateEventStream({
      memnex,
      call: { tenantId, pattern: 'plan:many:*' },
      withIds: false,
      tuning: { maxQueuedBytes: 40 },
    });
    // `ready` alone is longer than 40 bytes, and is not read: the stream stays open.
    expect(subscriptions.open()).toBe(1);
    await memnex.state.set({ tenantId, key: 'plan:many:a', value: 'x'.repeat(100) });
    expect(subscriptions.open()).toBe(0);
    const events = new EventReader(response.body!);
    expect(await events.event()).toMatchObject({ event: 'ready' });
    expect(await events.event()).toMatchObject({ event: 'value', data: { version: 2 } });
    expect(await events.event()).toMatchObject({
      event: 'error',
      data: { error: { code: 'RATE_LIMITED' } },
    });
    expect(await events.event()).toBeNull();
  });

  it('end when the server drains, so that it can close at once', async () => {
    const own = await createFixture();
    const ownServer = await serveRest({ rest: own.rest, port: 0, drainTimeoutMs: 5000 });
    const response = await fetch(`${ownServer.url}/v1/state/events?pattern=plan:*`, {
      headers: { authorization: `Bearer ${own.keys.admin}` },
    });
    const events = new EventReader(response.body!);
    expect((await events.event())!.event).toBe('ready');
    const started = Date.now();
    await ownServer.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await events.message()).toBeNull();
    await own.memnex.close();
  });
});
